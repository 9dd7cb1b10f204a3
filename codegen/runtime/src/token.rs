//! Bearer tokens for operations that accept them
//! ([`AuthScheme::HttpBearer`](crate::spec::AuthScheme::HttpBearer), from
//! `smithy.api#httpBearerAuth`), and where they come from.
//!
//! A request that uses a bearer token takes it from the first of these that
//! is set:
//!
//! 1. a static token, [`crate::config::Builder::bearer_token`], used as it is;
//! 2. a token provider, [`crate::config::Builder::token_provider`]: anything
//!    implementing [`ProvideToken`] from the `aws-credential-types` crate, so
//!    `aws-config`'s token providers plug in unchanged. It is asked for each
//!    request that uses a token (aws-config's providers cache their tokens
//!    themselves);
//! 3. the service's environment variable, for services that have one: the
//!    one aws-sdk-rust reads, [`ENV_BEARER_TOKEN_BEDROCK`], for services that
//!    sign as `bedrock` (Bedrock and its runtimes); no other service has one.
//!    It is read once, on the first request of the client that can use a
//!    token. When it is set, the client tries bearer tokens before the other
//!    schemes of each operation that accepts one, as aws-sdk-rust does.
//!
//! A token is sent as `Authorization: Bearer <token>`, over HTTPS only: a
//! request that would send one over plain HTTP fails before it is sent,
//! unless it goes to a loopback address (`localhost`, `127.0.0.0/8`,
//! `[::1]`), as local test servers are. A token that has expired, is empty,
//! or holds characters a header cannot carry is not used.
//!
//! [`Token`]'s `Debug` prints `** redacted **`, and no error message ever
//! includes a token.

use std::time::SystemTime;

pub use aws_credential_types::provider::error::TokenError;
/// The future a [`ProvideToken`] returns.
pub use aws_credential_types::provider::future::ProvideToken as ProvideTokenFuture;
pub use aws_credential_types::provider::token::{ProvideToken, SharedTokenProvider};
/// The bearer token type of `aws-credential-types` (and `aws-config`).
pub use aws_credential_types::Token;

use crate::config::Config;
use crate::credentials::Timestamp;

/// The environment variable holding a bearer token for services that sign
/// as `bedrock` (Bedrock API keys).
pub const ENV_BEARER_TOKEN_BEDROCK: &str = "AWS_BEARER_TOKEN_BEDROCK";

/// The environment variable holding a bearer token for the service that
/// signs as `signing_name`, if it has one (see the
/// [module documentation](self)).
pub fn env_var(signing_name: &str) -> Option<&'static str> {
    match signing_name {
        "bedrock" => Some(ENV_BEARER_TOKEN_BEDROCK),
        _ => None,
    }
}

/// What the client knows of bearer tokens besides its configuration: the
/// token of the service's environment variable, if it has one and it is set.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct EnvToken<'a> {
    /// The variable's name, when the service has one.
    pub(crate) var: Option<&'static str>,
    pub(crate) token: Option<&'a Token>,
}

/// The token a request may send at `now`, from `config` else `env` (see the
/// [module documentation](self)), or why there is none. The reason never
/// includes a token.
pub(crate) async fn resolve(
    config: &Config,
    env: EnvToken<'_>,
    now: SystemTime,
) -> Result<Token, String> {
    let token = if let Some(token) = config.bearer_token() {
        token.clone()
    } else if let Some(provider) = config.token_provider() {
        provider.provide_token().await.map_err(|err| {
            format!(
                "the token provider has no token: {}",
                crate::credentials::chain::error_chain(&err)
            )
        })?
    } else if let Some(token) = env.token {
        token.clone()
    } else {
        let mut message = "no bearer token is configured: set one with \
                           `Config::builder().bearer_token(..)` or `.token_provider(..)`"
            .to_owned();
        if let Some(var) = env.var {
            message.push_str(", or with the ");
            message.push_str(var);
            message.push_str(" environment variable");
        }
        return Err(message);
    };
    usable(&token, now)?;
    Ok(token)
}

/// Whether `token` may be sent at `now`: unexpired, not empty, and made of
/// characters a header value can hold (no control characters, ASCII).
fn usable(token: &Token, now: SystemTime) -> Result<(), String> {
    if let Some(expiry) = token.expiration() {
        if expiry <= now {
            return Err(format!("the bearer token expired at {}", Timestamp(expiry)));
        }
    }
    let value = token.token();
    if value.trim().is_empty() {
        return Err("the bearer token is empty".to_owned());
    }
    if !value.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return Err(
            "the bearer token holds characters an HTTP header cannot carry (only visible \
             ASCII and spaces are allowed)"
                .to_owned(),
        );
    }
    Ok(())
}

/// Checks that a bearer token may be sent to `uri`: over HTTPS, or over
/// plain HTTP to a loopback address only.
pub(crate) fn check_transport(uri: &str) -> Result<(), String> {
    let (scheme, rest) = uri.split_once("://").unwrap_or(("", uri));
    if scheme.eq_ignore_ascii_case("https") {
        return Ok(());
    }
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6),
        None => authority.split(':').next().unwrap_or(authority),
    };
    if scheme.eq_ignore_ascii_case("http") && is_loopback(host) {
        return Ok(());
    }
    Err(format!(
        "refusing to send a bearer token to {host:?} over {}: a token is sent over HTTPS \
         only, or over plain HTTP to a loopback address (localhost, 127.0.0.0/8, [::1]); \
         use an https:// endpoint",
        if scheme.is_empty() {
            "an unknown scheme"
        } else {
            scheme
        }
    ))
}

/// Whether `host` (without brackets) names this machine's loopback interface.
fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::block_on;
    use std::time::{Duration, UNIX_EPOCH};

    const NOW: SystemTime = UNIX_EPOCH;

    fn now() -> SystemTime {
        NOW + Duration::from_secs(1_000_000)
    }

    #[test]
    fn tokens_go_over_https_and_to_loopback_only() {
        for uri in [
            "https://codecatalyst.global.api.aws/",
            "HTTPS://example.com:8443/x",
            "http://127.0.0.1:8000/",
            "http://127.1.2.3/",
            "http://localhost:9000/path?q",
            "http://LOCALHOST/",
            "http://[::1]:8080/",
            "http://user@127.0.0.1/",
        ] {
            assert_eq!(check_transport(uri), Ok(()), "{uri}");
        }
        for (uri, host) in [
            ("http://example.com/", "\"example.com\""),
            ("http://10.0.0.1:80/", "\"10.0.0.1\""),
            ("http://[::2]/", "\"::2\""),
            ("http://localhost.example.com/", "\"localhost.example.com\""),
            ("http://127.0.0.1@evil.example/", "\"evil.example\""),
            ("ftp://127.0.0.1/", "\"127.0.0.1\""),
        ] {
            let e = check_transport(uri).unwrap_err();
            assert!(
                e.starts_with(&format!("refusing to send a bearer token to {host} over ")),
                "{e}"
            );
            assert!(e.contains("use an https:// endpoint"), "{e}");
        }
    }

    #[test]
    fn only_configured_variables_are_read() {
        assert_eq!(env_var("bedrock"), Some("AWS_BEARER_TOKEN_BEDROCK"));
        assert_eq!(env_var("codecatalyst"), None);
        assert_eq!(env_var("dynamodb"), None);
    }

    #[test]
    fn a_static_token_comes_before_a_provider_and_the_environment() {
        let env_token = Token::new("from-env", None);
        let env = EnvToken {
            var: Some(ENV_BEARER_TOKEN_BEDROCK),
            token: Some(&env_token),
        };
        let configured = Config::builder()
            .token_provider(Token::new("from-provider", None))
            .bearer_token(Token::new("static", None))
            .build();
        let got = block_on(resolve(&configured, env, now())).unwrap();
        assert_eq!(got.token(), "static");
        let provided = Config::builder()
            .bearer_token(Token::new("static", None))
            .token_provider(Token::new("from-provider", None))
            .build();
        let got = block_on(resolve(&provided, env, now())).unwrap();
        assert_eq!(got.token(), "from-provider");
        let got = block_on(resolve(&Config::default(), env, now())).unwrap();
        assert_eq!(got.token(), "from-env");
    }

    #[test]
    fn missing_expired_and_malformed_tokens_say_why() {
        let none = EnvToken::default();
        let e = block_on(resolve(&Config::default(), none, now())).unwrap_err();
        assert_eq!(
            e,
            "no bearer token is configured: set one with `Config::builder().bearer_token(..)` \
             or `.token_provider(..)`"
        );
        let bedrock = EnvToken {
            var: Some(ENV_BEARER_TOKEN_BEDROCK),
            token: None,
        };
        let e = block_on(resolve(&Config::default(), bedrock, now())).unwrap_err();
        assert!(
            e.ends_with(", or with the AWS_BEARER_TOKEN_BEDROCK environment variable"),
            "{e}"
        );

        let with = |token: Token| Config::builder().bearer_token(token).build();
        let expired = with(Token::new("secret-expired", Some(now())));
        let e = block_on(resolve(&expired, none, now())).unwrap_err();
        assert_eq!(e, "the bearer token expired at 1970-01-12T13:46:40Z");
        let fresh = with(Token::new("fine", Some(now() + Duration::from_secs(1))));
        assert!(block_on(resolve(&fresh, none, now())).is_ok());
        let e = block_on(resolve(&with(Token::new(" ", None)), none, now())).unwrap_err();
        assert_eq!(e, "the bearer token is empty");
        let e = block_on(resolve(
            &with(Token::new("secret\r\nx: y", None)),
            none,
            now(),
        ))
        .unwrap_err();
        assert!(e.contains("characters an HTTP header cannot carry"), "{e}");
        assert!(!e.contains("secret"), "{e}");
    }

    #[test]
    fn provider_errors_are_reported_with_their_sources() {
        #[derive(Debug)]
        struct Failing;
        impl ProvideToken for Failing {
            fn provide_token<'a>(&'a self) -> ProvideTokenFuture<'a>
            where
                Self: 'a,
            {
                ProvideTokenFuture::ready(Err(TokenError::provider_error(
                    "the SSO session has expired",
                )))
            }
        }
        let config = Config::builder().token_provider(Failing).build();
        let e = block_on(resolve(&config, EnvToken::default(), now())).unwrap_err();
        assert!(e.starts_with("the token provider has no token: "), "{e}");
        assert!(e.ends_with("the SSO session has expired"), "{e}");
    }
}
