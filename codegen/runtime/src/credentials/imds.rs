//! EC2 instance metadata (IMDSv2): the instance role's credentials and the
//! instance's region.
//!
//! Every lookup first asks for a session token (`PUT /latest/api/token` with
//! `x-aws-ec2-metadata-token-ttl-seconds: 21600`), then sends it as
//! `x-aws-ec2-metadata-token` with each `GET`:
//!
//! * credentials: `/latest/meta-data/iam/security-credentials/` names the
//!   role, `/latest/meta-data/iam/security-credentials/<role>` holds
//!   `{Code, AccessKeyId, SecretAccessKey, Token, Expiration}`;
//! * region: `/latest/meta-data/placement/region` (see [`crate::region`]).
//!
//! IMDSv1 (requests without a token) is never used: when no token can be
//! had, the lookup fails.
//!
//! | variable | |
//! | --- | --- |
//! | `AWS_EC2_METADATA_DISABLED` | `true` turns instance metadata off |
//! | `AWS_EC2_METADATA_SERVICE_ENDPOINT` | the endpoint, default `http://169.254.169.254` |
//! | `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` | `IPv6` makes the default endpoint `http://[fd00:ec2::254]` |
//!
//! Each request goes through the client's transport and may take one second,
//! so a machine that is not an EC2 instance (where nothing answers) loses
//! about a second the first time it looks here. Instance metadata is the last
//! source of the default chain: when it has nothing, the chain's error lists
//! why, with every other source's reason. Malformed credentials are an error
//! of their own. The session token is sent only to the metadata endpoint and
//! never shown.

use std::time::Duration;

use aws_credential_types::provider::error::CredentialsError;

use super::chain::{body_excerpt, send, Context, Lookup, NO_HTTP_CLIENT};
use super::parse_json_credentials;
use crate::http::{HttpRequest, HttpResponse, SharedHttpClient};
use crate::time::AsyncSleep;

/// Environment variable turning instance metadata off (`true`).
pub const ENV_DISABLED: &str = "AWS_EC2_METADATA_DISABLED";
/// Environment variable holding the instance metadata endpoint.
pub const ENV_ENDPOINT: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
/// Environment variable choosing the default endpoint's address family
/// (`IPv4` or `IPv6`).
pub const ENV_ENDPOINT_MODE: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";

/// The instance metadata endpoint.
pub const DEFAULT_ENDPOINT: &str = "http://169.254.169.254";
/// The instance metadata endpoint over IPv6.
pub const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";

/// How long each request may take.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(1);

/// How long a session token is asked to last, in seconds.
const TOKEN_TTL_SECONDS: &str = "21600";
const TOKEN_PATH: &str = "/latest/api/token";
const TOKEN_TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const REGION_PATH: &str = "/latest/meta-data/placement/region";

/// What the source is called in messages.
const SOURCE: &str = "instance metadata";

/// How a lookup failed.
#[derive(Debug)]
pub(crate) enum ImdsError {
    /// Instance metadata is off, unreachable or has nothing: the source
    /// has nothing to give.
    Unavailable(String),
    /// It answered with something unusable.
    Invalid(String),
}

/// An instance metadata client for one lookup.
struct Imds<'a> {
    endpoint: String,
    http: &'a SharedHttpClient,
    sleep: &'a dyn AsyncSleep,
}

impl<'a> Imds<'a> {
    /// A client, unless instance metadata is turned off or out of reach.
    fn new(context: &Context<'a>) -> Result<Self, String> {
        if context
            .var(ENV_DISABLED)
            .is_some_and(|value| value.eq_ignore_ascii_case("true"))
        {
            return Err(format!("disabled by {ENV_DISABLED}"));
        }
        let Some(http) = context.http else {
            return Err(NO_HTTP_CLIENT.to_owned());
        };
        let endpoint = match context.var(ENV_ENDPOINT) {
            Some(endpoint) => endpoint,
            None => match context.var(ENV_ENDPOINT_MODE) {
                Some(mode) if mode.eq_ignore_ascii_case("ipv6") => IPV6_ENDPOINT.to_owned(),
                Some(mode) if !mode.eq_ignore_ascii_case("ipv4") => {
                    return Err(format!(
                        "{ENV_ENDPOINT_MODE} is {mode:?}, neither IPv4 nor IPv6"
                    ))
                }
                _ => DEFAULT_ENDPOINT.to_owned(),
            },
        };
        Ok(Imds {
            endpoint: endpoint.trim_end_matches('/').to_owned(),
            http,
            sleep: context.sleep,
        })
    }

    /// Sends a request for `path` with `headers`.
    async fn request(
        &self,
        method: &str,
        path: &str,
        header: (&str, &str),
    ) -> Result<HttpResponse, ImdsError> {
        let mut request = HttpRequest::new(method, format!("{}{path}", self.endpoint));
        request
            .headers
            .push((header.0.to_owned(), header.1.to_owned()));
        send(self.http, self.sleep, request, TIMEOUT)
            .await
            .map_err(|err| ImdsError::Unavailable(format!("{}: {err}", self.endpoint)))
    }

    /// A session token (IMDSv2).
    async fn token(&self) -> Result<String, ImdsError> {
        let response = self
            .request("PUT", TOKEN_PATH, (TOKEN_TTL_HEADER, TOKEN_TTL_SECONDS))
            .await?;
        if !response.is_success() {
            return Err(ImdsError::Unavailable(format!(
                "{}{TOKEN_PATH} answered HTTP {} to the session token request (IMDSv2)",
                self.endpoint,
                response.status()
            )));
        }
        let token = std::str::from_utf8(response.body())
            .map(str::trim)
            .unwrap_or_default();
        if token.is_empty() || token.chars().any(|c| c.is_control()) {
            return Err(ImdsError::Invalid(
                "the session token (IMDSv2) is empty or not text".to_owned(),
            ));
        }
        Ok(token.to_owned())
    }

    /// The body of `GET path` as text; `Ok(None)` for a 404.
    async fn get(&self, token: &str, path: &str) -> Result<Option<String>, ImdsError> {
        let response = self.request("GET", path, (TOKEN_HEADER, token)).await?;
        if response.status() == 404 {
            return Ok(None);
        }
        if !response.is_success() {
            return Err(ImdsError::Unavailable(format!(
                "{}{path} answered HTTP {}: {}",
                self.endpoint,
                response.status(),
                body_excerpt(response.body())
            )));
        }
        String::from_utf8(response.body().to_vec())
            .map(Some)
            .map_err(|_| ImdsError::Invalid(format!("{}{path} did not answer text", self.endpoint)))
    }
}

/// The instance metadata source of the default chain.
pub(crate) async fn credentials(context: &Context<'_>) -> Lookup {
    let imds = match Imds::new(context) {
        Ok(imds) => imds,
        Err(why) => return Lookup::missing(SOURCE, why),
    };
    match role_credentials(&imds).await {
        Ok(credentials) => Lookup::Found(credentials),
        Err(ImdsError::Unavailable(why)) => Lookup::missing(SOURCE, why),
        Err(ImdsError::Invalid(why)) => {
            Lookup::Failed(CredentialsError::provider_error(format!("{SOURCE}: {why}")))
        }
    }
}

async fn role_credentials(imds: &Imds<'_>) -> Result<super::Credentials, ImdsError> {
    let token = imds.token().await?;
    let no_role = || {
        ImdsError::Unavailable(format!(
            "no IAM role is attached to this instance ({}{CREDENTIALS_PATH} names none)",
            imds.endpoint
        ))
    };
    let roles = imds
        .get(&token, CREDENTIALS_PATH)
        .await?
        .ok_or_else(no_role)?;
    let role = roles.lines().map(str::trim).find(|line| !line.is_empty());
    let role = role.ok_or_else(no_role)?;
    let path = format!("{CREDENTIALS_PATH}{role}");
    let document = imds.get(&token, &path).await?.ok_or_else(|| {
        ImdsError::Unavailable(format!("{}{path} answered HTTP 404", imds.endpoint))
    })?;
    let invalid =
        |why: String| ImdsError::Invalid(format!("the credentials of role {role}: {why}"));
    let code = serde_json::from_str::<serde_json::Value>(&document)
        .ok()
        .and_then(|value| value.get("Code")?.as_str().map(str::to_owned));
    if let Some(code) = code.filter(|code| code != "Success") {
        return Err(invalid(format!("`Code` is {code:?}, not \"Success\"")));
    }
    parse_json_credentials(document.as_bytes(), "Token").map_err(invalid)
}

/// The instance's region, or why there is none.
pub(crate) async fn region(context: &Context<'_>) -> Result<String, String> {
    let imds = Imds::new(context)?;
    let lookup = async {
        let token = imds.token().await?;
        let region = imds.get(&token, REGION_PATH).await?.unwrap_or_default();
        let region = region.trim();
        if region.is_empty() {
            return Err(ImdsError::Unavailable(format!(
                "{}{REGION_PATH} names no region",
                imds.endpoint
            )));
        }
        Ok(region.to_owned())
    };
    lookup.await.map_err(|err| match err {
        ImdsError::Unavailable(why) | ImdsError::Invalid(why) => why,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ConnectorError;
    use crate::http::{HttpClient, HttpFuture};
    use crate::test_support::{block_on, env};
    use std::sync::{Arc, Mutex};

    /// An in-memory instance metadata service: it checks the token and
    /// records every request.
    #[derive(Debug, Default)]
    struct FakeImds {
        requests: Mutex<Vec<HttpRequest>>,
        credentials: &'static str,
    }

    impl HttpClient for FakeImds {
        fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
            self.requests.lock().unwrap().push(request.clone());
            let path = request
                .uri
                .split_once("://")
                .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
                .unwrap_or_default();
            let answer = |status: u16, body: &str| {
                Ok(crate::http::HttpResponse::new(
                    status,
                    vec![],
                    body.as_bytes().to_vec(),
                ))
            };
            let result = if request.method == "PUT" && path == TOKEN_PATH {
                if request.header(TOKEN_TTL_HEADER) == Some("21600") {
                    answer(200, "TOKEN123")
                } else {
                    answer(400, "")
                }
            } else if request.header(TOKEN_HEADER) != Some("TOKEN123") {
                answer(401, "")
            } else {
                match path.as_str() {
                    CREDENTIALS_PATH => answer(200, "my-role\n"),
                    "/latest/meta-data/iam/security-credentials/my-role" => {
                        answer(200, self.credentials)
                    }
                    REGION_PATH => answer(200, "eu-central-1"),
                    _ => answer(404, ""),
                }
            };
            Box::pin(async move { result })
        }
    }

    fn lookup(fake: &Arc<FakeImds>, vars: &[(&str, &str)]) -> Lookup {
        let http: SharedHttpClient = Arc::clone(fake) as SharedHttpClient;
        let vars = env(vars);
        let context = Context {
            env: &vars,
            http: Some(&http),
            sleep: &crate::time::ThreadSleep,
        };
        block_on(credentials(&context))
    }

    #[test]
    fn credentials_with_a_session_token() {
        let fake = Arc::new(FakeImds {
            credentials: r#"{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIA1",
                "SecretAccessKey":"S","Token":"T","Expiration":"2023-11-14T22:13:20Z"}"#,
            ..FakeImds::default()
        });
        let Lookup::Found(credentials) = lookup(&fake, &[]) else {
            panic!("credentials expected");
        };
        assert_eq!(credentials.access_key_id(), "ASIA1");
        assert_eq!(credentials.session_token(), Some("T"));
        assert!(credentials.expiry().is_some());
        let requests = fake.requests.lock().unwrap();
        let uris: Vec<_> = requests
            .iter()
            .map(|r| format!("{} {}", r.method, r.uri))
            .collect();
        assert_eq!(
            uris,
            [
                "PUT http://169.254.169.254/latest/api/token",
                "GET http://169.254.169.254/latest/meta-data/iam/security-credentials/",
                "GET http://169.254.169.254/latest/meta-data/iam/security-credentials/my-role",
            ]
        );
        // The token never shows in `Debug`.
        let debug = format!("{:?}", requests[1]);
        assert!(!debug.contains("TOKEN123"), "{debug}");
    }

    #[test]
    fn endpoints_and_switches() {
        let fake = Arc::new(FakeImds::default());
        let Lookup::Missing { reason, .. } =
            lookup(&fake, &[("AWS_EC2_METADATA_DISABLED", "TRUE")])
        else {
            panic!("disabled");
        };
        assert_eq!(reason, "disabled by AWS_EC2_METADATA_DISABLED");
        assert!(fake.requests.lock().unwrap().is_empty());

        lookup(
            &fake,
            &[("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9/")],
        );
        lookup(&fake, &[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")]);
        let requests = fake.requests.lock().unwrap();
        assert!(requests[0].uri.starts_with("http://127.0.0.1:9/latest/"));
        assert!(requests
            .iter()
            .any(|r| r.uri.starts_with("http://[fd00:ec2::254]/latest/")));
    }

    #[test]
    fn malformed_or_failed_credentials_are_errors() {
        let fake = Arc::new(FakeImds {
            credentials: r#"{"Code":"AssumeRoleUnauthorizedAccess","AccessKeyId":"A"}"#,
            ..FakeImds::default()
        });
        let Lookup::Failed(err) = lookup(&fake, &[]) else {
            panic!("an error");
        };
        let message = std::error::Error::source(&err).unwrap().to_string();
        assert_eq!(
            message,
            "instance metadata: the credentials of role my-role: `Code` is \
             \"AssumeRoleUnauthorizedAccess\", not \"Success\""
        );
    }

    #[test]
    fn no_answer_leaves_the_source_empty() {
        #[derive(Debug)]
        struct Unreachable;
        impl HttpClient for Unreachable {
            fn send(&self, _request: HttpRequest) -> HttpFuture<'_> {
                Box::pin(async { Err(ConnectorError::io("network is unreachable")) })
            }
        }
        let http: SharedHttpClient = Arc::new(Unreachable);
        let vars = env(&[]);
        let context = Context {
            env: &vars,
            http: Some(&http),
            sleep: &crate::time::ThreadSleep,
        };
        let Lookup::Missing { reason, .. } = block_on(credentials(&context)) else {
            panic!("nothing");
        };
        assert_eq!(
            reason,
            "http://169.254.169.254: io error: network is unreachable"
        );
        assert_eq!(
            block_on(super::region(&context)).unwrap_err(),
            "http://169.254.169.254: io error: network is unreachable"
        );
    }

    #[test]
    fn region_of_the_instance() {
        let fake = Arc::new(FakeImds::default());
        let http: SharedHttpClient = Arc::clone(&fake) as SharedHttpClient;
        let vars = env(&[]);
        let context = Context {
            env: &vars,
            http: Some(&http),
            sleep: &crate::time::ThreadSleep,
        };
        assert_eq!(block_on(super::region(&context)).unwrap(), "eu-central-1");
    }
}
