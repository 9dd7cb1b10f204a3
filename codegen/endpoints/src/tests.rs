//! Unit tests: library functions, templates, loading errors and evaluation.

use serde_json::json;

use crate::ast::{PathStep, Template, TemplatePart};
use crate::functions::{
    is_valid_host_label, is_virtual_hostable_s3_bucket, parse_arn, parse_url, split, substring,
    uri_encode,
};
use crate::load::{parse_attr_path, parse_template};
use crate::tests_runner::run_model_tests;
use crate::{ParamType, ParamValue, Params, RuleSet};

fn rules(doc: serde_json::Value) -> RuleSet {
    RuleSet::from_json(&doc).unwrap_or_else(|e| panic!("rule set loads: {e}"))
}

fn params(pairs: &[(&str, ParamValue)]) -> Params {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// A rule set with one string parameter `P` whose only rule returns an
/// endpoint when `condition` holds and errors otherwise.
fn probe(condition: serde_json::Value, url: &str) -> RuleSet {
    rules(json!({
        "version": "1.0",
        "parameters": {
            "P": {"type": "String"},
            "B": {"type": "Boolean"},
            "L": {"type": "stringArray"}
        },
        "rules": [
            {"type": "endpoint", "conditions": [condition], "endpoint": {"url": url}},
            {"type": "error", "conditions": [], "error": "no match"}
        ]
    }))
}

fn probe_url(rs: &RuleSet, p: &Params) -> Option<String> {
    rs.resolve(p).ok().map(|e| e.url)
}

// ---------------------------------------------------------------- functions

#[test]
fn substring_edge_cases() {
    assert_eq!(substring("abcdef", 0, 4, false).as_deref(), Some("abcd"));
    assert_eq!(substring("abcdef", 0, 4, true).as_deref(), Some("cdef"));
    assert_eq!(substring("abcdef", 2, 6, false).as_deref(), Some("cdef"));
    assert_eq!(substring("abcdef", 2, 6, true).as_deref(), Some("abcd"));
    assert_eq!(substring("abcdef", 0, 6, false).as_deref(), Some("abcdef"));
    // Out of range, empty or inverted ranges.
    assert_eq!(substring("abc", 0, 4, false), None);
    assert_eq!(substring("abc", 0, 4, true), None);
    assert_eq!(substring("abc", 1, 1, false), None);
    assert_eq!(substring("abc", 2, 1, false), None);
    assert_eq!(substring("abc", -1, 2, false), None);
    assert_eq!(substring("", 0, 1, false), None);
    // Non-ASCII input anywhere.
    assert_eq!(substring("abc\u{1F600}def", 0, 2, false), None);
    assert_eq!(substring("ab\u{e9}", 0, 1, true), None);
}

#[test]
fn host_label_edge_cases() {
    assert!(is_valid_host_label("abc", false));
    assert!(is_valid_host_label("a", false));
    assert!(is_valid_host_label("0abc-def", false));
    assert!(is_valid_host_label("abc-", false));
    assert!(is_valid_host_label(&"a".repeat(63), false));
    assert!(!is_valid_host_label(&"a".repeat(64), false));
    assert!(!is_valid_host_label("", false));
    assert!(!is_valid_host_label("-abc", false));
    assert!(!is_valid_host_label("a_b", false));
    assert!(!is_valid_host_label("a.b", false));
    assert!(!is_valid_host_label("ab\u{e9}", false));
    assert!(is_valid_host_label("a.b.c", true));
    assert!(is_valid_host_label("abc", true));
    assert!(!is_valid_host_label("a..b", true));
    assert!(!is_valid_host_label("a.", true));
    assert!(!is_valid_host_label(".a", true));
    assert!(!is_valid_host_label("a.-b", true));
}

#[test]
fn uri_encode_cases() {
    assert_eq!(uri_encode("abcXYZ019-_.~"), "abcXYZ019-_.~");
    assert_eq!(uri_encode("a b"), "a%20b");
    assert_eq!(
        uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
        "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
    );
    assert_eq!(uri_encode("\u{e9}"), "%C3%A9");
    assert_eq!(uri_encode(""), "");
}

#[test]
fn parse_url_spec_examples() {
    let u = parse_url("https://example.com").expect("valid");
    assert_eq!(
        (u.scheme.as_str(), u.authority.as_str(), u.path.as_str()),
        ("https", "example.com", "")
    );
    assert_eq!(u.normalized_path, "/");
    assert!(!u.is_ip);

    assert_eq!(parse_url("https://example.com:8443?foo=bar&faz=baz"), None);

    let u = parse_url("http://example.com:80/foo/bar").expect("valid");
    assert_eq!(u.scheme, "http");
    assert_eq!(u.authority, "example.com:80");
    assert_eq!(u.path, "/foo/bar");
    assert_eq!(u.normalized_path, "/foo/bar/");

    let u = parse_url("https://127.0.0.1").expect("valid");
    assert!(u.is_ip);
    assert_eq!(u.authority, "127.0.0.1");

    let u = parse_url("https://[fe80::1]").expect("valid");
    assert!(u.is_ip);
    assert_eq!(u.authority, "[fe80::1]");

    let u = parse_url("https://[::ffff:10.0.0.1]:8080/a/").expect("valid");
    assert!(u.is_ip);
    assert_eq!(u.normalized_path, "/a/");
}

#[test]
fn parse_url_rejections_and_details() {
    for bad in [
        "ftp://example.com",
        "example.com",
        "https://",
        "https://example.com/a?b",
        "https://example.com#frag",
        "https://exa mple.com",
        "https://example.com:port",
        "https://example.com:99999",
        "https://[not-ip]",
        "https://[fe80::1",
        "https://[1::2::3]",
    ] {
        assert_eq!(parse_url(bad), None, "{bad}");
    }
    let u = parse_url("https://user:pw@host.example:443/p").expect("valid");
    assert_eq!(u.authority, "host.example:443");
    let u = parse_url("HTTPS://Host/").expect("valid");
    assert_eq!(u.scheme, "https");
    assert_eq!(u.path, "/");
    assert_eq!(u.normalized_path, "/");
    assert!(!parse_url("https://1.2.3.256").expect("valid host").is_ip);
    assert!(!parse_url("https://1.2.3").expect("valid host").is_ip);
}

#[test]
fn parse_arn_spec_examples() {
    let a = parse_arn("arn:aws:sns:us-west-2:012345678910:example-sns-topic-name").expect("valid");
    assert_eq!(a.partition, "aws");
    assert_eq!(a.service, "sns");
    assert_eq!(a.region, "us-west-2");
    assert_eq!(a.account_id, "012345678910");
    assert_eq!(a.resource_id, ["example-sns-topic-name"]);

    assert_eq!(parse_arn("11111111-2222-3333-4444-555555555555"), None);

    let a =
        parse_arn("arn:aws:ec2:us-east-1:012345678910:vpc/vpc-0e9801d129EXAMPLE").expect("valid");
    assert_eq!(a.resource_id, ["vpc", "vpc-0e9801d129EXAMPLE"]);

    let a = parse_arn("arn:aws:iam::012345678910:user/johndoe").expect("valid");
    assert_eq!(a.region, "");
    assert_eq!(a.resource_id, ["user", "johndoe"]);

    let a = parse_arn("arn:aws:s3:::bucket_name").expect("valid");
    assert_eq!((a.region.as_str(), a.account_id.as_str()), ("", ""));
    assert_eq!(a.resource_id, ["bucket_name"]);

    let a = parse_arn("arn:aws:s3:us-west-2:123:accesspoint:my:ap/x").expect("valid");
    assert_eq!(a.resource_id, ["accesspoint", "my", "ap", "x"]);

    for bad in [
        "",
        "arn",
        "arn:aws:s3:us-west-2:123",
        "arn:aws:s3:us-west-2:123:",
        "arn::s3:us-west-2:123:x",
        "arn:aws::us-west-2:123:x",
        "nra:aws:s3:us-west-2:123:x",
    ] {
        assert_eq!(parse_arn(bad), None, "{bad}");
    }
}

#[test]
fn virtual_hostable_bucket_cases() {
    assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
    assert!(is_virtual_hostable_s3_bucket("abc", false));
    assert!(!is_virtual_hostable_s3_bucket("ab", false));
    assert!(!is_virtual_hostable_s3_bucket(&"a".repeat(64), false));
    assert!(!is_virtual_hostable_s3_bucket("MyBucket", false));
    assert!(!is_virtual_hostable_s3_bucket("my_bucket", false));
    assert!(!is_virtual_hostable_s3_bucket("-bucket", false));
    assert!(!is_virtual_hostable_s3_bucket("bucket-", false));
    assert!(!is_virtual_hostable_s3_bucket("my.bucket", false));
    assert!(is_virtual_hostable_s3_bucket("my.bucket", true));
    assert!(!is_virtual_hostable_s3_bucket("my..bucket", true));
    assert!(!is_virtual_hostable_s3_bucket("192.168.1.1", true));
}

#[test]
fn split_cases() {
    assert_eq!(split("a--b--c", "--", 0).expect("splits"), ["a", "b", "c"]);
    assert_eq!(split("a--b--c", "--", 2).expect("splits"), ["a", "b--c"]);
    assert_eq!(split("a--b--c", "--", 1).expect("splits"), ["a--b--c"]);
    assert_eq!(split("", "-", 0).expect("splits"), [""]);
    assert_eq!(split("abc", "", 0).expect("splits"), ["abc"]);
    assert_eq!(split("abc", "-", -1), None);
}

// ---------------------------------------------------------------- templates

#[test]
fn template_parsing() {
    let lookup = |name: &str| match name {
        "Region" => Some(0),
        "P" => Some(1),
        _ => None,
    };
    assert_eq!(
        parse_template("https://example.com", &lookup),
        Ok(Template::Static("https://example.com".to_string()))
    );
    assert_eq!(
        parse_template("a{{b}}c", &lookup),
        Ok(Template::Static("a{b}c".to_string()))
    );
    let t = parse_template("https://svc.{Region}.{P#dnsSuffix}", &lookup).expect("parses");
    let Template::Parts(parts) = t else {
        panic!("expected placeholders");
    };
    assert_eq!(parts.len(), 4);
    assert_eq!(parts[0], TemplatePart::Literal("https://svc.".to_string()));
    assert!(
        matches!(&parts[1], TemplatePart::Var { var, path } if var.slot == 0 && path.is_empty())
    );
    assert_eq!(parts[2], TemplatePart::Literal(".".to_string()));
    assert!(matches!(
        &parts[3],
        TemplatePart::Var { var, path } if var.name == "P" && path == &[PathStep::Key("dnsSuffix".to_string())]
    ));
    let t = parse_template("{{{Region}}}", &lookup).expect("parses");
    let Template::Parts(parts) = t else {
        panic!("expected placeholders");
    };
    assert_eq!(parts[0], TemplatePart::Literal("{".to_string()));
    assert_eq!(parts[2], TemplatePart::Literal("}".to_string()));

    assert!(parse_template("{Unknown}", &lookup).is_err());
    assert!(parse_template("{Region", &lookup).is_err());
    assert!(parse_template("{}", &lookup).is_err());
    assert!(parse_template("{P#}", &lookup).is_err());
    assert!(parse_template("{P#a[x]}", &lookup).is_err());
}

#[test]
fn attr_path_parsing() {
    assert_eq!(
        parse_attr_path("a.b[0]"),
        Ok(vec![
            PathStep::Key("a".into()),
            PathStep::Key("b".into()),
            PathStep::Index(0)
        ])
    );
    assert_eq!(parse_attr_path("[3]"), Ok(vec![PathStep::Index(3)]));
    assert_eq!(
        parse_attr_path("a[1][2]"),
        Ok(vec![
            PathStep::Key("a".into()),
            PathStep::Index(1),
            PathStep::Index(2)
        ])
    );
    for bad in ["", "a..b", "a.", "a[", "a[]", "a[-1]", "a[1]x", "a]"] {
        assert!(parse_attr_path(bad).is_err(), "{bad}");
    }
}

#[test]
fn templates_render_in_url_headers_properties_and_errors() {
    let rs = rules(json!({
        "version": "1.3",
        "parameters": {
            "Region": {"type": "String", "required": true},
            "Fail": {"type": "Boolean", "required": true, "default": false}
        },
        "rules": [
            {
                "type": "error",
                "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "Fail"}, true]}],
                "error": "region {Region} is not {{supported}}"
            },
            {
                "type": "endpoint",
                "conditions": [
                    {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"}
                ],
                "endpoint": {
                    "url": "https://svc.{Region}.{PartitionResult#dnsSuffix}",
                    "headers": {"x-region": ["{Region}", "static"], "x-partition": ["{PartitionResult#name}"]},
                    "properties": {
                        "authSchemes": [{"name": "sigv4", "signingRegion": "{Region}", "disableDoubleEncoding": true}],
                        "nested": {"deep": ["{PartitionResult#dualStackDnsSuffix}", 3, null]}
                    }
                }
            }
        ]
    }));
    let ep = rs
        .resolve(&params(&[("Region", "cn-north-1".into())]))
        .expect("resolves");
    assert_eq!(ep.url, "https://svc.cn-north-1.amazonaws.com.cn");
    assert_eq!(ep.headers["x-region"], ["cn-north-1", "static"]);
    assert_eq!(ep.headers["x-partition"], ["aws-cn"]);
    assert_eq!(
        serde_json::Value::Object(ep.properties),
        json!({
            "authSchemes": [{"name": "sigv4", "signingRegion": "cn-north-1", "disableDoubleEncoding": true}],
            "nested": {"deep": ["api.amazonwebservices.com.cn", 3, null]}
        })
    );
    let err = rs
        .resolve(&params(&[("Region", "x".into()), ("Fail", true.into())]))
        .expect_err("error rule");
    assert_eq!(err.message, "region x is not {supported}");
    assert_eq!(err.to_string(), "region x is not {supported}");
}

// ---------------------------------------------------------------- evaluation

#[test]
fn parameters_defaults_required_and_types() {
    let rs = rules(json!({
        "version": "1.0",
        "parameters": {
            "Region": {"type": "String", "builtIn": "AWS::Region", "required": true, "documentation": "region"},
            "UseFIPS": {"type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false},
            "Names": {"type": "StringArray", "required": true, "default": ["a", "b"]},
            "Old": {"type": "string", "deprecated": {"message": "gone"}}
        },
        "rules": [{
            "type": "endpoint",
            "conditions": [
                {"fn": "getAttr", "argv": [{"ref": "Names"}, "[1]"], "assign": "Second"}
            ],
            "endpoint": {"url": "https://{Region}.{Second}.{UseFIPS}"}
        }]
    }));
    assert_eq!(rs.version(), "1.0");
    assert_eq!(rs.parameters().len(), 4);
    let region = rs.parameter("Region").expect("declared");
    assert_eq!(region.param_type, ParamType::String);
    assert!(region.required);
    assert_eq!(region.documentation.as_deref(), Some("region"));
    assert_eq!(
        rs.parameter_for_built_in("AWS::UseFIPS")
            .map(|p| p.name.as_str()),
        Some("UseFIPS")
    );
    assert_eq!(
        rs.parameter("Names").and_then(|p| p.default.clone()),
        Some(ParamValue::StringArray(vec!["a".into(), "b".into()]))
    );
    assert!(rs.parameter("Old").is_some_and(|p| p.deprecated));

    let ok = rs
        .resolve(&params(&[("Region", "r".into()), ("Ignored", true.into())]))
        .expect("resolves");
    assert_eq!(ok.url, "https://r.b.false");
    let ok = rs
        .resolve(&params(&[
            ("Region", "r".into()),
            ("UseFIPS", true.into()),
            ("Names", vec!["x".to_string(), "y".to_string()].into()),
        ]))
        .expect("resolves");
    assert_eq!(ok.url, "https://r.y.true");

    let missing = rs.resolve(&Params::new()).expect_err("Region is required");
    assert!(missing.message.contains("Region"), "{missing}");
    let wrong = rs
        .resolve(&params(&[("Region", true.into())]))
        .expect_err("wrong type");
    assert!(wrong.message.contains("Region"), "{wrong}");
}

#[test]
fn is_set_not_and_equality() {
    let rs = probe(
        json!({"fn": "isSet", "argv": [{"ref": "P"}]}),
        "https://set",
    );
    assert_eq!(probe_url(&rs, &Params::new()), None);
    assert_eq!(
        probe_url(&rs, &params(&[("P", "".into())])).as_deref(),
        Some("https://set")
    );

    let rs = probe(
        json!({"fn": "not", "argv": [{"fn": "isSet", "argv": [{"ref": "P"}]}]}),
        "https://unset",
    );
    assert_eq!(
        probe_url(&rs, &Params::new()).as_deref(),
        Some("https://unset")
    );

    let rs = probe(
        json!({"fn": "stringEquals", "argv": [{"ref": "P"}, "x"]}),
        "https://x",
    );
    assert_eq!(
        probe_url(&rs, &params(&[("P", "x".into())])).as_deref(),
        Some("https://x")
    );
    assert_eq!(probe_url(&rs, &params(&[("P", "y".into())])), None);
    assert_eq!(probe_url(&rs, &Params::new()), None);

    let rs = probe(
        json!({"fn": "booleanEquals", "argv": [{"ref": "B"}, false]}),
        "https://f",
    );
    assert_eq!(
        probe_url(&rs, &params(&[("B", false.into())])).as_deref(),
        Some("https://f")
    );
    assert_eq!(probe_url(&rs, &params(&[("B", true.into())])), None);
    // An unset operand is never equal.
    assert_eq!(probe_url(&rs, &Params::new()), None);
    // `not` of an unset value does not hold either.
    let rs = probe(json!({"fn": "not", "argv": [{"ref": "B"}]}), "https://n");
    assert_eq!(probe_url(&rs, &Params::new()), None);
    assert_eq!(
        probe_url(&rs, &params(&[("B", false.into())])).as_deref(),
        Some("https://n")
    );
}

#[test]
fn functions_through_rules() {
    let rs = probe(
        json!({"fn": "substring", "argv": [{"ref": "P"}, 0, 4, false], "assign": "S"}),
        "https://{S}",
    );
    assert_eq!(
        probe_url(&rs, &params(&[("P", "abcdef".into())])).as_deref(),
        Some("https://abcd")
    );
    assert_eq!(probe_url(&rs, &params(&[("P", "abc".into())])), None);

    let rs = probe(
        json!({"fn": "isValidHostLabel", "argv": [{"ref": "P"}, true]}),
        "https://ok",
    );
    assert!(probe_url(&rs, &params(&[("P", "a.b".into())])).is_some());
    assert!(probe_url(&rs, &params(&[("P", "a..b".into())])).is_none());
    assert!(probe_url(&rs, &Params::new()).is_none());

    let rs = probe(
        json!({"fn": "parseURL", "argv": [{"ref": "P"}], "assign": "U"}),
        "{U#scheme}://{U#authority}{U#normalizedPath}x?ip={U#isIp}",
    );
    assert_eq!(
        probe_url(&rs, &params(&[("P", "http://10.0.0.1:90/p".into())])).as_deref(),
        Some("http://10.0.0.1:90/p/x?ip=true")
    );
    assert_eq!(
        probe_url(&rs, &params(&[("P", "http://h/?q".into())])),
        None
    );

    let rs = probe(
        json!({"fn": "uriEncode", "argv": [{"ref": "P"}], "assign": "E"}),
        "https://h/{E}",
    );
    assert_eq!(
        probe_url(&rs, &params(&[("P", "a/b c".into())])).as_deref(),
        Some("https://h/a%2Fb%20c")
    );

    let rs = probe(
        json!({"fn": "aws.parseArn", "argv": [{"ref": "P"}], "assign": "A"}),
        "https://{A#accountId}.{A#region}.{A#resourceId[1]}",
    );
    assert_eq!(
        probe_url(
            &rs,
            &params(&[("P", "arn:aws:dynamodb:us-east-1:123:table/t".into())])
        )
        .as_deref(),
        Some("https://123.us-east-1.t")
    );
    assert_eq!(probe_url(&rs, &params(&[("P", "not-an-arn".into())])), None);

    let rs = probe(
        json!({"fn": "aws.isVirtualHostableS3Bucket", "argv": [{"ref": "P"}, false]}),
        "https://ok",
    );
    assert!(probe_url(&rs, &params(&[("P", "bucket".into())])).is_some());
    assert!(probe_url(&rs, &params(&[("P", "Bucket".into())])).is_none());

    let rs = probe(
        json!({"fn": "getAttr", "argv": [{"ref": "L"}, "[2]"], "assign": "Third"}),
        "https://{Third}",
    );
    let list =
        |items: &[&str]| ParamValue::StringArray(items.iter().map(|s| s.to_string()).collect());
    assert_eq!(
        probe_url(&rs, &params(&[("L", list(&["a", "b", "c"]))])).as_deref(),
        Some("https://c")
    );
    assert_eq!(probe_url(&rs, &params(&[("L", list(&["a"]))])), None);

    let rs = probe(
        json!({"fn": "coalesce", "argv": [{"ref": "P"}, "fallback"], "assign": "C"}),
        "https://{C}",
    );
    assert_eq!(
        probe_url(&rs, &Params::new()).as_deref(),
        Some("https://fallback")
    );
    assert_eq!(
        probe_url(&rs, &params(&[("P", "p".into())])).as_deref(),
        Some("https://p")
    );

    let rs = probe(
        json!({"fn": "ite", "argv": [{"ref": "B"}, "yes", "no"], "assign": "I"}),
        "https://{I}",
    );
    assert_eq!(
        probe_url(&rs, &params(&[("B", true.into())])).as_deref(),
        Some("https://yes")
    );
    assert_eq!(
        probe_url(&rs, &params(&[("B", false.into())])).as_deref(),
        Some("https://no")
    );

    let rs = probe(
        json!({"fn": "getAttr", "argv": [{"fn": "split", "argv": [{"ref": "P"}, "--", 0]}, "[1]"], "assign": "Part"}),
        "https://{Part}",
    );
    assert_eq!(
        probe_url(&rs, &params(&[("P", "a--b--c".into())])).as_deref(),
        Some("https://b")
    );

    let rs = probe(
        json!({"fn": "aws.partition", "argv": [{"ref": "P"}], "assign": "Part"}),
        "https://{Part#name}.{Part#implicitGlobalRegion}.{Part#supportsFIPS}",
    );
    assert_eq!(
        probe_url(&rs, &params(&[("P", "us-gov-west-1".into())])).as_deref(),
        Some("https://aws-us-gov.us-gov-west-1.true")
    );
    assert_eq!(
        probe_url(&rs, &params(&[("P", "eu-west-9".into())])).as_deref(),
        Some("https://aws.us-east-1.true")
    );
}

#[test]
fn assignments_are_scoped_and_trees_are_terminal() {
    let rs = rules(json!({
        "version": "1.0",
        "parameters": {"P": {"type": "String", "required": true}},
        "rules": [
            {
                "type": "tree",
                "conditions": [{"fn": "stringEquals", "argv": [{"ref": "P"}, "tree"]}],
                "rules": [
                    {
                        "type": "endpoint",
                        "conditions": [{"fn": "stringEquals", "argv": ["{P}", "never"]}],
                        "endpoint": {"url": "https://never"}
                    }
                ]
            },
            {
                "type": "endpoint",
                "conditions": [
                    {"fn": "substring", "argv": [{"ref": "P"}, 0, 1, false], "assign": "X"},
                    {"fn": "stringEquals", "argv": [{"ref": "X"}, "z"]}
                ],
                "endpoint": {"url": "https://first-{X}"}
            },
            {
                "type": "endpoint",
                "conditions": [
                    {"fn": "substring", "argv": [{"ref": "P"}, 1, 2, false], "assign": "X"}
                ],
                "endpoint": {"url": "https://second-{X}"}
            }
        ]
    }));
    let err = rs
        .resolve(&params(&[("P", "tree".into())]))
        .expect_err("tree exhausts");
    assert!(err.message.contains("tree"), "{err}");
    assert_eq!(
        rs.resolve(&params(&[("P", "zq".into())])).map(|e| e.url),
        Ok("https://first-z".to_string())
    );
    assert_eq!(
        rs.resolve(&params(&[("P", "ab".into())])).map(|e| e.url),
        Ok("https://second-b".to_string())
    );
    // Rule exhaustion at the top level is an error too.
    assert!(rs.resolve(&params(&[("P", "a".into())])).is_err());
}

#[test]
fn resolution_is_deterministic_and_shareable() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<RuleSet>();
    let rs = probe(
        json!({"fn": "isSet", "argv": [{"ref": "P"}]}),
        "https://{P}",
    );
    let p = params(&[("P", "x".into())]);
    let first = rs.resolve(&p);
    for _ in 0..3 {
        assert_eq!(rs.resolve(&p), first);
    }
    let text = r#"{"version":"1.0","parameters":{},"rules":[{"type":"endpoint","conditions":[],"endpoint":{"url":"https://a"}}]}"#;
    let a = RuleSet::from_str(text).expect("loads");
    let b: RuleSet = text.parse().expect("loads");
    assert_eq!(a, b);
    assert_eq!(
        a.resolve(&Params::new()).map(|e| e.url),
        Ok("https://a".into())
    );
}

// ---------------------------------------------------------------- load errors

#[test]
fn load_errors_name_the_json_path() {
    let cases: Vec<(serde_json::Value, &str)> = vec![
        (json!([]), "$"),
        (json!({"parameters": {}, "rules": []}), "$"),
        (
            json!({"version": "2.0", "parameters": {}, "rules": []}),
            "$.version",
        ),
        (json!({"version": "1.0", "rules": []}), "$"),
        (
            json!({"version": "1.0", "parameters": {}, "rules": []}),
            "$.rules",
        ),
        (
            json!({"version": "1.0", "parameters": {"P": {"type": "Integer"}}, "rules": []}),
            "$.parameters.P.type",
        ),
        (
            json!({"version": "1.0", "parameters": {"P": {"type": "Boolean", "default": "x"}}, "rules": []}),
            "$.parameters.P.default",
        ),
        (
            json!({"version": "1.0", "parameters": {}, "rules": [{"type": "magic", "conditions": []}]}),
            "$.rules[0].type",
        ),
        (
            json!({"version": "1.0", "parameters": {}, "rules": [
                {"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "Nope"}]}], "error": "e"}
            ]}),
            "$.rules[0].conditions[0].argv[0].ref",
        ),
        (
            json!({"version": "1.0", "parameters": {}, "rules": [
                {"type": "error", "conditions": [{"fn": "frobnicate", "argv": []}], "error": "e"}
            ]}),
            "$.rules[0].conditions[0].fn",
        ),
        (
            json!({"version": "1.0", "parameters": {"P": {"type": "String"}}, "rules": [
                {"type": "error", "conditions": [{"fn": "substring", "argv": [{"ref": "P"}, 0]}], "error": "e"}
            ]}),
            "$.rules[0].conditions[0].argv",
        ),
        (
            json!({"version": "1.0", "parameters": {"P": {"type": "String"}}, "rules": [
                {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Q}"}}
            ]}),
            "$.rules[0].endpoint.url",
        ),
        (
            json!({"version": "1.0", "parameters": {"P": {"type": "String"}}, "rules": [
                {"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "P"}], "assign": "V"}], "rules": [
                    {"type": "error", "conditions": [], "error": "{V}"}
                ]},
                {"type": "error", "conditions": [], "error": "{V}"}
            ]}),
            "$.rules[1].error",
        ),
        (
            json!({"version": "1.0", "parameters": {"P": {"type": "String"}}, "rules": [
                {"type": "error", "conditions": [{"fn": "getAttr", "argv": [{"ref": "P"}, "a..b"]}], "error": "e"}
            ]}),
            "$.rules[0].conditions[0].argv[1]",
        ),
    ];
    for (doc, path) in cases {
        let e = RuleSet::from_json(&doc).expect_err("invalid rule set");
        assert_eq!(e.path, path, "{doc}: {e}");
        assert!(e.to_string().contains(path), "{e}");
    }
    let e = RuleSet::from_str("{not json").expect_err("invalid JSON");
    assert_eq!(e.path, "$");
}

#[test]
fn hostile_nesting_is_rejected_without_overflow() {
    let mut expr = json!({"ref": "P"});
    for _ in 0..200 {
        expr = json!({"fn": "not", "argv": [expr]});
    }
    let doc = json!({"version": "1.0", "parameters": {"P": {"type": "Boolean"}}, "rules": [
        {"type": "error", "conditions": [expr], "error": "e"}
    ]});
    assert!(RuleSet::from_json(&doc).is_err());
}

// ---------------------------------------------------------------- test runner

fn runner_model(expect_ok: &str, expect_err: &str) -> serde_json::Value {
    json!({
        "smithy": "2.0",
        "shapes": {
            "ex#Svc": {
                "type": "service",
                "operations": [{"target": "ex#GetThing"}],
                "traits": {
                    "smithy.rules#endpointRuleSet": {
                        "version": "1.0",
                        "parameters": {
                            "Region": {"type": "String", "builtIn": "AWS::Region", "required": true},
                            "Thing": {"type": "String"},
                            "Names": {"type": "stringArray"},
                            "Mode": {"type": "String"},
                            "Flag": {"type": "Boolean"}
                        },
                        "rules": [
                            {
                                "type": "error",
                                "conditions": [{"fn": "stringEquals", "argv": [{"ref": "Region"}, "bad"]}],
                                "error": "bad region"
                            },
                            {
                                "type": "endpoint",
                                "conditions": [
                                    {"fn": "isSet", "argv": [{"ref": "Thing"}]},
                                    {"fn": "getAttr", "argv": [{"ref": "Names"}, "[0]"], "assign": "First"},
                                    {"fn": "isSet", "argv": [{"ref": "Mode"}]},
                                    {"fn": "isSet", "argv": [{"ref": "Flag"}]}
                                ],
                                "endpoint": {
                                    "url": "https://{Thing}.{First}.{Mode}.{Region}",
                                    "properties": {"flag": "{Flag}"},
                                    "headers": {"h": ["v"]}
                                }
                            },
                            {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Region}"}}
                        ]
                    },
                    "smithy.rules#endpointTests": {
                        "version": "1.0",
                        "testCases": [
                            {
                                "documentation": "plain params",
                                "params": {"Region": "r1"},
                                "expect": {"endpoint": {"url": expect_ok}}
                            },
                            {
                                "documentation": "error case",
                                "params": {"Region": "bad"},
                                "expect": {"error": expect_err}
                            },
                            {
                                "documentation": "operation inputs",
                                "expect": {"endpoint": {
                                    "url": "https://t1.n1.static.r2",
                                    "properties": {"flag": "true"},
                                    "headers": {"h": ["v"]}
                                }},
                                "operationInputs": [{
                                    "operationName": "GetThing",
                                    "builtInParams": {"AWS::Region": "r2", "AWS::Unused": "x"},
                                    "clientParams": {"Flag": true},
                                    "operationParams": {
                                        "ThingName": "t1",
                                        "Items": [{"Name": "n1"}, {"Other": 1}, {"Name": "n2"}]
                                    }
                                }]
                            }
                        ]
                    }
                }
            },
            "ex#GetThing": {
                "type": "operation",
                "input": {"target": "ex#GetThingInput"},
                "traits": {
                    "smithy.rules#staticContextParams": {"Mode": {"value": "static"}},
                    "smithy.rules#operationContextParams": {"Names": {"path": "Items[*].Name"}}
                }
            },
            "ex#GetThingInput": {
                "type": "structure",
                "members": {
                    "ThingName": {"target": "smithy.api#String", "traits": {"smithy.rules#contextParam": {"name": "Thing"}}},
                    "Items": {"target": "ex#Items"}
                }
            }
        }
    })
}

#[test]
fn runner_passes_matching_cases() {
    let results = run_model_tests(&runner_model("https://r1", "bad region")).expect("runs");
    assert_eq!(results.len(), 3);
    for r in &results {
        assert!(r.passed, "{}: {}", r.documentation, r.detail);
        assert_eq!(r.service, "ex#Svc");
    }
    assert!(results[2].detail.contains("operationInputs[0] (GetThing)"));
}

#[test]
fn runner_reports_mismatches() {
    let results = run_model_tests(&runner_model("https://other", "different")).expect("runs");
    let failed: Vec<&str> = results
        .iter()
        .filter(|r| !r.passed)
        .map(|r| r.documentation.as_str())
        .collect();
    assert_eq!(failed, ["plain params", "error case"]);
    assert!(
        results[0].detail.contains("https://other"),
        "{}",
        results[0].detail
    );
}

#[test]
fn runner_rejects_non_models() {
    assert!(run_model_tests(&json!({"nope": 1})).is_err());
    assert_eq!(run_model_tests(&json!({"shapes": {}})), Ok(Vec::new()));
}

/// `aws.partition` answers from the built-in public table unless the rule
/// set is given another one.
#[test]
fn a_rule_set_answers_from_the_partition_table_it_is_given() {
    let rule_set = probe(
        json!({"fn": "aws.partition", "argv": [{"ref": "P"}], "assign": "part"}),
        "https://svc.{P}.{part#dnsSuffix}",
    );
    let input = params(&[("P", ParamValue::String("eu-west-1".into()))]);
    let url = |rs: &RuleSet| rs.resolve(&input).map(|e| e.url);
    assert_eq!(
        url(&rule_set).unwrap(),
        "https://svc.eu-west-1.amazonaws.com"
    );
    let table = crate::PartitionTable::from_json(&json!({
        "partitions": [{
            "id": "private",
            "regionRegex": "^eu\\-\\w+\\-\\d+$",
            "outputs": {
                "name": "private", "dnsSuffix": "internal.example", "dualStackDnsSuffix": "internal.example",
                "supportsFIPS": false, "supportsDualStack": false, "implicitGlobalRegion": "eu-west-1"
            },
            "regions": {}
        }]
    }))
    .expect("the table loads");
    let private = rule_set.clone().with_partitions(std::sync::Arc::new(table));
    assert_eq!(
        url(&private).unwrap(),
        "https://svc.eu-west-1.internal.example"
    );
    assert_ne!(private, rule_set);
}
