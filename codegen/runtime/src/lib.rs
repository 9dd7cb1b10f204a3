//! Runtime support shared by every SDK crate that smithgen generates.
//!
//! Generated crates contain only what is specific to one service: its shapes,
//! their serializers and deserializers, and one thin function per operation.
//! Everything else lives here:
//!
//! * [`primitives`]: the Smithy simple types that have no std equivalent
//!   (blobs, timestamps, documents, big numbers), and the [`ByteStream`](primitives::ByteStream)
//!   of `@streaming` blobs.
//! * [`byte_stream`]: how streamed payloads are made, sent, signed, retried
//!   and read.
//! * [`body_hash`]: the hashes of a request body some operations send
//!   (`Content-MD5`, Glacier's SHA-256 and tree hash).
//! * [`error`]: the error types every operation returns ([`error::SdkError`]
//!   and friends) and the builder error ([`error::BuildError`]).
//! * [`http`]: a minimal request/response model and the pluggable
//!   [`http::HttpClient`] transport (bodies in memory, or streamed for
//!   `@streaming` payloads), with a default hyper + rustls client behind the
//!   `tls-ring` (default) or `tls-aws-lc` feature.
//! * [`config`]: the client configuration ([`Config`]) and its fallbacks on
//!   the standard `AWS_*` environment variables.
//! * [`credentials`]: the access keys requests are signed with ([`Credentials`]),
//!   the provider interface `aws-config` plugs into, their cache, and the
//!   built-in default chain (environment, profile files, `credential_process`,
//!   ECS/EKS container credentials, EC2 instance metadata).
//! * [`region`]: where the region comes from when none is configured.
//! * [`token`]: the bearer tokens of operations with `smithy.api#httpBearerAuth`
//!   ([`token::Token`]), the token provider interface and the environment
//!   variable Bedrock reads.
//! * [`auth`]: SigV4 request signing.
//! * [`retry`]: the AWS "standard" retry mode ([`RetryConfig`]).
//! * [`timeout`]: per-attempt and per-operation time limits ([`TimeoutConfig`]).
//! * [`time`]: the clock and timer abstractions ([`time::TimeSource`],
//!   [`time::AsyncSleep`]) with their defaults.
//! * [`client`]: [`client::Handle`], the state an SDK client shares between
//!   its operations.
//! * [`json`]: helpers for generated JSON serializers and deserializers.
//! * [`binding`]: the HTTP binding helpers of the REST protocols: labels,
//!   query parameters and headers as text, percent-encoded, and read back.
//! * [`spec`]: the service and operation descriptions
//!   ([`spec::ServiceSpec`], [`spec::OperationSpec`]) generated crates pass
//!   to the runtime.
//! * [`orchestrator`]: sending an operation (endpoint, auth and signing,
//!   retries, timeouts, compression), which knows no protocol.
//! * [`protocol`]: the wire protocols (`awsJson1_0`, `awsJson1_1`,
//!   `restJson1`): what each adds to a request and how it reads an error
//!   response.
//! * [`waiters`]: the waiting loop of generated waiters (`wait_until_*`),
//!   with the specification's delays between polls, and why a wait ended.
//! * [`getter!`] and [`builder_setters!`]: the small
//!   methods every member of a generated shape has, declared in one line per
//!   member; [`operation_error!`] and [`string_enum!`]: what every operation's
//!   error enum and every string enum implement.

#![warn(missing_docs)]

#[cfg(all(
    feature = "default-client",
    not(any(feature = "tls-ring", feature = "tls-aws-lc"))
))]
compile_error!(
    "smithgen-runtime's built-in transport (`default-client`) needs a TLS crypto provider: \
     turn on the `tls-ring` or the `tls-aws-lc` feature"
);

pub use serde_json;

pub mod auth;
pub mod binding;
pub mod body_hash;
pub mod byte_stream;
pub mod client;
pub mod config;
pub mod credentials;
pub mod debug;
pub mod endpoint;
mod env;
pub mod error;
pub mod http;
pub mod idempotency;
pub mod json;
mod macros;
pub mod operation;
pub mod orchestrator;
pub mod pagination;
pub mod primitives;
pub mod protocol;
pub mod region;
pub mod request;
pub mod retry;
pub mod spec;
#[cfg(feature = "test-util")]
pub mod test_util;
pub mod time;
pub mod timeout;
pub mod token;
pub mod waiters;

#[cfg(test)]
mod test_support;

pub use config::Config;
pub use credentials::Credentials;
pub use retry::RetryConfig;
pub use timeout::TimeoutConfig;
