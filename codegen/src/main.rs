//! The `smithgen` command: generate (or check) a Rust SDK crate from Smithy JSON AST models.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Generates a Rust SDK crate from Smithy 2.0 JSON AST models.
///
/// With no arguments, regenerates `generated/` from every `.json` file in `model/`
/// (paths relative to the current directory).
#[derive(Debug, Parser)]
#[command(name = "smithgen", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// A model file (Smithy 2.0 JSON AST); repeat to merge several. Default: every `.json` file in `model/`.
    #[arg(long, value_name = "FILE")]
    model: Vec<PathBuf>,

    /// The directory of the generated crate.
    #[arg(long, value_name = "DIR", default_value = "generated")]
    out: PathBuf,

    /// Generate only this operation and the shapes it needs; repeatable. Default: every operation.
    #[arg(long, value_name = "NAME")]
    operation: Vec<String>,

    /// The service to generate when the model holds several (`namespace#Name` or `Name`).
    #[arg(long, value_name = "ID")]
    service: Option<String>,

    /// The generated crate's package name. Default: the service's sdkId in lowercase.
    #[arg(long, value_name = "NAME")]
    crate_name: Option<String>,

    /// Also generate the model's protocol compliance tests (smithy.test traits) as a test module.
    #[arg(long)]
    protocol_tests: bool,

    /// Also generate the service's endpoint test cases (smithy.rules#endpointTests) as a test module.
    #[arg(long)]
    endpoint_tests: bool,

    /// Also generate tests that every @sensitive member (and the credentials) never shows in Debug or Display.
    #[arg(long)]
    redaction_tests: bool,

    /// The runtime version requirement the generated Cargo.toml names. Default: this smithgen's own version.
    #[arg(long, value_name = "REQ", conflicts_with_all = ["runtime_path", "runtime_git"])]
    runtime_version: Option<String>,

    /// Depend on a local copy of the runtime crate instead (a relative path is taken from the current directory and written relative to --out).
    #[arg(long, value_name = "DIR", conflicts_with = "runtime_git")]
    runtime_path: Option<PathBuf>,

    /// Depend on the runtime crate from a git repository instead.
    #[arg(long, value_name = "URL")]
    runtime_git: Option<String>,

    /// With --runtime-git: the commit, tag or branch to use.
    #[arg(long, value_name = "REV", requires = "runtime_git")]
    runtime_rev: Option<String>,

    /// Write nothing; exit non-zero and list the files that differ if the output is stale.
    #[arg(long)]
    check: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compare two versions of a model as changes to the generated Rust API.
    ///
    /// Each change to an operation, type or error is marked breaking or not,
    /// with the reason. Exit status: 0 when nothing breaks callers, 1 when
    /// something does, 2 on an error.
    Diff {
        /// The old version's model files (`--old a.json b.json` or repeated).
        #[arg(long, value_name = "FILE", required = true, num_args = 1..)]
        old: Vec<PathBuf>,

        /// The new version's model files.
        #[arg(long, value_name = "FILE", required = true, num_args = 1..)]
        new: Vec<PathBuf>,

        /// Compare only this operation and the shapes it needs; repeatable.
        #[arg(long, value_name = "NAME")]
        operation: Vec<String>,

        /// The service, when the models hold several (`namespace#Name` or `Name`).
        #[arg(long, value_name = "ID")]
        service: Option<String>,

        /// `human` (default) or `json`.
        #[arg(long, value_name = "FORMAT", default_value = "human")]
        format: DiffFormat,

        /// Also list the changes to documentation only (always counted).
        #[arg(long)]
        docs: bool,
    },
    /// Run every endpoint test case (smithy.rules#endpointTests) of the models
    /// against the endpoint rules engine; exit non-zero if any fails.
    EndpointTests {
        /// Model files (`--model a.json b.json` or `--model a.json --model b.json`).
        #[arg(long, value_name = "FILE", required = true, num_args = 1..)]
        model: Vec<PathBuf>,

        /// A partition table (the format of the public AWS partitions table) for
        /// `aws.partition` to answer from, instead of the built-in one.
        #[arg(long, value_name = "FILE")]
        partitions: Option<PathBuf>,
    },
}

/// How `smithgen diff` writes its report.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum DiffFormat {
    Human,
    Json,
}

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    let result = match cli.command.take() {
        Some(Command::EndpointTests { model, partitions }) => {
            endpoint_tests(&model, partitions.as_deref())
        }
        Some(Command::Diff {
            old,
            new,
            operation,
            service,
            format,
            docs,
        }) => diff(&old, &new, &operation, service, format, docs),
        None => run(cli),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("smithgen: error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Compares two versions of a model and prints the report: exit status 0
/// when nothing breaks callers, 1 when something does.
fn diff(
    old: &[PathBuf],
    new: &[PathBuf],
    operations: &[String],
    service: Option<String>,
    format: DiffFormat,
    docs: bool,
) -> Result<ExitCode, String> {
    let mut diff = smithgen::diff::Diff::new();
    for model in old {
        diff.old_model(model);
    }
    for model in new {
        diff.new_model(model);
    }
    for op in operations {
        diff.operation(op);
    }
    if let Some(service) = service {
        diff.service(service);
    }
    let report = diff.run().map_err(|e| e.to_string())?;
    match format {
        DiffFormat::Human => print!("{}", report.human(docs)),
        DiffFormat::Json => println!("{:#}", report.to_json(docs)),
    }
    Ok(if report.is_breaking() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    let models = if cli.model.is_empty() {
        default_models()?
    } else {
        cli.model
    };
    let mut config = smithgen::Config::new();
    for model in &models {
        config.model(model);
    }
    for op in &cli.operation {
        config.operation(op);
    }
    if let Some(service) = &cli.service {
        config.service(service);
    }
    if let Some(name) = &cli.crate_name {
        config.crate_name(name);
    }
    config.protocol_tests(cli.protocol_tests);
    config.endpoint_tests(cli.endpoint_tests);
    config.redaction_tests(cli.redaction_tests);
    if let Some(version) = cli.runtime_version {
        config.runtime_dependency(smithgen::RuntimeDependency::Version(version));
    } else if let Some(path) = cli.runtime_path {
        config.runtime_dependency(smithgen::RuntimeDependency::Path(path));
    } else if let Some(url) = cli.runtime_git {
        config.runtime_dependency(smithgen::RuntimeDependency::Git {
            url,
            rev: cli.runtime_rev,
        });
    }
    if cli.check {
        let stale = config.check_crate(&cli.out).map_err(|e| e.to_string())?;
        if stale.is_empty() {
            println!("{} is up to date", cli.out.display());
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "{} is stale; these files differ from what the model gives (run smithgen to regenerate):",
            cli.out.display()
        );
        for path in stale {
            eprintln!("  {}", cli.out.join(path).display());
        }
        return Ok(ExitCode::from(1));
    }
    let report = config.write_crate(&cli.out).map_err(|e| e.to_string())?;
    println!(
        "{}: {} written, {} unchanged, {} removed",
        cli.out.display(),
        report.written.len(),
        report.unchanged.len(),
        report.removed.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs the endpoint test cases of each model and prints a summary.
fn endpoint_tests(models: &[PathBuf], partitions: Option<&Path>) -> Result<ExitCode, String> {
    let partitions = partitions
        .map(|path| {
            let read = |path: &Path| -> Result<_, String> {
                let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
                let json = serde_json::from_str(&text).map_err(|e| format!("invalid JSON: {e}"))?;
                smithgen_endpoints::PartitionTable::from_json(&json)
                    .map_err(|e| format!("not a partition table: {e}"))
            };
            read(path)
                .map(std::sync::Arc::new)
                .map_err(|e| format!("{}: {e}", path.display()))
        })
        .transpose()?;
    let (mut passed, mut failed) = (0usize, 0usize);
    for path in models {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let json: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| format!("{}: invalid JSON: {e}", path.display()))?;
        let results =
            smithgen_endpoints::tests_runner::run_model_tests_with(&json, partitions.as_ref())
                .map_err(|e| format!("{}: {e}", path.display()))?;
        let ok = results.iter().filter(|r| r.passed).count();
        println!(
            "{}: {ok} of {} endpoint test cases passed",
            path.display(),
            results.len()
        );
        for failure in results.iter().filter(|r| !r.passed) {
            println!("  FAILED {}: {}", failure.documentation, failure.detail);
        }
        passed += ok;
        failed += results.len() - ok;
    }
    println!("endpoint-tests: {passed} passed, {failed} failed");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Every `.json` file in `model/`, sorted.
fn default_models() -> Result<Vec<PathBuf>, String> {
    let dir = PathBuf::from("model");
    let entries = std::fs::read_dir(&dir)
        .map_err(|e| format!("no --model given and {} cannot be read: {e}", dir.display()))?;
    let mut models: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    models.sort();
    if models.is_empty() {
        return Err(format!(
            "no --model given and {} has no .json files",
            dir.display()
        ));
    }
    Ok(models)
}
