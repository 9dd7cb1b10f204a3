//! One change to a generated crate's API, and what it belongs to.

/// What changed. Each kind has a stable name (for `--format json`) and
/// says whether it breaks callers unless the comparison knows better (an
/// added member breaks when callers must set it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// The crate's package name.
    CrateRenamed,
    /// The service's wire protocol.
    ProtocolChanged,
    /// A client method and its `operation` module.
    OperationAdded,
    OperationRemoved,
    /// The same operation (shape) under another Rust name.
    OperationRenamed,
    /// A structure field with its getter and builder methods.
    MemberAdded,
    MemberRemoved,
    MemberRenamed,
    /// The field's type (its getter's and setters' with it).
    MemberTypeChanged,
    /// Callers must now set the member: `build()` fails without it.
    MemberMadeRequired,
    /// Callers need no longer set the member.
    MemberNoLongerRequired,
    /// The value `build()` gives a member left unset.
    DefaultChanged,
    /// `build()` returns a `Result` now, or no longer does.
    BuildSignatureChanged,
    /// What `Debug` (and an error's `Display`) hides.
    RedactionChanged,
    /// A variant of an operation's error enum.
    ErrorAdded,
    ErrorRemoved,
    /// A structure, union or enum under `types`.
    TypeAdded,
    TypeRemoved,
    TypeRenamed,
    /// A struct became an enum, a union a struct, …
    TypeKindChanged,
    /// A value of a string enum.
    EnumValueAdded,
    EnumValueRemoved,
    EnumValueRenamed,
    /// The wire value of a variant.
    EnumValueChanged,
    /// A union variant.
    VariantAdded,
    VariantRemoved,
    VariantRenamed,
    VariantTypeChanged,
    /// An error structure under `types::error`.
    ErrorTypeAdded,
    ErrorTypeRemoved,
    /// Whether an error is retried, or is the caller's fault.
    ErrorBehaviourChanged,
    /// An operation's `into_paginator()`.
    PaginatorAdded,
    PaginatorRemoved,
    PaginatorChanged,
    /// The auth schemes an operation's requests may use.
    AuthChanged,
    /// A field of `config::endpoint::Params`.
    EndpointParamAdded,
    EndpointParamRemoved,
    EndpointParamChanged,
    /// Documentation only.
    Documentation,
}

impl ChangeKind {
    /// The kind's stable name in JSON reports.
    pub fn name(self) -> &'static str {
        use ChangeKind::*;
        match self {
            CrateRenamed => "crate_renamed",
            ProtocolChanged => "protocol_changed",
            OperationAdded => "operation_added",
            OperationRemoved => "operation_removed",
            OperationRenamed => "operation_renamed",
            MemberAdded => "member_added",
            MemberRemoved => "member_removed",
            MemberRenamed => "member_renamed",
            MemberTypeChanged => "member_type_changed",
            MemberMadeRequired => "member_made_required",
            MemberNoLongerRequired => "member_no_longer_required",
            DefaultChanged => "default_changed",
            BuildSignatureChanged => "build_signature_changed",
            RedactionChanged => "redaction_changed",
            ErrorAdded => "error_added",
            ErrorRemoved => "error_removed",
            TypeAdded => "type_added",
            TypeRemoved => "type_removed",
            TypeRenamed => "type_renamed",
            TypeKindChanged => "type_kind_changed",
            EnumValueAdded => "enum_value_added",
            EnumValueRemoved => "enum_value_removed",
            EnumValueRenamed => "enum_value_renamed",
            EnumValueChanged => "enum_value_changed",
            VariantAdded => "variant_added",
            VariantRemoved => "variant_removed",
            VariantRenamed => "variant_renamed",
            VariantTypeChanged => "variant_type_changed",
            ErrorTypeAdded => "error_type_added",
            ErrorTypeRemoved => "error_type_removed",
            ErrorBehaviourChanged => "error_behaviour_changed",
            PaginatorAdded => "paginator_added",
            PaginatorRemoved => "paginator_removed",
            PaginatorChanged => "paginator_changed",
            AuthChanged => "auth_changed",
            EndpointParamAdded => "endpoint_param_added",
            EndpointParamRemoved => "endpoint_param_removed",
            EndpointParamChanged => "endpoint_param_changed",
            Documentation => "documentation",
        }
    }

    /// How the kind reads in the human report.
    pub fn label(self) -> &'static str {
        use ChangeKind::*;
        match self {
            CrateRenamed => "crate renamed",
            ProtocolChanged => "protocol changed",
            OperationAdded => "operation added",
            OperationRemoved => "operation removed",
            OperationRenamed => "operation renamed",
            MemberAdded => "member added",
            MemberRemoved => "member removed",
            MemberRenamed => "member renamed",
            MemberTypeChanged => "member type changed",
            MemberMadeRequired => "member made required",
            MemberNoLongerRequired => "member no longer required",
            DefaultChanged => "default changed",
            BuildSignatureChanged => "build() changed",
            RedactionChanged => "redaction changed",
            ErrorAdded => "error added",
            ErrorRemoved => "error removed",
            TypeAdded => "type added",
            TypeRemoved => "type removed",
            TypeRenamed => "type renamed",
            TypeKindChanged => "type kind changed",
            EnumValueAdded => "enum value added",
            EnumValueRemoved => "enum value removed",
            EnumValueRenamed => "enum value renamed",
            EnumValueChanged => "enum value changed",
            VariantAdded => "variant added",
            VariantRemoved => "variant removed",
            VariantRenamed => "variant renamed",
            VariantTypeChanged => "variant type changed",
            ErrorTypeAdded => "error type added",
            ErrorTypeRemoved => "error type removed",
            ErrorBehaviourChanged => "error behaviour changed",
            PaginatorAdded => "paginator added",
            PaginatorRemoved => "paginator removed",
            PaginatorChanged => "paginator changed",
            AuthChanged => "auth changed",
            EndpointParamAdded => "endpoint parameter added",
            EndpointParamRemoved => "endpoint parameter removed",
            EndpointParamChanged => "endpoint parameter changed",
            Documentation => "documentation",
        }
    }
}

/// One change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// The Rust item, by its path in the crate without the module
    /// (`AdminCreateUserInput::user_name`, `ListUsersError::TooManyRequestsException`).
    pub item: String,
    /// The model shape or member it comes from (`ns#Shape$Member`).
    pub shape: String,
    pub breaking: bool,
    /// What a caller sees, in a sentence.
    pub reason: String,
    /// The item as it was and as it is, when that says more than the reason
    /// (a field's type, a paginator's tokens).
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Change {
    pub(super) fn new(
        kind: ChangeKind,
        item: impl Into<String>,
        shape: impl Into<String>,
        breaking: bool,
        reason: impl Into<String>,
    ) -> Self {
        Change {
            kind,
            item: item.into(),
            shape: shape.into(),
            breaking,
            reason: reason.into(),
            old: None,
            new: None,
        }
    }

    /// With the item as it was and as it is.
    pub(super) fn was(mut self, old: Option<String>, new: Option<String>) -> Self {
        self.old = old;
        self.new = new;
        self
    }

    /// Whether only documentation changed.
    pub fn is_docs(&self) -> bool {
        self.kind == ChangeKind::Documentation
    }
}

/// What a group of changes belongs to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    /// The crate as a whole: its name, protocol, configuration.
    Service,
    /// An operation: its name in the model and its client method.
    Operation { name: String, method: String },
    /// A structure, union or enum under `types`.
    Type { name: String, kind: &'static str },
    /// An error structure under `types::error`.
    Error { name: String },
}

/// The changes to one operation, type or error, or to the crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub subject: Subject,
    /// The model shape (the operation's, the type's).
    pub shape: String,
    /// The operations whose inputs or outputs reach the type (types and
    /// errors only), as client methods, in the new model where it exists.
    pub used_by: Vec<String>,
    pub changes: Vec<Change>,
}

/// How a named type's `@sensitive` changed, in a caller's words: what
/// `Debug` prints now that it is sensitive, and now that it is not.
pub(super) struct RedactionReasons {
    pub now: &'static str,
    pub no_longer: &'static str,
}

/// The changes every named type (structure, enum, union) reports alike:
/// its documentation (`what` names it: "the enum's documentation") and
/// its `@sensitive` redaction.
pub(super) fn docs_and_redaction(
    what: &str,
    (owner, shape): (&str, &str),
    (old_docs, new_docs): (&[String], &[String]),
    (old_sensitive, new_sensitive): (bool, bool),
    reasons: RedactionReasons,
    changes: &mut Vec<Change>,
) {
    if old_docs != new_docs {
        changes.push(Change::new(
            ChangeKind::Documentation,
            owner,
            shape,
            false,
            format!("the {what}'s documentation"),
        ));
    }
    if old_sensitive != new_sensitive {
        let reason = if new_sensitive {
            reasons.now
        } else {
            reasons.no_longer
        };
        changes.push(Change::new(
            ChangeKind::RedactionChanged,
            owner,
            shape,
            false,
            reason,
        ));
    }
}
