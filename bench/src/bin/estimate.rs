//! Prints the median point estimate (in nanoseconds) of a Criterion
//! `estimates.json`, for `bench/run` to put in its table.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: estimate target/criterion/GROUP/ID/new/estimates.json");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("estimate: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let value: serde_json::Value = match serde_json::from_str(&text) {
        Ok(value) => value,
        Err(e) => {
            eprintln!("estimate: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    match value["median"]["point_estimate"].as_f64() {
        Some(ns) => {
            println!("{ns:.1}");
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("estimate: {path}: no median.point_estimate");
            ExitCode::FAILURE
        }
    }
}
