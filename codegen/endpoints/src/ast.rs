//! The loaded form of a rule set: every reference resolved to a variable slot,
//! every template string split into its parts, every `getAttr` path parsed.

/// One step of a `getAttr` path: `name` or `[index]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PathStep {
    Key(String),
    Index(usize),
}

/// A reference to a parameter or an assigned variable, resolved to the slot
/// that holds its value during evaluation.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct VarRef {
    pub(crate) slot: usize,
    pub(crate) name: String,
}

/// A string that may contain `{name}` / `{name#path}` placeholders.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Template {
    /// No placeholders: the string (with `{{`/`}}` already unescaped).
    Static(String),
    Parts(Vec<TemplatePart>),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TemplatePart {
    Literal(String),
    Var { var: VarRef, path: Vec<PathStep> },
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Expr {
    Str(Template),
    Bool(bool),
    Int(i64),
    Array(Vec<Expr>),
    Object(Vec<(String, Expr)>),
    Ref(VarRef),
    Call(Box<Call>),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Call {
    pub(crate) func: Func,
    pub(crate) args: Vec<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Func {
    IsSet,
    Not,
    BooleanEquals,
    StringEquals,
    /// `getAttr(value, "path")`: the path is parsed at load time; `args`
    /// holds only the value.
    GetAttr(Vec<PathStep>),
    Substring,
    IsValidHostLabel,
    ParseUrl,
    UriEncode,
    Coalesce,
    Ite,
    Split,
    AwsPartition,
    AwsParseArn,
    AwsIsVirtualHostableS3Bucket,
}

impl Func {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Func::IsSet => "isSet",
            Func::Not => "not",
            Func::BooleanEquals => "booleanEquals",
            Func::StringEquals => "stringEquals",
            Func::GetAttr(_) => "getAttr",
            Func::Substring => "substring",
            Func::IsValidHostLabel => "isValidHostLabel",
            Func::ParseUrl => "parseURL",
            Func::UriEncode => "uriEncode",
            Func::Coalesce => "coalesce",
            Func::Ite => "ite",
            Func::Split => "split",
            Func::AwsPartition => "aws.partition",
            Func::AwsParseArn => "aws.parseArn",
            Func::AwsIsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Condition {
    pub(crate) call: Call,
    /// Slot the result is bound to when the condition has `assign`.
    pub(crate) assign: Option<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Rule {
    pub(crate) conditions: Vec<Condition>,
    pub(crate) kind: RuleKind,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum RuleKind {
    Endpoint(EndpointSpec),
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct EndpointSpec {
    pub(crate) url: Expr,
    pub(crate) properties: Vec<(String, Prop)>,
    pub(crate) headers: Vec<(String, Vec<Expr>)>,
}

/// An endpoint property value: a JSON document whose strings are templates.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Prop {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    Str(Template),
    Array(Vec<Prop>),
    Object(Vec<(String, Prop)>),
}
