//! The floor of smithgen's own pipeline: every generated file is parsed with
//! syn and printed with prettyplease, the two steps smithgen runs on each
//! file it renders (the very crates it uses, as `smithgen::formatter` exports
//! them). Reads the `.rs` files under the directory given, lexes them into
//! token streams (not timed: smithgen renders its tokens with `quote!`), then
//! times `syn::parse2` and `prettyplease::unparse` of all of them on one
//! thread, `runs` times, and prints the median in seconds as
//! `median_s=<s> parse_s=<s> print_s=<s>`.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use smithgen::formatter::{prettyplease, proc_macro2, syn};

fn sources(dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            sources(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(std::fs::read_to_string(&path)?);
        }
    }
    Ok(())
}

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64()
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(dir), runs) = (args.next(), args.next()) else {
        eprintln!("usage: formatfloor DIR [RUNS]");
        return ExitCode::FAILURE;
    };
    let runs: usize = runs.and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    let mut files = Vec::new();
    if let Err(e) = sources(Path::new(&dir), &mut files) {
        eprintln!("formatfloor: {dir}: {e}");
        return ExitCode::FAILURE;
    }
    if files.is_empty() {
        eprintln!("formatfloor: no .rs file under {dir}");
        return ExitCode::FAILURE;
    }
    let (mut parse, mut print, mut total) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let tokens: Vec<proc_macro2::TokenStream> = match files.iter().map(|f| f.parse()).collect()
        {
            Ok(tokens) => tokens,
            Err(e) => {
                eprintln!("formatfloor: a file does not lex: {e}");
                return ExitCode::FAILURE;
            }
        };
        let start = Instant::now();
        let parsed: Vec<syn::File> = match tokens.into_iter().map(syn::parse2).collect() {
            Ok(parsed) => parsed,
            Err(e) => {
                eprintln!("formatfloor: a file does not parse: {e}");
                return ExitCode::FAILURE;
            }
        };
        let parsed_at = Instant::now();
        let bytes: usize = parsed.iter().map(|f| prettyplease::unparse(f).len()).sum();
        let printed_at = Instant::now();
        drop(parsed);
        let dropped_at = Instant::now();
        std::hint::black_box(bytes);
        parse.push(parsed_at - start);
        print.push(printed_at - parsed_at);
        total.push(dropped_at - start);
    }
    println!(
        "median_s={:.6} parse_s={:.6} print_s={:.6} files={}",
        median(total),
        median(parse),
        median(print),
        files.len()
    );
    ExitCode::SUCCESS
}
