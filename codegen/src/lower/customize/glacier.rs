//! Amazon Glacier (`com.amazonaws.glacier#Glacier`), as its protocol tests
//! and the AWS SDKs have it:
//!
//! * every request carries `X-Amz-Glacier-Version`, the service's version;
//! * an `accountId` left unset or empty is `-`, the account of the
//!   credentials (so it is no longer required to build an input);
//! * an upload (`UploadArchive`, `UploadMultipartPart`) carries the
//!   SHA-256 of its body (`X-Amz-Content-Sha256`) and its tree hash
//!   (`X-Amz-Sha256-Tree-Hash`, SHA-256 of 1 MiB chunks combined pairwise),
//!   computed when it is sent, unless the input sets the checksum itself.

use crate::ir::{BodyHash, RustType, ServiceIr};

/// The service's shape id.
pub(super) const SERVICE: &str = "com.amazonaws.glacier#Glacier";

/// The header naming the API version.
const VERSION_HEADER: &str = "X-Amz-Glacier-Version";

/// The account id member, and what stands for the credentials' account.
const ACCOUNT_ID: &str = "accountId";
const CURRENT_ACCOUNT: &str = "-";

/// The operations whose bodies carry their hashes.
const UPLOADS: &[&str] = &["UploadArchive", "UploadMultipartPart"];

pub(super) fn apply(service: &mut ServiceIr) {
    let version = service.version.clone();
    for op in &mut service.operations {
        if let Some(version) = &version {
            op.request_headers
                .push((VERSION_HEADER.to_owned(), version.clone()));
        }
        if let Some(field) = op
            .input
            .fields
            .iter_mut()
            .find(|f| f.wire_name == ACCOUNT_ID && f.ty == RustType::String)
        {
            field.required = false;
            field.docs.push(String::new());
            field.docs.push(format!(
                "Unset or empty, it is `{CURRENT_ACCOUNT}`: the account of the credentials."
            ));
            op.input_fills
                .push((field.name.clone(), CURRENT_ACCOUNT.to_owned()));
        }
        if UPLOADS.contains(&op.wire_name.as_str()) {
            op.body_hashes.extend([
                (BodyHash::Sha256Tree, "X-Amz-Sha256-Tree-Hash".to_owned()),
                (BodyHash::Sha256, "X-Amz-Content-Sha256".to_owned()),
            ]);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::ir::{BodyHash, OperationIr, ServiceIr};
    use crate::lower::{lower, Selection};
    use crate::model::Model;

    /// Glacier's shape id with two operations: an upload and another one,
    /// both with an `accountId` label; `version` is the service's.
    fn glacier(service_id: &str, version: &str) -> ServiceIr {
        let ns = service_id.split('#').next().unwrap();
        let label = json!({"target": "smithy.api#String",
            "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}});
        let shapes = json!({
            service_id: {"type": "service", "version": version,
                "operations": [{"target": format!("{ns}#UploadArchive")},
                    {"target": format!("{ns}#DeleteVault")}],
                "traits": {"aws.protocols#restJson1": {}}},
            format!("{ns}#UploadArchive"): {"type": "operation",
                "input": {"target": format!("{ns}#UploadInput")},
                "traits": {"smithy.api#http": {"method": "POST",
                    "uri": "/{accountId}/vaults/{vaultName}/archives"}}},
            format!("{ns}#DeleteVault"): {"type": "operation",
                "input": {"target": format!("{ns}#DeleteInput")},
                "traits": {"smithy.api#http": {"method": "DELETE",
                    "uri": "/{accountId}/vaults/{vaultName}"}}},
            format!("{ns}#UploadInput"): {"type": "structure", "members": {
                "accountId": label.clone(), "vaultName": label.clone()}},
            format!("{ns}#DeleteInput"): {"type": "structure", "members": {
                "accountId": label.clone(), "vaultName": label}}
        });
        let text = json!({"smithy": "2.0", "shapes": shapes}).to_string();
        let model = Model::load(&[("glacier.json", &text)]).expect("a valid model");
        lower(&model, &Selection::default()).expect("it lowers")
    }

    fn op<'a>(service: &'a ServiceIr, name: &str) -> &'a OperationIr {
        service
            .operations
            .iter()
            .find(|op| op.wire_name == name)
            .expect(name)
    }

    #[test]
    fn every_request_names_the_version_and_uploads_hash_their_bodies() {
        let service = glacier("com.amazonaws.glacier#Glacier", "2012-06-01");
        for name in ["UploadArchive", "DeleteVault"] {
            assert_eq!(
                op(&service, name).request_headers,
                [("X-Amz-Glacier-Version".to_owned(), "2012-06-01".to_owned())],
                "{name}"
            );
        }
        assert_eq!(
            op(&service, "UploadArchive").body_hashes,
            [
                (BodyHash::Sha256Tree, "X-Amz-Sha256-Tree-Hash".to_owned()),
                (BodyHash::Sha256, "X-Amz-Content-Sha256".to_owned()),
            ]
        );
        assert!(op(&service, "DeleteVault").body_hashes.is_empty());
    }

    #[test]
    fn the_account_id_defaults_to_the_credentials_account() {
        let service = glacier("com.amazonaws.glacier#Glacier", "2012-06-01");
        for name in ["UploadArchive", "DeleteVault"] {
            let op = op(&service, name);
            assert_eq!(
                op.input_fills,
                [("account_id".to_owned(), "-".to_owned())],
                "{name}"
            );
            let account = op
                .input
                .fields
                .iter()
                .find(|f| f.wire_name == "accountId")
                .unwrap();
            assert!(!account.required, "{name}: it need not be set");
            assert!(
                account.docs.last().unwrap().contains("it is `-`"),
                "{:?}",
                account.docs
            );
            let vault = op
                .input
                .fields
                .iter()
                .find(|f| f.wire_name == "vaultName")
                .unwrap();
            assert!(vault.required, "{name}: other members stay required");
        }
    }

    #[test]
    fn other_services_are_left_alone() {
        let service = glacier("com.example.glacier#Glacier", "2012-06-01");
        for op in &service.operations {
            assert!(op.request_headers.is_empty());
            assert!(op.input_fills.is_empty());
            assert!(op.body_hashes.is_empty());
            assert!(op.input.fields.iter().all(|f| f.required));
        }
    }
}
