//! Generates the clients the end-to-end tests call, from the real AWS models
//! in `../shared`, the way a user's build script would.

use std::path::{Path, PathBuf};

/// A model file of `../shared/models/aws-2026` (the current models).
fn current_model(file: &str) -> PathBuf {
    shared_file("aws-2026", file)
}

/// `file` in `../shared/models/<dir>`; a clear failure when it is absent.
fn shared_file(dir: &str, file: &str) -> PathBuf {
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let path = manifest_dir
        .join("../../../shared/models")
        .join(dir)
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
    generate_named(model, operations, module_path, None);
}

/// Generates into `OUT_DIR/<crate_name>.rs` (the service's name unless given).
fn generate_named(model: &Path, operations: &[&str], module_path: &str, crate_name: Option<&str>) {
    let mut config = smithgen::Config::new();
    config.model(model).module_path(module_path);
    if let Some(name) = crate_name {
        config.crate_name(name);
    }
    for operation in operations {
        config.operation(*operation);
    }
    config
        .compile()
        .unwrap_or_else(|err| panic!("smithgen failed on {}: {err}", model.display()));
}

fn main() {
    generate(
        &current_model("cognito-identity-provider.json"),
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
        &current_model("kms.json"),
        &["CreateKey", "Encrypt", "Decrypt"],
        "crate::kms",
    );
    generate(
        &current_model("glacier.json"),
        &[
            "CreateVault",
            "UploadArchive",
            "InitiateJob",
            "DescribeJob",
            "GetJobOutput",
            "DeleteArchive",
            "DeleteVault",
        ],
        "crate::glacier",
    );
    generate(
        &current_model("polly.json"),
        &["SynthesizeSpeech"],
        "crate::polly",
    );
    // DynamoDB's table waiters (`TableExists` and `TableNotExists` on
    // `DescribeTable`), from the current model.
    generate_named(
        &current_model("dynamodb.json"),
        &["CreateTable", "DescribeTable", "DeleteTable"],
        "crate::dynamodb_waiters",
        Some("dynamodb-waiters"),
    );
    // Lambda (restJson1): the function calls of `lambda.rs`, and the waiters
    // on `GetFunction` (`FunctionActiveV2`, …) of `lambda_waiters.rs`.
    generate(
        &current_model("lambda.json"),
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
