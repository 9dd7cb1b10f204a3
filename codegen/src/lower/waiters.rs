//! Waiters of operations with the `smithy.waiters#waitable` trait: their
//! names, delays and documentation, and their acceptors, each path compiled
//! against the operation's shapes (see [`super::waiter_paths`]).
//!
//! A waiter the specification does not allow (a name that is not
//! UpperCamelCase, no acceptor with the success state, delays out of range,
//! a matcher with no or several kinds) or a path that cannot be compiled is
//! refused with the operation, the waiter and the acceptor. An acceptor's
//! `message` and a waiter's `tags` do not change what is generated.

use serde_json::{Map, Value};

use crate::ir::*;
use crate::model::{Shape, ShapeId};
use crate::naming;

use super::names::check_unique;
use super::waiter_paths::{check_comparator, PathRoot, PathScope};
use super::{err, jmespath, LowerError, Lowerer, UNIT};

/// The trait's shape id.
const WAITABLE: &str = "smithy.waiters#waitable";
/// Delays when the model gives none (seconds).
const DEFAULT_MIN_DELAY: u64 = 2;
const DEFAULT_MAX_DELAY: u64 = 120;

impl<'m> Lowerer<'m> {
    /// The waiters of an operation, in name order.
    pub(super) fn waiters(
        &mut self,
        id: &ShapeId,
        op: &'m Shape,
        input: &StructIr,
        output: &StructIr,
    ) -> Result<Vec<WaiterIr>, LowerError> {
        let Some(waitable) = op.traits.get(WAITABLE) else {
            return Ok(Vec::new());
        };
        let Value::Object(waiters) = waitable else {
            return Err(err(
                id,
                None,
                "the waitable trait must map waiter names to waiters",
            ));
        };
        let wait = naming::waiter_wait_method();
        if let Some(clash) = input.fields.iter().find(|f| f.name == wait) {
            return Err(err(
                id,
                Some(&clash.wire_name),
                format!(
                    "the input member becomes the waiter builders' method `{wait}`, which waiting needs"
                ),
            ));
        }
        let scope = PathScope { op, input, output };
        let mut lowered = Vec::new();
        for (name, waiter) in waiters {
            lowered.push(
                self.waiter(&scope, name, waiter)
                    .map_err(|m| err(id, None, format!("waiter `{name}`: {m}")))?,
            );
        }
        lowered.sort_by(|a, b| a.module.cmp(&b.module));
        Ok(lowered)
    }

    fn waiter(
        &mut self,
        scope: &PathScope<'_, 'm>,
        name: &str,
        waiter: &Value,
    ) -> Result<WaiterIr, String> {
        let valid_name = name.starts_with(|c: char| c.is_ascii_uppercase())
            && name.chars().all(|c| c.is_ascii_alphanumeric());
        if !valid_name {
            return Err("a waiter's name must be UpperCamelCase letters and digits".to_owned());
        }
        let Value::Object(waiter) = waiter else {
            return Err("a waiter must be an object".to_owned());
        };
        let docs = match waiter.get("documentation") {
            None => Vec::new(),
            Some(Value::String(doc)) => crate::docs::lines(Some(doc)),
            Some(_) => return Err("`documentation` must be a string".to_owned()),
        };
        let min_delay = delay(waiter, "minDelay", DEFAULT_MIN_DELAY)?;
        let max_delay = delay(waiter, "maxDelay", DEFAULT_MAX_DELAY)?;
        if min_delay > max_delay {
            return Err(format!(
                "`minDelay` ({min_delay}) must not be greater than `maxDelay` ({max_delay})"
            ));
        }
        let deprecated = match waiter.get("deprecated") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err("`deprecated` must be a boolean".to_owned()),
        };
        let Some(Value::Array(acceptors)) = waiter.get("acceptors") else {
            return Err("`acceptors` must be a list of acceptors".to_owned());
        };
        let acceptors = acceptors
            .iter()
            .enumerate()
            .map(|(i, acceptor)| {
                self.acceptor(scope, acceptor)
                    .map_err(|m| format!("acceptor {}: {m}", i + 1))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if !acceptors.iter().any(|a| a.state == AcceptorState::Success) {
            return Err("no acceptor has the `success` state".to_owned());
        }
        Ok(WaiterIr {
            name: name.to_owned(),
            module: naming::waiter_module(name),
            method: naming::waiter_method(name),
            fluent_builder: naming::waiter_fluent_builder(name),
            final_poll: naming::waiter_final_poll(name),
            error: naming::waiter_error(name),
            docs,
            min_delay,
            max_delay,
            deprecated,
            acceptors,
        })
    }

    fn acceptor(
        &mut self,
        scope: &PathScope<'_, 'm>,
        acceptor: &Value,
    ) -> Result<AcceptorIr, String> {
        let state = match acceptor.get("state").and_then(Value::as_str) {
            Some("success") => AcceptorState::Success,
            Some("failure") => AcceptorState::Failure,
            Some("retry") => AcceptorState::Retry,
            Some(other) => {
                return Err(format!(
                    "the state `{other}` is not `success`, `failure` or `retry`"
                ))
            }
            None => return Err("`state` must be a string".to_owned()),
        };
        let Some(Value::Object(matcher)) = acceptor.get("matcher") else {
            return Err("`matcher` must be an object".to_owned());
        };
        let [(kind, value)] = matcher.iter().collect::<Vec<_>>()[..] else {
            return Err(format!(
                "a matcher has exactly one of `output`, `inputOutput`, `success` and `errorType`, not {}",
                matcher.len()
            ));
        };
        let matcher = match (kind.as_str(), value) {
            ("output", Value::Object(path)) => {
                let has_output = scope
                    .op
                    .output
                    .as_ref()
                    .is_some_and(|t| t.to_string() != UNIT);
                if !has_output {
                    return Err("an `output` matcher on an operation without output".to_owned());
                }
                MatcherIr::Output(self.path_matcher(scope, PathRoot::Output, path)?)
            }
            ("inputOutput", Value::Object(path)) => {
                MatcherIr::InputOutput(self.path_matcher(scope, PathRoot::InputOutput, path)?)
            }
            ("success", Value::Bool(b)) => MatcherIr::Success(*b),
            ("errorType", Value::String(error)) => {
                // An absolute shape id matches by its name alone.
                let name = error.rsplit_once('#').map_or(error.as_str(), |(_, n)| n);
                if name.is_empty() {
                    return Err("`errorType` names no error".to_owned());
                }
                MatcherIr::ErrorType(name.to_owned())
            }
            ("output" | "inputOutput", _) => {
                return Err(format!("`{kind}` must be a path matcher object"))
            }
            ("success", _) => return Err("`success` must be a boolean".to_owned()),
            ("errorType", _) => return Err("`errorType` must be a string".to_owned()),
            (other, _) => return Err(format!("the matcher `{other}` is not known")),
        };
        Ok(AcceptorIr { state, matcher })
    }

    fn path_matcher(
        &mut self,
        scope: &PathScope<'_, 'm>,
        root: PathRoot,
        matcher: &Map<String, Value>,
    ) -> Result<PathMatcherIr, String> {
        let text = |key: &str| match matcher.get(key) {
            Some(Value::String(s)) => Ok(s.clone()),
            _ => Err(format!("the path matcher's `{key}` must be a string")),
        };
        let path = text("path")?;
        let expected = text("expected")?;
        let comparator = match text("comparator")?.as_str() {
            "stringEquals" => Comparator::StringEquals,
            "booleanEquals" => match expected.as_str() {
                "true" => Comparator::BooleanEquals(true),
                "false" => Comparator::BooleanEquals(false),
                other => {
                    return Err(format!(
                        "`booleanEquals` expects `true` or `false`, not `{other}`"
                    ))
                }
            },
            "allStringEquals" => Comparator::AllStringEquals,
            "anyStringEquals" => Comparator::AnyStringEquals,
            other => return Err(format!("the comparator `{other}` is not known")),
        };
        let compiled = jmespath::parse(&path)
            .and_then(|ast| self.path_expr(scope, root, &ast))
            .and_then(|expr| check_comparator(&expr, &comparator).map(|()| expr))
            .map_err(|m| format!("cannot compile the path `{path}`: {m}"))?;
        Ok(PathMatcherIr {
            path,
            expr: compiled,
            comparator,
            expected,
        })
    }
}

/// A waiter's `minDelay` or `maxDelay`: a whole number of seconds, at least 1.
fn delay(waiter: &Map<String, Value>, key: &str, default: u64) -> Result<u64, String> {
    match waiter.get(key) {
        None => Ok(default),
        Some(value) => value
            .as_u64()
            .filter(|seconds| *seconds >= 1)
            .ok_or_else(|| {
                format!("`{key}` must be a whole number of seconds, at least 1, not {value}")
            }),
    }
}

/// Checks that no two waiters of a service have names equal but for case
/// (as the specification requires) or the same module.
pub(super) fn check_waiter_names(operations: &[OperationIr]) -> Result<(), LowerError> {
    let waiters = || {
        operations.iter().flat_map(|op| {
            op.waiters
                .iter()
                .map(move |w| (w, format!("{}::{}", op.wire_name, w.name)))
        })
    };
    check_unique(
        waiters().map(|(w, source)| (w.name.to_ascii_lowercase(), source)),
        "waiters",
        "case-insensitive waiter name",
    )?;
    check_unique(
        waiters().map(|(w, source)| (w.module.clone(), source)),
        "waiters",
        "module",
    )
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::super::tests::lower_shapes;
    use crate::ir::*;

    /// Shapes of an operation `ex#Op` with the waiters `waitable`, whose
    /// output has a status, a list of parts and a blob.
    fn with_waiters(waitable: Value) -> Value {
        json!({
            "ex#Op": {"type": "operation", "input": {"target": "ex#In"}, "output": {"target": "ex#Out"},
                      "traits": {"smithy.waiters#waitable": waitable}},
            "ex#In": {"type": "structure", "members": {
                "Name": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}}},
            "ex#Out": {"type": "structure", "members": {
                "Status": {"target": "smithy.api#String"},
                "Count": {"target": "smithy.api#Integer", "traits": {"smithy.api#required": {}}},
                "Parts": {"target": "ex#Parts"},
                "Data": {"target": "smithy.api#Blob"}}},
            "ex#Parts": {"type": "list", "member": {"target": "ex#Part"}},
            "ex#Part": {"type": "structure", "members": {"State": {"target": "smithy.api#String"}}}
        })
    }

    fn one_acceptor(matcher: Value) -> Value {
        json!({"Ready": {"acceptors": [{"state": "success", "matcher": matcher}]}})
    }

    fn output(path: &str, expected: &str, comparator: &str) -> Value {
        json!({"output": {"path": path, "expected": expected, "comparator": comparator}})
    }

    fn waiters(waitable: Value) -> Vec<WaiterIr> {
        let service = lower_shapes(with_waiters(waitable)).expect("lowers");
        service.operations[0].waiters.clone()
    }

    fn refusal(waitable: Value) -> String {
        lower_shapes(with_waiters(waitable))
            .expect_err("refused")
            .to_string()
    }

    #[test]
    fn waiters_get_aws_sdk_rust_names_delays_and_typed_paths() {
        let lowered = waiters(json!({
            "ThingReady": {
                "documentation": "Waits for the thing.",
                "minDelay": 5,
                "acceptors": [
                    {"state": "success", "matcher": output("Status", "READY", "stringEquals")},
                    {"state": "failure", "matcher": output("Parts[].State", "FAILED", "anyStringEquals")},
                    {"state": "retry", "matcher": {"errorType": "ex.other#NotFound"}},
                    {"state": "retry", "matcher": {"success": false}}
                ]
            },
            "Counted": {"maxDelay": 9, "acceptors": [
                {"state": "success", "matcher": {"inputOutput": {
                    "path": "output.Count > `2` && input.Name == 'x'", "expected": "true",
                    "comparator": "booleanEquals"}}}
            ]}
        }));
        // In name order.
        let names: Vec<&str> = lowered.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(names, ["Counted", "ThingReady"]);
        let ready = &lowered[1];
        assert_eq!(ready.module, "thing_ready");
        assert_eq!(ready.method, "wait_until_thing_ready");
        assert_eq!(ready.fluent_builder, "ThingReadyFluentBuilder");
        assert_eq!(ready.final_poll, "ThingReadyFinalPoll");
        assert_eq!(ready.error, "WaitUntilThingReadyError");
        assert_eq!(ready.docs, ["Waits for the thing."]);
        assert_eq!((ready.min_delay, ready.max_delay), (5, 120));
        assert_eq!((lowered[0].min_delay, lowered[0].max_delay), (2, 9));
        let states: Vec<AcceptorState> = ready.acceptors.iter().map(|a| a.state).collect();
        use AcceptorState::*;
        assert_eq!(states, [Success, Failure, Retry, Retry]);
        // The status: an optional string member of the output.
        let MatcherIr::Output(status) = &ready.acceptors[0].matcher else {
            panic!("{:?}", ready.acceptors[0]);
        };
        assert_eq!(status.expr.ty, PathType::String);
        assert!(status.expr.nullable);
        let PathNode::Field { of, field } = &status.expr.node else {
            panic!("{:?}", status.expr);
        };
        assert_eq!(of.node, PathNode::Current);
        assert_eq!((field.name.as_str(), field.optional), ("status", true));
        // The parts' states: a projection of a list that may be absent.
        let MatcherIr::Output(states) = &ready.acceptors[1].matcher else {
            panic!();
        };
        assert_eq!(states.expr.ty, PathType::Array(Box::new(PathType::String)));
        assert!(matches!(states.expr.node, PathNode::Project { .. }));
        // An absolute shape id matches by its name.
        assert_eq!(
            ready.acceptors[2].matcher,
            MatcherIr::ErrorType("NotFound".to_owned())
        );
        assert_eq!(ready.acceptors[3].matcher, MatcherIr::Success(false));
        let MatcherIr::InputOutput(counted) = &lowered[0].acceptors[0].matcher else {
            panic!();
        };
        assert_eq!(counted.comparator, Comparator::BooleanEquals(true));
        // `Count` is required, `Name` an input member (always optional):
        // the comparison of the count is never null.
        let PathNode::And(left, right) = &counted.expr.node else {
            panic!("{:?}", counted.expr);
        };
        assert!(!left.nullable);
        assert_eq!(right.ty, PathType::Bool);
    }

    #[test]
    fn what_cannot_be_compiled_is_refused_with_the_waiter_acceptor_and_path() {
        let prefix =
            "test.json: shape `ex#Op`: waiter `Ready`: acceptor 1: cannot compile the path";
        for (path, comparator, reason) in [
            ("Nope", "stringEquals", "`Nope` is not a member of the operation's output"),
            ("Parts[].Nope", "anyStringEquals", "`Nope` is not a member of `ex#Part`"),
            ("Status.Inner", "stringEquals", "`Inner` is read from a string, which has no members"),
            ("Data", "stringEquals", "`Data` is a blob, which waiter paths cannot read"),
            ("Status | @", "stringEquals", "pipes (`|`) are not supported"),
            ("*", "stringEquals", "object projections (`*`) are not supported"),
            ("sort(Parts)", "stringEquals", "the function `sort` is not supported (`length` and `contains` are)"),
            ("length(Count)", "booleanEquals", "`length` takes a string, a list or a map, not a number"),
            ("Status == Count", "booleanEquals", "`==` compares a string with a number, which are never equal"),
            ("Status < `3`", "booleanEquals", "`<` orders numbers only, not a string and a number"),
            ("Count == `null`", "booleanEquals", "`==` compares null with a number, which is never null"),
            ("!Count", "booleanEquals", "`!` is a number, which is always true"),
            ("Parts[0] && Status", "stringEquals", "the left side of `&&` is a structure, whose truth is not supported"),
            ("Status || Parts", "stringEquals", "`||` joins a string and a list of structures; only values of one type can be joined"),
            ("Count", "stringEquals", "`stringEquals` compares a string, and the path gives a number"),
            ("Parts", "allStringEquals", "`allStringEquals` compares a list of strings, and the path gives a list of structures"),
            ("`[1]`", "anyStringEquals", "the literal `[1]` is a list or an object, which is not supported"),
            ("Status[1:2]", "stringEquals", "slices (`[a:b]`, at character 8) are not supported"),
            ("Status ==", "booleanEquals", "unexpected end of the expression at character 10"),
        ] {
            let expected = if comparator == "booleanEquals" { "true" } else { "x" };
            let message = refusal(one_acceptor(output(path, expected, comparator)));
            assert_eq!(
                message,
                format!("{prefix} `{path}`: {reason}"),
                "{path}"
            );
        }
    }

    #[test]
    fn waiters_the_specification_does_not_allow_are_refused() {
        let success = json!([{"state": "success", "matcher": {"success": true}}]);
        for (waitable, reason) in [
            (json!({"ready": {"acceptors": success}}), "waiter `ready`: a waiter's name must be UpperCamelCase letters and digits"),
            (json!({"Ready": {"acceptors": []}}), "waiter `Ready`: no acceptor has the `success` state"),
            (json!({"Ready": {"acceptors": [{"state": "retry", "matcher": {"success": true}}]}}),
                "waiter `Ready`: no acceptor has the `success` state"),
            (json!({"Ready": {"minDelay": 0, "acceptors": success}}),
                "waiter `Ready`: `minDelay` must be a whole number of seconds, at least 1, not 0"),
            (json!({"Ready": {"minDelay": 10, "maxDelay": 5, "acceptors": success}}),
                "waiter `Ready`: `minDelay` (10) must not be greater than `maxDelay` (5)"),
            (json!({"Ready": {"acceptors": [{"state": "done", "matcher": {"success": true}}]}}),
                "waiter `Ready`: acceptor 1: the state `done` is not `success`, `failure` or `retry`"),
            (json!({"Ready": {"acceptors": [{"state": "success", "matcher": {"success": true, "errorType": "X"}}]}}),
                "waiter `Ready`: acceptor 1: a matcher has exactly one of `output`, `inputOutput`, `success` and `errorType`, not 2"),
            (one_acceptor(json!({"errorType": 3})), "waiter `Ready`: acceptor 1: `errorType` must be a string"),
            (one_acceptor(output("Status", "maybe", "booleanEquals")),
                "waiter `Ready`: acceptor 1: `booleanEquals` expects `true` or `false`, not `maybe`"),
            (one_acceptor(output("Status", "x", "stringStartsWith")),
                "waiter `Ready`: acceptor 1: the comparator `stringStartsWith` is not known"),
            (json!(["Ready"]), "the waitable trait must map waiter names to waiters"),
        ] {
            assert_eq!(
                refusal(waitable),
                format!("test.json: shape `ex#Op`: {reason}")
            );
        }
    }

    #[test]
    fn waiter_names_are_unique_across_the_service_whatever_their_case() {
        let success = json!([{"state": "success", "matcher": {"success": true}}]);
        let mut shapes = with_waiters(json!({"ThingReady": {"acceptors": success}}));
        shapes["ex#Svc"] = json!({"type": "service",
            "operations": [{"target": "ex#Op"}, {"target": "ex#Other"}],
            "traits": {"aws.protocols#awsJson1_1": {}}});
        shapes["ex#Other"] = json!({"type": "operation", "input": {"target": "ex#In"},
            "traits": {"smithy.waiters#waitable": {"ThingREADY": {"acceptors": success}}}});
        let message = lower_shapes(shapes).expect_err("refused").to_string();
        assert!(
            message.contains("`Op::ThingReady` and `Other::ThingREADY` both become the case-insensitive waiter name `thingready`")
                || message.contains("`Other::ThingREADY` and `Op::ThingReady` both become the case-insensitive waiter name `thingready`"),
            "{message}"
        );
    }

    #[test]
    fn an_input_member_named_wait_is_refused() {
        let mut shapes = with_waiters(one_acceptor(json!({"success": true})));
        shapes["ex#In"]["members"]["Wait"] = json!({"target": "smithy.api#Integer"});
        assert_eq!(
            lower_shapes(shapes).expect_err("refused").to_string(),
            "test.json: shape `ex#Op`, member `Wait`: the input member becomes the waiter builders' method `wait`, which waiting needs"
        );
    }

    #[test]
    fn an_output_matcher_needs_an_output() {
        let mut shapes = with_waiters(one_acceptor(output("Status", "x", "stringEquals")));
        shapes["ex#Op"]["output"] = json!({"target": "smithy.api#Unit"});
        assert_eq!(
            lower_shapes(shapes).expect_err("refused").to_string(),
            "test.json: shape `ex#Op`: waiter `Ready`: acceptor 1: an `output` matcher on an operation without output"
        );
    }
}
