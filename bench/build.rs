//! Generates the Lambda client the `lambda` benchmark calls
//! (`benches/lambda.rs`), from the current Lambda model in `../shared`, the
//! way a user's build script would. Only `GetFunction`: the benchmark measures
//! one call's request path, which the crate's other operations do not touch.

use std::path::PathBuf;

fn main() {
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let model = manifest_dir.join("../../shared/models/aws-2026/lambda.json");
    if !model.is_file() {
        panic!(
            "missing model {}: the Lambda benchmark generates its client from the AWS models in ../shared beside the project root",
            model.display()
        );
    }
    let mut config = smithgen::Config::new();
    config
        .model(&model)
        .operation("GetFunction")
        .module_path("crate::lambda");
    config
        .compile()
        .unwrap_or_else(|err| panic!("smithgen failed on {}: {err}", model.display()));
}
