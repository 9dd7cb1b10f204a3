//! Loader tests: real models from `../shared`, and one crafted model per
//! error case.

use super::*;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::Instant;

const COGNITO: &str = "models/aws/cognito-identity-provider-2016-04-18.json";
const PROTOCOL_TESTS: &str = "protocol-tests/smithy-aws-protocol-tests.json";
const AWS_MODELS: [&str; 6] = [
    "models/aws/cognito-identity-2014-06-30.json",
    COGNITO,
    "models/aws/dynamodb-2012-08-10.json",
    "models/aws/kms-2014-11-01.json",
    "models/aws/secrets-manager-2017-10-17.json",
    "models/aws/sqs-2012-11-05.json",
];

fn shared_path(rel: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/")).join(rel)
}

/// Reads a file from `../shared`; a missing file fails the test naming it.
fn shared(rel: &str) -> String {
    let path = shared_path(rel);
    match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!(
            "required test input `{}` (shared/{rel}) is missing or unreadable: {e}",
            path.display()
        ),
    }
}

fn load_shared(rel: &str) -> Model {
    let text = shared(rel);
    match Model::load(&[(rel, &text)]) {
        Ok(model) => model,
        Err(e) => panic!("{rel} failed to load: {e}"),
    }
}

fn id(s: &str) -> ShapeId {
    ShapeId::parse(s).unwrap()
}

/// A 2.0 document with the given `shapes` object.
fn doc(shapes: Value) -> String {
    json!({ "smithy": "2.0", "shapes": shapes }).to_string()
}

fn load_shapes(shapes: Value) -> Result<Model, ModelError> {
    Model::load(&[("test.json", &doc(shapes))])
}

fn ok(shapes: Value) -> Model {
    load_shapes(shapes).unwrap_or_else(|e| panic!("unexpected error: {e}"))
}

fn err(shapes: Value) -> ModelError {
    match load_shapes(shapes) {
        Ok(_) => panic!("the model loaded but an error was expected"),
        Err(e) => e,
    }
}

/// Asserts the error names the shape (and member), and its text contains `needle`.
fn assert_err(e: &ModelError, shape: &str, member: Option<&str>, needle: &str) {
    let text = e.to_string();
    assert_eq!(e.shape.as_deref(), Some(shape), "wrong shape in: {text}");
    assert_eq!(e.member.as_deref(), member, "wrong member in: {text}");
    assert!(
        text.contains(&format!("`{shape}`")),
        "shape not named in: {text}"
    );
    if let Some(m) = member {
        assert!(
            text.contains(&format!("member `{m}`")),
            "member not named in: {text}"
        );
    }
    assert!(text.contains(needle), "expected `{needle}` in: {text}");
    assert_eq!(
        e.file.as_deref(),
        Some("test.json"),
        "file not named in: {text}"
    );
}

// ---------------------------------------------------------------- real models

#[test]
fn every_real_aws_model_loads() {
    for rel in AWS_MODELS {
        let model = load_shared(rel);
        let services = model.services();
        assert_eq!(services.len(), 1, "{rel}: expected one service");
        let service = services[0];
        assert!(service.version.is_some(), "{rel}: service has no version");
        let ops = model.service_operations(&service.id);
        assert!(!ops.is_empty(), "{rel}: no operations");
        assert!(!model.metadata().is_empty(), "{rel}: metadata lost");
        for op in &ops {
            let shape = model.shape(op).expect("bound operation exists");
            assert_eq!(shape.ty, ShapeType::Operation);
        }
        // Every enum member carries its value.
        for shape in model.shapes() {
            if matches!(shape.ty, ShapeType::Enum | ShapeType::IntEnum) {
                for m in &shape.members {
                    assert!(m.traits.enum_value().is_some(), "{}${}", shape.id, m.name);
                    assert_eq!(m.target, id("smithy.api#Unit"));
                }
            }
        }
        println!("{rel}: {} shapes, {} operations", model.len(), ops.len());
    }
}

#[test]
fn cognito_user_pools_facts() {
    let model = load_shared(COGNITO);
    let ns = "com.amazonaws.cognitoidentityprovider";
    let service_id = ShapeId::new(ns, "AWSCognitoIdentityProviderService");
    let service = model.shape(&service_id).expect("service");
    assert_eq!(service.ty, ShapeType::Service);
    assert_eq!(service.version.as_deref(), Some("2016-04-18"));
    assert!(service.traits.has("aws.auth#sigv4"));
    assert!(service.traits.has("smithy.rules#endpointRuleSet"));
    assert_eq!(model.services().len(), 1);

    let ops = model.service_operations(&service_id);
    assert_eq!(ops.len(), 113);
    let names: Vec<&str> = ops.iter().map(|o| o.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "operations sorted by name");

    let op = model
        .shape(&ShapeId::new(ns, "SetUserMFAPreference"))
        .expect("op");
    assert_eq!(op.ty, ShapeType::Operation);
    assert_eq!(op.errors.len(), 8);
    assert!(op
        .errors
        .contains(&ShapeId::new(ns, "UserNotFoundException")));
    assert_eq!(op.traits.auth(), Some(vec![]));
    assert!(op.traits.has_optional_auth());
    assert!(op
        .traits
        .documentation()
        .is_some_and(|d| d.contains("multi-factor")));
    for error in &op.errors {
        let shape = model.expect_shape(error);
        assert!(shape.traits.is_error(), "{error}");
        assert!(matches!(
            shape.traits.error_kind(),
            Some("client" | "server")
        ));
    }

    let input = model
        .shape(op.input.as_ref().expect("input"))
        .expect("input shape");
    assert_eq!(input.id, ShapeId::new(ns, "SetUserMFAPreferenceRequest"));
    let names: Vec<&str> = input.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "SMSMfaSettings",
            "SoftwareTokenMfaSettings",
            "EmailMfaSettings",
            "AccessToken"
        ],
        "members in file order"
    );
    let token = input.member("AccessToken").expect("AccessToken");
    assert!(token.traits.is_required());
    assert_eq!(token.target, ShapeId::new(ns, "TokenModelType"));
    let token_type = model.expect_shape(&token.target);
    assert_eq!(token_type.ty, ShapeType::String);
    assert!(token_type.traits.is_sensitive());
    assert_eq!(token_type.traits.pattern(), Some("^[A-Za-z0-9-_=.]+$"));
    assert!(op.output.is_some());
}

#[test]
fn protocol_tests_load_with_mixins_applied() {
    let model = load_shared(PROTOCOL_TESTS);
    let json = id("aws.protocoltests.json#JsonProtocol");
    let service = model.shape(&json).expect("JsonProtocol");
    assert_eq!(service.ty, ShapeType::Service);
    assert!(service.traits.has("aws.protocols#awsJson1_1"));
    assert!(!model.service_operations(&json).is_empty());
    assert!(model
        .shape(&id("aws.protocoltests.json10#JsonRpc10"))
        .is_some());

    // No mixin survives, and nothing refers to one.
    assert!(model.shapes().all(|s| !s.traits.is_mixin()));
    assert!(model
        .shape(&id("aws.protocoltests.json10#DefaultsMixin"))
        .is_none());

    // `Defaults` declares no members of its own: all come from its mixin.
    let defaults = model
        .shape(&id("aws.protocoltests.json10#Defaults"))
        .expect("Defaults");
    assert_eq!(defaults.members.len(), 28);
    let first = &defaults.members[0];
    assert_eq!(first.name, "defaultString");
    assert_eq!(first.target, id("smithy.api#String"));
    assert_eq!(first.traits.default_value(), Some(&json!("hi")));
    let null_doc = defaults.member("defaultNullDocument").expect("member");
    assert_eq!(null_doc.traits.default_value(), Some(&Value::Null));

    // Mixin members come before local ones; mixin-local traits stay behind.
    let rest_xml = model.shape(&id("aws.protocols#restXml")).expect("restXml");
    let names: Vec<&str> = rest_xml.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["http", "eventStreamHttp", "noErrorWrapping"]);
    assert!(!rest_xml.traits.has("smithy.api#private"));
    assert!(rest_xml.traits.has("smithy.api#protocolDefinition"));
    assert!(rest_xml.traits.is_deprecated());

    // Every shape type of the file is represented.
    let types: std::collections::BTreeSet<ShapeType> = model.shapes().map(|s| s.ty).collect();
    for ty in [
        ShapeType::Enum,
        ShapeType::IntEnum,
        ShapeType::Union,
        ShapeType::Map,
        ShapeType::Document,
    ] {
        assert!(types.contains(&ty), "{ty}");
    }
}

#[test]
fn all_real_models_load_together() {
    let mut paths: Vec<PathBuf> = AWS_MODELS.iter().map(|r| shared_path(r)).collect();
    paths.push(shared_path(PROTOCOL_TESTS));
    for p in &paths {
        assert!(
            p.exists(),
            "required test input `{}` is missing",
            p.display()
        );
    }
    let model = Model::load_files(&paths).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        model.services().len(),
        6 + 15,
        "services of every file are present"
    );
    // Array metadata (suppressions) is concatenated across files.
    let suppressions = model.metadata()["suppressions"].as_array().map(Vec::len);
    assert!(suppressions.unwrap_or(0) > 6);
    let cognito = ShapeId::new(
        "com.amazonaws.cognitoidentityprovider",
        "AWSCognitoIdentityProviderService",
    );
    assert_eq!(model.service_operations(&cognito).len(), 113);
    assert!(model
        .source_file(&cognito)
        .is_some_and(|f| f.ends_with("cognito-identity-provider-2016-04-18.json")));
}

#[test]
fn load_is_deterministic_and_timed() {
    let text = shared(COGNITO);
    let start = Instant::now();
    let first = Model::load(&[(COGNITO, &text)]).unwrap_or_else(|e| panic!("{e}"));
    let elapsed = start.elapsed();
    println!(
        "loading {COGNITO} ({} bytes, {} shapes) took {elapsed:?}",
        text.len(),
        first.len()
    );
    let second = Model::load(&[(COGNITO, &text)]).unwrap_or_else(|e| panic!("{e}"));
    let a: Vec<&Shape> = first.shapes().collect();
    let b: Vec<&Shape> = second.shapes().collect();
    assert_eq!(a, b);
    assert_eq!(format!("{first:?}"), format!("{second:?}"));

    let protocol = shared(PROTOCOL_TESTS);
    let p1 = Model::load(&[(PROTOCOL_TESTS, &protocol)]).unwrap_or_else(|e| panic!("{e}"));
    let p2 = Model::load(&[(PROTOCOL_TESTS, &protocol)]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(format!("{p1:?}"), format!("{p2:?}"));
}

#[test]
fn missing_file_is_named() {
    let path = PathBuf::from("/nonexistent/dir/model.json");
    let e = Model::load_files(&[path]).unwrap_err();
    assert_eq!(e.file.as_deref(), Some("/nonexistent/dir/model.json"));
    assert!(
        e.to_string().starts_with("/nonexistent/dir/model.json: "),
        "{e}"
    );
}

// ------------------------------------------------------------ crafted models

#[test]
fn prelude_is_present() {
    let model = Model::load(&[]).unwrap();
    for name in [
        "String",
        "Blob",
        "BigInteger",
        "BigDecimal",
        "Timestamp",
        "Document",
        "Boolean",
        "Byte",
        "Short",
        "Integer",
        "Long",
        "Float",
        "Double",
        "Unit",
    ] {
        assert!(
            model.shape(&ShapeId::new("smithy.api", name)).is_some(),
            "{name}"
        );
    }
    let unit = model.expect_shape(&id("smithy.api#Unit"));
    assert_eq!(unit.ty, ShapeType::Structure);
    assert!(unit.traits.is_unit_type());
    let pb = model.expect_shape(&id("smithy.api#PrimitiveBoolean"));
    assert_eq!(pb.traits.default_value(), Some(&json!(false)));
    for name in [
        "PrimitiveByte",
        "PrimitiveShort",
        "PrimitiveInteger",
        "PrimitiveLong",
        "PrimitiveFloat",
        "PrimitiveDouble",
    ] {
        let shape = model.expect_shape(&ShapeId::new("smithy.api", name));
        assert_eq!(shape.traits.default_value(), Some(&json!(0)), "{name}");
    }
    assert!(model.services().is_empty());
    assert!(Model::is_prelude(&id("smithy.api#String")));
    assert!(!Model::is_prelude(&id("ns#String")));
    // A missing id does not panic.
    assert_eq!(model.expect_shape(&id("ns#Nope")).id.name, "");
}

#[test]
fn shape_types_round_trip() {
    for ty in ShapeType::ALL {
        assert_eq!(ShapeType::from_name(ty.as_str()), Some(ty));
    }
    assert_eq!(ShapeType::BigInteger.as_str(), "bigInteger");
    assert_eq!(ShapeType::IntEnum.as_str(), "intEnum");
    assert_eq!(ShapeType::from_name("apply"), None);
}

#[test]
fn every_shape_type_parses() {
    let model = ok(json!({
        "ns#Svc": {
            "type": "service", "version": "2024-01-01",
            "operations": [{"target": "ns#Ping"}],
            "resources": [{"target": "ns#Widget"}],
            "errors": [{"target": "ns#Oops"}],
            "rename": {"ns#Blob2": "Blobby"}
        },
        "ns#Widget": {
            "type": "resource",
            "identifiers": {"widgetId": {"target": "smithy.api#String"}},
            "properties": {"size": {"target": "ns#Int"}},
            "create": {"target": "ns#CreateWidget"},
            "read": {"target": "ns#GetWidget"},
            "list": {"target": "ns#ListWidgets"},
            "operations": [{"target": "ns#GetWidget"}, {"target": "ns#Zap"}],
            "collectionOperations": [{"target": "ns#Ping"}],
            "resources": [{"target": "ns#Part"}]
        },
        "ns#Part": {"type": "resource", "operations": [{"target": "ns#Ping"}, {"target": "ns#Anchor"}]},
        "ns#Ping": {"type": "operation", "input": {"target": "smithy.api#Unit"}, "output": {"target": "ns#PingOutput"}},
        "ns#CreateWidget": {"type": "operation"},
        "ns#GetWidget": {"type": "operation", "errors": [{"target": "ns#Oops"}]},
        "ns#ListWidgets": {"type": "operation"},
        "ns#Zap": {"type": "operation"},
        "ns#Anchor": {"type": "operation"},
        "ns#PingOutput": {"type": "structure", "members": {
            "z": {"target": "ns#Int"},
            "a": {"target": "ns#Blob2", "traits": {"smithy.api#required": {}}},
            "m": {"target": "ns#Dict"},
            "l": {"target": "ns#Names"},
            "s": {"target": "ns#Uniq"},
            "e": {"target": "ns#Color"},
            "n": {"target": "ns#Level"},
            "u": {"target": "ns#Choice"}
        }},
        "ns#Oops": {"type": "structure", "traits": {"smithy.api#error": "client", "smithy.api#httpError": 400}},
        "ns#Int": {"type": "integer"},
        "ns#Blob2": {"type": "blob"},
        "ns#Bool": {"type": "boolean"},
        "ns#B": {"type": "byte"},
        "ns#Sh": {"type": "short"},
        "ns#L": {"type": "long"},
        "ns#F": {"type": "float"},
        "ns#D": {"type": "double"},
        "ns#BI": {"type": "bigInteger"},
        "ns#BD": {"type": "bigDecimal"},
        "ns#T": {"type": "timestamp", "traits": {"smithy.api#timestampFormat": "epoch-seconds"}},
        "ns#Doc": {"type": "document"},
        "ns#Dict": {"type": "map", "key": {"target": "ns#Color"}, "value": {"target": "ns#Int"}},
        "ns#Names": {"type": "list", "member": {"target": "smithy.api#String"}, "traits": {"smithy.api#sparse": {}}},
        "ns#Uniq": {"type": "set", "member": {"target": "smithy.api#String"}},
        "ns#Color": {"type": "enum", "members": {
            "RED": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "red"}},
            "GREEN": {"target": "smithy.api#Unit"},
            "BLUE": {}
        }},
        "ns#Level": {"type": "intEnum", "members": {
            "LOW": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}},
            "HIGH": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 10}}
        }},
        "ns#Choice": {"type": "union", "members": {
            "nothing": {"target": "smithy.api#Unit"},
            "num": {"target": "ns#Int"}
        }}
    }));

    let svc = model.expect_shape(&id("ns#Svc"));
    assert_eq!(svc.version.as_deref(), Some("2024-01-01"));
    assert_eq!(svc.errors, [id("ns#Oops")]);
    assert_eq!(
        svc.rename.get(&id("ns#Blob2")).map(String::as_str),
        Some("Blobby")
    );
    assert_eq!(model.services().len(), 1);
    let ops: Vec<String> = model
        .service_operations(&id("ns#Svc"))
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        ops,
        [
            "ns#Anchor",
            "ns#CreateWidget",
            "ns#GetWidget",
            "ns#ListWidgets",
            "ns#Ping",
            "ns#Zap"
        ]
    );

    let widget = model.expect_shape(&id("ns#Widget"));
    assert_eq!(
        widget.operations,
        [
            id("ns#CreateWidget"),
            id("ns#GetWidget"),
            id("ns#ListWidgets"),
            id("ns#Zap"),
            id("ns#Ping")
        ]
    );
    assert_eq!(widget.resources, [id("ns#Part")]);
    let info = model.resource(&id("ns#Widget")).expect("resource info");
    assert_eq!(
        info.identifiers,
        [("widgetId".to_string(), id("smithy.api#String"))]
    );
    assert_eq!(info.read, Some(id("ns#GetWidget")));

    let ping = model.expect_shape(&id("ns#Ping"));
    assert_eq!(ping.input, None, "Unit input becomes None");
    assert_eq!(ping.output, Some(id("ns#PingOutput")));
    assert_eq!(model.expect_shape(&id("ns#CreateWidget")).input, None);

    let out = model.expect_shape(&id("ns#PingOutput"));
    let names: Vec<&str> = out.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        ["z", "a", "m", "l", "s", "e", "n", "u"],
        "file order kept"
    );
    assert!(out.member("a").is_some_and(|m| m.traits.is_required()));

    assert_eq!(model.expect_shape(&id("ns#Uniq")).ty, ShapeType::Set);
    let names = model.expect_shape(&id("ns#Names"));
    assert_eq!(names.members.len(), 1);
    assert_eq!(names.members[0].name, "member");
    assert!(names.traits.is_sparse());
    let dict = model.expect_shape(&id("ns#Dict"));
    let kv: Vec<&str> = dict.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(kv, ["key", "value"]);

    let color = model.expect_shape(&id("ns#Color"));
    let values: Vec<&Value> = color
        .members
        .iter()
        .filter_map(|m| m.traits.enum_value())
        .collect();
    assert_eq!(values, [&json!("red"), &json!("GREEN"), &json!("BLUE")]);
    assert!(color
        .members
        .iter()
        .all(|m| m.target == id("smithy.api#Unit")));
    let level = model.expect_shape(&id("ns#Level"));
    assert_eq!(level.members[1].traits.enum_value(), Some(&json!(10)));
    let oops = model.expect_shape(&id("ns#Oops"));
    assert_eq!(oops.traits.http_error(), Some(400));
    assert_eq!(oops.traits.error_kind(), Some("client"));
    assert_eq!(
        model.expect_shape(&id("ns#T")).traits.timestamp_format(),
        Some("epoch-seconds")
    );
    for (name, ty) in [
        ("Bool", ShapeType::Boolean),
        ("B", ShapeType::Byte),
        ("Sh", ShapeType::Short),
        ("L", ShapeType::Long),
        ("F", ShapeType::Float),
        ("D", ShapeType::Double),
        ("BI", ShapeType::BigInteger),
        ("BD", ShapeType::BigDecimal),
        ("Doc", ShapeType::Document),
        ("Choice", ShapeType::Union),
    ] {
        assert_eq!(
            model.expect_shape(&ShapeId::new("ns", name)).ty,
            ty,
            "{name}"
        );
    }
}

#[test]
fn older_versions_are_accepted() {
    for version in ["1.0", "2", "2.0"] {
        let text = json!({"smithy": version, "shapes": {"ns#S": {"type": "set", "member": {"target": "smithy.api#String"}}}}).to_string();
        let model = Model::load(&[("v.json", &text)]).unwrap_or_else(|e| panic!("{version}: {e}"));
        assert_eq!(model.expect_shape(&id("ns#S")).ty, ShapeType::Set);
    }
}

#[test]
fn apply_merges_traits_onto_shapes_and_members() {
    let model = ok(json!({
        "ns#Foo": {"type": "structure", "members": {"bar": {"target": "smithy.api#String"}},
                   "traits": {"smithy.api#tags": ["a"]}},
        "ns#Foo$bar": {"type": "apply", "traits": {"smithy.api#required": {}}}
    }));
    let foo = model.expect_shape(&id("ns#Foo"));
    assert!(foo.members[0].traits.is_required());

    // Across documents: list-valued traits concatenate; equal values are fine.
    let a = doc(json!({
        "ns#Foo": {"type": "structure", "members": {"bar": {"target": "smithy.api#String"}},
                   "traits": {"smithy.api#tags": ["a"], "smithy.api#documentation": "d"}}
    }));
    let b = doc(json!({
        "ns#Foo": {"type": "apply", "traits": {"smithy.api#tags": ["b"], "smithy.api#documentation": "d", "smithy.api#sensitive": {}}},
        "ns#Foo$bar": {"type": "apply", "traits": {"smithy.api#jsonName": "BAR"}}
    }));
    let model = Model::load(&[("a.json", &a), ("b.json", &b)]).unwrap_or_else(|e| panic!("{e}"));
    let foo = model.expect_shape(&id("ns#Foo"));
    assert_eq!(foo.traits.get("smithy.api#tags"), Some(&json!(["a", "b"])));
    assert!(foo.traits.is_sensitive());
    assert_eq!(foo.members[0].traits.json_name(), Some("BAR"));

    // Conflicting scalar values are an error naming the shape.
    let c =
        doc(json!({"ns#Foo": {"type": "apply", "traits": {"smithy.api#documentation": "other"}}}));
    let e = Model::load(&[("a.json", &a), ("test.json", &c)]).unwrap_err();
    assert_err(&e, "ns#Foo", None, "smithy.api#documentation");
}

#[test]
fn mixins_flatten_in_order_and_chain() {
    let model = ok(json!({
        "ns#Base": {"type": "structure", "members": {
            "id": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}
        }, "traits": {"smithy.api#mixin": {}, "smithy.api#documentation": "base", "smithy.api#tags": ["base"]}},
        "ns#Middle": {"type": "structure", "mixins": [{"target": "ns#Base"}], "members": {
            "name": {"target": "smithy.api#String", "traits": {"smithy.api#jsonName": "n"}}
        }, "traits": {"smithy.api#mixin": {"localTraits": ["smithy.api#internal"]}, "smithy.api#internal": {}, "smithy.api#documentation": "middle"}},
        "ns#Other": {"type": "structure", "members": {"extra": {"target": "smithy.api#Integer"}},
                     "traits": {"smithy.api#mixin": {}}},
        "ns#Thing": {"type": "structure", "mixins": [{"target": "ns#Middle"}, {"target": "ns#Other"}], "members": {
            "own": {"target": "smithy.api#Boolean"},
            "id": {"target": "smithy.api#String", "traits": {"smithy.api#documentation": "the id"}}
        }, "traits": {"smithy.api#documentation": "thing"}},
        // Apply to a member that only exists through a mixin; it overrides
        // the inherited value.
        "ns#Thing$name": {"type": "apply", "traits": {"smithy.api#sensitive": {}, "smithy.api#jsonName": "NAME"}},
        // Apply to a mixin's member reaches every shape that uses it.
        "ns#Other$extra": {"type": "apply", "traits": {"smithy.api#jsonName": "EXTRA"}},
        "ns#Op": {"type": "operation", "input": {"target": "ns#Thing"}}
    }));
    assert!(model.shape(&id("ns#Base")).is_none());
    assert!(model.shape(&id("ns#Middle")).is_none());
    assert!(model.shape(&id("ns#Other")).is_none());

    let thing = model.expect_shape(&id("ns#Thing"));
    let names: Vec<&str> = thing.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["id", "name", "extra", "own"]);
    let member = |n: &str| thing.member(n).expect("member");
    assert!(member("id").traits.is_required(), "mixin member trait kept");
    assert_eq!(
        member("id").traits.documentation(),
        Some("the id"),
        "local wins"
    );
    assert!(member("name").traits.is_sensitive());
    assert_eq!(member("name").traits.json_name(), Some("NAME"));
    assert_eq!(member("extra").traits.json_name(), Some("EXTRA"));
    assert_eq!(thing.traits.documentation(), Some("thing"));
    assert_eq!(thing.traits.get("smithy.api#tags"), Some(&json!(["base"])));
    assert!(!thing.traits.is_mixin());
    assert!(
        !thing.traits.has("smithy.api#internal"),
        "localTraits are not inherited"
    );
}

#[test]
fn operation_and_service_mixins() {
    let model = ok(json!({
        "ns#Err": {"type": "structure", "traits": {"smithy.api#error": "server"}},
        "ns#Err2": {"type": "structure", "traits": {"smithy.api#error": "client"}},
        "ns#BaseOp": {"type": "operation", "errors": [{"target": "ns#Err"}], "traits": {"smithy.api#mixin": {}}},
        "ns#Op": {"type": "operation", "mixins": [{"target": "ns#BaseOp"}], "errors": [{"target": "ns#Err2"}]},
        "ns#BaseSvc": {"type": "service", "version": "1", "operations": [{"target": "ns#Op"}], "traits": {"smithy.api#mixin": {}}},
        "ns#Svc": {"type": "service", "mixins": [{"target": "ns#BaseSvc"}]},
        "ns#E": {"type": "enum", "members": {"A": {"target": "smithy.api#Unit"}}, "traits": {"smithy.api#mixin": {}}},
        "ns#E2": {"type": "enum", "mixins": [{"target": "ns#E"}], "members": {"B": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "b"}}}}
    }));
    assert_eq!(
        model.expect_shape(&id("ns#Op")).errors,
        [id("ns#Err"), id("ns#Err2")]
    );
    let svc = model.expect_shape(&id("ns#Svc"));
    assert_eq!(svc.version.as_deref(), Some("1"));
    assert_eq!(model.service_operations(&id("ns#Svc")), [id("ns#Op")]);
    let e2 = model.expect_shape(&id("ns#E2"));
    let values: Vec<&Value> = e2
        .members
        .iter()
        .filter_map(|m| m.traits.enum_value())
        .collect();
    assert_eq!(values, [&json!("A"), &json!("b")]);
}

#[test]
fn identical_redefinitions_merge_and_metadata_merges() {
    let a = json!({"smithy": "2.0", "metadata": {"list": [1], "same": "x"},
                   "shapes": {"ns#S": {"type": "string"}}})
    .to_string();
    let b = json!({"smithy": "2.0", "metadata": {"list": [2], "same": "x", "other": true},
                   "shapes": {"ns#S": {"type": "string"}}})
    .to_string();
    let model = Model::load(&[("a.json", &a), ("b.json", &b)]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(model.metadata()["list"], json!([1, 2]));
    assert_eq!(model.metadata()["same"], json!("x"));
    assert_eq!(model.metadata()["other"], json!(true));

    let c = json!({"smithy": "2.0", "metadata": {"same": "y"}}).to_string();
    let e = Model::load(&[("a.json", &a), ("c.json", &c)]).unwrap_err();
    assert!(e.to_string().contains("metadata key `same`"), "{e}");
    assert_eq!(e.file.as_deref(), Some("c.json"));

    let d = doc(json!({"ns#S": {"type": "integer"}}));
    let e = Model::load(&[("a.json", &a), ("test.json", &d)]).unwrap_err();
    assert_err(&e, "ns#S", None, "a.json");
}

// ------------------------------------------------------------- error cases

#[test]
fn error_invalid_json() {
    let e = Model::load(&[("bad.json", "{\"smithy\": \"2.0\", ")]).unwrap_err();
    assert_eq!(e.file.as_deref(), Some("bad.json"));
    assert!(e.to_string().starts_with("bad.json: invalid JSON"), "{e}");
}

#[test]
fn error_bad_document_shape() {
    for (text, needle) in [
        ("[]", "must be a JSON object"),
        ("{}", "missing the `smithy` version"),
        ("{\"smithy\": \"3.0\"}", "unsupported Smithy version `3.0`"),
        ("{\"smithy\": 2}", "must be a string"),
        (
            "{\"smithy\": \"2.0\", \"shapes\": []}",
            "`shapes` must be an object",
        ),
        (
            "{\"smithy\": \"2.0\", \"metadata\": 1}",
            "`metadata` must be an object",
        ),
    ] {
        let e = Model::load(&[("doc.json", text)]).unwrap_err();
        assert!(e.to_string().contains(needle), "{text}: {e}");
        assert!(e.json_path.is_some(), "{text}: {e}");
    }
}

#[test]
fn error_wrong_json_types() {
    let e = err(json!({"ns#Foo": {"type": "structure", "members": []}}));
    assert_err(
        &e,
        "ns#Foo",
        None,
        "`members` must be an object, found an array",
    );
    assert_eq!(e.json_path.as_deref(), Some("$.shapes[\"ns#Foo\"].members"));

    let e = err(json!({"ns#Foo": {"type": "structure", "members": {"bar": {"target": 5}}}}));
    assert_err(
        &e,
        "ns#Foo",
        Some("bar"),
        "must be a string, found a number",
    );
    assert_eq!(
        e.to_string(),
        "test.json: shape `ns#Foo`, member `bar`: member target must be a string, found a number \
         (at $.shapes[\"ns#Foo\"].members.bar.target)"
    );

    let e = err(json!({"ns#Foo": {"type": "structure", "members": {"bar": {}}}}));
    assert_err(&e, "ns#Foo", Some("bar"), "no `target`");

    let e = err(json!({"ns#Foo": {"type": "string", "traits": []}}));
    assert_err(&e, "ns#Foo", None, "`traits` must be an object");

    let e = err(json!({"ns#Op": {"type": "operation", "errors": {"target": "ns#E"}}}));
    assert_err(&e, "ns#Op", None, "`errors` must be an array");

    let e = err(json!({"ns#Op": {"type": "operation", "input": "ns#In"}}));
    assert_err(&e, "ns#Op", None, "`input` must be an object");

    let e = err(json!({"ns#Svc": {"type": "service", "version": 2}}));
    assert_err(&e, "ns#Svc", None, "`version` must be a string");

    let e = err(json!({"ns#Foo": "structure"}));
    assert_err(&e, "ns#Foo", None, "must be an object, found a string");

    let e = err(json!({"ns#Foo": {"type": 3}}));
    assert_err(&e, "ns#Foo", None, "`type` must be a string");

    let e = err(json!({"ns#Foo": {"members": {}}}));
    assert_err(&e, "ns#Foo", None, "no `type`");

    let e = err(json!({"ns#Foo": {"type": "structure", "mixins": [{"target": []}]}}));
    assert_err(&e, "ns#Foo", None, "must be a string, found an array");
    assert_eq!(
        e.json_path.as_deref(),
        Some("$.shapes[\"ns#Foo\"].mixins[0].target")
    );
}

#[test]
fn error_unknown_type() {
    let e = err(json!({"ns#Foo": {"type": "strukture"}}));
    assert_err(&e, "ns#Foo", None, "unknown shape type `strukture`");
    assert_eq!(e.json_path.as_deref(), Some("$.shapes[\"ns#Foo\"].type"));
}

#[test]
fn error_dangling_target() {
    let e =
        err(json!({"ns#Foo": {"type": "structure", "members": {"bar": {"target": "ns#Missing"}}}}));
    assert_err(
        &e,
        "ns#Foo",
        Some("bar"),
        "target `ns#Missing` does not exist",
    );
    assert_eq!(
        e.to_string(),
        "test.json: shape `ns#Foo`, member `bar`: target `ns#Missing` does not exist \
         (at $.shapes[\"ns#Foo\"].members.bar.target)"
    );

    let e = err(json!({"ns#L": {"type": "list", "member": {"target": "ns#Nope"}}}));
    assert_err(&e, "ns#L", Some("member"), "`ns#Nope` does not exist");
    assert_eq!(
        e.json_path.as_deref(),
        Some("$.shapes[\"ns#L\"].member.target")
    );

    let e = err(json!({"ns#Op": {"type": "operation", "output": {"target": "ns#Out"}}}));
    assert_err(&e, "ns#Op", None, "`ns#Out` does not exist");

    let e = err(json!({"ns#Svc": {"type": "service", "operations": [{"target": "ns#Gone"}]}}));
    assert_err(&e, "ns#Svc", None, "`ns#Gone` does not exist");
    assert_eq!(
        e.json_path.as_deref(),
        Some("$.shapes[\"ns#Svc\"].operations[0]")
    );
}

#[test]
fn error_malformed_ids() {
    let e = err(json!({"Foo": {"type": "string"}}));
    assert_err(&e, "Foo", None, "malformed shape id `Foo`");

    let e = err(json!({"ns#Foo-Bar": {"type": "string"}}));
    assert_err(&e, "ns#Foo-Bar", None, "malformed shape id");

    let e = err(json!({"ns#Foo$x": {"type": "string"}}));
    assert_err(&e, "ns#Foo$x", None, "member id");

    let e = err(json!({"ns#Foo": {"type": "structure", "members": {"bar": {"target": "ns.#X"}}}}));
    assert_err(&e, "ns#Foo", Some("bar"), "malformed shape id `ns.#X`");

    let e = err(
        json!({"ns#Foo": {"type": "structure", "members": {"1bar": {"target": "smithy.api#String"}}}}),
    );
    assert_err(&e, "ns#Foo", Some("1bar"), "not a valid identifier");

    let e = err(json!({"ns#Foo": {"type": "string", "traits": {"required": {}}}}));
    assert_err(&e, "ns#Foo", None, "trait id");
}

#[test]
fn error_mixin_cycle() {
    let e = err(json!({
        "ns#A": {"type": "structure", "mixins": [{"target": "ns#B"}], "traits": {"smithy.api#mixin": {}}},
        "ns#B": {"type": "structure", "mixins": [{"target": "ns#A"}], "traits": {"smithy.api#mixin": {}}},
        "ns#C": {"type": "structure", "mixins": [{"target": "ns#A"}]}
    }));
    assert_err(&e, "ns#A", None, "mixin cycle: ns#A -> ns#B -> ns#A");

    let e = err(json!({
        "ns#Self": {"type": "structure", "mixins": [{"target": "ns#Self"}], "traits": {"smithy.api#mixin": {}}}
    }));
    assert_err(&e, "ns#Self", None, "mixin cycle: ns#Self -> ns#Self");
}

#[test]
fn error_long_mixin_chain_is_fine_but_bad_mixins_are_not() {
    // A long chain resolves without recursion.
    let mut shapes = serde_json::Map::new();
    let n = 5000;
    for i in 0..n {
        let mut shape = json!({"type": "structure"});
        if i % 100 == 0 {
            shape["members"] = json!({format!("m{i}"): {"target": "smithy.api#String"}});
        }
        if i + 1 < n {
            shape["traits"] = json!({"smithy.api#mixin": {}});
        }
        if i > 0 {
            shape["mixins"] = json!([{"target": format!("ns#S{}", i - 1)}]);
        }
        shapes.insert(format!("ns#S{i}"), shape);
    }
    let model = ok(Value::Object(shapes));
    let last = model.expect_shape(&ShapeId::new("ns", &format!("S{}", n - 1)));
    assert_eq!(last.members.len(), n / 100);
    assert_eq!(last.members[0].name, "m0");

    // A chain whose flattening would copy members quadratically is refused.
    let mut shapes = serde_json::Map::new();
    let n = 1100;
    for i in 0..n {
        let mut shape = json!({"type": "structure", "traits": {"smithy.api#mixin": {}},
            "members": {format!("m{i}"): {"target": "smithy.api#String"}}});
        if i > 0 {
            shape["mixins"] = json!([{"target": format!("ns#S{}", i - 1)}]);
        }
        shapes.insert(format!("ns#S{i}"), shape);
    }
    let e = err(Value::Object(shapes));
    assert!(e.to_string().contains("mixins copy more than"), "{e}");

    let e = err(json!({
        "ns#NotMixin": {"type": "structure"},
        "ns#User": {"type": "structure", "mixins": [{"target": "ns#NotMixin"}]}
    }));
    assert_err(&e, "ns#User", None, "lacks the `smithy.api#mixin` trait");

    let e = err(json!({
        "ns#M": {"type": "string", "traits": {"smithy.api#mixin": {}}},
        "ns#User": {"type": "structure", "mixins": [{"target": "ns#M"}]}
    }));
    assert_err(&e, "ns#User", None, "is a string shape");

    let e = err(json!({"ns#User": {"type": "structure", "mixins": [{"target": "ns#Nope"}]}}));
    assert_err(&e, "ns#User", None, "mixin `ns#Nope` does not exist");
}

#[test]
fn error_reference_to_mixin() {
    let e = err(json!({
        "ns#M": {"type": "structure", "traits": {"smithy.api#mixin": {}}},
        "ns#Foo": {"type": "structure", "members": {"m": {"target": "ns#M"}}}
    }));
    assert_err(&e, "ns#Foo", Some("m"), "`ns#M` is a mixin");
}

#[test]
fn error_redeclared_mixin_member() {
    let e = err(json!({
        "ns#M": {"type": "structure", "members": {"x": {"target": "smithy.api#String"}}, "traits": {"smithy.api#mixin": {}}},
        "ns#Foo": {"type": "structure", "mixins": [{"target": "ns#M"}], "members": {"x": {"target": "smithy.api#Integer"}}}
    }));
    assert_err(&e, "ns#Foo", Some("x"), "different target");
}

#[test]
fn error_members_differ_only_in_case() {
    let e = err(json!({"ns#Foo": {"type": "structure", "members": {
        "name": {"target": "smithy.api#String"},
        "Name": {"target": "smithy.api#String"}
    }}}));
    assert_err(&e, "ns#Foo", Some("Name"), "differ only in case");

    // Also when one of them comes from a mixin.
    let e = err(json!({
        "ns#M": {"type": "structure", "members": {"value": {"target": "smithy.api#String"}}, "traits": {"smithy.api#mixin": {}}},
        "ns#Foo": {"type": "structure", "mixins": [{"target": "ns#M"}], "members": {"VALUE": {"target": "smithy.api#String"}}}
    }));
    assert_err(&e, "ns#Foo", Some("VALUE"), "member `value`");
}

#[test]
fn error_shape_ids_differ_only_in_case() {
    let e = err(json!({"ns#Foo": {"type": "string"}, "ns#FOO": {"type": "string"}}));
    assert_err(&e, "ns#Foo", None, "differ only in case");
}

#[test]
fn error_apply_to_missing() {
    let e = err(json!({"ns#Ghost": {"type": "apply", "traits": {"smithy.api#sensitive": {}}}}));
    assert_err(&e, "ns#Ghost", None, "shape `ns#Ghost` does not exist");

    let e = err(json!({
        "ns#Foo": {"type": "structure"},
        "ns#Foo$bar": {"type": "apply", "traits": {"smithy.api#required": {}}}
    }));
    assert_err(&e, "ns#Foo", Some("bar"), "has no member `bar`");

    // A member that no mixin provides either.
    let e = err(json!({
        "ns#M": {"type": "structure", "traits": {"smithy.api#mixin": {}}},
        "ns#Foo": {"type": "structure", "mixins": [{"target": "ns#M"}]},
        "ns#Foo$bar": {"type": "apply", "traits": {"smithy.api#required": {}}}
    }));
    assert_err(&e, "ns#Foo", Some("bar"), "has no member `bar`");
}

#[test]
fn error_error_shape_without_error_trait() {
    let e = err(json!({
        "ns#NotAnError": {"type": "structure"},
        "ns#Op": {"type": "operation", "errors": [{"target": "ns#NotAnError"}]}
    }));
    assert_err(
        &e,
        "ns#Op",
        None,
        "error `ns#NotAnError` is not marked with the `smithy.api#error` trait",
    );
    assert_eq!(
        e.json_path.as_deref(),
        Some("$.shapes[\"ns#Op\"].errors[0]")
    );

    let e = err(json!({
        "ns#NotAnError": {"type": "structure"},
        "ns#Svc": {"type": "service", "errors": [{"target": "ns#NotAnError"}]}
    }));
    assert_err(
        &e,
        "ns#Svc",
        None,
        "not marked with the `smithy.api#error` trait",
    );

    let e = err(json!({
        "ns#Str": {"type": "string"},
        "ns#Op": {"type": "operation", "errors": [{"target": "ns#Str"}]}
    }));
    assert_err(
        &e,
        "ns#Op",
        None,
        "is a string shape, not a structure shape",
    );
}

#[test]
fn error_wrong_kinds_of_targets() {
    let e = err(json!({
        "ns#Op": {"type": "operation"},
        "ns#Foo": {"type": "structure", "members": {"op": {"target": "ns#Op"}}}
    }));
    assert_err(&e, "ns#Foo", Some("op"), "is a operation shape");

    let e = err(
        json!({"ns#Foo": {"type": "structure", "members": {"u": {"target": "smithy.api#Unit"}}}}),
    );
    assert_err(&e, "ns#Foo", Some("u"), "unit type");

    let e = err(json!({
        "ns#Str": {"type": "string"},
        "ns#Op": {"type": "operation", "input": {"target": "ns#Str"}}
    }));
    assert_err(
        &e,
        "ns#Op",
        None,
        "operation input: `ns#Str` is a string shape, not a structure",
    );

    let e = err(json!({
        "ns#S": {"type": "structure"},
        "ns#Svc": {"type": "service", "operations": [{"target": "ns#S"}]}
    }));
    assert_err(&e, "ns#Svc", None, "not a operation shape");

    let e = err(json!({
        "ns#Op": {"type": "operation"},
        "ns#Svc": {"type": "service", "resources": [{"target": "ns#Op"}]}
    }));
    assert_err(&e, "ns#Svc", None, "not a resource shape");

    let e = err(json!({
        "ns#S": {"type": "structure"},
        "ns#R": {"type": "resource", "read": {"target": "ns#S"}}
    }));
    assert_err(&e, "ns#R", None, "`read`");

    let e = err(
        json!({"ns#R": {"type": "resource", "identifiers": {"id": {"target": "smithy.api#Integer"}}}}),
    );
    assert_err(&e, "ns#R", None, "identifiers must target strings");

    let e = err(json!({
        "ns#R": {"type": "resource", "resources": [{"target": "ns#Q"}]},
        "ns#Q": {"type": "resource", "resources": [{"target": "ns#R"}]}
    }));
    assert_err(&e, "ns#Q", None, "bound to itself");

    let e = err(json!({"ns#Svc": {"type": "service", "rename": {"ns#Nope": "X"}}}));
    assert_err(&e, "ns#Svc", None, "`ns#Nope` does not exist");
}

#[test]
fn error_collection_shapes() {
    let e = err(json!({"ns#L": {"type": "list"}}));
    assert_err(&e, "ns#L", None, "exactly one `member`");

    let e = err(json!({"ns#M": {"type": "map", "key": {"target": "smithy.api#String"}}}));
    assert_err(&e, "ns#M", None, "both `key` and `value`");

    let e = err(
        json!({"ns#M": {"type": "map", "key": {"target": "smithy.api#Integer"}, "value": {"target": "smithy.api#String"}}}),
    );
    assert_err(
        &e,
        "ns#M",
        Some("key"),
        "map keys must target a string shape",
    );
}

#[test]
fn error_enums() {
    let e =
        err(json!({"ns#E": {"type": "enum", "members": {"A": {"target": "smithy.api#String"}}}}));
    assert_err(&e, "ns#E", Some("A"), "must target `smithy.api#Unit`");

    let e =
        err(json!({"ns#E": {"type": "intEnum", "members": {"A": {"target": "smithy.api#Unit"}}}}));
    assert_err(&e, "ns#E", Some("A"), "no integer `smithy.api#enumValue`");

    let e = err(
        json!({"ns#E": {"type": "intEnum", "members": {"A": {"traits": {"smithy.api#enumValue": "one"}}}}}),
    );
    assert_err(&e, "ns#E", Some("A"), "32-bit integer");

    let e = err(
        json!({"ns#E": {"type": "enum", "members": {"A": {"traits": {"smithy.api#enumValue": 1}}}}}),
    );
    assert_err(&e, "ns#E", Some("A"), "non-empty string");

    let e = err(json!({"ns#E": {"type": "enum", "members": {
        "A": {"traits": {"smithy.api#enumValue": "x"}},
        "B": {"traits": {"smithy.api#enumValue": "x"}}
    }}}));
    assert_err(&e, "ns#E", Some("B"), "also used by member `A`");

    let e = err(json!({"ns#E": {"type": "enum"}}));
    assert_err(&e, "ns#E", None, "at least one member");
}

#[test]
fn error_default_values() {
    let e = err(json!({"ns#Foo": {"type": "structure", "members": {
        "n": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": true}}
    }}}));
    assert_err(
        &e,
        "ns#Foo",
        Some("n"),
        "does not suit integer shape `smithy.api#Integer`",
    );

    let e = err(json!({"ns#Foo": {"type": "structure", "members": {
        "b": {"target": "smithy.api#Byte", "traits": {"smithy.api#default": 300}}
    }}}));
    assert_err(&e, "ns#Foo", Some("b"), "does not suit byte");

    let e = err(json!({
        "ns#E": {"type": "enum", "members": {"A": {}}},
        "ns#Foo": {"type": "structure", "members": {"e": {"target": "ns#E", "traits": {"smithy.api#default": "B"}}}}
    }));
    assert_err(&e, "ns#Foo", Some("e"), "not one of the values");

    let e = err(json!({"ns#S": {"type": "string", "traits": {"smithy.api#default": 1}}}));
    assert_err(&e, "ns#S", None, "does not suit string");

    // Values that suit their targets load.
    ok(json!({
        "ns#E": {"type": "enum", "members": {"A": {}}},
        "ns#L": {"type": "list", "member": {"target": "smithy.api#String"}},
        "ns#Foo": {"type": "structure", "members": {
            "e": {"target": "ns#E", "traits": {"smithy.api#default": "A"}},
            "l": {"target": "ns#L", "traits": {"smithy.api#default": []}},
            "f": {"target": "smithy.api#Float", "traits": {"smithy.api#default": "NaN"}},
            "t": {"target": "smithy.api#Timestamp", "traits": {"smithy.api#default": 0}},
            "d": {"target": "smithy.api#Document", "traits": {"smithy.api#default": {"a": [1]}}},
            "p": {"target": "smithy.api#PrimitiveInteger", "traits": {"smithy.api#default": 0}},
            "x": {"target": "smithy.api#String", "traits": {"smithy.api#default": null}}
        }}
    }));
}

#[test]
fn error_known_trait_values() {
    let e = err(json!({"ns#E": {"type": "structure", "traits": {"smithy.api#error": "oops"}}}));
    assert_err(&e, "ns#E", None, "\"client\" or \"server\"");
    assert_eq!(
        e.json_path.as_deref(),
        Some("$.shapes[\"ns#E\"].traits[\"smithy.api#error\"]")
    );

    let e = err(json!({"ns#Foo": {"type": "structure", "members": {
        "t": {"target": "smithy.api#Timestamp", "traits": {"smithy.api#timestampFormat": "iso"}}
    }}}));
    assert_err(&e, "ns#Foo", Some("t"), "timestampFormat");

    let e = err(json!({"ns#Op": {"type": "operation", "traits": {"smithy.api#auth": "sigv4"}}}));
    assert_err(&e, "ns#Op", None, "must be a list");

    let e = err(json!({"ns#S": {"type": "string", "traits": {"smithy.api#documentation": 7}}}));
    assert_err(&e, "ns#S", None, "must be a string");
}

#[test]
fn error_inherited_member_names_its_mixin() {
    let e = err(json!({
        "ns#M": {"type": "structure", "members": {"x": {"target": "ns#Missing"}}, "traits": {"smithy.api#mixin": {}}},
        "ns#Foo": {"type": "structure", "mixins": [{"target": "ns#M"}]}
    }));
    assert_err(&e, "ns#Foo", Some("x"), "inherited from mixin `ns#M`");
    assert_eq!(
        e.json_path.as_deref(),
        Some("$.shapes[\"ns#M\"].members.x.target")
    );
}

// ----------------------------------------------------------- robustness

/// Replaces every value in a valid model, one at a time, with values of
/// each JSON type; loading must return (Ok or Err) without panicking.
#[test]
fn no_panic_on_wrong_types_anywhere() {
    let base = json!({
        "smithy": "2.0",
        "metadata": {"m": [1]},
        "shapes": {
            "ns#Svc": {"type": "service", "version": "1", "operations": [{"target": "ns#Op"}],
                       "resources": [{"target": "ns#R"}], "errors": [{"target": "ns#Err"}],
                       "rename": {"ns#S": "T"}, "traits": {"smithy.api#auth": ["a#b"]}},
            "ns#R": {"type": "resource", "identifiers": {"id": {"target": "ns#S"}},
                     "read": {"target": "ns#Op"}, "collectionOperations": [{"target": "ns#Op"}]},
            "ns#Op": {"type": "operation", "input": {"target": "ns#In"}, "output": {"target": "smithy.api#Unit"},
                      "errors": [{"target": "ns#Err"}]},
            "ns#In": {"type": "structure", "mixins": [{"target": "ns#Mx"}],
                      "members": {"a": {"target": "ns#S", "traits": {"smithy.api#default": "x"}}}},
            "ns#Mx": {"type": "structure", "members": {"b": {"target": "ns#L"}},
                      "traits": {"smithy.api#mixin": {"localTraits": ["smithy.api#private"]}}},
            "ns#Err": {"type": "structure", "traits": {"smithy.api#error": "client", "smithy.api#httpError": 400}},
            "ns#S": {"type": "string"},
            "ns#L": {"type": "list", "member": {"target": "ns#S"}},
            "ns#Mp": {"type": "map", "key": {"target": "ns#S"}, "value": {"target": "ns#E"}},
            "ns#E": {"type": "enum", "members": {"A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "a"}}}},
            "ns#I": {"type": "intEnum", "members": {"A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}}}},
            "ns#In$a": {"type": "apply", "traits": {"smithy.api#required": {}}}
        }
    });
    Model::load(&[("base.json", &base.to_string())]).unwrap_or_else(|e| panic!("base: {e}"));

    let replacements = [
        Value::Null,
        json!(true),
        json!(-1),
        json!(1.5),
        json!(""),
        json!("ns#Op"),
        json!("ns#In$a"),
        json!([]),
        json!([{"target": "ns#S"}]),
        json!({}),
        json!({"target": "ns#Mx"}),
    ];
    let mut paths: Vec<Vec<PathStep>> = Vec::new();
    collect_paths(&base, &mut Vec::new(), &mut paths);
    let mut loads = 0;
    for path in &paths {
        for replacement in &replacements {
            let mut mutated = base.clone();
            if let Some(slot) = value_at(&mut mutated, path) {
                *slot = replacement.clone();
                let _ = Model::load(&[("m.json", &mutated.to_string())]);
                loads += 1;
            }
        }
    }
    assert!(loads > 500, "{loads}");

    // Keys too: rename every object key to some odd ones.
    for path in &paths {
        if let Some(PathStep::Key(_)) = path.last() {
            for key in ["", "ns#Op", "type", "x$y", "ns#S$a", "Σ"] {
                let mut mutated = base.clone();
                rename_key(&mut mutated, path, key);
                let _ = Model::load(&[("m.json", &mutated.to_string())]);
            }
        }
    }
}

#[test]
fn no_panic_on_hostile_text() {
    let deep = "[".repeat(100_000);
    assert!(Model::load(&[("deep.json", &deep)]).is_err());
    let deep_obj = format!(
        "{{\"smithy\":\"2.0\",\"metadata\":{{\"x\":{}}}}}",
        "[".repeat(5000) + &"]".repeat(5000)
    );
    assert!(Model::load(&[("deep.json", &deep_obj)]).is_err());
    let text = doc(
        json!({"ns#Foo": {"type": "structure", "members": {"bar": {"target": "smithy.api#String"}}}}),
    );
    // Truncations and single-byte corruptions.
    for cut in 0..text.len() {
        if text.is_char_boundary(cut) {
            let _ = Model::load(&[("cut.json", &text[..cut])]);
        }
    }
    let bytes = text.as_bytes();
    for i in 0..bytes.len() {
        for b in [b'"', b'{', b'}', b'#', b'$', b'0', b'\\', b'x'] {
            let mut copy = bytes.to_vec();
            copy[i] = b;
            if let Ok(s) = String::from_utf8(copy) {
                let _ = Model::load(&[("byte.json", &s)]);
            }
        }
    }
}

#[derive(Clone, Debug)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn collect_paths(v: &Value, prefix: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    out.push(prefix.clone());
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                prefix.push(PathStep::Key(k.clone()));
                collect_paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(list) => {
            for (i, child) in list.iter().enumerate() {
                prefix.push(PathStep::Index(i));
                collect_paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn value_at<'v>(v: &'v mut Value, path: &[PathStep]) -> Option<&'v mut Value> {
    let mut current = v;
    for step in path {
        current = match step {
            PathStep::Key(k) => current.get_mut(k.as_str())?,
            PathStep::Index(i) => current.get_mut(*i)?,
        };
    }
    Some(current)
}

fn rename_key(v: &mut Value, path: &[PathStep], new_key: &str) {
    let Some((PathStep::Key(old), parent_path)) = path.split_last() else {
        return;
    };
    if let Some(Value::Object(map)) = value_at(v, parent_path) {
        if let Some(value) = map.remove(old) {
            map.insert(new_key.to_string(), value);
        }
    }
}

#[test]
fn deep_resource_chains_resolve_without_recursion() {
    let mut shapes = serde_json::Map::new();
    let n = 3000;
    let mut service = json!({"type": "service", "resources": [{"target": "ns#R0"}]});
    for i in 0..n {
        let mut r = json!({"type": "resource", "operations": [{"target": format!("ns#Op{i}")}]});
        if i + 1 < n {
            r["resources"] = json!([{"target": format!("ns#R{}", i + 1)}]);
        }
        shapes.insert(format!("ns#R{i}"), r);
        shapes.insert(format!("ns#Op{i}"), json!({"type": "operation"}));
    }
    service["operations"] = json!([{"target": "ns#Op7"}]);
    shapes.insert("ns#Svc".to_string(), service);
    let model = ok(Value::Object(shapes.clone()));
    let ops = model.service_operations(&id("ns#Svc"));
    assert_eq!(ops.len(), n);
    assert_eq!(ops[0], id("ns#Op0"));
    assert_eq!(ops[1], id("ns#Op1"));
    assert_eq!(ops[2], id("ns#Op10"), "sorted by name");

    // Closing the chain into a loop is an error, not a hang.
    shapes.insert(
        format!("ns#R{}", n - 1),
        json!({"type": "resource", "resources": [{"target": "ns#R0"}]}),
    );
    let e = err(Value::Object(shapes));
    assert!(e.to_string().contains("bound to itself"), "{e}");
}
