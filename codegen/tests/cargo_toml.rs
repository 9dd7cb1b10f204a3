//! The generated `Cargo.toml` turns on the runtime features the crate needs,
//! and only those: `gzip` exactly when an operation it contains has
//! `smithy.api#requestCompression`, `rt-tokio` exactly when one streams its
//! payload.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{json, Value};
use smithgen::RuntimeDependency;

/// A service with one operation that compresses its requests (when
/// `compressed` says so) and one that does not.
fn model(compressed: bool) -> Value {
    let mut upload_traits = json!({});
    if compressed {
        upload_traits["smithy.api#requestCompression"] = json!({ "encodings": ["gzip"] });
    }
    json!({
        "smithy": "2.0",
        "shapes": {
            "example.logs#Logs": {
                "type": "service",
                "version": "2024-01-01",
                "operations": [
                    { "target": "example.logs#PutLogs" },
                    { "target": "example.logs#GetStatus" }
                ],
                "traits": {
                    "aws.api#service": { "sdkId": "Logs", "endpointPrefix": "logs" },
                    "aws.protocols#awsJson1_1": {},
                    "smithy.api#title": "Example Logs"
                }
            },
            "example.logs#PutLogs": {
                "type": "operation",
                "input": { "target": "example.logs#PutLogsInput" },
                "traits": upload_traits
            },
            "example.logs#PutLogsInput": {
                "type": "structure",
                "members": { "Message": { "target": "smithy.api#String" } }
            },
            "example.logs#GetStatus": { "type": "operation" }
        }
    })
}

/// A fresh directory of its own for each call (tests run in parallel).
fn scratch() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("smithgen-cargo-toml-{}-{n}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// The `Cargo.toml` generated from `model` with `configure` applied.
fn manifest(model: &Value, configure: impl FnOnce(&mut smithgen::Config)) -> String {
    let dir = scratch();
    let path = dir.join("logs.json");
    fs::write(&path, serde_json::to_vec(model).unwrap()).expect("write model");
    let mut config = smithgen::Config::new();
    config.model(&path);
    configure(&mut config);
    let generated = config
        .generate_crate(&dir.join("out"))
        .expect("the model generates");
    let _ = fs::remove_dir_all(&dir);
    generated.files[Path::new("Cargo.toml")].clone()
}

fn dependency_line(manifest: &str, section: &str) -> String {
    let start = manifest
        .find(&format!("[{section}]\n"))
        .unwrap_or_else(|| panic!("no [{section}] in\n{manifest}"));
    manifest[start..]
        .lines()
        .find(|line| line.starts_with("smithgen-runtime = "))
        .unwrap_or_else(|| panic!("no runtime dependency in [{section}] of\n{manifest}"))
        .to_owned()
}

fn path_runtime(config: &mut smithgen::Config) {
    config.runtime_dependency(RuntimeDependency::Path("/opt/smithgen/runtime".into()));
}

#[test]
fn request_compression_turns_on_gzip() {
    let manifest = manifest(&model(true), path_runtime);
    assert_eq!(
        dependency_line(&manifest, "dependencies"),
        r#"smithgen-runtime = { path = "/opt/smithgen/runtime", features = ["gzip"] }"#
    );
}

#[test]
fn without_request_compression_no_feature_is_named() {
    let manifest = manifest(&model(false), path_runtime);
    assert_eq!(
        dependency_line(&manifest, "dependencies"),
        r#"smithgen-runtime = { path = "/opt/smithgen/runtime" }"#
    );
    assert!(!manifest.contains("gzip"), "{manifest}");
}

#[test]
fn only_the_generated_operations_count() {
    let with_operation = |name: &'static str| {
        manifest(&model(true), move |config| {
            path_runtime(config);
            config.operation(name);
        })
    };
    assert_eq!(
        dependency_line(&with_operation("GetStatus"), "dependencies"),
        r#"smithgen-runtime = { path = "/opt/smithgen/runtime" }"#
    );
    assert_eq!(
        dependency_line(&with_operation("PutLogs"), "dependencies"),
        r#"smithgen-runtime = { path = "/opt/smithgen/runtime", features = ["gzip"] }"#
    );
}

#[test]
fn registry_versions_take_features_too() {
    let version = |config: &mut smithgen::Config| {
        config.runtime_dependency(RuntimeDependency::Version("0.1".into()));
    };
    assert_eq!(
        dependency_line(&manifest(&model(true), version), "dependencies"),
        r#"smithgen-runtime = { version = "0.1", features = ["gzip"] }"#
    );
    assert_eq!(
        dependency_line(&manifest(&model(false), version), "dependencies"),
        r#"smithgen-runtime = "0.1""#
    );
}

#[test]
fn test_modules_add_test_util_as_a_dev_dependency() {
    let manifest = manifest(&model(true), |config| {
        path_runtime(config);
        config.protocol_tests(true);
    });
    assert_eq!(
        dependency_line(&manifest, "dependencies"),
        r#"smithgen-runtime = { path = "/opt/smithgen/runtime", features = ["gzip"] }"#
    );
    // Cargo merges a package's features across its dependency sections, so
    // the dev-dependency names only what tests add.
    assert_eq!(
        dependency_line(&manifest, "dev-dependencies"),
        r#"smithgen-runtime = { path = "/opt/smithgen/runtime", features = ["test-util"] }"#
    );
}

#[test]
fn by_default_the_runtime_is_named_by_this_generators_version() {
    let manifest = manifest(&model(false), |_| {});
    assert_eq!(
        dependency_line(&manifest, "dependencies"),
        format!("smithgen-runtime = \"{}\"", smithgen::RUNTIME_VERSION)
    );
    assert_eq!(smithgen::RUNTIME_VERSION, env!("CARGO_PKG_VERSION"));
}

#[test]
fn git_sources_name_their_revision() {
    let manifest = manifest(&model(true), |config| {
        config.runtime_dependency(RuntimeDependency::Git {
            url: "https://git.example/smithgen".into(),
            rev: Some("v0.1.0".into()),
        });
    });
    assert_eq!(
        dependency_line(&manifest, "dependencies"),
        r#"smithgen-runtime = { git = "https://git.example/smithgen", rev = "v0.1.0", features = ["gzip"] }"#
    );
}

/// A restJson1 service whose `Download` streams its output, and `Status`
/// that does not.
fn streaming_model() -> Value {
    json!({
        "smithy": "2.0",
        "shapes": {
            "example.vault#Vault": {
                "type": "service",
                "version": "2024-01-01",
                "operations": [
                    { "target": "example.vault#Download" },
                    { "target": "example.vault#Status" }
                ],
                "traits": {
                    "aws.api#service": { "sdkId": "Vault", "endpointPrefix": "vault" },
                    "aws.protocols#restJson1": {}
                }
            },
            "example.vault#Download": {
                "type": "operation",
                "output": { "target": "example.vault#DownloadOutput" },
                "traits": { "smithy.api#http": { "method": "GET", "uri": "/download" } }
            },
            "example.vault#DownloadOutput": {
                "type": "structure",
                "members": {
                    "Body": {
                        "target": "example.vault#Stream",
                        "traits": { "smithy.api#httpPayload": {}, "smithy.api#default": "" }
                    }
                }
            },
            "example.vault#Stream": {
                "type": "blob",
                "traits": { "smithy.api#streaming": {} }
            },
            "example.vault#Status": {
                "type": "operation",
                "traits": { "smithy.api#http": { "method": "GET", "uri": "/status" } }
            }
        }
    })
}

#[test]
fn streamed_payloads_turn_on_rt_tokio() {
    let streams = manifest(&streaming_model(), path_runtime);
    assert_eq!(
        dependency_line(&streams, "dependencies"),
        r#"smithgen-runtime = { path = "/opt/smithgen/runtime", features = ["rt-tokio"] }"#
    );
    // Without the streaming operation, no feature.
    let status_only = manifest(&streaming_model(), |config| {
        path_runtime(config);
        config.operation("Status");
    });
    assert_eq!(
        dependency_line(&status_only, "dependencies"),
        r#"smithgen-runtime = { path = "/opt/smithgen/runtime" }"#
    );
}
