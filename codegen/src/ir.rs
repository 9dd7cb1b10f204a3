//! The intermediate representation between the model and the Rust output.
//!
//! Lowering ([`crate::lower`]) decides every Rust name once and stores it here next
//! to the wire name it came from; renderers read names from the IR and never
//! re-case anything.

use crate::model::ShapeId;

/// One service crate to generate.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceIr {
    /// Cargo package name of the generated crate.
    pub crate_name: String,
    pub service_id: ShapeId,
    /// The service shape's name, the prefix of `X-Amz-Target`.
    pub target_prefix: String,
    pub title: String,
    pub docs: Vec<String>,
    pub version: Option<String>,
    pub endpoint_prefix: String,
    pub signing_name: String,
    pub protocol: Protocol,
    /// `aws.protocols#awsQueryCompatible`: errors are also known by their
    /// `aws.protocols#awsQueryError` codes.
    pub query_compatible: bool,
    /// The `smithy.rules#endpointRuleSet` trait as compact JSON, embedded in the crate.
    pub endpoint_rules: Option<String>,
    /// The rule set's parameters, for the public `config::endpoint::Params`.
    pub endpoint_rule_params: Vec<EndpointRuleParamIr>,
    /// Operations in the order of their Rust module names.
    pub operations: Vec<OperationIr>,
    /// Structures, unions and enums under `types`, in the order of their Rust names.
    pub types: Vec<TypeDef>,
    /// Error structures under `types::error`, in the order of their Rust names.
    pub errors: Vec<StructIr>,
}

/// The wire protocol of a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    AwsJson1_0,
    AwsJson1_1,
    /// `aws.protocols#restJson1`.
    RestJson1,
}

impl Protocol {
    /// Whether the protocol binds members to HTTP (`@http`, `@httpLabel`,
    /// `@httpHeader`, ...), as restJson1 and restXml do. The awsJson
    /// protocols ignore those traits: every operation is a `POST` to `/`
    /// and every member goes in the body.
    pub fn binds_http(self) -> bool {
        match self {
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => false,
            Protocol::RestJson1 => true,
        }
    }

    /// Whether a JSON body keys members by their `@jsonName` (restJson1);
    /// the awsJson protocols always use the member name.
    pub fn honours_json_name(self) -> bool {
        match self {
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => false,
            Protocol::RestJson1 => true,
        }
    }
}

/// An operation's HTTP binding (`smithy.api#http`), under protocols that
/// bind members to HTTP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpBindingIr {
    /// The request method (`GET`, `PUT`, ...).
    pub method: String,
    /// The request path, as literal text and labels.
    pub path: Vec<UriSegment>,
    /// Query parameters the URI pattern fixes (`?type=archive&flag`).
    pub query: Vec<(String, Option<String>)>,
    /// The status code of a successful response.
    pub code: u16,
}

/// A piece of an operation's URI path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UriSegment {
    /// Text sent as it is (`/functions/`).
    Literal(String),
    /// An `@httpLabel` input member (by Rust field name), percent-encoded;
    /// a greedy label (`{Key+}`) keeps its `/`.
    Label {
        field: String,
        wire_name: String,
        greedy: bool,
    },
}

/// Where a top-level member of an input, output or error goes on the wire.
/// Members of nested structures, and every member under protocols that do
/// not bind HTTP, are in the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    Body,
    /// `@httpLabel`: part of the URI path.
    Label,
    /// `@httpQuery("name")`.
    Query(String),
    /// `@httpQueryParams`: a map of query parameters.
    QueryParams,
    /// `@httpHeader("name")`.
    Header(String),
    /// `@httpPrefixHeaders("prefix")`: a map of headers named with the prefix.
    PrefixHeaders(String),
    /// `@httpPayload`: the whole body.
    Payload,
    /// `@httpResponseCode`: the status code of the response.
    ResponseCode,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OperationIr {
    /// The operation's shape name, as sent in `X-Amz-Target`.
    pub wire_name: String,
    pub shape_id: ShapeId,
    /// Module under `operation` and the client method name.
    pub module: String,
    /// The operation's own type (`SetUserMFAPreference`, the model's spelling).
    pub struct_name: String,
    pub error_enum: String,
    pub fluent_builder: String,
    pub docs: Vec<String>,
    pub input: StructIr,
    pub output: StructIr,
    pub errors: Vec<ErrorRef>,
    /// The auth schemes requests may use, in the model's order of
    /// preference (never empty; see [`AuthScheme`]).
    pub auth: Vec<AuthScheme>,
    /// `smithy.api#requestCompression` lists gzip.
    pub request_compression: bool,
    /// `smithy.api#httpChecksumRequired`: requests carry the MD5 of their
    /// body (`Content-MD5`).
    pub checksum_required: bool,
    /// Endpoint rule parameters bound from the input.
    pub endpoint_params: EndpointParamsIr,
    /// `smithy.api#endpoint` host prefix, with `{label}` placeholders naming input members.
    pub host_prefix: Option<HostPrefix>,
    /// `smithy.api#paginated`: the operation's paginator.
    pub paginator: Option<PaginatorIr>,
    /// The HTTP binding, under protocols that bind members to HTTP.
    pub http: Option<HttpBindingIr>,
    /// `smithy.waiters#waitable`: the operation's waiters, by name.
    pub waiters: Vec<WaiterIr>,
    /// `aws.auth#unsignedPayload`: SigV4 signs `UNSIGNED-PAYLOAD` in place
    /// of the payload's hash.
    pub unsigned_payload: bool,
    /// Input members (by Rust field name, all strings) given a value when
    /// the caller leaves them unset or empty: a service customization's
    /// (Glacier's account id, `-`). See [`crate::lower`]'s `customize`.
    pub input_fills: Vec<(String, String)>,
    /// Headers every request carries, whatever the input: a service
    /// customization's (Glacier's API version).
    pub request_headers: Vec<(String, String)>,
    /// Headers whose values are hashes of the body, computed when the
    /// request is sent: a service customization's (Glacier's SHA-256 and
    /// tree hash).
    pub body_hashes: Vec<(BodyHash, String)>,
    /// What the service's customizations change in the operation's
    /// requests, in order (empty for most services).
    pub customizations: Vec<RequestCustomization>,
}

/// A hash of a request's body a header carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyHash {
    /// SHA-256, in lowercase hex.
    Sha256,
    /// Glacier's tree hash (of 1 MiB chunks), in lowercase hex.
    Sha256Tree,
}

impl OperationIr {
    /// Whether the input has a `@streaming` payload.
    pub fn streams_input(&self) -> bool {
        self.input.has_byte_stream()
    }

    /// Whether the output has a `@streaming` payload.
    pub fn streams_output(&self) -> bool {
        self.output.has_byte_stream()
    }
}

/// A change a service customization makes to an operation's request after
/// its protocol wrote it: something a service needs beyond what its model
/// says, as AWS SDKs do for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestCustomization {
    /// A header every request carries, unless the input binds it.
    DefaultHeader { name: String, value: String },
    /// The request goes to the URL the input member `field` (a string) holds,
    /// when it is set, instead of the resolved endpoint.
    EndpointFromMember { field: String },
}

/// One parameter of the service's endpoint rules.
#[derive(Clone, Debug, PartialEq)]
pub struct EndpointRuleParamIr {
    /// The parameter's name in the rules (`UseFIPS`).
    pub name: String,
    /// The Rust field and setter name (`use_fips`).
    pub field: String,
    pub kind: EndpointParamKind,
    pub docs: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointParamKind {
    String,
    Bool,
    StringArray,
}

/// An operation's endpoint rule parameters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EndpointParamsIr {
    /// `smithy.rules#staticContextParams`: parameter and value.
    pub statics: Vec<(String, StaticParamValue)>,
    /// `smithy.rules#contextParam`: parameter and input member (wire name).
    pub members: Vec<(String, String)>,
    /// `smithy.rules#operationContextParams`: parameter and path over the input.
    pub paths: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StaticParamValue {
    String(String),
    Bool(bool),
    StringArray(Vec<String>),
}

/// One way an operation's requests can be authenticated. An operation
/// lists those it supports in order: its `@auth` trait, else its service's,
/// else every auth trait of the service (by shape id), with `Anonymous` last
/// for `@optionalAuth` or when that leaves none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthScheme {
    /// `aws.auth#sigv4`: signed with AWS Signature Version 4.
    SigV4,
    /// `smithy.api#httpBearerAuth`: `Authorization: Bearer <token>`.
    HttpBearer,
    /// No authentication (`smithy.api#noAuth`): `@auth([])`,
    /// `@optionalAuth`, or a service without auth traits.
    Anonymous,
}

/// A host prefix split into literal text and input members (`foo.{label}.`).
#[derive(Clone, Debug, PartialEq)]
pub struct HostPrefix {
    pub parts: Vec<HostPrefixPart>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum HostPrefixPart {
    Literal(String),
    /// An input member (by Rust field name) whose value is a host label.
    Label {
        field: String,
        wire_name: String,
    },
}

/// One error an operation can return.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorRef {
    /// The error code on the wire (the error shape's name).
    pub code: String,
    /// The error structure's type name, also the variant name.
    pub type_name: String,
    /// Module of the error structure under `types::error`.
    pub module: String,
    /// `is_<error>` helper name.
    pub is_fn: String,
    /// First line of the error shape's documentation, for operation docs.
    pub summary: Option<String>,
}

/// What the model says of an error structure beyond its members.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorTraits {
    /// `smithy.api#error`: whether the caller (client) or the service (server) is at fault.
    pub client_fault: bool,
    /// `smithy.api#retryable`, and whether it is throttling.
    pub retryable: bool,
    pub throttling: bool,
    /// The code of its `aws.protocols#awsQueryError` trait, which a
    /// query-compatible service sends instead of the shape name; `None` for
    /// other services.
    pub query_code: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeDef {
    Struct(StructIr),
    Union(UnionIr),
    Enum(EnumIr),
}

impl TypeDef {
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Union(u) => &u.name,
            TypeDef::Enum(e) => &e.name,
        }
    }

    pub fn module(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.module,
            TypeDef::Union(u) => &u.module,
            TypeDef::Enum(e) => &e.module,
        }
    }

    /// Whether this type has a builder (structures only).
    pub fn builder(&self) -> Option<&str> {
        match self {
            TypeDef::Struct(s) => Some(&s.builder),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StructKind {
    /// An operation input: every member is optional in the struct, required ones are checked by `build()`.
    Input,
    /// An operation output.
    Output,
    /// A structure under `types`.
    Plain,
    /// An error structure under `types::error`.
    Error,
}

/// Which codecs a type needs: serializers for what goes out, deserializers for
/// what comes back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Codecs {
    pub ser: bool,
    pub de: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StructIr {
    pub shape_id: ShapeId,
    pub name: String,
    pub builder: String,
    /// File module holding the type (`_sms_mfa_settings_type`); unused for inputs and outputs.
    pub module: String,
    pub docs: Vec<String>,
    pub kind: StructKind,
    pub fields: Vec<FieldIr>,
    /// The whole structure is `@sensitive`.
    pub sensitive: bool,
    pub codecs: Codecs,
    /// Set for error structures (`StructKind::Error`).
    pub error: Option<ErrorTraits>,
}

impl StructIr {
    /// `build()` returns a `Result` when a member must be set by the caller.
    pub fn build_is_fallible(&self) -> bool {
        self.fields
            .iter()
            .any(|f| f.required && f.default.is_none())
    }

    /// Whether `Debug` must be written by hand to redact something.
    pub fn redacts(&self) -> bool {
        self.sensitive || self.fields.iter().any(|f| f.redact)
    }

    /// Whether the builder holds the structure itself (`inner`) rather than
    /// a field per member: when every member is an `Option` in the
    /// structure too, as in most inputs and outputs, the two would have the
    /// same fields, and holding one structure lets the builder's `Clone`,
    /// `PartialEq` and `Debug` reuse the structure's. Not for errors (their
    /// builder's metadata is optional, the error's is not), where `Debug`
    /// redacts, nor with a streaming member (neither can be compared).
    pub fn builder_holds_structure(&self) -> bool {
        self.kind != StructKind::Error
            && !self.redacts()
            && !self.has_byte_stream()
            && self.fields.iter().all(|f| f.optional)
    }

    /// The function that prints the members for `Debug` when the builder
    /// holds the structure.
    pub fn debug_members_fn(&self) -> String {
        crate::naming::debug_members_fn(&self.name)
    }

    /// Whether a member is a `@streaming` payload: the structure (and its
    /// builder) can then be neither cloned nor compared.
    pub fn has_byte_stream(&self) -> bool {
        self.fields
            .iter()
            .any(|f| matches!(f.ty, RustType::ByteStream { .. }))
    }
}

impl ServiceIr {
    /// Whether an operation sends or reads a `@streaming` payload.
    pub fn has_byte_streams(&self) -> bool {
        self.operations
            .iter()
            .any(|op| op.streams_input() || op.streams_output())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldIr {
    /// Member name in the model.
    pub wire_name: String,
    /// The member's key in a JSON body: its name, or its `@jsonName` under
    /// a protocol that honours it.
    pub json_key: String,
    /// Where the member goes on the wire (top-level members of inputs,
    /// outputs and errors under protocols that bind HTTP; else the body).
    pub location: Location,
    /// The `@mediaType` of the member's target (a string or blob), which
    /// decides the content type of a payload and that a string header is
    /// base64.
    pub media_type: Option<String>,
    /// Field and accessor name as written in Rust (may be `r#type`).
    pub name: String,
    /// Name after `set_` / `get_` (never raw).
    pub suffix: String,
    pub docs: Vec<String>,
    pub ty: RustType,
    /// The struct field is `Option<T>`.
    pub optional: bool,
    /// `@required` in the model.
    pub required: bool,
    pub default: Option<DefaultValue>,
    /// The value is boxed to break a recursive cycle.
    pub boxed: bool,
    /// `Debug` prints a placeholder instead of the value.
    pub redact: bool,
    /// `@idempotencyToken`: a token is filled in when the caller leaves the
    /// member unset.
    pub idempotency_token: bool,
}

/// A Rust type a member maps to.
#[derive(Clone, Debug, PartialEq)]
pub enum RustType {
    String,
    Bool,
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
    Blob,
    /// A `@streaming` blob bound to the payload, sent and read as it goes
    /// (`primitives::ByteStream`). `requires_length`: its target has
    /// `smithy.api#requiresLength`, so its length must be known before it
    /// is sent.
    ByteStream {
        requires_length: bool,
    },
    /// A timestamp, with the format its `@timestampFormat` trait names;
    /// `None` leaves it to the protocol and the member's location (epoch
    /// seconds in a JSON body, an HTTP date in a header, a date-time in a
    /// query string or a label).
    DateTime(Option<TimestampFormat>),
    Document,
    BigInteger,
    BigDecimal,
    /// A string enum under `types`.
    Enum(TypeRef),
    /// A structure under `types`.
    Struct(TypeRef),
    /// A union under `types`.
    Union(TypeRef),
    /// An error structure under `types::error` used as a member.
    ErrorStruct(TypeRef),
    List {
        item: Box<RustType>,
        sparse: bool,
    },
    Map {
        key: Box<RustType>,
        value: Box<RustType>,
        sparse: bool,
    },
}

impl RustType {
    /// Types passed and returned by value (`Copy`).
    pub fn is_copy(&self) -> bool {
        matches!(
            self,
            RustType::Bool
                | RustType::I8
                | RustType::I16
                | RustType::I32
                | RustType::I64
                | RustType::F32
                | RustType::F64
        )
    }
}

/// A named type: its name and the private module that holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeRef {
    pub name: String,
    pub module: String,
}

impl TypeRef {
    pub fn new(name: String) -> Self {
        TypeRef {
            module: crate::naming::type_module(&name),
            name,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampFormat {
    EpochSeconds,
    DateTime,
    HttpDate,
}

/// A member's `@default` value, already checked against its type.
#[derive(Clone, Debug, PartialEq)]
pub enum DefaultValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    /// An enum's wire value.
    EnumValue(String),
    EmptyList,
    EmptyMap,
    /// A base64 blob default.
    Blob(Vec<u8>),
    /// Epoch seconds.
    Timestamp(f64),
    Document(serde_json::Value),
}

#[derive(Clone, Debug, PartialEq)]
pub struct UnionIr {
    pub shape_id: ShapeId,
    pub name: String,
    pub module: String,
    pub docs: Vec<String>,
    pub variants: Vec<VariantIr>,
    pub sensitive: bool,
    pub codecs: Codecs,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VariantIr {
    pub wire_name: String,
    /// The member's key in a JSON body (see [`FieldIr::json_key`]).
    pub json_key: String,
    pub name: String,
    pub is_fn: String,
    pub as_fn: String,
    pub docs: Vec<String>,
    /// `None` for a member targeting `smithy.api#Unit`.
    pub ty: Option<RustType>,
    pub boxed: bool,
    pub redact: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumIr {
    pub shape_id: ShapeId,
    pub name: String,
    pub module: String,
    pub docs: Vec<String>,
    pub values: Vec<EnumValueIr>,
    pub sensitive: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumValueIr {
    pub variant: String,
    pub value: String,
    pub docs: Vec<String>,
}

/// A paginated operation's paginator (`smithy.api#paginated`, with the
/// service's defaults filled in).
#[derive(Clone, Debug, PartialEq)]
pub struct PaginatorIr {
    /// Module under the operation's module holding the paginator types (`paginator`).
    pub module: String,
    /// The paginator type (`ListUsersPaginator`).
    pub type_name: String,
    /// The paginator over items (`ListUsersPaginatorItems`), used when `items` is set.
    pub items_type_name: String,
    /// The fluent builder's method starting the paginator (`into_paginator`).
    pub method: String,
    /// The input member the token is sent in (top level, by Rust field name).
    pub input_token: PaginatorField,
    /// The path to the token the output returns.
    pub output_token: Vec<PaginatorField>,
    /// The input member holding the page size.
    pub page_size: Option<PaginatorField>,
    /// The path to the list or map of items in the output.
    pub items: Option<Vec<PaginatorField>>,
}

/// One member on a paginator path (or a waiter's path, see [`PathNode::Field`]),
/// as its structure declares it.
#[derive(Clone, Debug, PartialEq)]
pub struct PaginatorField {
    pub wire_name: String,
    /// Rust field name (may be `r#type`).
    pub name: String,
    pub ty: RustType,
    /// The struct field is `Option<T>`.
    pub optional: bool,
    /// The value is boxed.
    pub boxed: bool,
}

/// A waiter (`smithy.waiters#waitable`): polls its operation until an
/// acceptor ends the wait.
#[derive(Clone, Debug, PartialEq)]
pub struct WaiterIr {
    /// The waiter's name in the model (`TableExists`).
    pub name: String,
    /// Module under `waiters` (`table_exists`).
    pub module: String,
    /// The `client::Waiters` method (`wait_until_table_exists`).
    pub method: String,
    /// The builder the method returns (`TableExistsFluentBuilder`).
    pub fluent_builder: String,
    /// The alias of the final poll's type (`TableExistsFinalPoll`).
    pub final_poll: String,
    /// The alias of the waiter's error type (`WaitUntilTableExistsError`).
    pub error: String,
    /// The model's documentation of the waiter (may be empty).
    pub docs: Vec<String>,
    /// The shortest and longest delays between polls, in seconds.
    pub min_delay: u64,
    pub max_delay: u64,
    pub deprecated: bool,
    /// In the model's order: the first that matches decides.
    pub acceptors: Vec<AcceptorIr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AcceptorIr {
    pub state: AcceptorState,
    pub matcher: MatcherIr,
}

/// The state an acceptor moves its waiter to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptorState {
    Success,
    Failure,
    Retry,
}

#[derive(Clone, Debug, PartialEq)]
pub enum MatcherIr {
    /// A path over the output of a successful poll.
    Output(PathMatcherIr),
    /// A path over `{input, output}` of a successful poll.
    InputOutput(PathMatcherIr),
    /// `true`: any successful poll; `false`: any failed one.
    Success(bool),
    /// A service error with this code (the name part of a shape id).
    ErrorType(String),
}

/// A path matcher: a JMESPath expression compiled against the operation's
/// shapes, and what its value is compared with.
#[derive(Clone, Debug, PartialEq)]
pub struct PathMatcherIr {
    /// The expression as the model writes it.
    pub path: String,
    pub expr: PathExpr,
    pub comparator: Comparator,
    /// The expected value as the model writes it.
    pub expected: String,
}

/// How a path's value is compared with the expected value.
#[derive(Clone, Debug, PartialEq)]
pub enum Comparator {
    /// The value is the string `expected`.
    StringEquals,
    /// The value is this boolean.
    BooleanEquals(bool),
    /// The value is a non-empty list of strings, each `expected`.
    AllStringEquals,
    /// The value is a list holding the string `expected`.
    AnyStringEquals,
}

/// A typed JMESPath expression: every node knows the type of its value and
/// whether it may be null.
#[derive(Clone, Debug, PartialEq)]
pub struct PathExpr {
    pub node: PathNode,
    pub ty: PathType,
    /// The value may be null (a member left unset, an index past the end).
    pub nullable: bool,
}

/// The JMESPath type of a value, as far as the shapes tell it.
#[derive(Clone, Debug, PartialEq)]
pub enum PathType {
    Null,
    Bool,
    /// Any number (integers, floats, timestamps as epoch seconds).
    Number,
    /// A string or a string enum's value.
    String,
    /// A structure.
    Object,
    /// A map.
    Map,
    /// A list whose elements are never null.
    Array(Box<PathType>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum PathNode {
    /// `@`: the node the expression applies to (the output, or an element of
    /// a projection or filter).
    Current,
    /// `input` at the top of an `inputOutput` path.
    Input,
    /// `output` at the top of an `inputOutput` path.
    Output,
    /// A member of the structure `of`.
    Field {
        of: Box<PathExpr>,
        field: PaginatorField,
    },
    /// An element of the list `of` (negative counts from the end).
    Index {
        of: Box<PathExpr>,
        index: i64,
    },
    /// The list `of` with the elements of its list elements spliced in.
    Flatten(Box<PathExpr>),
    /// The elements of the list `of` for which `condition` is true.
    Filter {
        of: Box<PathExpr>,
        condition: Box<PathExpr>,
    },
    /// `each` on every element of the list `of`, nulls left out.
    Project {
        of: Box<PathExpr>,
        each: Box<PathExpr>,
    },
    Literal(PathLiteral),
    Compare {
        op: CompareOp,
        left: Box<PathExpr>,
        right: Box<PathExpr>,
    },
    /// `left && right`: `left` when it is false, else `right`.
    And(Box<PathExpr>, Box<PathExpr>),
    /// `left || right`: `left` when it is true, else `right`.
    Or(Box<PathExpr>, Box<PathExpr>),
    Not(Box<PathExpr>),
    /// `length(..)` of a string (in characters), list or map.
    Length(Box<PathExpr>),
    /// `contains(subject, search)`: a substring, or an element.
    Contains(Box<PathExpr>, Box<PathExpr>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum PathLiteral {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CompareOp {
    /// The operator as JMESPath writes it.
    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}
