//! Every generated file is an insta snapshot named after the file, and the
//! checked-in `generated/` crate must match what `model/` gives.
//!
//! After a model or generator change, review the differences with
//! `cargo insta review`, then regenerate `generated/` with `cargo run -p smithgen`.

use std::path::PathBuf;

use smithgen_tests::project_root;

fn config() -> smithgen::Config {
    let mut config = smithgen::Config::new();
    let model_dir = project_root().join("model");
    let mut models: Vec<PathBuf> = std::fs::read_dir(&model_dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", model_dir.display()))
        .map(|e| e.expect("model dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    models.sort();
    assert!(!models.is_empty(), "model/ has no .json files");
    for model in models {
        config.model(model);
    }
    config
}

/// `src/types/error/_forbidden_exception.rs` → `src__types__error___forbidden_exception.rs`
fn snapshot_name(path: &std::path::Path) -> String {
    path.to_string_lossy().replace(['/', '\\'], "__")
}

#[test]
fn every_generated_file_matches_its_snapshot() {
    let generated = config()
        .generate_crate(&project_root().join("generated"))
        .unwrap_or_else(|e| panic!("generation failed: {e}"));
    assert!(
        generated.files.len() > 10,
        "suspiciously few files: {:?}",
        generated.files.keys()
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots");
    settings.bind(|| {
        for (path, contents) in &generated.files {
            insta::assert_snapshot!(snapshot_name(path), contents);
        }
    });
    // A snapshot left behind for a file no longer generated is stale too.
    let snapshot_dir = project_root().join("tests/snapshots");
    let expected: Vec<String> = generated
        .files
        .keys()
        .map(|p| format!("{}.snap", snapshot_name(p)))
        .collect();
    for entry in std::fs::read_dir(&snapshot_dir).expect("tests/snapshots exists") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".snap") {
            assert!(
                expected.contains(&name),
                "tests/snapshots/{name} belongs to no generated file; delete it"
            );
        }
    }
}

#[test]
fn checked_in_generated_crate_is_up_to_date() {
    let out = project_root().join("generated");
    let stale = config()
        .check_crate(&out)
        .unwrap_or_else(|e| panic!("generation failed: {e}"));
    assert!(
        stale.is_empty(),
        "generated/ is stale; run `cargo run -p smithgen` to regenerate. Files that differ: {stale:?}"
    );
}

#[test]
fn generation_is_deterministic() {
    let out = project_root().join("generated");
    let first = config().generate_crate(&out).expect("generate");
    let second = config().generate_crate(&out).expect("generate");
    assert_eq!(first, second);
}

/// The generated code with documentation removed: what the compiler sees.
fn without_docs(text: &str) -> String {
    let code: Vec<&str> = text
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with("///")
                || t.starts_with("//!")
                || t.starts_with("#[doc")
                || t.starts_with("#![doc"))
        })
        .collect();
    // Member macros (`rt::getter!(.., "docs");`) take the documentation as
    // their last argument; how the arguments wrap depends on its length.
    let mut out = String::new();
    let mut rest = code.join("\n");
    while let Some(start) = rest.find('"') {
        let end = string_end(&rest, start);
        let before = rest[..start].trim_end();
        let after = rest[end..].trim_start();
        if before.ends_with(',') && after.starts_with(");") {
            out.push_str(&before[..before.len() - 1]);
        } else {
            out.push_str(&rest[..end]);
        }
        rest = rest[end..].to_owned();
    }
    out.push_str(&rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The byte just past the string literal that opens at `start`.
fn string_end(text: &str, start: usize) -> usize {
    let mut escaped = false;
    for (i, c) in text[start + 1..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return start + 1 + i + 1,
            _ => {}
        }
    }
    text.len()
}

#[test]
fn real_model_subset_has_the_same_public_api_as_the_project_model() {
    let out = project_root().join("generated");
    let ours = config().generate_crate(&out).expect("generate from model/");
    let mut real = smithgen::Config::new();
    real.model(smithgen_tests::shared_file(
        "models/aws/cognito-identity-provider-2016-04-18.json",
    ))
    .operation("SetUserMFAPreference");
    let real = real
        .generate_crate(&out)
        .expect("generate from the real model");
    let files = |g: &smithgen::GeneratedCrate| -> Vec<String> {
        g.files
            .keys()
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .map(|p| p.display().to_string())
            .collect()
    };
    assert_eq!(files(&ours), files(&real), "the same files");
    for (path, text) in &ours.files {
        if path.extension().is_some_and(|e| e == "rs") {
            assert_eq!(
                without_docs(text),
                without_docs(&real.files[path]),
                "{} differs beyond documentation",
                path.display()
            );
        }
    }
}
