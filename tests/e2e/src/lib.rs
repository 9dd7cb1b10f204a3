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

/// Amazon Glacier: a vault, an archive uploaded from a file and read back
/// through a retrieval job, as streams.
pub mod glacier {
    include!(concat!(env!("OUT_DIR"), "/glacier.rs"));
}

/// Amazon Polly: speech synthesized as a stream.
pub mod polly {
    include!(concat!(env!("OUT_DIR"), "/polly.rs"));
}

/// Amazon DynamoDB: creating and deleting a table, and its table waiters
/// (from the current model).
pub mod dynamodb_waiters {
    include!(concat!(env!("OUT_DIR"), "/dynamodb_waiters.rs"));
}

/// AWS Lambda (restJson1): creating, reading, listing, tagging, updating and
/// deleting a function, and its function waiters.
pub mod lambda {
    include!(concat!(env!("OUT_DIR"), "/lambda.rs"));
}
