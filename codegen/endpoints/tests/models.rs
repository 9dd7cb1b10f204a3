//! Runs every endpoint test case of every AWS model in the shared models
//! directory and requires all of them to pass.

use std::path::Path;

use smithgen_endpoints::tests_runner::run_model_tests;

const MODELS_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/models/aws-2026"
);

/// Every model of the directory and its number of endpoint test cases (as
/// the model files hold them), so that a model or a case that goes missing
/// fails here.
const EXPECTED_PER_MODEL: &[(&str, usize)] = &[
    ("bedrock-runtime.json", 21),
    ("codecatalyst.json", 9),
    ("cognito-identity-provider.json", 57),
    ("dynamodb.json", 370),
    ("glacier.json", 50),
    ("iam.json", 26),
    ("kms.json", 68),
    ("lambda.json", 71),
    ("polly.json", 45),
    ("route-53.json", 26),
    ("s3.json", 393),
    ("secretsmanager.json", 49),
    ("sns.json", 49),
    ("sqs.json", 48),
    ("sts.json", 69),
];
const TOTAL_CASES: usize = 1351;

#[test]
fn every_model_endpoint_test_case_passes() {
    let dir = Path::new(MODELS_DIR);
    assert!(
        dir.is_dir(),
        "the shared AWS models directory is missing: {} (expected ../shared/models/aws-2026 beside the project root)",
        dir.display()
    );
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no model files in {}", dir.display());

    let mut total = 0;
    let mut passed_total = 0;
    let mut failures = Vec::new();
    let mut counts = Vec::new();
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let model: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
        let results = run_model_tests(&model).unwrap_or_else(|e| panic!("{name}: {e}"));
        let passed = results.iter().filter(|r| r.passed).count();
        println!(
            "{name}: {passed}/{} endpoint test cases pass",
            results.len()
        );
        for r in results.iter().filter(|r| !r.passed) {
            println!("  FAILED [{name}] {}: {}", r.documentation, r.detail);
            failures.push(format!("[{name}] {}", r.documentation));
        }
        total += results.len();
        passed_total += passed;
        counts.push((name, results.len()));
    }
    println!("total: {passed_total}/{total} endpoint test cases pass");

    assert!(
        failures.is_empty(),
        "{} endpoint test case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let expected: Vec<(String, usize)> = EXPECTED_PER_MODEL
        .iter()
        .map(|(name, n)| (name.to_string(), *n))
        .collect();
    assert_eq!(counts, expected, "models and their endpoint test cases");
    assert_eq!(total, TOTAL_CASES, "endpoint test cases across all models");
}
