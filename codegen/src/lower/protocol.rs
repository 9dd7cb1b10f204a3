//! The service's protocol, recognised by its trait, and the defaults the
//! protocol decides.

use serde_json::Value;

#[cfg(test)]
use crate::ir::{Codecs, FieldIr, RustType, StructKind};
use crate::ir::{HttpBindingIr, Location, Protocol, StructIr, UriSegment};
use crate::model::{Member, Shape};

use super::{err, LowerError};

/// The protocol the service declares, which must be one smithgen supports:
/// restJson1 only when `rest_json` opts in to its incomplete support.
pub(super) fn protocol(service: &Shape) -> Result<Protocol, LowerError> {
    if service.traits.has("aws.protocols#awsJson1_1") {
        Ok(Protocol::AwsJson1_1)
    } else if service.traits.has("aws.protocols#awsJson1_0") {
        Ok(Protocol::AwsJson1_0)
    } else if service.traits.has("aws.protocols#restJson1") {
        Ok(Protocol::RestJson1)
    } else {
        let protocols: Vec<&str> = service
            .traits
            .iter()
            .map(|(k, _)| k)
            .filter(|k| k.starts_with("aws.protocols#"))
            .collect();
        Err(err(
            &service.id,
            None,
            format!(
                "the service's protocol is not supported (supported: aws.protocols#awsJson1_0, aws.protocols#awsJson1_1, aws.protocols#restJson1; found: {})",
                if protocols.is_empty() { "none".to_owned() } else { protocols.join(", ") }
            ),
        ))
    }
}

/// `aws.protocols#awsQueryCompatible`: the service moved from awsQuery to
/// awsJson1_0 and still sends its errors' query codes. The trait applies to
/// awsJson1_0 services only.
pub(super) fn query_compatible(service: &Shape, protocol: Protocol) -> Result<bool, LowerError> {
    if !service.traits.has(QUERY_COMPATIBLE) {
        return Ok(false);
    }
    if protocol != Protocol::AwsJson1_0 {
        return Err(err(
            &service.id,
            None,
            format!("`{QUERY_COMPATIBLE}` applies only to services of aws.protocols#awsJson1_0"),
        ));
    }
    Ok(true)
}

const QUERY_COMPATIBLE: &str = "aws.protocols#awsQueryCompatible";

/// The code of an error's `aws.protocols#awsQueryError` trait, which a
/// query-compatible service sends in place of the shape name; `None` for
/// other services and errors without the trait.
pub(super) fn query_error_code(
    service: &Shape,
    error: &Shape,
) -> Result<Option<String>, LowerError> {
    let Some(trait_value) = error.traits.get("aws.protocols#awsQueryError") else {
        return Ok(None);
    };
    if !service.traits.has(QUERY_COMPATIBLE) {
        return Ok(None);
    }
    match trait_value.get("code").and_then(Value::as_str) {
        Some(code) if !code.is_empty() => Ok(Some(code.to_owned())),
        _ => Err(err(
            &error.id,
            None,
            "`aws.protocols#awsQueryError` must give a non-empty `code`",
        )),
    }
}

/// Where a member of an input, output or error structure goes: where its
/// HTTP binding trait says under protocols that bind HTTP, else the body.
pub(super) fn location(protocol: Protocol, member: &Member) -> Result<Location, String> {
    if !protocol.binds_http() {
        return Ok(Location::Body);
    }
    let traits = &member.traits;
    let name = |id: &str| -> Result<String, String> {
        traits
            .get(id)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("`{id}` must name a string"))
    };
    let mut found = Vec::new();
    if traits.has("smithy.api#httpLabel") {
        found.push(Location::Label);
    }
    if traits.has("smithy.api#httpQuery") {
        found.push(Location::Query(name("smithy.api#httpQuery")?));
    }
    if traits.has("smithy.api#httpQueryParams") {
        found.push(Location::QueryParams);
    }
    if traits.has("smithy.api#httpHeader") {
        found.push(Location::Header(name("smithy.api#httpHeader")?));
    }
    if traits.has("smithy.api#httpPrefixHeaders") {
        found.push(Location::PrefixHeaders(name(
            "smithy.api#httpPrefixHeaders",
        )?));
    }
    if traits.has("smithy.api#httpPayload") {
        found.push(Location::Payload);
    }
    if traits.has("smithy.api#httpResponseCode") {
        found.push(Location::ResponseCode);
    }
    match found.len() {
        0 => Ok(Location::Body),
        1 => Ok(found.remove(0)),
        _ => Err("the member has more than one HTTP binding trait".to_owned()),
    }
}

/// A member's key in a JSON body: its `@jsonName` where the protocol
/// honours it, else its name.
pub(super) fn json_key(protocol: Protocol, member: &Member) -> String {
    match member.traits.json_name() {
        Some(name) if protocol.honours_json_name() => name.to_owned(),
        _ => member.name.clone(),
    }
}

/// An operation's HTTP binding from its `smithy.api#http` trait, with each
/// label of the URI pattern matched to the input's `@httpLabel` member.
/// `None` under protocols that do not bind HTTP.
pub(super) fn http_binding(
    protocol: Protocol,
    operation: &Shape,
    input: &StructIr,
) -> Result<Option<HttpBindingIr>, String> {
    if !protocol.binds_http() {
        return Ok(None);
    }
    let http = operation
        .traits
        .get("smithy.api#http")
        .ok_or("the operation has no `smithy.api#http` trait, which the protocol needs")?;
    let method = http
        .get("method")
        .and_then(Value::as_str)
        .ok_or("`smithy.api#http` has no `method`")?;
    let uri = http
        .get("uri")
        .and_then(Value::as_str)
        .ok_or("`smithy.api#http` has no `uri`")?;
    let code = match http.get("code") {
        None => 200,
        Some(code) => code
            .as_u64()
            .and_then(|c| u16::try_from(c).ok())
            .filter(|c| (100..=599).contains(c))
            .ok_or("`smithy.api#http` has a `code` that is not an HTTP status")?,
    };
    let (path, query) = parse_uri(uri, input)?;
    Ok(Some(HttpBindingIr {
        method: method.to_owned(),
        path,
        query,
        code,
    }))
}

/// The query parameters a URI pattern fixes, with their values if any.
type LiteralQuery = Vec<(String, Option<String>)>;

/// A URI pattern (`/a/{B}/{C+}?d=e&f`) as path segments and literal query
/// parameters; every label must be an `@httpLabel` member of `input`, and
/// every such member must have its label.
fn parse_uri(uri: &str, input: &StructIr) -> Result<(Vec<UriSegment>, LiteralQuery), String> {
    if !uri.starts_with('/') {
        return Err(format!("the URI pattern `{uri}` does not start with `/`"));
    }
    let (path, query) = match uri.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (uri, None),
    };
    let mut segments = Vec::new();
    let mut labels = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            segments.push(UriSegment::Literal(rest[..open].to_owned()));
        }
        let close = rest[open..]
            .find('}')
            .map(|i| open + i)
            .ok_or_else(|| format!("the URI pattern `{uri}` has an unclosed label"))?;
        let label = &rest[open + 1..close];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(name) => (name, true),
            None => (label, false),
        };
        let field = input
            .fields
            .iter()
            .find(|f| f.wire_name == name && f.location == Location::Label)
            .ok_or_else(|| {
                format!("the URI pattern `{uri}` has the label `{name}`, which is no `@httpLabel` member of the input")
            })?;
        labels.push(name.to_owned());
        segments.push(UriSegment::Label {
            field: field.name.clone(),
            wire_name: name.to_owned(),
            greedy,
        });
        rest = &rest[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("the URI pattern `{uri}` has a stray `}}`"));
    }
    if !rest.is_empty() {
        segments.push(UriSegment::Literal(rest.to_owned()));
    }
    if let Some(missing) = input
        .fields
        .iter()
        .find(|f| f.location == Location::Label && !labels.contains(&f.wire_name))
    {
        return Err(format!(
            "the input member `{}` is an `@httpLabel` but the URI pattern `{uri}` has no label for it",
            missing.wire_name
        ));
    }
    let query = query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
            None => (pair.to_owned(), None),
        })
        .collect();
    Ok((segments, query))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(labels: &[&str]) -> StructIr {
        StructIr {
            shape_id: crate::model::ShapeId::parse("ex#In").unwrap(),
            name: "In".into(),
            builder: "InBuilder".into(),
            module: String::new(),
            docs: Vec::new(),
            kind: StructKind::Input,
            fields: labels
                .iter()
                .map(|name| FieldIr {
                    wire_name: (*name).to_owned(),
                    json_key: (*name).to_owned(),
                    location: Location::Label,
                    media_type: None,
                    name: name.to_ascii_lowercase(),
                    suffix: name.to_ascii_lowercase(),
                    docs: Vec::new(),
                    ty: RustType::String,
                    optional: true,
                    required: true,
                    default: None,
                    boxed: false,
                    redact: false,
                    idempotency_token: false,
                })
                .collect(),
            sensitive: false,
            codecs: Codecs::default(),
            error: None,
        }
    }

    #[test]
    fn query_compatibility_is_for_aws_json_1_0_only() {
        let service = |protocol: &str| {
            let text = serde_json::json!({"smithy": "2.0", "shapes": {"ex#Svc": {
                "type": "service", "version": "1",
                "traits": {protocol: {}, "aws.protocols#awsQueryCompatible": {}}
            }}})
            .to_string();
            crate::model::Model::load(&[("m.json", &text)]).expect("a valid model")
        };
        let model = service("aws.protocols#awsJson1_0");
        let shape = model.services()[0];
        assert_eq!(query_compatible(shape, Protocol::AwsJson1_0), Ok(true));
        let model = service("aws.protocols#restJson1");
        let shape = model.services()[0];
        let error = query_compatible(shape, Protocol::RestJson1).expect_err("rejected");
        assert!(
            error
                .to_string()
                .contains("applies only to services of aws.protocols#awsJson1_0"),
            "{error}"
        );
    }

    #[test]
    fn uri_patterns_split_into_literals_labels_and_query() {
        let (path, query) = parse_uri(
            "/2015-03-31/functions/{Name}/code/{Key+}?type=zip&flag",
            &input(&["Name", "Key"]),
        )
        .unwrap();
        assert_eq!(
            path,
            [
                UriSegment::Literal("/2015-03-31/functions/".into()),
                UriSegment::Label {
                    field: "name".into(),
                    wire_name: "Name".into(),
                    greedy: false
                },
                UriSegment::Literal("/code/".into()),
                UriSegment::Label {
                    field: "key".into(),
                    wire_name: "Key".into(),
                    greedy: true
                },
            ]
        );
        assert_eq!(
            query,
            [
                ("type".to_owned(), Some("zip".to_owned())),
                ("flag".to_owned(), None)
            ]
        );
        let (path, query) = parse_uri("/", &input(&[])).unwrap();
        assert_eq!(path, [UriSegment::Literal("/".into())]);
        assert!(query.is_empty());
    }

    /// A restJson1 service with one operation binding a label, a header
    /// and a `@jsonName` body member.
    fn rest_json_service() -> Result<crate::ir::ServiceIr, LowerError> {
        let string = |traits: serde_json::Value| serde_json::json!({"target": "smithy.api#String", "traits": traits});
        let shapes = serde_json::json!({
            "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Op"}],
                "traits": {"aws.protocols#restJson1": {}}},
            "ex#Op": {"type": "operation", "input": {"target": "ex#OpInput"},
                "traits": {"smithy.api#http": {"method": "PUT", "uri": "/things/{Id}?x=1", "code": 201}}},
            "ex#OpInput": {"type": "structure", "members": {
                "Id": string(serde_json::json!({"smithy.api#httpLabel": {}, "smithy.api#required": {}})),
                "Token": string(serde_json::json!({"smithy.api#httpHeader": "X-Token"})),
                "Name": string(serde_json::json!({"smithy.api#jsonName": "name"}))
            }}
        });
        let text = serde_json::json!({"smithy": "2.0", "shapes": shapes}).to_string();
        let model = crate::model::Model::load(&[("test.json", &text)]).expect("valid model");
        crate::lower::lower(&model, &crate::lower::Selection::default())
    }

    #[test]
    fn rest_json_members_are_bound_to_http() {
        let service = rest_json_service().expect("lowers");
        assert_eq!(service.protocol, Protocol::RestJson1);
        let op = &service.operations[0];
        let http = op.http.as_ref().expect("restJson1 binds HTTP");
        assert_eq!((http.method.as_str(), http.code), ("PUT", 201));
        assert_eq!(http.query, [("x".to_owned(), Some("1".to_owned()))]);
        let field = |name: &str| {
            op.input
                .fields
                .iter()
                .find(|f| f.wire_name == name)
                .expect(name)
        };
        assert_eq!(field("Id").location, Location::Label);
        assert_eq!(field("Token").location, Location::Header("X-Token".into()));
        assert_eq!(field("Name").location, Location::Body);
        assert_eq!(field("Name").json_key, "name");
    }

    #[test]
    fn two_body_members_under_one_json_key_are_refused() {
        let string = |json_name: &str| {
            serde_json::json!({"target": "smithy.api#String",
            "traits": {"smithy.api#jsonName": json_name}})
        };
        let shapes = serde_json::json!({
            "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Op"}],
                "traits": {"aws.protocols#restJson1": {}}},
            "ex#Op": {"type": "operation", "input": {"target": "ex#OpInput"},
                "traits": {"smithy.api#http": {"method": "POST", "uri": "/"}}},
            "ex#OpInput": {"type": "structure", "members": {
                "First": string("key"),
                "Second": string("key"),
                // Only the body's keys must differ.
                "Header": {"target": "smithy.api#String",
                    "traits": {"smithy.api#httpHeader": "key"}}
            }}
        });
        let text = serde_json::json!({"smithy": "2.0", "shapes": shapes}).to_string();
        let model = crate::model::Model::load(&[("test.json", &text)]).expect("valid model");
        let e = crate::lower::lower(&model, &crate::lower::Selection::default())
            .expect_err("one key for two members")
            .to_string();
        assert!(
            e.contains(
                "in members of `ex#OpInput`, `First` and `Second` both become the JSON key `key`"
            ),
            "{e}"
        );
    }

    #[test]
    fn labels_and_members_must_match() {
        let e = parse_uri("/things/{Id}", &input(&[])).unwrap_err();
        assert!(e.contains("`Id`, which is no `@httpLabel` member"), "{e}");
        let e = parse_uri("/things", &input(&["Id"])).unwrap_err();
        assert!(e.contains("`Id` is an `@httpLabel`"), "{e}");
        let e = parse_uri("/things/{Id", &input(&["Id"])).unwrap_err();
        assert!(e.contains("unclosed"), "{e}");
        let e = parse_uri("things", &input(&[])).unwrap_err();
        assert!(e.contains("does not start with `/`"), "{e}");
    }
}
