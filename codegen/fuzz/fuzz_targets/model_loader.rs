//! Bytes → `smithgen::model::Model::load`: any input is a model or an error,
//! never a panic. A NUL byte splits the input into several documents, which
//! the loader merges.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let names = ["a.json", "b.json", "c.json"];
    let sources: Vec<(&str, &str)> = names.iter().copied().zip(text.split('\0')).collect();
    if let Err(err) = smithgen::model::Model::load(&sources) {
        // The error must describe itself without panicking either.
        let _ = err.to_string();
    }
});
