//! The floor of generation time: reads each model file given and parses it
//! with serde_json into a `Value` (with `preserve_order`, as smithgen does),
//! then exits. Timed as a process, exactly like the smithgen command.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut keys = 0usize;
    for path in std::env::args().skip(1) {
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("jsonparse: {path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        match serde_json::from_str::<serde_json::Value>(&text) {
            // Touch the result so the parse cannot be optimised away.
            Ok(value) => keys += value.as_object().map_or(0, |o| o.len()),
            Err(e) => {
                eprintln!("jsonparse: {path}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    if keys == 0 {
        eprintln!("jsonparse: no model given");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
