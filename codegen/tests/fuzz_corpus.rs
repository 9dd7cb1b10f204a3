//! The `model_loader` fuzz target's committed inputs (`codegen/fuzz/corpus`,
//! where every crash the fuzzer finds is added), replayed in the normal test
//! suite: each loads or fails with an error, never a panic.

use std::fs;
use std::path::Path;

#[test]
fn model_loader_corpus_loads_or_fails_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/model_loader");
    let mut replayed = 0;
    let mut loaded = 0;
    for entry in fs::read_dir(&dir).expect("the committed corpus") {
        let path = entry.expect("entry").path();
        let bytes = fs::read(&path).expect("read input");
        // As the fuzz target does: UTF-8 only, NUL separates documents.
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let names = ["a.json", "b.json", "c.json"];
        let sources: Vec<(&str, &str)> = names.iter().copied().zip(text.split('\0')).collect();
        let outcome = std::panic::catch_unwind(|| {
            smithgen::model::Model::load(&sources).map_err(|e| e.to_string())
        });
        match outcome {
            Ok(Ok(_)) => loaded += 1,
            Ok(Err(message)) => assert!(!message.is_empty(), "{}", path.display()),
            Err(_) => panic!("{} panics the model loader", path.display()),
        }
        replayed += 1;
    }
    assert!(
        replayed >= 10,
        "only {replayed} inputs in {}",
        dir.display()
    );
    assert!(loaded >= 4, "the valid seeds load ({loaded} did)");
}
