//! Comparing what belongs to the crate as a whole: its name, its protocol,
//! its documentation and the endpoint parameters of its configuration.

use crate::ir::{EndpointParamKind, Protocol, ServiceIr};

use super::change::{Change, ChangeKind, Group, Subject};
use super::matching::matched;

fn kind_type(kind: EndpointParamKind) -> &'static str {
    match kind {
        EndpointParamKind::String => "Option<String>",
        EndpointParamKind::Bool => "Option<bool>",
        EndpointParamKind::StringArray => "Option<Vec<String>>",
    }
}

fn protocol_name(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::AwsJson1_0 => "awsJson1_0",
        Protocol::AwsJson1_1 => "awsJson1_1",
        Protocol::RestJson1 => "restJson1",
    }
}

/// The crate's changes as one group, or none.
pub(super) fn compare_service(old: &ServiceIr, new: &ServiceIr) -> Option<Group> {
    let shape = new.service_id.to_string();
    let mut changes = Vec::new();
    if old.crate_name != new.crate_name {
        changes.push(
            Change::new(
                ChangeKind::CrateRenamed,
                "crate",
                shape.as_str(),
                true,
                "the package has another name: dependents name it anew",
            )
            .was(Some(old.crate_name.clone()), Some(new.crate_name.clone())),
        );
    }
    if old.protocol != new.protocol {
        changes.push(
            Change::new(
                ChangeKind::ProtocolChanged,
                "crate",
                shape.as_str(),
                false,
                "requests and responses take another form on the wire; the API is the same",
            )
            .was(
                Some(protocol_name(old.protocol).to_owned()),
                Some(protocol_name(new.protocol).to_owned()),
            ),
        );
    }
    if old.docs != new.docs || old.title != new.title {
        changes.push(Change::new(
            ChangeKind::Documentation,
            "crate",
            shape.as_str(),
            false,
            "the crate's documentation",
        ));
    }
    let params = matched(
        &old.endpoint_rule_params,
        &new.endpoint_rule_params,
        |p| &p.field,
        &[],
    );
    for (o, n) in params.both {
        let item = format!("config::endpoint::Params::{}", n.field);
        if o.kind != n.kind {
            changes.push(
                Change::new(
                    ChangeKind::EndpointParamChanged,
                    item.as_str(),
                    shape.as_str(),
                    true,
                    "the parameter's type changes, and its builder methods' with it",
                )
                .was(
                    Some(kind_type(o.kind).to_owned()),
                    Some(kind_type(n.kind).to_owned()),
                ),
            );
        }
        if o.docs != n.docs {
            changes.push(Change::new(
                ChangeKind::Documentation,
                item.as_str(),
                shape.as_str(),
                false,
                "the parameter's documentation",
            ));
        }
    }
    for o in params.removed {
        changes.push(
            Change::new(
                ChangeKind::EndpointParamRemoved,
                format!("config::endpoint::Params::{}", o.field),
                shape.as_str(),
                true,
                "the endpoint parameter, its field and builder methods are gone",
            )
            .was(Some(kind_type(o.kind).to_owned()), None),
        );
    }
    for n in params.added {
        changes.push(
            Change::new(
                ChangeKind::EndpointParamAdded,
                format!("config::endpoint::Params::{}", n.field),
                shape.as_str(),
                false,
                "a new endpoint parameter",
            )
            .was(None, Some(kind_type(n.kind).to_owned())),
        );
    }
    (!changes.is_empty()).then(|| Group {
        subject: Subject::Service,
        shape,
        used_by: Vec::new(),
        changes,
    })
}
