//! Hostile models. Whatever bytes a model file holds, smithgen either
//! generates code or returns an error that names the problem (file, shape,
//! member, JSON path), and the command exits with code 2: never a panic, a
//! hang or unbounded output. No text in a model (documentation, trait values,
//! enum values, names) can end a doc comment, a string or an attribute of the
//! generated code: every generated file is parsed back, and the injected code
//! must not appear among its tokens.

use std::collections::BTreeMap;
use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;
use std::time::{Duration, Instant};

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use serde_json::{json, Value};
use smithgen::ir::{RustType, TypeDef};

fn obstacle_course() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/models/obstacle-course.json")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smithgen-hostile-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).expect("write model");
    path
}

/// Generates a whole crate from one model file, with the protocol and
/// endpoint test modules, writing nothing.
fn generate(model: &Path) -> Result<smithgen::GeneratedCrate, smithgen::Error> {
    smithgen::Config::new()
        .model(model)
        .protocol_tests(true)
        .endpoint_tests(true)
        .generate_crate(&model.with_extension("out"))
}

fn error_text(model: &Path) -> String {
    match generate(model) {
        Ok(_) => panic!("{} generated, but should not", model.display()),
        Err(e) => e.to_string(),
    }
}

/// What running the generator on one input came to.
enum Outcome {
    Generated(smithgen::GeneratedCrate),
    Rejected(smithgen::Error),
    Panicked(String),
}

fn run_caught(model: &Path) -> Outcome {
    match catch_unwind(AssertUnwindSafe(|| generate(model))) {
        Ok(Ok(generated)) => Outcome::Generated(generated),
        Ok(Err(e)) => Outcome::Rejected(e),
        Err(panic) => Outcome::Panicked(
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default(),
        ),
    }
}

fn smithgen_cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_smithgen"))
        .args(args)
        .output()
        .expect("run smithgen")
}

// ---------------------------------------------------------------------------
// Token-level checks of generated files
// ---------------------------------------------------------------------------

/// Identifiers every payload tries to smuggle in as code.
const INJECTED: &[&str] = &[
    "injected",
    "injected_pre",
    "in_a_fence",
    "indented_code_block",
];

/// Characters that must never reach a generated file as they are: they end a
/// `///` line early, or make it read differently (rustc rejects them).
fn is_forbidden_char(c: char) -> bool {
    matches!(
        c,
        '\r' | '\u{0}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
    )
}

#[derive(Default)]
struct Tokens {
    idents: Vec<String>,
    /// Values of string literals, doc comments included.
    strings: Vec<String>,
    /// Attributes as text (`cfg (test)`), outer and inner.
    attributes: Vec<String>,
}

fn collect(tokens: TokenStream, out: &mut Tokens) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) => out.idents.push(ident.to_string()),
            TokenTree::Literal(literal) => {
                if let syn::Lit::Str(s) = syn::Lit::new(literal.clone()) {
                    out.strings.push(s.value());
                }
            }
            TokenTree::Group(group) => {
                let after_hash = match i.checked_sub(1).map(|j| &trees[j]) {
                    Some(TokenTree::Punct(p)) if p.as_char() == '#' => true,
                    Some(TokenTree::Punct(p)) if p.as_char() == '!' => {
                        matches!(i.checked_sub(2).map(|j| &trees[j]), Some(TokenTree::Punct(p)) if p.as_char() == '#')
                    }
                    _ => false,
                };
                if after_hash && group.delimiter() == Delimiter::Bracket {
                    out.attributes.push(group.stream().to_string());
                }
                collect(group.stream(), out);
            }
            TokenTree::Punct(_) => {}
        }
    }
}

/// Parses every generated Rust file (with syn, and as tokens) and checks that
/// no payload became code: no injected identifier, no attribute but the
/// generator's own, no forbidden character. Returns the tokens of all files.
fn assert_no_injection(files: &BTreeMap<PathBuf, String>) -> Tokens {
    let mut all = Tokens::default();
    for (path, text) in files {
        let name = path.display();
        if let Some(c) = text.chars().find(|c| is_forbidden_char(*c)) {
            panic!("{name} holds the character {c:?}");
        }
        if path.extension().is_some_and(|e| e == "toml") {
            for line in text.lines() {
                assert!(
                    line.is_empty() || line.starts_with(['#', '[']) || line.contains(" = "),
                    "{name}: a model value broke out of its TOML string: {line:?}"
                );
                assert!(!line.starts_with("[injected"), "{name}: {line:?}");
            }
            continue;
        }
        if let Err(e) = syn::parse_file(text) {
            panic!("{name} is not Rust: {e}");
        }
        let tokens = TokenStream::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut file = Tokens::default();
        collect(tokens, &mut file);
        for bad in INJECTED {
            assert!(
                !file.idents.iter().any(|i| i == bad),
                "{name}: `{bad}` is an identifier, so model text became code"
            );
        }
        for attribute in &file.attributes {
            let compact = attribute.replace(' ', "");
            let head = compact.split(['(', '=']).next().unwrap_or("");
            if head == "doc" {
                continue;
            }
            assert!(
                [
                    "doc",
                    "derive",
                    "inline",
                    "non_exhaustive",
                    "allow",
                    "warn",
                    "cfg",
                    "cfg_attr",
                    "test",
                    "ignore",
                    "tokio",
                ]
                .iter()
                .any(|known| head.ends_with(known)),
                "{name}: unexpected attribute #[{attribute}]"
            );
            if head == "cfg" {
                assert_eq!(attribute, "cfg (test)", "{name}");
            }
            assert!(
                !attribute.contains("warnings") && !attribute.contains("any ()"),
                "{name}: #[{attribute}]"
            );
        }
        all.idents.extend(file.idents);
        all.strings.extend(file.strings);
        all.attributes.extend(file.attributes);
    }
    all
}

// ---------------------------------------------------------------------------
// The obstacle course
// ---------------------------------------------------------------------------

#[test]
fn obstacle_course_generates_code_where_every_payload_stays_text() {
    let generated = generate(&obstacle_course()).unwrap_or_else(|e| panic!("{e}"));
    let tokens = assert_no_injection(&generated.files);
    // The enum values reach the code intact, as string literals.
    for value in [
        "*/ #[cfg(any())] fn injected() {} /*",
        "he said \"hi\" \\ */ '",
        "line\nbreak\r\n\ttab \u{0} nul",
        "\u{202e}evil\u{202c} \u{2066}x\u{2069}",
        "ünïcødé 🚀 日本語",
    ] {
        assert!(
            tokens.strings.iter().any(|s| s == value),
            "enum value {value:?} is not a string literal of the output"
        );
    }
    // So does a hostile default.
    assert!(tokens
        .strings
        .iter()
        .any(|s| s.starts_with("*/ \"quoted\" \\ #[cfg(any())] fn injected() {}")));
    // Documentation is text: its payloads are in doc strings, never code.
    assert!(tokens
        .strings
        .iter()
        .any(|s| s.contains("#\\[cfg(any())\\] fn injected() {}")));
}

#[test]
fn obstacle_course_names() {
    let service = smithgen::Config::new()
        .model(obstacle_course())
        .lower()
        .unwrap_or_else(|e| panic!("{e}"));
    let modules: Vec<&str> = service
        .operations
        .iter()
        .map(|o| o.module.as_str())
        .collect();
    for module in [
        "config_operation",
        "from_conf_operation",
        "get_foo_bar",
        "get_foo_bar_2",
        "r#type",
        "r#match",
        "super_",
        "ok",
        "none",
    ] {
        assert!(modules.contains(&module), "{module} in {modules:?}");
    }
    let types: Vec<&str> = service.types.iter().map(TypeDef::name).collect();
    for name in [
        "Option",
        "Result",
        "String",
        "Box",
        "Vec",
        "Send",
        "Client",
        "Config",
        "BuildersValue",
        "SelfValue",
        "FooBar",
        "FooBar2",
        "HttpServer",
        "HttpServer2",
        "OtherWidget",
        "Unknown",
        "Unhandled",
    ] {
        assert!(types.contains(&name), "{name} in {types:?}");
    }
    let errors: Vec<&str> = service.errors.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        errors,
        [
            "BadThingException",
            "BadThingException2",
            "Error",
            "Generic",
            "SlowDown",
            "UnhandledValue",
            "ValidationException"
        ]
    );
    let tricky = service
        .types
        .iter()
        .find_map(|t| match t {
            TypeDef::Enum(e) if e.name == "Tricky" => Some(e),
            _ => None,
        })
        .expect("Tricky");
    let variants: Vec<(&str, &str)> = tricky
        .values
        .iter()
        .map(|v| (v.value.as_str(), v.variant.as_str()))
        .collect();
    for pair in [
        ("Unknown", "UnknownValue2"),
        ("UNKNOWN", "UnknownValue"),
        ("Self", "SelfValue"),
        ("a-b", "AB"),
        ("a_b", "AB2"),
        ("A B", "AB3"),
        ("1st", "_1stPlace"),
    ] {
        assert!(variants.contains(&pair), "{pair:?} in {variants:?}");
    }
}

#[test]
fn recursive_shapes_are_boxed_where_they_must_be() {
    let service = smithgen::Config::new()
        .model(obstacle_course())
        .lower()
        .unwrap_or_else(|e| panic!("{e}"));
    let boxed = |ty: &str, member: &str| -> bool {
        for t in &service.types {
            match t {
                TypeDef::Struct(s) if s.name == ty => {
                    if let Some(f) = s.fields.iter().find(|f| f.wire_name == member) {
                        return f.boxed;
                    }
                }
                TypeDef::Union(u) if u.name == ty => {
                    if let Some(v) = u.variants.iter().find(|v| v.wire_name == member) {
                        return v.boxed;
                    }
                }
                _ => {}
            }
        }
        panic!("no member {ty}.{member}")
    };
    // Direct, mutual, through a union, through a required member.
    for (ty, member) in [
        ("Node", "next"),
        ("Node", "ping"),
        ("Ping", "pong"),
        ("Pong", "ping"),
        ("Expr", "not"),
        ("Expr", "holder"),
        ("ExprHolder", "expr"),
        ("Wrapper", "node"),
    ] {
        assert!(boxed(ty, member), "{ty}.{member} must be boxed");
    }
    // Lists and maps already allocate.
    for (ty, member) in [
        ("Node", "children"),
        ("Node", "byName"),
        ("Expr", "and"),
        ("Expr", "or"),
        ("Ping", "pongs"),
        ("Expr", "literal"),
    ] {
        assert!(!boxed(ty, member), "{ty}.{member} need not be boxed");
    }
    let node = service
        .types
        .iter()
        .find_map(|t| match t {
            TypeDef::Struct(s) if s.name == "Node" => Some(s),
            _ => None,
        })
        .expect("Node");
    let children = node.fields.iter().find(|f| f.wire_name == "children");
    assert!(matches!(
        children.map(|f| &f.ty),
        Some(RustType::List { .. })
    ));
}

// ---------------------------------------------------------------------------
// Crafted injection models
// ---------------------------------------------------------------------------

/// Texts that try to close a doc comment, a string or an attribute.
const PAYLOADS: &[&str] = &[
    "*/ #[cfg(any())] fn injected() {} /*",
    "\"); fn injected() { (\"",
    "\\\"); } fn injected() {} //",
    "\n#[cfg(any())]\nfn injected() {}\n",
    "\r#[cfg(any())] fn injected() {}\r",
    "/// doc\n//! inner\n/** block */ fn injected() {}",
    "\u{0}\u{7}\u{1b}[31m fn injected() {} \u{0}1",
    "\u{202e} fn injected() {} \u{2066}\u{2069}\u{2028}",
    "'\"#]]}}) ; fn injected() {} r#\" \"#",
    "<script>fn injected() {}</script><pre>*/\n```\nfn injected() {}\n```</pre><code>*/</code>",
    "#![allow(warnings)] #[cfg(any())] mod injected {}",
    "\\u{0} \\x00 \\n \\\\ \\' \\\"",
    "\n[injected]\nname = \"injected\"\n",
];

/// A model that puts `payload` everywhere model text reaches the output.
fn payload_model(payload: &str) -> Value {
    let label_free = payload.replace(['{', '}'], "");
    // The payload as a JMESPath raw string.
    let raw = format!("'{}'", payload.replace('\\', "\\\\").replace('\'', "\\'"));
    let doc = json!({"smithy.api#documentation": payload});
    json!({
        "smithy": "2.0",
        "shapes": {
            "inj#Svc": {
                "type": "service",
                "version": payload,
                "operations": [{"target": "inj#Op"}],
                "traits": {
                    "aws.api#service": {"sdkId": payload, "endpointPrefix": payload},
                    "aws.auth#sigv4": {"name": payload},
                    "aws.protocols#awsJson1_0": {},
                    "smithy.api#title": payload,
                    "smithy.api#documentation": payload,
                    "smithy.rules#endpointRuleSet": {
                        "version": "1.0",
                        "parameters": {
                            "Region": {"builtIn": "AWS::Region", "type": "String", "documentation": payload},
                            "Endpoint": {"builtIn": "SDK::Endpoint", "type": "String", "documentation": payload}
                        },
                        "rules": [
                            {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
                             "endpoint": {"url": {"ref": "Endpoint"}}, "type": "endpoint"},
                            {"conditions": [], "error": payload, "type": "error"}
                        ]
                    },
                    "smithy.rules#endpointTests": {
                        "version": "1.0",
                        "testCases": [
                            {"documentation": payload, "params": {"Endpoint": format!("https://x.example/{payload}")},
                             "expect": {"endpoint": {"url": format!("https://x.example/{payload}")}}},
                            {"documentation": payload, "params": {},
                             "expect": {"error": payload}}
                        ]
                    }
                }
            },
            "inj#Op": {
                "type": "operation",
                "input": {"target": "inj#In"},
                "output": {"target": "inj#Out"},
                "errors": [{"target": "inj#Oops"}],
                "traits": {
                    "smithy.api#documentation": payload,
                    "smithy.api#endpoint": {"hostPrefix": format!("{label_free}.")},
                    "smithy.waiters#waitable": {"Ready": {
                        "documentation": payload,
                        "acceptors": [
                            {"state": "success", "matcher": {"output": {
                                "path": "text", "expected": payload, "comparator": "stringEquals"}}},
                            {"state": "failure", "matcher": {"output": {
                                "path": format!("text == {raw}"), "expected": "true",
                                "comparator": "booleanEquals"}}},
                            // (A `#` would make it a shape id, with a name after it.)
                            {"state": "retry", "matcher": {"errorType": payload.replace('#', "")}}
                        ]
                    }},
                    "smithy.rules#staticContextParams": {"Region": {"value": payload}},
                    "smithy.test#httpRequestTests": [{
                        "id": payload, "documentation": payload, "protocol": "aws.protocols#awsJson1_0",
                        "method": "POST", "uri": payload, "body": payload,
                        "headers": {"X-Payload": payload},
                        "params": {"text": payload, "choice": payload}
                    }],
                    "smithy.test#httpResponseTests": [{
                        "id": "response", "documentation": payload, "protocol": "aws.protocols#awsJson1_0",
                        "code": 200, "body": "{}", "params": {}
                    }]
                }
            },
            "inj#In": {
                "type": "structure",
                "traits": doc,
                "members": {
                    "text": {"target": "smithy.api#String", "traits": {
                        "smithy.api#documentation": payload,
                        "smithy.api#jsonName": payload,
                        "smithy.api#default": payload,
                        "smithy.api#pattern": payload
                    }},
                    "choice": {"target": "inj#Choice", "traits": doc},
                    "legacy": {"target": "inj#Legacy"},
                    "document": {"target": "smithy.api#Document", "traits": {
                        "smithy.api#default": {payload: [payload, {payload: null}]}
                    }},
                    "union": {"target": "inj#Union"},
                    "list": {"target": "inj#List"},
                    "map": {"target": "inj#Map"}
                }
            },
            "inj#Out": {"type": "structure", "members": {
                "text": {"target": "smithy.api#String", "traits": doc},
                "defaulted": {"target": "smithy.api#String", "traits": {"smithy.api#default": payload}},
                "document": {"target": "smithy.api#Document", "traits": {
                    "smithy.api#default": {payload: [payload, {payload: null}]}
                }}
            }},
            "inj#Oops": {
                "type": "structure",
                "traits": {"smithy.api#error": "client", "smithy.api#documentation": payload},
                "members": {"message": {"target": "smithy.api#String", "traits": doc}}
            },
            "inj#Choice": {
                "type": "enum",
                "traits": doc,
                "members": {
                    "A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": payload, "smithy.api#documentation": payload}},
                    "B": {"target": "smithy.api#Unit"}
                }
            },
            "inj#Legacy": {
                "type": "string",
                "traits": {"smithy.api#enum": [
                    {"value": payload, "documentation": payload},
                    {"value": format!("{payload}2"), "name": payload}
                ]}
            },
            "inj#Union": {
                "type": "union",
                "traits": doc,
                "members": {"a": {"target": "smithy.api#String", "traits": doc}, "b": {"target": "smithy.api#Unit", "traits": doc}}
            },
            "inj#List": {"type": "list", "member": {"target": "inj#Choice", "traits": doc}, "traits": doc},
            "inj#Map": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "inj#Legacy"}, "traits": doc}
        }
    })
}

#[test]
fn crafted_payloads_never_become_code() {
    let dir = scratch("payloads");
    for (i, payload) in PAYLOADS.iter().enumerate() {
        let model = write(
            &dir,
            &format!("payload-{i}.json"),
            payload_model(payload).to_string(),
        );
        let generated =
            generate(&model).unwrap_or_else(|e| panic!("payload {payload:?} was rejected: {e}"));
        let tokens = assert_no_injection(&generated.files);
        for expected in [payload.to_string(), format!("{payload}2")] {
            assert!(
                tokens.strings.contains(&expected),
                "enum value {expected:?} is not a string literal of the output"
            );
        }
        assert!(
            generated
                .crate_name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && !generated.crate_name.is_empty(),
            "crate name {:?}",
            generated.crate_name
        );
    }
    fs::remove_dir_all(&dir).expect("clean up");
}

// ---------------------------------------------------------------------------
// Hostile models that must be rejected, each error naming what is wrong
// ---------------------------------------------------------------------------

fn service_with(shapes: Value) -> String {
    let mut all = json!({
        "ex#Svc": {"type": "service", "operations": [{"target": "ex#Op"}],
                   "traits": {"aws.protocols#awsJson1_1": {}}},
        "ex#Op": {"type": "operation", "input": {"target": "ex#In"}},
        "ex#In": {"type": "structure", "members": {"name": {"target": "smithy.api#String"}}}
    });
    if let (Some(all), Value::Object(more)) = (all.as_object_mut(), shapes) {
        all.extend(more);
    }
    json!({"smithy": "2.0", "shapes": all}).to_string()
}

#[test]
fn hostile_models_are_rejected_with_errors_that_name_the_problem() {
    let mut cases: Vec<(&str, String, Vec<&str>)> = vec![
        (
            "invalid JSON",
            "{ \"smithy\": \"2.0\", ".to_owned(),
            vec!["invalid JSON"],
        ),
        (
            "not UTF-8",
            String::new(),
            vec!["cannot read the model file"],
        ),
        ("empty file", String::new(), vec!["invalid JSON"]),
        (
            "top level array",
            "[]".to_owned(),
            vec!["must be a JSON object", "(at $)"],
        ),
        (
            "no version",
            "{}".to_owned(),
            vec!["`smithy` version", "(at $)"],
        ),
        (
            "version is a number",
            "{\"smithy\": 2}".to_owned(),
            vec!["must be a string", "$.smithy"],
        ),
        (
            "shapes is an array",
            "{\"smithy\": \"2.0\", \"shapes\": []}".to_owned(),
            vec!["`shapes` must be an object", "$.shapes"],
        ),
        (
            "member target is a number",
            service_with(json!({"ex#In": {"type": "structure", "members": {"a": {"target": 7}}}})),
            vec![
                "ex#In",
                "member `a`",
                "must be a string",
                "$.shapes[\"ex#In\"].members.a.target",
            ],
        ),
        (
            "traits is an array",
            service_with(json!({"ex#In": {"type": "structure", "traits": []}})),
            vec![
                "ex#In",
                "`traits` must be an object",
                "$.shapes[\"ex#In\"].traits",
            ],
        ),
        (
            "operation input is a string",
            service_with(json!({"ex#Op": {"type": "operation", "input": "ex#In"}})),
            vec!["ex#Op", "must be an object", "$.shapes[\"ex#Op\"].input"],
        ),
        (
            "documentation is a number",
            service_with(json!({"ex#In": {"type": "structure", "members": {
                "a": {"target": "smithy.api#String", "traits": {"smithy.api#documentation": 1}}}}})),
            vec![
                "ex#In",
                "member `a`",
                "smithy.api#documentation",
                "must be a string",
            ],
        ),
        (
            "service operations is an object",
            service_with(json!({"ex#Svc": {"type": "service", "operations": {}}})),
            vec![
                "ex#Svc",
                "must be an array",
                "$.shapes[\"ex#Svc\"].operations",
            ],
        ),
        (
            "unknown shape type",
            service_with(json!({"ex#Thing": {"type": "widget"}})),
            vec![
                "ex#Thing",
                "unknown shape type `widget`",
                "$.shapes[\"ex#Thing\"].type",
            ],
        ),
        (
            "dangling target",
            service_with(
                json!({"ex#In": {"type": "structure", "members": {"a": {"target": "ex#Missing"}}}}),
            ),
            vec!["ex#In", "member `a`", "ex#Missing", "does not exist"],
        ),
        (
            "malformed shape id",
            service_with(json!({"ex#Bad-Name": {"type": "string"}})),
            vec!["ex#Bad-Name", "malformed shape id"],
        ),
        (
            "malformed target id",
            service_with(
                json!({"ex#In": {"type": "structure", "members": {"a": {"target": "no-namespace"}}}}),
            ),
            vec!["ex#In", "member `a`", "malformed shape id `no-namespace`"],
        ),
        (
            "members differ only in case",
            service_with(json!({"ex#In": {"type": "structure", "members": {
                "fooBar": {"target": "smithy.api#String"}, "FooBar": {"target": "smithy.api#String"}}}})),
            vec!["ex#In", "FooBar", "differ only in case"],
        ),
        (
            "mixin cycle",
            service_with(json!({
                "ex#A": {"type": "structure", "mixins": [{"target": "ex#B"}], "traits": {"smithy.api#mixin": {}}},
                "ex#B": {"type": "structure", "mixins": [{"target": "ex#A"}], "traits": {"smithy.api#mixin": {}}}
            })),
            vec!["ex#", "cycle"],
        ),
        (
            "member name with a dash",
            service_with(
                json!({"ex#In": {"type": "structure", "members": {"a-b": {"target": "smithy.api#String"}}}}),
            ),
            vec!["ex#In", "member name `a-b` is not a valid identifier"],
        ),
        (
            "member name with a leading digit",
            service_with(
                json!({"ex#In": {"type": "structure", "members": {"1st": {"target": "smithy.api#String"}}}}),
            ),
            vec!["ex#In", "`1st` is not a valid identifier"],
        ),
        (
            "member name that is not ASCII",
            service_with(
                json!({"ex#In": {"type": "structure", "members": {"日本": {"target": "smithy.api#String"}}}}),
            ),
            vec!["ex#In", "`日本` is not a valid identifier"],
        ),
        (
            "empty member name",
            service_with(
                json!({"ex#In": {"type": "structure", "members": {"": {"target": "smithy.api#String"}}}}),
            ),
            vec!["ex#In", "is not a valid identifier"],
        ),
        (
            "member name closing a comment",
            service_with(
                json!({"ex#In": {"type": "structure", "members": {"*/fn": {"target": "smithy.api#String"}}}}),
            ),
            vec!["ex#In", "`*/fn` is not a valid identifier"],
        ),
        (
            "no service",
            json!({"smithy": "2.0", "shapes": {"ex#A": {"type": "string"}}}).to_string(),
            vec!["no service shape"],
        ),
        (
            "unsupported protocol",
            service_with(
                json!({"ex#Svc": {"type": "service", "traits": {"aws.protocols#restXml": {}}}}),
            ),
            vec!["ex#Svc", "protocol is not supported"],
        ),
        (
            "duplicate enum values",
            service_with(json!({
                "ex#In": {"type": "structure", "members": {"e": {"target": "ex#E"}}},
                "ex#E": {"type": "string", "traits": {"smithy.api#enum": [{"value": "a"}, {"value": "a"}]}}
            })),
            vec!["ex#E", "enum value `a`", "entry 1", "entry 0"],
        ),
        (
            "lists nested too deeply",
            {
                let mut shapes = serde_json::Map::new();
                shapes.insert(
                    "ex#In".to_owned(),
                    json!({"type": "structure", "members": {"deep": {"target": "ex#L0"}}}),
                );
                for i in 0..100 {
                    let member = if i == 99 {
                        "smithy.api#String".to_owned()
                    } else {
                        format!("ex#L{}", i + 1)
                    };
                    shapes.insert(
                        format!("ex#L{i}"),
                        json!({"type": "list", "member": {"target": member}}),
                    );
                }
                service_with(Value::Object(shapes))
            },
            vec!["ex#In", "member `deep`", "nest more than 64 levels"],
        ),
    ];
    // JSON nested 100 000 levels deep, as an array and inside the metadata.
    cases.push((
        "deep array",
        "[".repeat(100_000),
        vec!["invalid JSON", "recursion limit"],
    ));
    cases.push((
        "deep metadata",
        format!(
            "{{\"smithy\":\"2.0\",\"metadata\":{{\"x\":{}}}}}",
            "{\"a\":".repeat(100_000)
        ),
        vec!["invalid JSON", "recursion limit"],
    ));

    let dir = scratch("rejected");
    for (i, (label, text, expected)) in cases.iter().enumerate() {
        let file = format!("case-{i}.json");
        let model = if *label == "not UTF-8" {
            write(&dir, &file, b"{\"smithy\": \"2.0\xff\"}")
        } else {
            write(&dir, &file, text)
        };
        let start = Instant::now();
        let message = error_text(&model);
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{label}: took {:?}",
            start.elapsed()
        );
        assert!(
            message.contains(&file),
            "{label}: the error does not name the file: {message}"
        );
        for needle in expected {
            assert!(
                message.contains(needle),
                "{label}: the error should mention {needle:?}: {message}"
            );
        }
    }
    fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn the_command_exits_with_2_and_names_the_file() {
    let dir = scratch("cli");
    let out = dir.join("out");
    for (name, text, needle) in [
        ("broken.json", "{ not json".to_owned(), "invalid JSON"),
        (
            "dangling.json",
            service_with(
                json!({"ex#In": {"type": "structure", "members": {"a": {"target": "ex#Missing"}}}}),
            ),
            "ex#Missing",
        ),
        (
            "protocol.json",
            service_with(json!({"ex#Svc": {"type": "service", "traits": {}}})),
            "ex#Svc",
        ),
    ] {
        let model = write(&dir, name, text);
        let result = smithgen_cli(&[
            "--model",
            model.to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
        ]);
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.starts_with("smithgen: error: "), "{stderr}");
        assert!(stderr.contains(name), "{name}: {stderr}");
        assert!(stderr.contains(needle), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!out.exists(), "nothing is written on error");
    }
    fs::remove_dir_all(&dir).expect("clean up");
}

// ---------------------------------------------------------------------------
// Enormous documentation
// ---------------------------------------------------------------------------

#[test]
fn enormous_documentation_is_bounded_and_quick() {
    let huge = "<p>Twenty megabytes */ of \"documentation\" #[cfg(any())] fn injected() {}</p> "
        .repeat(20 * 1024 * 1024 / 75);
    assert!(huge.len() >= 20 * 1024 * 1024 - 100);
    let mut model: Value = serde_json::from_str(&service_with(json!({
        "ex#In": {"type": "structure", "members": {
            "name": {"target": "smithy.api#String", "traits": {"smithy.api#documentation": huge}}}}
    })))
    .expect("json");
    model["shapes"]["ex#Svc"]["traits"]["smithy.api#documentation"] = json!(huge);
    model["shapes"]["ex#Op"]["traits"] = json!({"smithy.api#documentation": huge});
    let dir = scratch("enormous");
    let path = write(&dir, "enormous.json", model.to_string());
    let start = Instant::now();
    let generated = generate(&path).unwrap_or_else(|e| panic!("{e}"));
    let elapsed = start.elapsed();
    let total: usize = generated.files.values().map(String::len).sum();
    assert!(elapsed < Duration::from_secs(60), "took {elapsed:?}");
    assert!(total < 4 * 1024 * 1024, "{total} bytes of output");
    assert!(
        generated
            .files
            .values()
            .any(|text| text.contains("it was cut here")),
        "the cut is marked"
    );
    assert_no_injection(&generated.files);
    fs::remove_dir_all(&dir).expect("clean up");
}

// ---------------------------------------------------------------------------
// Size: long chains, big cycles, many names that collide
// ---------------------------------------------------------------------------

#[test]
fn long_chains_and_many_collisions_lower_in_linear_time() {
    let n = 2000;
    let mut shapes = serde_json::Map::new();
    shapes.insert(
        "ex#In".to_owned(),
        json!({"type": "structure", "members": {"first": {"target": "ex#S0"}, "collide": {"target": "ex#Many"}}}),
    );
    // A ring of structures: every link closes the cycle, so every one is boxed.
    for i in 0..n {
        shapes.insert(
            format!("ex#S{i}"),
            json!({"type": "structure", "members": {"next": {"target": format!("ex#S{}", (i + 1) % n)}}}),
        );
    }
    // Names that all become `foo_bar`.
    let members: serde_json::Map<String, Value> = (1..500)
        .map(|k| {
            (
                format!("foo{}bar", "_".repeat(k)),
                json!({"target": "smithy.api#String"}),
            )
        })
        .chain([("fooBar".to_owned(), json!({"target": "smithy.api#String"}))])
        .collect();
    shapes.insert(
        "ex#Many".to_owned(),
        json!({"type": "structure", "members": members}),
    );
    let dir = scratch("size");
    let model = write(&dir, "size.json", service_with(Value::Object(shapes)));
    let start = Instant::now();
    let service = smithgen::Config::new()
        .model(&model)
        .lower()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "took {:?}",
        start.elapsed()
    );
    let mut boxed = 0;
    let mut fields = std::collections::BTreeSet::new();
    for t in &service.types {
        if let TypeDef::Struct(s) = t {
            if s.shape_id.name == "Many" {
                for f in &s.fields {
                    assert!(fields.insert(f.name.clone()), "{} twice", f.name);
                }
            } else {
                boxed += s.fields.iter().filter(|f| f.boxed).count();
            }
        }
    }
    assert_eq!(boxed, n);
    assert_eq!(fields.len(), 500);
    assert!(fields.contains("foo_bar") && fields.contains("foo_bar_500"));
    fs::remove_dir_all(&dir).expect("clean up");
}

// ---------------------------------------------------------------------------
// Random and mutated inputs
// ---------------------------------------------------------------------------

/// xorshift64*: a small deterministic generator, so every run sees the same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Pieces of JSON and Smithy that random inputs are made of, so that some of
/// them get past the JSON parser.
const FRAGMENTS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"",
    "\"smithy\"",
    "\"2.0\"",
    "\"shapes\"",
    "\"type\"",
    "\"structure\"",
    "\"service\"",
    "\"operation\"",
    "\"union\"",
    "\"enum\"",
    "\"list\"",
    "\"map\"",
    "\"members\"",
    "\"member\"",
    "\"target\"",
    "\"traits\"",
    "\"ex#A\"",
    "\"ex#B\"",
    "\"ex#Svc\"",
    "\"smithy.api#String\"",
    "\"smithy.api#Unit\"",
    "\"aws.protocols#awsJson1_1\"",
    "\"input\"",
    "\"operations\"",
    "\"mixins\"",
    "\"smithy.api#mixin\"",
    "\"smithy.api#enum\"",
    "\"value\"",
    "\"smithy.api#documentation\"",
    "\"smithy.api#default\"",
    "\"*/\"",
    "null",
    "true",
    "0",
    "-1",
    "1e999",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"a\\nb\"",
];

/// A small valid model that exercises most of the generator; the mutations start here.
fn base_model() -> Value {
    json!({
        "smithy": "2.0",
        "metadata": {"m": [1, "x"]},
        "shapes": {
            "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Op"}, {"target": "ex#Type"}],
                       "errors": [{"target": "ex#Oops"}], "rename": {"ex#Widget": "Gadget"},
                       "traits": {"aws.protocols#awsJson1_1": {}, "aws.auth#sigv4": {"name": "ex"},
                                  "aws.api#service": {"sdkId": "Ex Svc"}, "smithy.api#title": "Ex",
                                  "smithy.api#documentation": "<p>Doc <code>x</code></p>"}},
            "ex#Op": {"type": "operation", "input": {"target": "ex#In"}, "output": {"target": "ex#Out"},
                      "errors": [{"target": "ex#Oops"}],
                      "traits": {"smithy.api#documentation": "An op */."}},
            "ex#Type": {"type": "operation", "input": {"target": "ex#Out"}},
            "ex#In": {"type": "structure", "mixins": [{"target": "ex#Mx"}], "members": {
                "type": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}},
                "fooBar": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": 0}},
                "foo_bar": {"target": "ex#E"},
                "node": {"target": "ex#Node"},
                "u": {"target": "ex#U"},
                "l": {"target": "ex#L"},
                "m": {"target": "ex#M"},
                "w": {"target": "ex#Widget"},
                "t": {"target": "smithy.api#Timestamp", "traits": {"smithy.api#timestampFormat": "date-time"}},
                "d": {"target": "smithy.api#Document"},
                "b": {"target": "smithy.api#Blob", "traits": {"smithy.api#default": "Zm9v"}}
            }},
            "ex#Mx": {"type": "structure", "members": {"mixed": {"target": "smithy.api#String"}},
                      "traits": {"smithy.api#mixin": {}}},
            "ex#Out": {"type": "structure", "members": {"set_x": {"target": "smithy.api#String"},
                                                        "x": {"target": "smithy.api#Boolean"}}},
            "ex#Oops": {"type": "structure", "members": {"message": {"target": "smithy.api#String"}},
                        "traits": {"smithy.api#error": "client", "smithy.api#httpError": 400}},
            "ex#E": {"type": "enum", "members": {
                "Unknown": {"target": "smithy.api#Unit"},
                "aB": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "a-b"}},
                "a_b": {"target": "smithy.api#Unit"}}},
            "ex#Node": {"type": "structure", "members": {"next": {"target": "ex#Node"},
                                                         "all": {"target": "ex#Nodes"}}},
            "ex#Nodes": {"type": "list", "member": {"target": "ex#Node"}},
            "ex#U": {"type": "union", "members": {"s": {"target": "smithy.api#String"},
                                                  "u": {"target": "ex#U"},
                                                  "none": {"target": "smithy.api#Unit"}}},
            "ex#L": {"type": "list", "member": {"target": "ex#Legacy"}, "traits": {"smithy.api#sparse": {}}},
            "ex#M": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "ex#E"}},
            "ex#Legacy": {"type": "string", "traits": {"smithy.api#enum": [{"value": "x"}, {"value": "X", "name": "BIG"}]}},
            "ex#Widget": {"type": "structure", "members": {"a": {"target": "smithy.api#String"}}},
            "ex#In$fooBar": {"type": "apply", "traits": {"smithy.api#documentation": "applied"}}
        }
    })
}

/// JSON values that replace parts of the base model.
fn replacement(rng: &mut Rng) -> Value {
    match rng.below(14) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1),
        3 => json!(1.5e300),
        4 => json!(""),
        5 => json!("ex#Op"),
        6 => json!("ex#Missing"),
        7 => json!("smithy.api#Unit"),
        8 => json!([]),
        9 => json!({}),
        10 => json!({"target": "ex#Node"}),
        11 => json!({"target": "ex#In"}),
        12 => json!(*rng.pick(PAYLOADS)),
        _ => {
            json!({"type": *rng.pick(&["structure", "union", "list", "enum", "apply", "operation"])})
        }
    }
}

/// Every path into a JSON value (as keys and indexes).
fn paths(v: &Value, prefix: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(prefix.clone());
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                prefix.push(json!(k));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                prefix.push(json!(i));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn at<'v>(v: &'v mut Value, path: &[Value]) -> Option<&'v mut Value> {
    let mut current = v;
    for step in path {
        current = match step {
            Value::String(k) => current.get_mut(k.as_str())?,
            Value::Number(i) => current.get_mut(i.as_u64()? as usize)?,
            _ => return None,
        };
    }
    Some(current)
}

/// A copy of the base model with a few structural changes.
fn mutate_structure(rng: &mut Rng, base: &Value) -> Vec<u8> {
    let mut model = base.clone();
    for _ in 0..1 + rng.below(3) {
        let mut all = Vec::new();
        paths(&model, &mut Vec::new(), &mut all);
        let path = rng.pick(&all).clone();
        match rng.below(3) {
            0 => {
                let value = replacement(rng);
                if let Some(slot) = at(&mut model, &path) {
                    *slot = value;
                }
            }
            1 => {
                // Rename or drop an object key.
                if let Some((Value::String(key), parent)) = path.split_last() {
                    let new_key = rng
                        .pick(&[
                            "",
                            "type",
                            "ex#Node",
                            "ex#In$type",
                            "Self",
                            "a-b",
                            "日本",
                            "target",
                        ])
                        .to_string();
                    let drop = rng.below(2) == 0;
                    if let Some(Value::Object(map)) = at(&mut model, parent) {
                        if let Some(value) = map.remove(key) {
                            if !drop {
                                map.insert(new_key, value);
                            }
                        }
                    }
                }
            }
            _ => {
                // Copy one part of the model over another.
                let source = rng.pick(&all).clone();
                let value = at(&mut model, &source).cloned();
                if let (Some(value), Some(slot)) = (value, at(&mut model, &path)) {
                    *slot = value;
                }
            }
        }
    }
    model.to_string().into_bytes()
}

/// The base model's text with a few byte-level changes.
fn mutate_bytes(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut bytes = base.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = bytes.len().max(1);
        let i = rng.below(len).min(bytes.len());
        match rng.below(5) {
            0 if i < bytes.len() => bytes[i] = rng.next() as u8,
            1 => {
                let end = (i + rng.below(40)).min(bytes.len());
                bytes.drain(i..end);
            }
            2 => {
                let end = (i + rng.below(200)).min(bytes.len());
                let copy = bytes[i..end].to_vec();
                let at = rng.below(bytes.len().max(1)).min(bytes.len());
                bytes.splice(at..at, copy);
            }
            3 => {
                let fragment = rng.pick(FRAGMENTS).as_bytes().to_vec();
                bytes.splice(i..i, fragment);
            }
            _ => bytes.truncate(i),
        }
    }
    bytes
}

/// Random bytes: raw noise, or fragments of JSON and Smithy strung together.
fn random_input(rng: &mut Rng) -> Vec<u8> {
    let len = rng.below(3000);
    if rng.below(3) == 0 {
        (0..len).map(|_| rng.next() as u8).collect()
    } else {
        let mut text = String::new();
        while text.len() < len {
            let fragment: &&str = rng.pick(FRAGMENTS);
            text.push_str(fragment);
        }
        text.into_bytes()
    }
}

#[test]
fn random_and_mutated_inputs_never_panic() {
    let dir = scratch("random");
    let base = base_model();
    let base_text = base.to_string().into_bytes();
    let base_path = write(&dir, "base.json", &base_text);
    let generated = generate(&base_path).unwrap_or_else(|e| panic!("the base model: {e}"));
    assert_no_injection(&generated.files);

    let mut rng = Rng(0x5eed_0f5a_1e00);
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..200 {
        inputs.push((format!("random-{i}.json"), random_input(&mut rng)));
    }
    for i in 0..100 {
        inputs.push((
            format!("bytes-{i}.json"),
            mutate_bytes(&mut rng, &base_text),
        ));
    }
    for i in 0..100 {
        inputs.push((
            format!("shapes-{i}.json"),
            mutate_structure(&mut rng, &base),
        ));
    }

    let mut panics = Vec::new();
    let (mut generated_count, mut rejected) = (0, Vec::new());
    // Panics are caught and reported below, not printed for each input.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for (name, bytes) in &inputs {
        let path = write(&dir, name, bytes);
        let start = Instant::now();
        match run_caught(&path) {
            Outcome::Generated(generated) => {
                generated_count += 1;
                if let Err(panic) = catch_unwind(AssertUnwindSafe(|| {
                    assert_no_injection(&generated.files);
                })) {
                    let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
                    panics.push(format!("{name}: output check failed: {message}"));
                }
            }
            Outcome::Rejected(smithgen::Error::Format(e)) => panics.push(format!(
                "{name}: generated tokens are not Rust: {}: {}",
                e.file, e.message
            )),
            Outcome::Rejected(e) => {
                let message = e.to_string();
                if !message.contains(name.as_str()) {
                    panics.push(format!(
                        "{name}: the error does not name the file: {message}"
                    ));
                }
                rejected.push((name.clone(), path.clone(), message));
            }
            Outcome::Panicked(message) => panics.push(format!("{name}: panicked: {message}")),
        }
        if start.elapsed() > Duration::from_secs(20) {
            panics.push(format!("{name}: took {:?}", start.elapsed()));
        }
    }
    std::panic::set_hook(hook);
    assert!(
        panics.is_empty(),
        "{} of {} inputs failed (inputs are in {}):\n{}",
        panics.len(),
        inputs.len(),
        dir.display(),
        panics.join("\n")
    );
    assert!(
        generated_count > 10,
        "only {generated_count} inputs generated"
    );
    assert!(
        rejected.len() > 300,
        "only {} inputs were rejected",
        rejected.len()
    );

    // A few through the command: exit code 2, the file named, no panic.
    let out = dir.join("out");
    for (name, path, _) in rejected.iter().step_by(rejected.len() / 8) {
        let result = smithgen_cli(&[
            "--model",
            path.to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
        ]);
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(name.as_str()), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
    fs::remove_dir_all(&dir).expect("clean up");
}
