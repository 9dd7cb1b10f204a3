//! Clients that `build.rs` generated from the real AWS models, for the
//! end-to-end tests in `tests/` to call against a moto server.

/// Amazon Cognito user pools: the operations of the sign-in and MFA flow.
pub mod cognito {
    include!(concat!(env!("OUT_DIR"), "/cognitoidentityprovider.rs"));
}

/// AWS KMS: creating a key, encrypting and decrypting with it.
pub mod kms {
    include!(concat!(env!("OUT_DIR"), "/kms.rs"));
}

/// AWS Lambda (restJson1): creating, reading, listing, tagging, updating and
/// deleting a function.
pub mod lambda {
    include!(concat!(env!("OUT_DIR"), "/lambda.rs"));
}
