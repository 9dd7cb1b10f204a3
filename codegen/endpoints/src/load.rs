//! Loading a rule set from its JSON form into the pre-resolved AST.

use serde_json::{Map, Value as Json};

use crate::ast::{
    Call, Condition, EndpointSpec, Expr, Func, PathStep, Prop, Rule, RuleKind, Template,
    TemplatePart, VarRef,
};
use crate::{ParamType, ParamValue, Parameter, RuleSetError};

/// Deepest nesting of rules and expressions accepted; real rule sets stay far
/// below it, and the limit keeps recursion bounded on hostile input.
const MAX_DEPTH: usize = 96;

/// Everything a loaded rule set holds besides its version.
pub(crate) struct Loaded {
    pub(crate) parameters: Vec<Parameter>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) slot_count: usize,
}

fn err(path: &str, message: impl Into<String>) -> RuleSetError {
    RuleSetError {
        path: path.to_string(),
        message: message.into(),
    }
}

fn json_kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

fn as_object<'a>(v: &'a Json, path: &str) -> Result<&'a Map<String, Json>, RuleSetError> {
    v.as_object()
        .ok_or_else(|| err(path, format!("expected an object, found {}", json_kind(v))))
}

fn as_array<'a>(v: &'a Json, path: &str) -> Result<&'a Vec<Json>, RuleSetError> {
    v.as_array()
        .ok_or_else(|| err(path, format!("expected an array, found {}", json_kind(v))))
}

fn as_str<'a>(v: &'a Json, path: &str) -> Result<&'a str, RuleSetError> {
    v.as_str()
        .ok_or_else(|| err(path, format!("expected a string, found {}", json_kind(v))))
}

fn member<'a>(obj: &'a Map<String, Json>, key: &str, path: &str) -> Result<&'a Json, RuleSetError> {
    obj.get(key)
        .ok_or_else(|| err(path, format!("missing required member `{key}`")))
}

/// Renders a JSON path segment for an object key.
fn key_path(path: &str, key: &str) -> String {
    let simple = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if simple {
        format!("{path}.{key}")
    } else {
        format!("{path}[{}]", Json::String(key.to_string()))
    }
}

/// Parses a `getAttr` path such as `a.b[0]`.
pub(crate) fn parse_attr_path(s: &str) -> Result<Vec<PathStep>, String> {
    if s.is_empty() {
        return Err("empty getAttr path".to_string());
    }
    let mut steps = Vec::new();
    for part in s.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty() && rest.is_empty() {
            return Err(format!("empty segment in getAttr path `{s}`"));
        }
        if !key.is_empty() {
            if key.contains(']') {
                return Err(format!("unexpected `]` in getAttr path `{s}`"));
            }
            steps.push(PathStep::Key(key.to_string()));
        }
        while !rest.is_empty() {
            let inner = rest
                .strip_prefix('[')
                .and_then(|r| r.split_once(']'))
                .ok_or_else(|| format!("malformed index in getAttr path `{s}`"))?;
            let (digits, after) = inner;
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "index `{digits}` in getAttr path `{s}` is not a number"
                ));
            }
            let index = digits
                .parse::<usize>()
                .map_err(|_| format!("index `{digits}` in getAttr path `{s}` is too large"))?;
            steps.push(PathStep::Index(index));
            rest = after;
        }
    }
    Ok(steps)
}

/// Splits a template string into literal text and placeholders; `lookup`
/// resolves a placeholder's variable name to its slot.
pub(crate) fn parse_template(
    s: &str,
    lookup: &dyn Fn(&str) -> Option<usize>,
) -> Result<Template, String> {
    if !s.contains('{') && !s.contains('}') {
        return Ok(Template::Static(s.to_string()));
    }
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(['{', '}']) {
        lit.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("{{") {
            lit.push('{');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            lit.push('}');
            rest = after;
        } else if let Some(after) = tail.strip_prefix('}') {
            // A lone closing brace has no meaning of its own: keep it as text.
            lit.push('}');
            rest = after;
        } else {
            let body = &tail[1..];
            let end = body
                .find('}')
                .ok_or_else(|| format!("unclosed `{{` in template `{s}`"))?;
            let inner = &body[..end];
            if inner.contains('{') {
                return Err(format!("nested `{{` in template `{s}`"));
            }
            let (name, path) = match inner.split_once('#') {
                Some((name, path)) => (name, parse_attr_path(path)?),
                None => (inner, Vec::new()),
            };
            if name.is_empty() {
                return Err(format!("empty placeholder in template `{s}`"));
            }
            let slot = lookup(name)
                .ok_or_else(|| format!("template `{s}` refers to unknown variable `{name}`"))?;
            if !lit.is_empty() {
                parts.push(TemplatePart::Literal(std::mem::take(&mut lit)));
            }
            parts.push(TemplatePart::Var {
                var: VarRef {
                    slot,
                    name: name.to_string(),
                },
                path,
            });
            rest = &body[end + 1..];
        }
    }
    lit.push_str(rest);
    if parts.is_empty() {
        return Ok(Template::Static(lit));
    }
    if !lit.is_empty() {
        parts.push(TemplatePart::Literal(lit));
    }
    Ok(Template::Parts(parts))
}

fn param_type(s: &str) -> Option<ParamType> {
    if s.eq_ignore_ascii_case("string") {
        Some(ParamType::String)
    } else if s.eq_ignore_ascii_case("boolean") {
        Some(ParamType::Boolean)
    } else if s.eq_ignore_ascii_case("stringArray") {
        Some(ParamType::StringArray)
    } else {
        None
    }
}

fn param_value(ty: ParamType, v: &Json, path: &str) -> Result<ParamValue, RuleSetError> {
    match (ty, v) {
        (ParamType::String, Json::String(s)) => Ok(ParamValue::String(s.clone())),
        (ParamType::Boolean, Json::Bool(b)) => Ok(ParamValue::Bool(*b)),
        (ParamType::StringArray, Json::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                item.as_str().map(str::to_string).ok_or_else(|| {
                    err(
                        &format!("{path}[{i}]"),
                        format!("expected a string, found {}", json_kind(item)),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(ParamValue::StringArray),
        _ => Err(err(
            path,
            format!(
                "default of a {} parameter cannot be a {}",
                ty.name(),
                json_kind(v)
            ),
        )),
    }
}

struct Loader {
    /// Names visible at the current point, innermost last.
    scope: Vec<(String, usize)>,
    next_slot: usize,
    depth: usize,
}

impl Loader {
    fn lookup(&self, name: &str) -> Option<usize> {
        self.scope
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, slot)| *slot)
    }

    fn bind(&mut self, name: &str) -> usize {
        let slot = self.next_slot;
        self.next_slot += 1;
        self.scope.push((name.to_string(), slot));
        slot
    }

    fn enter(&mut self, path: &str) -> Result<(), RuleSetError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(err(path, "rules or expressions are nested too deeply"));
        }
        Ok(())
    }

    fn template(&self, s: &str, path: &str) -> Result<Template, RuleSetError> {
        parse_template(s, &|name| self.lookup(name)).map_err(|m| err(path, m))
    }

    fn parameters(&mut self, v: &Json, path: &str) -> Result<Vec<Parameter>, RuleSetError> {
        let obj = as_object(v, path)?;
        let mut params = Vec::with_capacity(obj.len());
        for (name, def) in obj {
            let p = key_path(path, name);
            if name.is_empty() {
                return Err(err(&p, "parameter name is empty"));
            }
            if self.lookup(name).is_some() {
                return Err(err(&p, format!("parameter `{name}` is declared twice")));
            }
            let def = as_object(def, &p)?;
            let ty_path = key_path(&p, "type");
            let ty_name = as_str(member(def, "type", &p)?, &ty_path)?;
            let ty = param_type(ty_name)
                .ok_or_else(|| err(&ty_path, format!("unknown parameter type `{ty_name}`")))?;
            let built_in = match def.get("builtIn") {
                Some(b) => Some(as_str(b, &key_path(&p, "builtIn"))?.to_string()),
                None => None,
            };
            let required = match def.get("required") {
                Some(r) => r.as_bool().ok_or_else(|| {
                    err(&key_path(&p, "required"), "expected a boolean".to_string())
                })?,
                None => false,
            };
            let default = match def.get("default") {
                Some(Json::Null) | None => None,
                Some(d) => Some(param_value(ty, d, &key_path(&p, "default"))?),
            };
            let documentation = def
                .get("documentation")
                .and_then(Json::as_str)
                .map(str::to_string);
            let deprecated = def.get("deprecated").is_some_and(|d| !d.is_null());
            self.bind(name);
            params.push(Parameter {
                name: name.clone(),
                param_type: ty,
                built_in,
                required,
                default,
                documentation,
                deprecated,
            });
        }
        Ok(params)
    }

    fn rules(&mut self, v: &Json, path: &str) -> Result<Vec<Rule>, RuleSetError> {
        let items = as_array(v, path)?;
        if items.is_empty() {
            return Err(err(path, "a rule list must hold at least one rule"));
        }
        items
            .iter()
            .enumerate()
            .map(|(i, r)| self.rule(r, &format!("{path}[{i}]")))
            .collect()
    }

    fn rule(&mut self, v: &Json, path: &str) -> Result<Rule, RuleSetError> {
        self.enter(path)?;
        let obj = as_object(v, path)?;
        let ty = as_str(member(obj, "type", path)?, &key_path(path, "type"))?;
        let mark = self.scope.len();
        let mut conditions = Vec::new();
        if let Some(conds) = obj.get("conditions") {
            let cpath = key_path(path, "conditions");
            for (i, c) in as_array(conds, &cpath)?.iter().enumerate() {
                conditions.push(self.condition(c, &format!("{cpath}[{i}]"))?);
            }
        }
        let kind = match ty {
            "endpoint" => {
                let p = key_path(path, "endpoint");
                RuleKind::Endpoint(self.endpoint(member(obj, "endpoint", path)?, &p)?)
            }
            "error" => {
                let p = key_path(path, "error");
                RuleKind::Error(self.expr(member(obj, "error", path)?, &p)?)
            }
            "tree" => {
                let p = key_path(path, "rules");
                RuleKind::Tree(self.rules(member(obj, "rules", path)?, &p)?)
            }
            other => {
                return Err(err(
                    &key_path(path, "type"),
                    format!("unknown rule type `{other}`"),
                ))
            }
        };
        self.scope.truncate(mark);
        self.depth -= 1;
        Ok(Rule { conditions, kind })
    }

    fn condition(&mut self, v: &Json, path: &str) -> Result<Condition, RuleSetError> {
        let obj = as_object(v, path)?;
        let call = self.call(obj, path)?;
        let assign = match obj.get("assign") {
            Some(a) => {
                let apath = key_path(path, "assign");
                let name = as_str(a, &apath)?;
                if name.is_empty() {
                    return Err(err(&apath, "assigned name is empty"));
                }
                Some(self.bind(name))
            }
            None => None,
        };
        Ok(Condition { call, assign })
    }

    fn call(&mut self, obj: &Map<String, Json>, path: &str) -> Result<Call, RuleSetError> {
        self.enter(path)?;
        let name = as_str(member(obj, "fn", path)?, &key_path(path, "fn"))?;
        let argv_path = key_path(path, "argv");
        let argv = as_array(member(obj, "argv", path)?, &argv_path)?;
        let arity = |expected: usize| -> Result<(), RuleSetError> {
            if argv.len() == expected {
                Ok(())
            } else {
                Err(err(
                    &argv_path,
                    format!(
                        "`{name}` takes {expected} argument(s), found {}",
                        argv.len()
                    ),
                ))
            }
        };
        let func = match name {
            "isSet" => {
                arity(1)?;
                Func::IsSet
            }
            "not" => {
                arity(1)?;
                Func::Not
            }
            "booleanEquals" => {
                arity(2)?;
                Func::BooleanEquals
            }
            "stringEquals" => {
                arity(2)?;
                Func::StringEquals
            }
            "getAttr" => {
                arity(2)?;
                let p = format!("{argv_path}[1]");
                let attr = as_str(&argv[1], &p)?;
                Func::GetAttr(parse_attr_path(attr).map_err(|m| err(&p, m))?)
            }
            "substring" => {
                arity(4)?;
                Func::Substring
            }
            "isValidHostLabel" => {
                arity(2)?;
                Func::IsValidHostLabel
            }
            "parseURL" => {
                arity(1)?;
                Func::ParseUrl
            }
            "uriEncode" => {
                arity(1)?;
                Func::UriEncode
            }
            "coalesce" => {
                if argv.len() < 2 {
                    return Err(err(&argv_path, "`coalesce` takes at least 2 arguments"));
                }
                Func::Coalesce
            }
            "ite" => {
                arity(3)?;
                Func::Ite
            }
            "split" => {
                arity(3)?;
                Func::Split
            }
            "aws.partition" => {
                arity(1)?;
                Func::AwsPartition
            }
            "aws.parseArn" => {
                arity(1)?;
                Func::AwsParseArn
            }
            "aws.isVirtualHostableS3Bucket" => {
                arity(2)?;
                Func::AwsIsVirtualHostableS3Bucket
            }
            other => {
                return Err(err(
                    &key_path(path, "fn"),
                    format!("unknown function `{other}`"),
                ))
            }
        };
        let arg_count = if matches!(func, Func::GetAttr(_)) {
            1
        } else {
            argv.len()
        };
        let args = argv[..arg_count]
            .iter()
            .enumerate()
            .map(|(i, a)| self.expr(a, &format!("{argv_path}[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        self.depth -= 1;
        Ok(Call { func, args })
    }

    fn expr(&mut self, v: &Json, path: &str) -> Result<Expr, RuleSetError> {
        self.enter(path)?;
        let e = match v {
            Json::String(s) => Expr::Str(self.template(s, path)?),
            Json::Bool(b) => Expr::Bool(*b),
            Json::Number(n) => Expr::Int(
                n.as_i64()
                    .ok_or_else(|| err(path, "only integer numbers are supported"))?,
            ),
            Json::Array(items) => Expr::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.expr(item, &format!("{path}[{i}]")))
                    .collect::<Result<_, _>>()?,
            ),
            Json::Object(obj) if obj.contains_key("fn") => {
                Expr::Call(Box::new(self.call(obj, path)?))
            }
            Json::Object(obj) if obj.contains_key("ref") => {
                let name = as_str(&obj["ref"], &key_path(path, "ref"))?;
                let slot = self.lookup(name).ok_or_else(|| {
                    err(
                        &key_path(path, "ref"),
                        format!("reference to unknown variable `{name}`"),
                    )
                })?;
                Expr::Ref(VarRef {
                    slot,
                    name: name.to_string(),
                })
            }
            Json::Object(obj) => Expr::Object(
                obj.iter()
                    .map(|(k, item)| Ok((k.clone(), self.expr(item, &key_path(path, k))?)))
                    .collect::<Result<_, RuleSetError>>()?,
            ),
            Json::Null => return Err(err(path, "null is not a valid expression")),
        };
        self.depth -= 1;
        Ok(e)
    }

    fn prop(&mut self, v: &Json, path: &str) -> Result<Prop, RuleSetError> {
        self.enter(path)?;
        let p = match v {
            Json::Null => Prop::Null,
            Json::Bool(b) => Prop::Bool(*b),
            Json::Number(n) => Prop::Number(n.clone()),
            Json::String(s) => Prop::Str(self.template(s, path)?),
            Json::Array(items) => Prop::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.prop(item, &format!("{path}[{i}]")))
                    .collect::<Result<_, _>>()?,
            ),
            Json::Object(obj) => Prop::Object(
                obj.iter()
                    .map(|(k, item)| Ok((k.clone(), self.prop(item, &key_path(path, k))?)))
                    .collect::<Result<_, RuleSetError>>()?,
            ),
        };
        self.depth -= 1;
        Ok(p)
    }

    fn endpoint(&mut self, v: &Json, path: &str) -> Result<EndpointSpec, RuleSetError> {
        let obj = as_object(v, path)?;
        let url = self.expr(member(obj, "url", path)?, &key_path(path, "url"))?;
        let mut properties = Vec::new();
        if let Some(props) = obj.get("properties") {
            let ppath = key_path(path, "properties");
            for (k, item) in as_object(props, &ppath)? {
                properties.push((k.clone(), self.prop(item, &key_path(&ppath, k))?));
            }
        }
        let mut headers = Vec::new();
        if let Some(hs) = obj.get("headers") {
            let hpath = key_path(path, "headers");
            for (name, values) in as_object(hs, &hpath)? {
                let vpath = key_path(&hpath, name);
                let values = as_array(values, &vpath)?
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.expr(item, &format!("{vpath}[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                headers.push((name.clone(), values));
            }
        }
        Ok(EndpointSpec {
            url,
            properties,
            headers,
        })
    }
}

/// Loads the `parameters` and `rules` of a rule set document.
pub(crate) fn load(doc: &Map<String, Json>) -> Result<Loaded, RuleSetError> {
    let mut loader = Loader {
        scope: Vec::new(),
        next_slot: 0,
        depth: 0,
    };
    let parameters = match doc.get("parameters") {
        Some(p) => loader.parameters(p, "$.parameters")?,
        None => return Err(err("$", "missing required member `parameters`")),
    };
    let rules = loader.rules(member(doc, "rules", "$")?, "$.rules")?;
    Ok(Loaded {
        parameters,
        rules,
        slot_count: loader.next_slot,
    })
}
