//! Times a command: the median wall time of several runs.
//!
//! ```text
//! timeit [--runs N] [--warmup K] [--prepare SHELL-COMMAND] -- PROGRAM [ARGS...]
//! ```
//!
//! Before every run (warm-up runs included) the `--prepare` command runs
//! through `sh -c`, untimed; then PROGRAM runs with its output captured and
//! only its own wall time is measured. A failing run fails the whole
//! measurement and prints the program's output. The result is one line on
//! stdout, `median_s=… min_s=… max_s=… runs=…`; each run's time goes to
//! stderr.

use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

struct Options {
    runs: usize,
    warmup: usize,
    prepare: Option<String>,
    program: Vec<String>,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        runs: 5,
        warmup: 0,
        prepare: None,
        program: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => options.runs = number(args.next(), "--runs")?,
            "--warmup" => options.warmup = number(args.next(), "--warmup")?,
            "--prepare" => {
                options.prepare = Some(args.next().ok_or("--prepare needs a command")?);
            }
            "--" => {
                options.program = args.collect();
                break;
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if options.program.is_empty() {
        return Err("no program to time (give it after `--`)".into());
    }
    if options.runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    Ok(options)
}

fn number(value: Option<String>, flag: &str) -> Result<usize, String> {
    value
        .ok_or(format!("{flag} needs a number"))?
        .parse()
        .map_err(|e| format!("{flag}: {e}"))
}

fn prepare(command: &str) -> Result<(), String> {
    let status = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("--prepare: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("--prepare `{command}` failed: {status}"))
    }
}

/// Runs the program once; its wall time in seconds.
fn run_once(program: &[String]) -> Result<f64, String> {
    let start = Instant::now();
    let output = Command::new(&program[0])
        .args(&program[1..])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{}: {e}", program[0]))?;
    let elapsed = start.elapsed().as_secs_f64();
    if !output.status.success() {
        return Err(format!(
            "`{}` failed: {}\n--- stdout\n{}\n--- stderr\n{}",
            program.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(elapsed)
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("timeit: {message}");
            return ExitCode::from(2);
        }
    };
    let mut times = Vec::with_capacity(options.runs);
    for i in 0..options.warmup + options.runs {
        if let Some(command) = &options.prepare {
            if let Err(message) = prepare(command) {
                eprintln!("timeit: {message}");
                return ExitCode::FAILURE;
            }
        }
        match run_once(&options.program) {
            Ok(seconds) if i >= options.warmup => {
                eprintln!("timeit: run {}: {seconds:.4} s", times.len() + 1);
                times.push(seconds);
            }
            Ok(seconds) => eprintln!("timeit: warm-up: {seconds:.4} s"),
            Err(message) => {
                eprintln!("timeit: {message}");
                return ExitCode::FAILURE;
            }
        }
    }
    let min = times.iter().copied().fold(f64::INFINITY, f64::min);
    let max = times.iter().copied().fold(0.0, f64::max);
    let median = smithgen_bench::median(&mut times);
    println!(
        "median_s={median:.6} min_s={min:.6} max_s={max:.6} runs={}",
        times.len()
    );
    ExitCode::SUCCESS
}
