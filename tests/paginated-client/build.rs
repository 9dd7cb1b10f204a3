//! Generates the client of `tests/models/paginated.json` (every operation
//! paginated) into OUT_DIR for the paginator tests.

fn main() {
    smithgen::Config::new()
        .model("../models/paginated.json")
        .module_path("crate::paginated")
        .compile()
        .unwrap_or_else(|err| panic!("smithgen failed: {err}"));
}
