//! Rust names: decided once for the whole service, numbered deterministically
//! where they would collide, and checked to be unique.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Member, Model, Shape, ShapeId, ShapeType};
use crate::naming;

use super::{general, LowerError};

/// Fails when two items map to the same Rust name.
pub(super) fn check_unique(
    items: impl Iterator<Item = (String, String)>,
    scope: &str,
    what: &str,
) -> Result<(), LowerError> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (rust, source) in items {
        if let Some(previous) = seen.insert(rust.clone(), source.clone()) {
            if previous != source {
                return Err(general(format!(
                    "in {scope}, `{previous}` and `{source}` both become the {what} `{rust}`"
                )));
            }
        }
    }
    Ok(())
}

/// The Rust names of a service's operations, named types and error
/// structures. They are decided for everything the service can reach, not
/// only for what a selection generates, so a type keeps its name whichever
/// operations are chosen.
pub(super) struct Names {
    operations: BTreeMap<ShapeId, String>,
    types: BTreeMap<ShapeId, String>,
    errors: BTreeMap<ShapeId, String>,
    rename: BTreeMap<ShapeId, String>,
}

impl Names {
    pub(super) fn new(model: &Model, service: &Shape) -> Names {
        let operations = model.service_operations(&service.id);
        let mut seen: BTreeSet<ShapeId> = BTreeSet::new();
        let mut stack: Vec<ShapeId> = service.errors.clone();
        for op in operations.iter().filter_map(|id| model.shape(id)) {
            stack.extend(op.errors.iter().cloned());
            for io in [&op.input, &op.output].into_iter().flatten() {
                // Inputs and outputs become operation types; only what their
                // members reach can be a named type.
                if let Some(shape) = model.shape(io) {
                    stack.extend(shape.members.iter().map(|m| m.target.clone()));
                }
            }
        }
        while let Some(id) = stack.pop() {
            if Model::is_prelude(&id) || !seen.insert(id.clone()) {
                continue;
            }
            if let Some(shape) = model.shape(&id) {
                stack.extend(shape.members.iter().map(|m| m.target.clone()));
            }
        }
        let rename = service.rename.clone();
        let source = |id: &ShapeId| rename.get(id).cloned().unwrap_or_else(|| id.name.clone());
        let (mut types, mut errors) = (Vec::new(), Vec::new());
        for id in &seen {
            let Some(shape) = model.shape(id) else {
                continue;
            };
            match shape.ty {
                ShapeType::Structure if shape.traits.is_error() => errors.push(id),
                ShapeType::Structure | ShapeType::Union | ShapeType::Enum => types.push(id),
                ShapeType::String if shape.traits.has("smithy.api#enum") => types.push(id),
                _ => {}
            }
        }
        let named = |ids: Vec<&ShapeId>, name: fn(&str) -> String| {
            let sources: Vec<String> = ids.iter().map(|id| source(id)).collect();
            let picked = allocate(
                sources.len(),
                |i| u8::from(name(&sources[i]) != sources[i]),
                |i, n| {
                    let primary = naming::numbered_camel(&name(&sources[i]), n);
                    let module = naming::type_module(&primary);
                    vec![primary, module]
                },
                BTreeSet::new(),
            );
            ids.into_iter()
                .zip(picked)
                .enumerate()
                .map(|(i, (id, n))| (id.clone(), naming::numbered_camel(&name(&sources[i]), n)))
                .collect::<BTreeMap<_, _>>()
        };
        let types = named(types, naming::type_name);
        let errors = named(errors, naming::error_type_name);
        let picked = allocate(
            operations.len(),
            |i| u8::from(naming::camel(&operations[i].name) != operations[i].name),
            |i, n| {
                let module =
                    naming::numbered_snake(&naming::operation_module(&operations[i].name), n);
                vec![module.trim_start_matches("r#").to_owned()]
            },
            BTreeSet::new(),
        );
        let operations = operations
            .iter()
            .zip(picked)
            .map(|(id, n)| {
                (
                    id.clone(),
                    naming::numbered_snake(&naming::operation_module(&id.name), n),
                )
            })
            .collect();
        Names {
            operations,
            types,
            errors,
            rename,
        }
    }

    /// The model name of a shape after the service's `rename`.
    fn source(&self, id: &ShapeId) -> String {
        self.rename
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.name.clone())
    }

    /// The module (and client method) of an operation.
    pub(super) fn operation(&self, id: &ShapeId) -> String {
        self.operations
            .get(id)
            .cloned()
            .unwrap_or_else(|| naming::operation_module(&id.name))
    }

    /// The type name of a structure, union or enum under `types`.
    pub(super) fn named_type(&self, id: &ShapeId) -> String {
        self.types
            .get(id)
            .cloned()
            .unwrap_or_else(|| naming::type_name(&self.source(id)))
    }

    /// The type name of an error structure under `types::error`.
    pub(super) fn error(&self, id: &ShapeId) -> String {
        self.errors
            .get(id)
            .cloned()
            .unwrap_or_else(|| naming::error_type_name(&self.source(id)))
    }
}

/// Deterministic disambiguation: gives each of `count` items the smallest `n`
/// for which every name `names(item, n)` is still free, and returns the `n`s.
/// Items with the lowest `rank` choose first (a name spelled exactly as in the
/// model ranks before one that casing changed), then items in their order; every
/// item is offered its plain name (`n = 1`) before any item is numbered, so a
/// numbered name never takes the plain name of an item that comes later.
fn allocate(
    count: usize,
    rank: impl Fn(usize) -> u8,
    names: impl Fn(usize, usize) -> Vec<String>,
    mut taken: BTreeSet<String>,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by_key(|&i| (rank(i), i));
    let mut picked = vec![1; count];
    let mut numbered = Vec::new();
    for &i in &order {
        let wanted = names(i, 1);
        if wanted.iter().all(|name| !taken.contains(name)) {
            taken.extend(wanted);
        } else {
            numbered.push(i);
        }
    }
    // Where the search for a free `n` resumes for items of the same plain
    // name: every smaller `n` was taken when an earlier item chose, and stays
    // taken, so many items of one name do not rescan each other's names.
    let mut resume: BTreeMap<String, usize> = BTreeMap::new();
    for i in numbered {
        let plain = names(i, 1).into_iter().next().unwrap_or_default();
        let start = resume.get(&plain).copied().unwrap_or(2);
        // Names differ for every `n`, so a free one is always found.
        for n in start.. {
            let wanted = names(i, n);
            if wanted.iter().all(|name| !taken.contains(name)) {
                taken.extend(wanted);
                picked[i] = n;
                resume.insert(plain, n + 1);
                break;
            }
        }
    }
    picked
}

/// The field names of a structure's members, by member name. A field also
/// takes its builder's `set_` and `get_` methods, so a member `set_x` cannot
/// take the setter of a member `x`; plain names choose first, then names
/// casing changed, then names starting with `set_` or `get_`.
pub(super) fn field_names(members: &[Member]) -> BTreeMap<String, String> {
    let plain: Vec<String> = members
        .iter()
        .map(|m| naming::field_name(&m.name))
        .collect();
    let rank = |i: usize| {
        let member = &members[i].name;
        let accessor_like = member.starts_with("set_") || member.starts_with("get_");
        u8::from(accessor_like) * 2 + u8::from(naming::field_suffix(&plain[i]) != *member)
    };
    let names = |i: usize, n: usize| {
        let field = naming::numbered_snake(&plain[i], n);
        let suffix = naming::field_suffix(&field);
        vec![format!("set_{suffix}"), format!("get_{suffix}"), suffix]
    };
    let taken: BTreeSet<String> = naming::generated_methods()
        .iter()
        .map(|name| (*name).to_owned())
        .collect();
    let picked = allocate(members.len(), rank, names, taken);
    members
        .iter()
        .zip(plain.iter().zip(picked))
        .map(|(m, (field, n))| (m.name.clone(), naming::numbered_snake(field, n)))
        .collect()
}

/// Variant names for the members of an enum or union, in member order
/// (`sources` are the names variants are made from). Union variants also take
/// their `is_`/`as_` methods.
pub(super) fn variant_names(sources: &[&str], union: bool) -> Vec<String> {
    let plain: Vec<String> = sources.iter().map(|s| naming::variant_name(s)).collect();
    let rank = |i: usize| u8::from(plain[i] != sources[i]);
    let names = |i: usize, n: usize| {
        let variant = naming::numbered_camel(&plain[i], n);
        if union {
            vec![
                naming::is_variant_fn(&variant),
                naming::as_variant_fn(&variant),
                variant,
            ]
        } else {
            vec![variant]
        }
    };
    let taken: BTreeSet<String> = naming::generated_variant_items()
        .iter()
        .map(|name| (*name).to_owned())
        .collect();
    let picked = allocate(sources.len(), rank, names, taken);
    plain
        .iter()
        .zip(picked)
        .map(|(variant, n)| naming::numbered_camel(variant, n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    use crate::ir::TypeDef;
    use crate::lower::tests::lower_shapes;
    use crate::lower::{lower, Selection};

    fn input_fields(shapes: Value) -> Vec<(String, String)> {
        let ir = lower_shapes(shapes).expect("lowers");
        ir.operations[0]
            .input
            .fields
            .iter()
            .map(|f| (f.wire_name.clone(), f.name.clone()))
            .collect()
    }

    fn strings(names: &[&str]) -> Value {
        let members: serde_json::Map<String, Value> = names
            .iter()
            .map(|n| {
                (
                    (*n).to_owned(),
                    serde_json::json!({"target": "smithy.api#String"}),
                )
            })
            .collect();
        Value::Object(members)
    }

    #[test]
    fn fields_that_collide_after_casing_are_numbered_deterministically() {
        // (members in model order, expected (member, field) pairs)
        type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);
        let cases: &[Case] = &[
            // The member spelled as its field keeps the plain name, wherever it is.
            (
                &["fooBar", "foo_bar"],
                &[("fooBar", "foo_bar_2"), ("foo_bar", "foo_bar")],
            ),
            (
                &["foo_bar", "fooBar"],
                &[("foo_bar", "foo_bar"), ("fooBar", "foo_bar_2")],
            ),
            (
                &["FooBar", "foo_bar_2", "foo_bar"],
                &[
                    ("FooBar", "foo_bar_3"),
                    ("foo_bar_2", "foo_bar_2"),
                    ("foo_bar", "foo_bar"),
                ],
            ),
            // `set_x` would take the setter of `x`.
            (&["set_x", "x"], &[("set_x", "set_x_2"), ("x", "x")]),
            (&["get_y", "y"], &[("get_y", "get_y_2"), ("y", "y")]),
            // Reserved names get `_value`; a member already called that wins.
            (
                &["build", "build_value"],
                &[("build", "build_value_2"), ("build_value", "build_value")],
            ),
            (
                &["meta", "set_meta"],
                &[("meta", "meta_value"), ("set_meta", "set_meta_value_2")],
            ),
            (&["new"], &[("new", "new_value")]),
            // Keywords and a trailing underscore.
            (
                &["type", "type_"],
                &[("type", "r#type"), ("type_", "type_2")],
            ),
            (
                &["self", "self_"],
                &[("self", "self_2"), ("self_", "self_")],
            ),
            // A lowercase name splits after a digit, as aws-sdk-rust's names do.
            (&["_1st", "x"], &[("_1st", "_1_st"), ("x", "x")]),
        ];
        for (members, expected) in cases {
            let fields = input_fields(serde_json::json!({
                "ex#In": {"type": "structure", "members": strings(members)}
            }));
            let expected: Vec<(String, String)> = expected
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect();
            assert_eq!(fields, expected, "members {members:?}");
        }
    }

    #[test]
    fn field_names_and_their_setters_are_unique() {
        let members = [
            "x",
            "set_x",
            "get_x",
            "set_set_x",
            "fooBar",
            "foo_bar",
            "FOO_BAR_",
            "build",
            "build_value",
            "build_2",
            "meta",
            "meta_value",
            "set_meta",
            "type",
            "r_type",
            "type_",
        ];
        let ir = lower_shapes(serde_json::json!({
            "ex#In": {"type": "structure", "members": strings(&members)}
        }))
        .expect("lowers");
        let mut methods = BTreeSet::new();
        for f in &ir.operations[0].input.fields {
            for name in [
                f.name.trim_start_matches("r#").to_owned(),
                format!("set_{}", f.suffix),
                format!("get_{}", f.suffix),
            ] {
                assert!(methods.insert(name.clone()), "{name} is taken twice");
                assert!(
                    !naming::generated_methods().contains(&name.as_str()),
                    "{name}"
                );
            }
        }
    }

    #[test]
    fn variants_that_collide_are_numbered() {
        let ir = lower_shapes(serde_json::json!({
            "ex#In": {"type": "structure", "members": {
                "e": {"target": "ex#E"}, "l": {"target": "ex#L"}, "u": {"target": "ex#U"}}},
            "ex#E": {"type": "enum", "members": {
                "Unknown": {"target": "smithy.api#Unit"},
                "UnknownValue": {"target": "smithy.api#Unit"},
                "aB": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "a-b"}},
                "a_b": {"target": "smithy.api#Unit"}}},
            "ex#L": {"type": "string", "traits": {"smithy.api#enum": [
                {"value": "Unknown"}, {"value": "UNKNOWN"}, {"value": "a-b"}, {"value": "a_b"},
                {"value": "日本"}, {"value": "!!!"}]}},
            "ex#U": {"type": "union", "members": {
                "fooBar": {"target": "smithy.api#String"},
                "foo_bar": {"target": "smithy.api#Integer"},
                "Unknown": {"target": "smithy.api#Unit"}}}
        }))
        .expect("lowers");
        let variants = |name: &str| -> Vec<String> {
            match ir.types.iter().find(|t| t.name() == name) {
                Some(TypeDef::Enum(e)) => e.values.iter().map(|v| v.variant.clone()).collect(),
                Some(TypeDef::Union(u)) => u.variants.iter().map(|v| v.name.clone()).collect(),
                _ => panic!("no enum or union {name}"),
            }
        };
        assert_eq!(
            variants("E"),
            ["UnknownValue2", "UnknownValue", "AB", "AB2"]
        );
        assert_eq!(
            variants("L"),
            [
                "UnknownValue",
                "UnknownValue2",
                "AB",
                "AB2",
                "Empty",
                "Empty2"
            ]
        );
        assert_eq!(variants("U"), ["FooBar", "FooBar2", "UnknownValue"]);
    }

    #[test]
    fn types_operations_and_errors_that_collide_are_numbered() {
        let ir = lower_shapes(serde_json::json!({
            "ex#Svc": {"type": "service", "operations": [
                    {"target": "ex#Op"}, {"target": "ex#GetFooBar"}, {"target": "ex#Get_Foo_Bar"},
                    {"target": "ex#Config"}, {"target": "ex#Type"}],
                "traits": {"aws.protocols#awsJson1_1": {}}},
            "ex#GetFooBar": {"type": "operation"},
            "ex#Get_Foo_Bar": {"type": "operation"},
            "ex#Config": {"type": "operation"},
            "ex#Type": {"type": "operation", "errors": [
                {"target": "ex#BadException"}, {"target": "ex#Bad_Exception"},
                {"target": "ex#Unhandled"}]},
            "ex#In": {"type": "structure", "members": {
                "a": {"target": "ex#Foo_Bar"}, "b": {"target": "ex#FooBar"},
                "c": {"target": "ex#Error"}, "d": {"target": "ex#Self"}}},
            "ex#FooBar": {"type": "structure", "members": {}},
            "ex#Foo_Bar": {"type": "structure", "members": {}},
            "ex#Error": {"type": "structure", "members": {}},
            "ex#Self": {"type": "structure", "members": {}},
            "ex#BadException": {"type": "structure", "traits": {"smithy.api#error": "client"}},
            "ex#Bad_Exception": {"type": "structure", "traits": {"smithy.api#error": "client"}},
            "ex#Unhandled": {"type": "structure", "traits": {"smithy.api#error": "server"}}
        }))
        .expect("lowers");
        let types: Vec<(&str, &str)> = ir.types.iter().map(|t| (t.name(), t.module())).collect();
        assert_eq!(
            types,
            [
                ("ErrorValue", "_error_value"),
                ("FooBar", "_foo_bar"),
                ("FooBar2", "_foo_bar2"),
                ("SelfValue", "_self_value"),
            ]
        );
        let foo_bar2 = ir.types.iter().find(|t| t.name() == "FooBar2").unwrap();
        assert!(matches!(foo_bar2, TypeDef::Struct(s) if s.shape_id.name == "Foo_Bar"));
        let modules: Vec<&str> = ir.operations.iter().map(|o| o.module.as_str()).collect();
        assert_eq!(
            modules,
            [
                "config_operation",
                "get_foo_bar",
                "get_foo_bar_2",
                "op",
                "r#type"
            ]
        );
        let errors: Vec<&str> = ir.errors.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(errors, ["BadException", "BadException2", "UnhandledValue"]);
    }

    #[test]
    fn names_do_not_depend_on_the_selected_operations() {
        let shapes = serde_json::json!({
            "ex#Svc": {"type": "service", "operations": [{"target": "ex#Op"}, {"target": "ex#Other"}],
                "traits": {"aws.protocols#awsJson1_1": {}}},
            "ex#Op": {"type": "operation", "input": {"target": "ex#In"}},
            "ex#Other": {"type": "operation", "input": {"target": "ex#OtherIn"}},
            "ex#OtherIn": {"type": "structure", "members": {"a": {"target": "ex#FooBar"}}},
            "ex#In": {"type": "structure", "members": {"a": {"target": "ex#Foo_Bar"}}},
            "ex#FooBar": {"type": "structure", "members": {}},
            "ex#Foo_Bar": {"type": "structure", "members": {}}
        });
        let text = serde_json::json!({"smithy": "2.0", "shapes": shapes}).to_string();
        let model = Model::load(&[("test.json", &text)]).expect("valid model");
        let only_op = Selection {
            operations: vec!["Op".to_owned()],
            ..Selection::default()
        };
        let ir = lower(&model, &only_op).expect("lowers");
        let names: Vec<&str> = ir.types.iter().map(TypeDef::name).collect();
        assert_eq!(names, ["FooBar2"]);
    }
}
