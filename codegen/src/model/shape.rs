//! Resolved shapes.

use super::shape_id::ShapeId;
use super::traits::Traits;
use std::collections::{BTreeMap, BTreeSet};

/// The type of a shape, as written in the JSON AST's `type` property.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ShapeType {
    Blob,
    Boolean,
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
    Enum,
    IntEnum,
    List,
    Set,
    Map,
    Structure,
    Union,
    Operation,
    Service,
    Resource,
}

impl ShapeType {
    pub const ALL: [ShapeType; 23] = [
        ShapeType::Blob,
        ShapeType::Boolean,
        ShapeType::String,
        ShapeType::Byte,
        ShapeType::Short,
        ShapeType::Integer,
        ShapeType::Long,
        ShapeType::Float,
        ShapeType::Double,
        ShapeType::BigInteger,
        ShapeType::BigDecimal,
        ShapeType::Timestamp,
        ShapeType::Document,
        ShapeType::Enum,
        ShapeType::IntEnum,
        ShapeType::List,
        ShapeType::Set,
        ShapeType::Map,
        ShapeType::Structure,
        ShapeType::Union,
        ShapeType::Operation,
        ShapeType::Service,
        ShapeType::Resource,
    ];

    /// The JSON AST spelling: `"bigInteger"`, `"intEnum"`, ...
    pub fn as_str(&self) -> &'static str {
        match self {
            ShapeType::Blob => "blob",
            ShapeType::Boolean => "boolean",
            ShapeType::String => "string",
            ShapeType::Byte => "byte",
            ShapeType::Short => "short",
            ShapeType::Integer => "integer",
            ShapeType::Long => "long",
            ShapeType::Float => "float",
            ShapeType::Double => "double",
            ShapeType::BigInteger => "bigInteger",
            ShapeType::BigDecimal => "bigDecimal",
            ShapeType::Timestamp => "timestamp",
            ShapeType::Document => "document",
            ShapeType::Enum => "enum",
            ShapeType::IntEnum => "intEnum",
            ShapeType::List => "list",
            ShapeType::Set => "set",
            ShapeType::Map => "map",
            ShapeType::Structure => "structure",
            ShapeType::Union => "union",
            ShapeType::Operation => "operation",
            ShapeType::Service => "service",
            ShapeType::Resource => "resource",
        }
    }

    /// The inverse of [`ShapeType::as_str`].
    pub fn from_name(name: &str) -> Option<ShapeType> {
        ShapeType::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// list or set.
    pub fn is_list(&self) -> bool {
        matches!(self, ShapeType::List | ShapeType::Set)
    }

    /// Structures, unions, enums and intEnums: shapes with named members.
    pub fn has_named_members(&self) -> bool {
        matches!(
            self,
            ShapeType::Structure | ShapeType::Union | ShapeType::Enum | ShapeType::IntEnum
        )
    }

    /// Operation, service or resource: shapes that members cannot target.
    pub fn is_service_shape(&self) -> bool {
        matches!(
            self,
            ShapeType::Operation | ShapeType::Service | ShapeType::Resource
        )
    }
}

impl std::fmt::Display for ShapeType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A member of an aggregate shape or an enum.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub name: String,
    pub target: ShapeId,
    pub traits: Traits,
}

/// A resolved shape: mixins applied, `apply` traits merged, targets checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    pub id: ShapeId,
    pub ty: ShapeType,
    pub traits: Traits,
    /// Structure/union/enum/intEnum members in model order (members from
    /// mixins first); list/set: one member named `member`; map: `key` then
    /// `value`. Enum members target `smithy.api#Unit` and always carry
    /// `smithy.api#enumValue`.
    pub members: Vec<Member>,
    /// Operation input; `None` when absent or `smithy.api#Unit`.
    pub input: Option<ShapeId>,
    /// Operation output; `None` when absent or `smithy.api#Unit`.
    pub output: Option<ShapeId>,
    /// Operation errors, or a service's common errors.
    pub errors: Vec<ShapeId>,
    /// Service/resource `operations`; for resources also the lifecycle
    /// operations (create, put, read, update, delete, list) and
    /// `collectionOperations`, in that order, without duplicates.
    pub operations: Vec<ShapeId>,
    /// Service/resource `resources`.
    pub resources: Vec<ShapeId>,
    /// Service version.
    pub version: Option<String>,
    /// Service `rename` map.
    pub rename: BTreeMap<ShapeId, String>,
}

impl Shape {
    /// A shape with no traits, members or bindings.
    pub fn new(id: ShapeId, ty: ShapeType) -> Shape {
        Shape {
            id,
            ty,
            traits: Traits::default(),
            members: Vec::new(),
            input: None,
            output: None,
            errors: Vec::new(),
            operations: Vec::new(),
            resources: Vec::new(),
            version: None,
            rename: BTreeMap::new(),
        }
    }

    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }
}

/// The resource-specific bindings of a resource shape, as written in the
/// model (after mixins). [`Shape::operations`] holds the flattened list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResourceInfo {
    /// Identifier name to target, in model order.
    pub identifiers: Vec<(String, ShapeId)>,
    /// Property name to target, in model order.
    pub properties: Vec<(String, ShapeId)>,
    pub create: Option<ShapeId>,
    pub put: Option<ShapeId>,
    pub read: Option<ShapeId>,
    pub update: Option<ShapeId>,
    pub delete: Option<ShapeId>,
    pub list: Option<ShapeId>,
    /// The resource's own `operations` property.
    pub operations: Vec<ShapeId>,
    pub collection_operations: Vec<ShapeId>,
    pub resources: Vec<ShapeId>,
}

impl ResourceInfo {
    /// Lifecycle operations in the order create, put, read, update, delete, list.
    pub fn lifecycle(&self) -> impl Iterator<Item = (&'static str, &ShapeId)> {
        [
            ("create", &self.create),
            ("put", &self.put),
            ("read", &self.read),
            ("update", &self.update),
            ("delete", &self.delete),
            ("list", &self.list),
        ]
        .into_iter()
        .filter_map(|(name, op)| op.as_ref().map(|op| (name, op)))
    }

    /// Every operation bound to the resource itself: lifecycle, `operations`,
    /// then `collectionOperations`, without duplicates.
    pub fn all_operations(&self) -> Vec<ShapeId> {
        let mut seen: BTreeSet<&ShapeId> = BTreeSet::new();
        self.lifecycle()
            .map(|(_, op)| op)
            .chain(&self.operations)
            .chain(&self.collection_operations)
            .filter(|op| seen.insert(*op))
            .cloned()
            .collect()
    }
}
