//! Evaluation of a loaded rule set against parameter values.

use std::collections::BTreeMap;

use crate::ast::{
    Call, Condition, EndpointSpec, Expr, Func, PathStep, Prop, Rule, RuleKind, Template,
    TemplatePart,
};
use crate::functions;
use crate::partition::PartitionTable;
use crate::value::Value;
use crate::{Endpoint, EndpointError, Params, RuleSet};

/// An evaluation's variables (one slot per parameter, then one per `assign`)
/// and the partition table `aws.partition` answers from.
struct Slots<'t> {
    values: Vec<Option<Value>>,
    partitions: &'t PartitionTable,
}
type Res<T> = Result<T, EndpointError>;

fn fail<T>(message: impl Into<String>) -> Res<T> {
    Err(EndpointError {
        message: message.into(),
    })
}

fn slot<'a>(slots: &'a Slots<'_>, i: usize) -> Option<&'a Value> {
    slots.values.get(i).and_then(Option::as_ref)
}

pub(crate) fn resolve(rs: &RuleSet, params: &Params) -> Res<Endpoint> {
    let mut slots = Slots {
        values: vec![None; rs.slot_count],
        partitions: rs.partitions(),
    };
    // Parameters occupy the first slots, in declaration order.
    for (i, p) in rs.parameters.iter().enumerate() {
        let value = match params.get(&p.name) {
            Some(v) if v.param_type() != p.param_type => {
                return fail(format!(
                    "parameter `{}` expects a {} value, got a {}",
                    p.name,
                    p.param_type.name(),
                    v.param_type().name()
                ));
            }
            Some(v) => Some(Value::from_param(v)),
            None => p.default.as_ref().map(Value::from_param),
        };
        if value.is_none() && p.required {
            return fail(format!("missing required parameter `{}`", p.name));
        }
        if let Some(s) = slots.values.get_mut(i) {
            *s = value;
        }
    }
    match rules(&rs.rules, &mut slots)? {
        Some(endpoint) => Ok(endpoint),
        None => fail("no endpoint rule matched the given parameters"),
    }
}

fn rules(list: &[Rule], slots: &mut Slots) -> Res<Option<Endpoint>> {
    for rule in list {
        if !conditions_hold(&rule.conditions, slots)? {
            continue;
        }
        return match &rule.kind {
            RuleKind::Endpoint(spec) => endpoint(spec, slots).map(Some),
            RuleKind::Error(message) => fail(string(message, slots, "error message")?),
            RuleKind::Tree(sub) => match rules(sub, slots)? {
                Some(endpoint) => Ok(Some(endpoint)),
                None => fail("no rule matched inside a tree rule whose conditions held"),
            },
        };
    }
    Ok(None)
}

fn conditions_hold(conditions: &[Condition], slots: &mut Slots) -> Res<bool> {
    for c in conditions {
        match call(&c.call, slots)? {
            None | Some(Value::Bool(false)) => return Ok(false),
            Some(v) => {
                if let Some(s) = c.assign.and_then(|i| slots.values.get_mut(i)) {
                    *s = Some(v);
                }
            }
        }
    }
    Ok(true)
}

fn endpoint(spec: &EndpointSpec, slots: &Slots) -> Res<Endpoint> {
    let url = string(&spec.url, slots, "endpoint url")?;
    let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, values) in &spec.headers {
        let entry = headers.entry(name.clone()).or_default();
        for v in values {
            entry.push(string(v, slots, "header value")?);
        }
    }
    let mut properties = serde_json::Map::new();
    for (k, p) in &spec.properties {
        properties.insert(k.clone(), prop(p, slots)?);
    }
    Ok(Endpoint {
        url,
        properties,
        headers,
    })
}

fn prop(p: &Prop, slots: &Slots) -> Res<serde_json::Value> {
    Ok(match p {
        Prop::Null => serde_json::Value::Null,
        Prop::Bool(b) => serde_json::Value::Bool(*b),
        Prop::Number(n) => serde_json::Value::Number(n.clone()),
        Prop::Str(t) => serde_json::Value::String(render(t, slots)?),
        Prop::Array(items) => serde_json::Value::Array(
            items
                .iter()
                .map(|i| prop(i, slots))
                .collect::<Res<Vec<_>>>()?,
        ),
        Prop::Object(entries) => {
            let mut m = serde_json::Map::new();
            for (k, v) in entries {
                m.insert(k.clone(), prop(v, slots)?);
            }
            serde_json::Value::Object(m)
        }
    })
}

/// Evaluates an expression that must produce a string.
fn string(e: &Expr, slots: &Slots, what: &str) -> Res<String> {
    match eval(e, slots)? {
        Some(Value::Str(s)) => Ok(s),
        Some(other) => fail(format!(
            "{what} evaluated to a {}, not a string",
            other.type_name()
        )),
        None => fail(format!("{what} evaluated to no value")),
    }
}

pub(crate) fn get_attr(v: &Value, path: &[PathStep]) -> Option<Value> {
    let mut cur = v;
    for step in path {
        cur = match (step, cur) {
            (PathStep::Key(k), Value::Object(m)) => m.get(k)?,
            (PathStep::Index(i), Value::Array(items)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(cur.clone())
}

fn render(t: &Template, slots: &Slots) -> Res<String> {
    let parts = match t {
        Template::Static(s) => return Ok(s.clone()),
        Template::Parts(parts) => parts,
    };
    let mut out = String::new();
    for part in parts {
        match part {
            TemplatePart::Literal(s) => out.push_str(s),
            TemplatePart::Var { var, path } => {
                let Some(v) = slot(slots, var.slot) else {
                    return fail(format!(
                        "template refers to `{}`, which is not set",
                        var.name
                    ));
                };
                let attr;
                let target = if path.is_empty() {
                    v
                } else {
                    attr = get_attr(v, path);
                    match &attr {
                        Some(a) => a,
                        None => {
                            return fail(format!(
                                "template refers to a path of `{}` that has no value",
                                var.name
                            ))
                        }
                    }
                };
                match target {
                    Value::Str(s) => out.push_str(s),
                    Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                    Value::Int(n) => out.push_str(&n.to_string()),
                    other => {
                        return fail(format!(
                            "template cannot insert a {} from `{}`",
                            other.type_name(),
                            var.name
                        ))
                    }
                }
            }
        }
    }
    Ok(out)
}

fn eval(e: &Expr, slots: &Slots) -> Res<Option<Value>> {
    Ok(match e {
        Expr::Str(t) => Some(Value::Str(render(t, slots)?)),
        Expr::Bool(b) => Some(Value::Bool(*b)),
        Expr::Int(n) => Some(Value::Int(*n)),
        Expr::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                if let Some(v) = eval(item, slots)? {
                    out.push(v);
                }
            }
            Some(Value::array(out))
        }
        Expr::Object(entries) => {
            let mut out = BTreeMap::new();
            for (k, item) in entries {
                if let Some(v) = eval(item, slots)? {
                    out.insert(k.clone(), v);
                }
            }
            Some(Value::object(out))
        }
        Expr::Ref(var) => slot(slots, var.slot).cloned(),
        Expr::Call(c) => call(c, slots)?,
    })
}

fn type_error<T>(func: &Func, expected: &str, got: &Value) -> Res<T> {
    fail(format!(
        "`{}` expects a {expected} argument, got a {}",
        func.name(),
        got.type_name()
    ))
}

fn arg(c: &Call, i: usize, slots: &Slots) -> Res<Option<Value>> {
    match c.args.get(i) {
        Some(e) => eval(e, slots),
        None => fail(format!("`{}` is missing argument {}", c.func.name(), i + 1)),
    }
}

fn str_arg(c: &Call, i: usize, slots: &Slots) -> Res<Option<String>> {
    match arg(c, i, slots)? {
        None => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s)),
        Some(other) => type_error(&c.func, "string", &other),
    }
}

fn bool_arg(c: &Call, i: usize, slots: &Slots) -> Res<Option<bool>> {
    match arg(c, i, slots)? {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(other) => type_error(&c.func, "boolean", &other),
    }
}

fn int_arg(c: &Call, i: usize, slots: &Slots) -> Res<Option<i64>> {
    match arg(c, i, slots)? {
        None => Ok(None),
        Some(Value::Int(n)) => Ok(Some(n)),
        Some(other) => type_error(&c.func, "integer", &other),
    }
}

fn call(c: &Call, slots: &Slots) -> Res<Option<Value>> {
    let bool_value = |b: bool| Ok(Some(Value::Bool(b)));
    match &c.func {
        Func::IsSet => bool_value(arg(c, 0, slots)?.is_some()),
        Func::Not => Ok(bool_arg(c, 0, slots)?.map(|b| Value::Bool(!b))),
        Func::BooleanEquals => {
            let a = bool_arg(c, 0, slots)?;
            let b = bool_arg(c, 1, slots)?;
            bool_value(matches!((a, b), (Some(a), Some(b)) if a == b))
        }
        Func::StringEquals => {
            let a = str_arg(c, 0, slots)?;
            let b = str_arg(c, 1, slots)?;
            bool_value(matches!((a, b), (Some(a), Some(b)) if a == b))
        }
        Func::GetAttr(path) => Ok(arg(c, 0, slots)?.and_then(|v| get_attr(&v, path))),
        Func::Substring => {
            let input = str_arg(c, 0, slots)?;
            let start = int_arg(c, 1, slots)?;
            let stop = int_arg(c, 2, slots)?;
            let reverse = bool_arg(c, 3, slots)?;
            Ok(match (input, start, stop, reverse) {
                (Some(s), Some(a), Some(b), Some(r)) => {
                    functions::substring(&s, a, b, r).map(Value::Str)
                }
                _ => None,
            })
        }
        Func::IsValidHostLabel => {
            let value = str_arg(c, 0, slots)?;
            let sub = bool_arg(c, 1, slots)?.unwrap_or(false);
            bool_value(value.is_some_and(|v| functions::is_valid_host_label(&v, sub)))
        }
        Func::AwsIsVirtualHostableS3Bucket => {
            let value = str_arg(c, 0, slots)?;
            let sub = bool_arg(c, 1, slots)?.unwrap_or(false);
            bool_value(value.is_some_and(|v| functions::is_virtual_hostable_s3_bucket(&v, sub)))
        }
        Func::ParseUrl => Ok(str_arg(c, 0, slots)?
            .and_then(|s| functions::parse_url(&s))
            .map(|u| u.to_value())),
        Func::UriEncode => Ok(str_arg(c, 0, slots)?.map(|s| Value::Str(functions::uri_encode(&s)))),
        Func::Coalesce => {
            for i in 0..c.args.len() {
                if let Some(v) = arg(c, i, slots)? {
                    return Ok(Some(v));
                }
            }
            Ok(None)
        }
        Func::Ite => {
            let chosen = if bool_arg(c, 0, slots)?.unwrap_or(false) {
                1
            } else {
                2
            };
            arg(c, chosen, slots)
        }
        Func::Split => {
            let value = str_arg(c, 0, slots)?;
            let delimiter = str_arg(c, 1, slots)?;
            let limit = int_arg(c, 2, slots)?;
            Ok(match (value, delimiter, limit) {
                (Some(v), Some(d), Some(l)) => functions::split(&v, &d, l)
                    .map(|parts| Value::array(parts.into_iter().map(Value::Str).collect())),
                _ => None,
            })
        }
        Func::AwsPartition => Ok(str_arg(c, 0, slots)?.and_then(|region| {
            slots
                .partitions
                .lookup_value(&region)
                .map(|(_, v)| v.clone())
        })),
        Func::AwsParseArn => Ok(str_arg(c, 0, slots)?
            .and_then(|s| functions::parse_arn(&s))
            .map(|a| a.to_value())),
    }
}
