//! Generates the clients the end-to-end tests call, from the real AWS models
//! in `../shared`, the way a user's build script would.

use std::path::{Path, PathBuf};

/// A model file of `../shared/models/aws-2026` (the current AWS models); a
/// clear failure when it is absent.
fn shared_model(file: &str) -> PathBuf {
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let path = manifest_dir
        .join("../../../shared/models/aws-2026")
        .join(file);
    if !path.is_file() {
        panic!(
            "missing model {}: the end-to-end tests generate their clients from the AWS models in ../shared beside the project root",
            path.display()
        );
    }
    path
}

fn generate(model: &Path, operations: &[&str], module_path: &str) {
    let mut config = smithgen::Config::new();
    config.model(model).module_path(module_path);
    for operation in operations {
        config.operation(*operation);
    }
    config
        .compile()
        .unwrap_or_else(|err| panic!("smithgen failed on {}: {err}", model.display()));
}

fn main() {
    generate(
        &shared_model("cognito-identity-provider.json"),
        &[
            "CreateUserPool",
            "CreateUserPoolClient",
            "AdminCreateUser",
            "AdminSetUserPassword",
            "InitiateAuth",
            "SetUserMFAPreference",
            "GetUser",
        ],
        "crate::cognito",
    );
    generate(
        &shared_model("kms.json"),
        &["CreateKey", "Encrypt", "Decrypt"],
        "crate::kms",
    );
    generate(
        &shared_model("lambda.json"),
        &[
            "CreateFunction",
            "GetFunction",
            "ListFunctions",
            "TagResource",
            "ListTags",
            "UpdateFunctionConfiguration",
            "DeleteFunction",
        ],
        "crate::lambda",
    );
}
