//! ECS and EKS container credentials.
//!
//! Amazon ECS gives a task's role to its containers through
//! `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, a path on
//! `http://169.254.170.2`; EKS Pod Identity (and other agents) through
//! `AWS_CONTAINER_CREDENTIALS_FULL_URI`, a whole URL, with an authorization
//! token in the file named by `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (or
//! the token itself in `AWS_CONTAINER_AUTHORIZATION_TOKEN`; the file wins).
//!
//! | variable | |
//! | --- | --- |
//! | `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` | wins over the full URI |
//! | `AWS_CONTAINER_CREDENTIALS_FULL_URI` | `https://` anywhere; `http://` only to a loopback address (`127.0.0.0/8`, `::1`, `localhost`) or the ECS/EKS link-local addresses `169.254.170.2`, `169.254.170.23` and `fd00:ec2::23` |
//! | `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` | sent as the `Authorization` header |
//! | `AWS_CONTAINER_AUTHORIZATION_TOKEN` | sent as the `Authorization` header |
//!
//! The source is skipped when neither URI variable is set. Otherwise it
//! makes one `GET` through the client's transport, limited to five seconds,
//! and reads `{AccessKeyId, SecretAccessKey, Token, Expiration}` from a
//! `200` answer. Any failure (a URI that is not allowed, an unreadable
//! token file, no answer, a status other than 2xx, malformed JSON) stops
//! the chain with its error. The authorization token is never shown in
//! errors.

use std::net::IpAddr;
use std::time::Duration;

use aws_credential_types::provider::error::CredentialsError;

use super::chain::{body_excerpt, send, Context, Lookup, NO_HTTP_CLIENT};
use super::parse_json_credentials;
use crate::http::HttpRequest;

/// Environment variable holding the path of the credentials on the ECS
/// endpoint.
pub const ENV_RELATIVE_URI: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
/// Environment variable holding the URL of the credentials endpoint.
pub const ENV_FULL_URI: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
/// Environment variable holding the authorization token.
pub const ENV_AUTHORIZATION_TOKEN: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
/// Environment variable naming a file that holds the authorization token.
pub const ENV_AUTHORIZATION_TOKEN_FILE: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";

/// The ECS credentials endpoint, which relative URIs are paths of.
pub const ECS_ENDPOINT: &str = "http://169.254.170.2";

/// How long the request may take.
const TIMEOUT: Duration = Duration::from_secs(5);

/// What the source is called in messages.
const SOURCE: &str = "container";

/// The container source of the default chain.
pub(crate) async fn credentials(context: &Context<'_>) -> Lookup {
    let uri = match endpoint(context) {
        Ok(Some(uri)) => uri,
        Ok(None) => {
            return Lookup::missing(
                SOURCE,
                format!("neither {ENV_RELATIVE_URI} nor {ENV_FULL_URI} is set"),
            )
        }
        Err(err) => {
            return Lookup::Failed(CredentialsError::invalid_configuration(format!(
                "{SOURCE}: {err}"
            )))
        }
    };
    let Some(http) = context.http else {
        return Lookup::missing(SOURCE, NO_HTTP_CLIENT);
    };
    let token = match authorization(context) {
        Ok(token) => token,
        Err(err) => {
            return Lookup::Failed(CredentialsError::invalid_configuration(format!(
                "{SOURCE}: {err}"
            )))
        }
    };
    let mut request = HttpRequest::new("GET", uri.as_str());
    request
        .headers
        .push(("accept".to_owned(), "application/json".to_owned()));
    if let Some(token) = token {
        request.headers.push(("authorization".to_owned(), token));
    }
    let failed = |message: String| {
        Lookup::Failed(CredentialsError::provider_error(format!(
            "{SOURCE}: {uri}: {message}"
        )))
    };
    let response = match send(http, context.sleep, request, TIMEOUT).await {
        Ok(response) => response,
        Err(err) => return failed(err.to_string()),
    };
    if !response.is_success() {
        return failed(format!(
            "answered HTTP {}: {}",
            response.status(),
            body_excerpt(response.body())
        ));
    }
    match parse_json_credentials(response.body(), "Token") {
        Ok(credentials) => Lookup::Found(credentials),
        Err(err) => failed(err),
    }
}

/// The URL to fetch credentials from; `None` when neither variable is set.
fn endpoint(context: &Context<'_>) -> Result<Option<String>, String> {
    if let Some(relative) = context.var(ENV_RELATIVE_URI) {
        let separator = if relative.starts_with('/') { "" } else { "/" };
        return Ok(Some(format!("{ECS_ENDPOINT}{separator}{relative}")));
    }
    let Some(full) = context.var(ENV_FULL_URI) else {
        return Ok(None);
    };
    check_full_uri(&full).map_err(|why| format!("{ENV_FULL_URI} {full:?} {why}"))?;
    Ok(Some(full))
}

/// Whether `uri` may be used: any `https` URL, or an `http` one to a
/// loopback or ECS/EKS address.
fn check_full_uri(uri: &str) -> Result<(), &'static str> {
    let (scheme, rest) = uri.split_once("://").ok_or("is not an absolute URL")?;
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if authority.contains('@') {
        return Err("must not hold user information");
    }
    let host = match authority.strip_prefix('[') {
        Some(bracketed) => bracketed
            .split_once(']')
            .map(|(host, _)| host)
            .ok_or("has a malformed host")?,
        None => authority.split(':').next().unwrap_or_default(),
    };
    if host.is_empty() {
        return Err("has no host");
    }
    if scheme.eq_ignore_ascii_case("https") {
        return Ok(());
    }
    if !scheme.eq_ignore_ascii_case("http") {
        return Err("must be an http or https URL");
    }
    if allowed_http_host(host) {
        Ok(())
    } else {
        Err(
            "uses http to a host that is neither loopback nor an ECS/EKS address \
             (169.254.170.2, 169.254.170.23, fd00:ec2::23); use https",
        )
    }
}

/// Whether plain http may go to `host`.
fn allowed_http_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let Ok(address) = host.parse::<IpAddr>() else {
        return false;
    };
    const ECS: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(169, 254, 170, 2));
    const EKS: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(169, 254, 170, 23));
    const EKS_V6: IpAddr = IpAddr::V6(std::net::Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23));
    address.is_loopback() || [ECS, EKS, EKS_V6].contains(&address)
}

/// The `Authorization` header value: the token file's contents, else the
/// token variable; `None` when neither is set.
fn authorization(context: &Context<'_>) -> Result<Option<String>, String> {
    let token = match context.var(ENV_AUTHORIZATION_TOKEN_FILE) {
        Some(path) => std::fs::read_to_string(&path)
            .map_err(|err| format!("cannot read {ENV_AUTHORIZATION_TOKEN_FILE} {path}: {err}"))?
            .trim()
            .to_owned(),
        None => match context.var(ENV_AUTHORIZATION_TOKEN) {
            Some(token) => token,
            None => return Ok(None),
        },
    };
    if token.is_empty() {
        return Ok(None);
    }
    if token.chars().any(|c| c.is_control()) {
        return Err(
            "the authorization token holds a line break or another control \
                    character, which a header cannot carry"
                .to_owned(),
        );
    }
    Ok(Some(token))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::env;

    fn context<'a>(vars: &'a (dyn Fn(&str) -> Option<String> + Send + Sync)) -> Context<'a> {
        Context {
            env: vars,
            http: None,
            sleep: &crate::time::ThreadSleep,
        }
    }

    #[test]
    fn relative_uris_go_to_the_ecs_endpoint_and_win() {
        let vars = env(&[
            (
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                "/v2/credentials/abc",
            ),
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/x"),
        ]);
        assert_eq!(
            endpoint(&context(&vars)).unwrap().as_deref(),
            Some("http://169.254.170.2/v2/credentials/abc")
        );
        let vars = env(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/x")]);
        assert_eq!(
            endpoint(&context(&vars)).unwrap().as_deref(),
            Some("http://127.0.0.1:9/x")
        );
        assert_eq!(endpoint(&context(&env(&[]))).unwrap(), None);
    }

    #[test]
    fn full_uris_use_http_only_to_loopback_and_ecs_eks_addresses() {
        for allowed in [
            "http://127.0.0.1:8080/creds",
            "http://127.1.2.3/",
            "http://localhost/creds",
            "http://[::1]:80/",
            "http://169.254.170.2/v2/credentials",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
            "https://credentials.example.com/x",
            "HTTPS://10.0.0.1",
        ] {
            assert_eq!(check_full_uri(allowed), Ok(()), "{allowed}");
        }
        for (denied, why) in [
            ("http://10.0.0.1/creds", "use https"),
            ("http://169.254.169.254/", "use https"),
            ("http://example.com/", "use https"),
            ("http://127.0.0.1.example.com/", "use https"),
            ("ftp://127.0.0.1/", "http or https"),
            ("127.0.0.1/creds", "not an absolute URL"),
            ("http://user@127.0.0.1/", "user information"),
            ("http:///path", "no host"),
            ("http://[::1/", "malformed host"),
        ] {
            let err = check_full_uri(denied).unwrap_err();
            assert!(err.contains(why), "{denied}: {err}");
        }
        let vars = env(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.0.0.1/c")]);
        let err = endpoint(&context(&vars)).unwrap_err();
        assert!(
            err.starts_with("AWS_CONTAINER_CREDENTIALS_FULL_URI \"http://10.0.0.1/c\" uses http"),
            "{err}"
        );
    }

    #[test]
    fn the_token_file_wins_over_the_token() {
        let dir = std::env::temp_dir().join(format!("smithgen-token-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("token");
        std::fs::write(&file, "from-file\n").unwrap();
        let path = file.to_str().unwrap().to_owned();
        let vars = env(&[
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", &path),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-variable"),
        ]);
        assert_eq!(
            authorization(&context(&vars)).unwrap().as_deref(),
            Some("from-file")
        );
        let vars = env(&[("AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-variable")]);
        assert_eq!(
            authorization(&context(&vars)).unwrap().as_deref(),
            Some("from-variable")
        );
        assert_eq!(authorization(&context(&env(&[]))).unwrap(), None);

        std::fs::write(&file, "secret-part\nmore").unwrap();
        let vars = env(&[("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", &path)]);
        let err = authorization(&context(&vars)).unwrap_err();
        assert!(!err.contains("secret-part"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();

        let vars = env(&[(
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            "/nonexistent/token",
        )]);
        let err = authorization(&context(&vars)).unwrap_err();
        assert!(
            err.starts_with(
                "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE /nonexistent/token"
            ),
            "{err}"
        );
    }
}
