//! Generates the client of `tests/models/waiters.json` (one operation with
//! waiters of every acceptor kind, comparator and path construct) into
//! OUT_DIR for the waiter tests.

fn main() {
    smithgen::Config::new()
        .model("../models/waiters.json")
        .module_path("crate::waiting")
        .compile()
        .unwrap_or_else(|err| panic!("smithgen failed: {err}"));
}
