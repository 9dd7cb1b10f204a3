//! The JMESPath expressions of waiter acceptors, compiled against the shapes
//! they read: each name becomes a member of a known structure, each node
//! gets a type (string, number, list of ...) and whether it may be null.
//!
//! What the generated code cannot evaluate exactly as JMESPath would is
//! refused here, with the reason: object projections (`*`), pipes, functions
//! other than `length` and `contains`, literals that are lists or objects,
//! members that are blobs, documents, big numbers, unions or sparse lists,
//! and expressions whose value is fixed whatever the response (a member of
//! a string, a comparison between a string and a number, a structure's
//! truth). JMESPath errors (`length` of a null) make the acceptor not match.

use serde_json::Value;

use crate::ir::*;
use crate::model::{Shape, ShapeId, ShapeType};

use super::jmespath::Ast;
use super::{Lowerer, UNIT};

/// Which side of the operation a structure is read from, which decides the
/// codecs its members' types are lowered with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Input,
    Output,
}

/// A structure a path reads members of.
#[derive(Clone, Debug, PartialEq)]
enum Obj {
    /// The operation's input, whose members are lowered with it.
    Input,
    /// The operation's output.
    Output,
    /// The root of an `inputOutput` path: `input` and `output`.
    InputOutput,
    /// A structure under `types`.
    Structure(ShapeId, Side),
}

/// A value's type while lowering: [`PathType`] with the structures named.
#[derive(Clone, Debug, PartialEq)]
enum Ty {
    Null,
    Bool,
    Number,
    String,
    Object(Obj),
    Map,
    Array(Box<Ty>),
}

impl Ty {
    fn ir(&self) -> PathType {
        match self {
            Ty::Null => PathType::Null,
            Ty::Bool => PathType::Bool,
            Ty::Number => PathType::Number,
            Ty::String => PathType::String,
            Ty::Object(_) => PathType::Object,
            Ty::Map => PathType::Map,
            Ty::Array(item) => PathType::Array(Box::new(item.ir())),
        }
    }
}

/// A type as an error message names it.
fn describe(ty: &PathType) -> String {
    match ty {
        PathType::Null => "null".to_owned(),
        PathType::Array(item) => format!("a list of {}", plural(item)),
        other => format!("a {}", plural(other).trim_end_matches('s')),
    }
}

/// Values of a type, as an error message names them.
fn plural(ty: &PathType) -> String {
    match ty {
        PathType::Null => "nulls".to_owned(),
        PathType::Bool => "booleans".to_owned(),
        PathType::Number => "numbers".to_owned(),
        PathType::String => "strings".to_owned(),
        PathType::Object => "structures".to_owned(),
        PathType::Map => "maps".to_owned(),
        PathType::Array(item) => format!("lists of {}", plural(item)),
    }
}

/// A compiled expression and its type.
#[derive(Clone, Debug)]
struct Typed {
    expr: PathExpr,
    ty: Ty,
}

impl Typed {
    fn new(node: PathNode, ty: Ty, nullable: bool) -> Self {
        Typed {
            expr: PathExpr {
                node,
                ty: ty.ir(),
                nullable,
            },
            ty,
        }
    }

    fn nullable(&self) -> bool {
        self.expr.nullable
    }

    fn boxed(self) -> Box<PathExpr> {
        Box::new(self.expr)
    }
}

/// The operation a path belongs to.
pub(super) struct PathScope<'a, 'm> {
    pub(super) op: &'m Shape,
    pub(super) input: &'a StructIr,
    pub(super) output: &'a StructIr,
}

/// Where a path starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PathRoot {
    Output,
    InputOutput,
}

impl<'m> Lowerer<'m> {
    /// Compiles `ast` from `root` against the operation's shapes.
    pub(super) fn path_expr(
        &mut self,
        scope: &PathScope<'_, 'm>,
        root: PathRoot,
        ast: &Ast,
    ) -> Result<PathExpr, String> {
        let obj = match root {
            PathRoot::Output => Obj::Output,
            PathRoot::InputOutput => Obj::InputOutput,
        };
        let current = Typed::new(PathNode::Current, Ty::Object(obj), false);
        Ok(self.compile(scope, ast, &current)?.expr)
    }

    fn compile(
        &mut self,
        scope: &PathScope<'_, 'm>,
        ast: &Ast,
        current: &Typed,
    ) -> Result<Typed, String> {
        match ast {
            Ast::Identity => Ok(current.clone()),
            Ast::Field(name) => self.member_of(scope, current, name),
            Ast::Subexpr(left, right) => {
                let left = self.compile(scope, left, current)?;
                self.compile(scope, right, &left)
            }
            Ast::Index(index) => {
                let Ty::Array(item) = &current.ty else {
                    return Err(format!(
                        "`[{index}]` indexes {}, not a list",
                        describe(&current.expr.ty)
                    ));
                };
                let item = (**item).clone();
                Ok(Typed::new(
                    PathNode::Index {
                        of: Box::new(current.expr.clone()),
                        index: *index,
                    },
                    item,
                    true,
                ))
            }
            Ast::Projection(left, right) => {
                let left = self.compile(scope, left, current)?;
                let element = element_of(&left, "`[*]` or `[]`")?;
                let right = self.compile(scope, right, &element)?;
                project(left, right)
            }
            Ast::Flatten(inner) => {
                let inner = self.compile(scope, inner, current)?;
                let Ty::Array(item) = &inner.ty else {
                    return Err(format!(
                        "`[]` flattens {}, not a list",
                        describe(&inner.expr.ty)
                    ));
                };
                match &**item {
                    Ty::Array(nested) => {
                        let ty = Ty::Array(nested.clone());
                        let nullable = inner.nullable();
                        Ok(Typed::new(PathNode::Flatten(inner.boxed()), ty, nullable))
                    }
                    // Nothing to splice in: the list as it is.
                    _ => Ok(inner),
                }
            }
            Ast::Filter {
                left,
                condition,
                right,
            } => {
                let left = self.compile(scope, left, current)?;
                let element = element_of(&left, "`[?..]`")?;
                let condition = self.compile(scope, condition, &element)?;
                truth_of(&condition, "a filter's condition")?;
                let (ty, nullable) = (left.ty.clone(), left.nullable());
                let filtered = Typed::new(
                    PathNode::Filter {
                        of: left.boxed(),
                        condition: condition.boxed(),
                    },
                    ty,
                    nullable,
                );
                let right = self.compile(scope, right, &element)?;
                project(filtered, right)
            }
            Ast::ValueProjection(..) => {
                Err("object projections (`*`) are not supported".to_owned())
            }
            Ast::Pipe(..) => Err("pipes (`|`) are not supported".to_owned()),
            Ast::Literal(value) => literal(value),
            Ast::Compare(op, left, right) => {
                let left = self.compile(scope, left, current)?;
                let right = self.compile(scope, right, current)?;
                compare(*op, left, right)
            }
            Ast::And(left, right) | Ast::Or(left, right) => {
                let is_and = matches!(ast, Ast::And(..));
                let symbol = if is_and { "&&" } else { "||" };
                let left = self.compile(scope, left, current)?;
                let right = self.compile(scope, right, current)?;
                truth_of(&left, &format!("the left side of `{symbol}`"))?;
                if left.expr.ty != right.expr.ty {
                    return Err(format!(
                        "`{symbol}` joins {} and {}; only values of one type can be joined",
                        describe(&left.expr.ty),
                        describe(&right.expr.ty)
                    ));
                }
                let ty = left.ty.clone();
                let nullable = left.nullable() || right.nullable();
                let node = if is_and {
                    PathNode::And(left.boxed(), right.boxed())
                } else {
                    PathNode::Or(left.boxed(), right.boxed())
                };
                Ok(Typed::new(node, ty, nullable))
            }
            Ast::Not(inner) => {
                let inner = self.compile(scope, inner, current)?;
                truth_of(&inner, "`!`")?;
                Ok(Typed::new(PathNode::Not(inner.boxed()), Ty::Bool, false))
            }
            Ast::Function(name, args) => {
                let args = args
                    .iter()
                    .map(|arg| self.compile(scope, arg, current))
                    .collect::<Result<Vec<_>, _>>()?;
                function(name, args)
            }
        }
    }

    /// The member `name` of what `current` holds.
    fn member_of(
        &mut self,
        scope: &PathScope<'_, 'm>,
        current: &Typed,
        name: &str,
    ) -> Result<Typed, String> {
        if current.ty == Ty::Map {
            return Err(format!(
                "`{name}` is read from a map, whose values by key are not supported"
            ));
        }
        let Ty::Object(obj) = &current.ty else {
            return Err(format!(
                "`{name}` is read from {}, which has no members",
                describe(&current.expr.ty)
            ));
        };
        let (owner, field, side, what) = match obj {
            Obj::InputOutput => {
                return match name {
                    "input" => Ok(Typed::new(PathNode::Input, Ty::Object(Obj::Input), false)),
                    "output" => Ok(Typed::new(PathNode::Output, Ty::Object(Obj::Output), false)),
                    _ => Err(format!(
                        "an `inputOutput` path reads `input` or `output`, not `{name}`"
                    )),
                };
            }
            Obj::Input | Obj::Output => {
                let (top, target, side, what) = match obj {
                    Obj::Input => (scope.input, &scope.op.input, Side::Input, "input"),
                    _ => (scope.output, &scope.op.output, Side::Output, "output"),
                };
                let not_member = || format!("`{name}` is not a member of the operation's {what}");
                let owner = target
                    .as_ref()
                    .filter(|t| t.to_string() != UNIT)
                    .ok_or_else(not_member)?;
                let field = top
                    .fields
                    .iter()
                    .find(|f| f.wire_name == name)
                    .cloned()
                    .ok_or_else(not_member)?;
                (
                    owner.clone(),
                    field,
                    side,
                    format!("the operation's {what}"),
                )
            }
            Obj::Structure(id, side) => {
                let shape = self.shape(id).map_err(|e| e.message)?;
                let member = shape
                    .member(name)
                    .ok_or_else(|| format!("`{name}` is not a member of `{id}`"))?;
                let codecs = match side {
                    Side::Input => Codecs {
                        ser: true,
                        de: false,
                    },
                    Side::Output => Codecs {
                        ser: false,
                        de: true,
                    },
                };
                let field = self
                    .field(shape, member, StructKind::Plain, codecs)
                    .map_err(|e| e.message)?;
                (id.clone(), field, *side, format!("`{id}`"))
            }
        };
        let owner_shape = self.shape(&owner).map_err(|e| e.message)?;
        let target = owner_shape
            .member(name)
            .map(|m| m.target.clone())
            .ok_or_else(|| format!("`{name}` is not a member of {what}"))?;
        let ty = self
            .value_type(&target, &field.ty, side)
            .map_err(|kind| format!("`{name}` is {kind}, which waiter paths cannot read"))?;
        let nullable = current.nullable() || field.optional;
        Ok(Typed::new(
            PathNode::Field {
                of: Box::new(current.expr.clone()),
                field: PaginatorField {
                    wire_name: field.wire_name,
                    name: field.name,
                    ty: field.ty,
                    optional: field.optional,
                    boxed: field.boxed,
                },
            },
            ty,
            nullable,
        ))
    }

    /// The type of a member's value (`target`, lowered to `rust`), or what
    /// it is when paths cannot read it.
    fn value_type(&self, target: &ShapeId, rust: &RustType, side: Side) -> Result<Ty, String> {
        Ok(match rust {
            RustType::String | RustType::Enum(_) => Ty::String,
            RustType::Bool => Ty::Bool,
            RustType::I8
            | RustType::I16
            | RustType::I32
            | RustType::I64
            | RustType::F32
            | RustType::F64
            | RustType::DateTime(_) => Ty::Number,
            RustType::Struct(_) => Ty::Object(Obj::Structure(target.clone(), side)),
            RustType::Map { .. } => Ty::Map,
            RustType::List { sparse: true, .. } => return Err("a sparse list".to_owned()),
            RustType::List { item, .. } => {
                let shape = self.shape(target).map_err(|e| e.message)?;
                let item_target = match shape.ty {
                    ShapeType::List | ShapeType::Set => shape.members.first(),
                    _ => None,
                }
                .map(|m| m.target.clone())
                .ok_or_else(|| format!("a list whose shape `{target}` has no member"))?;
                let item = self
                    .value_type(&item_target, item, side)
                    .map_err(|kind| format!("a list of {kind}"))?;
                Ty::Array(Box::new(item))
            }
            RustType::Blob => return Err("a blob".to_owned()),
            RustType::ByteStream { .. } => return Err("a streamed blob".to_owned()),
            RustType::Document => return Err("a document".to_owned()),
            RustType::BigInteger | RustType::BigDecimal => return Err("a big number".to_owned()),
            RustType::Union(_) => return Err("a union".to_owned()),
            RustType::ErrorStruct(_) => return Err("an error structure".to_owned()),
        })
    }
}

/// The current node of a projection over `list`: one of its elements.
fn element_of(list: &Typed, what: &str) -> Result<Typed, String> {
    match &list.ty {
        Ty::Array(item) => Ok(Typed::new(PathNode::Current, (**item).clone(), false)),
        _ => Err(format!(
            "{what} projects {}, not a list",
            describe(&list.expr.ty)
        )),
    }
}

/// `right` over each element of `left`; `left` itself when `right` is the
/// element as it is.
fn project(left: Typed, right: Typed) -> Result<Typed, String> {
    if right.expr.node == PathNode::Current {
        return Ok(left);
    }
    if right.ty == Ty::Null {
        return Err("a projection whose every value is null".to_owned());
    }
    let nullable = left.nullable();
    let ty = Ty::Array(Box::new(right.ty.clone()));
    Ok(Typed::new(
        PathNode::Project {
            of: left.boxed(),
            each: right.boxed(),
        },
        ty,
        nullable,
    ))
}

/// Refuses values whose truth is fixed or not supported.
fn truth_of(value: &Typed, what: &str) -> Result<(), String> {
    match &value.ty {
        Ty::Bool | Ty::String | Ty::Array(_) | Ty::Map => Ok(()),
        Ty::Number if value.nullable() => Ok(()),
        Ty::Number => Err(format!("{what} is a number, which is always true")),
        Ty::Null => Err(format!("{what} is null, which is always false")),
        Ty::Object(_) => Err(format!(
            "{what} is a structure, whose truth is not supported"
        )),
    }
}

fn literal(value: &Value) -> Result<Typed, String> {
    let (literal, ty) = match value {
        Value::Null => (PathLiteral::Null, Ty::Null),
        Value::Bool(b) => (PathLiteral::Bool(*b), Ty::Bool),
        Value::Number(n) => (
            PathLiteral::Number(
                n.as_f64()
                    .ok_or_else(|| format!("the number `{n}` is out of range"))?,
            ),
            Ty::Number,
        ),
        Value::String(s) => (PathLiteral::String(s.clone()), Ty::String),
        Value::Array(_) | Value::Object(_) => {
            return Err(format!(
                "the literal `{value}` is a list or an object, which is not supported"
            ))
        }
    };
    let nullable = ty == Ty::Null;
    Ok(Typed::new(PathNode::Literal(literal), ty, nullable))
}

/// Whether `==` between two values of this type is supported.
fn equatable(ty: &PathType) -> bool {
    match ty {
        PathType::Bool | PathType::Number | PathType::String => true,
        PathType::Array(item) => equatable(item),
        PathType::Null | PathType::Object | PathType::Map => false,
    }
}

fn compare(op: CompareOp, left: Typed, right: Typed) -> Result<Typed, String> {
    let symbol = op.symbol();
    let (l, r) = (&left.expr.ty, &right.expr.ty);
    let nullable = match op {
        CompareOp::Eq | CompareOp::Ne => {
            match (l, r) {
                (PathType::Null, PathType::Null) => {
                    return Err(format!("`{symbol}` compares null with null"))
                }
                (PathType::Null, _) | (_, PathType::Null) => {
                    let other = if *l == PathType::Null { &right } else { &left };
                    if !other.nullable() {
                        return Err(format!(
                            "`{symbol}` compares null with {}, which is never null",
                            describe(&other.expr.ty)
                        ));
                    }
                }
                _ if !equatable(l) => {
                    return Err(format!(
                        "`{symbol}` compares {}, which is not supported",
                        describe(l)
                    ))
                }
                _ if l != r => {
                    return Err(format!(
                        "`{symbol}` compares {} with {}, which are never equal",
                        describe(l),
                        describe(r)
                    ))
                }
                _ => {}
            }
            false
        }
        CompareOp::Lt | CompareOp::Le | CompareOp::Gt | CompareOp::Ge => {
            if *l != PathType::Number || *r != PathType::Number {
                return Err(format!(
                    "`{symbol}` orders numbers only, not {} and {}",
                    describe(l),
                    describe(r)
                ));
            }
            left.nullable() || right.nullable()
        }
    };
    Ok(Typed::new(
        PathNode::Compare {
            op,
            left: left.boxed(),
            right: right.boxed(),
        },
        Ty::Bool,
        nullable,
    ))
}

fn function(name: &str, mut args: Vec<Typed>) -> Result<Typed, String> {
    match (name, args.len()) {
        ("length", 1) => {
            let arg = args.remove(0);
            match arg.expr.ty {
                PathType::String | PathType::Array(_) | PathType::Map => {
                    Ok(Typed::new(PathNode::Length(arg.boxed()), Ty::Number, false))
                }
                ref other => Err(format!(
                    "`length` takes a string, a list or a map, not {}",
                    describe(other)
                )),
            }
        }
        ("contains", 2) => {
            let search = args.remove(1);
            let subject = args.remove(0);
            let fits = match (&subject.expr.ty, &search.expr.ty) {
                (PathType::String, PathType::String) => true,
                (PathType::Array(item), search) => **item == *search && equatable(search),
                _ => false,
            };
            if !fits {
                return Err(format!(
                    "`contains` looks for {} in {}, which is not supported",
                    describe(&search.expr.ty),
                    describe(&subject.expr.ty)
                ));
            }
            Ok(Typed::new(
                PathNode::Contains(subject.boxed(), search.boxed()),
                Ty::Bool,
                false,
            ))
        }
        ("length", n) | ("contains", n) => Err(format!(
            "`{name}` takes {} arguments, not {n}",
            if name == "length" { 1 } else { 2 }
        )),
        _ => Err(format!(
            "the function `{name}` is not supported (`length` and `contains` are)"
        )),
    }
}

/// Checks that `expr` gives what `comparator` compares.
pub(super) fn check_comparator(expr: &PathExpr, comparator: &Comparator) -> Result<(), String> {
    let (name, wanted) = match comparator {
        Comparator::StringEquals => ("stringEquals", PathType::String),
        Comparator::BooleanEquals(_) => ("booleanEquals", PathType::Bool),
        Comparator::AllStringEquals => (
            "allStringEquals",
            PathType::Array(Box::new(PathType::String)),
        ),
        Comparator::AnyStringEquals => (
            "anyStringEquals",
            PathType::Array(Box::new(PathType::String)),
        ),
    };
    if expr.ty == wanted {
        Ok(())
    } else {
        Err(format!(
            "`{name}` compares {}, and the path gives {}",
            describe(&wanted),
            describe(&expr.ty)
        ))
    }
}
