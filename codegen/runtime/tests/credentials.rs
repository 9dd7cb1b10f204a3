//! Where credentials and the region come from, against real parts: profile
//! files in a temporary home, `credential_process` shell scripts, and a
//! container credentials endpoint and an IMDSv2 endpoint served on
//! 127.0.0.1 by a small server in this file.
//!
//! Most tests hand the client a `DefaultCredentialsChain` reading a fake
//! environment (so they need no process environment and run in parallel),
//! with instance metadata turned off unless the test serves it itself. The
//! few that go through a client's own default chain or region lookup set
//! process variables while holding `ENV_LOCK`. No request ever leaves
//! 127.0.0.1.

mod common;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{assert_signed, construction_message, Captured, Scripted, Step};
use smithgen_runtime::client::Handle;
use smithgen_runtime::credentials::{
    CredentialsError, DefaultCredentialsChain, NoCredentialsFound, ProvideCredentials,
};
use smithgen_runtime::error::{ErrorMetadata, SdkError};
use smithgen_runtime::protocol::Protocol;
use smithgen_runtime::spec::{AuthMode, OperationSpec, ServiceSpec};
use smithgen_runtime::time::TimeSource;
use smithgen_runtime::{Config, Credentials, RetryConfig};

// ---------------------------------------------------------------------------
// The operation, a clock, a fake environment, temporary homes
// ---------------------------------------------------------------------------

static SERVICE: ServiceSpec = ServiceSpec {
    target_prefix: "TestService",
    endpoint_prefix: "testsvc",
    signing_name: "testsvc",
    protocol: Protocol::AwsJson1_0,
    query_compatible: false,
    endpoint_rules: None,
};

static SIGNED: OperationSpec = OperationSpec {
    name: "Describe",
    auth: AuthMode::SigV4,
    errors: &[],
    request_compression: false,
    endpoint_params: smithgen_runtime::endpoint::OperationEndpointParams::NONE,
};

async fn call(handle: &Handle) -> Result<(), SdkError<ErrorMetadata>> {
    common::send_empty(handle, &SERVICE, &SIGNED).await
}

/// 2030-01-01T00:00:00Z.
const T0: u64 = 1_893_456_000;

/// A clock the test moves.
#[derive(Debug, Clone)]
struct Clock(Arc<Mutex<SystemTime>>);

impl Clock {
    fn new() -> Self {
        Clock(Arc::new(Mutex::new(UNIX_EPOCH + Duration::from_secs(T0))))
    }

    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl TimeSource for Clock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
}

/// An RFC 3339 date-time.
fn rfc3339(time: SystemTime) -> String {
    smithgen_runtime::primitives::DateTime::from(time).to_string()
}

/// A fake environment: `pairs` (the last value of a name wins) over a base
/// in which instance metadata is off and the home directory does not exist.
fn fake_env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + Send + Sync + 'static {
    let mut all: Vec<(String, String)> = vec![
        ("AWS_EC2_METADATA_DISABLED".to_owned(), "true".to_owned()),
        ("HOME".to_owned(), "/nonexistent/smithgen-home".to_owned()),
    ];
    all.extend(
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned())),
    );
    move |name| {
        all.iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    }
}

/// A chain reading `fake_env(pairs)`, through the default transport.
fn chain(pairs: &[(&str, &str)]) -> DefaultCredentialsChain {
    DefaultCredentialsChain::builder()
        .env(fake_env(pairs))
        .build()
}

/// A directory of its own under the system's temporary directory, removed
/// when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "smithgen-credentials-{}-{}-{name}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&path).expect("create the temporary directory");
        TempDir(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn str(&self) -> &str {
        self.0.to_str().expect("a UTF-8 temporary path")
    }

    /// Writes `contents` to `relative`, creating directories as needed.
    fn write(&self, relative: &str, contents: &str) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create directories");
        std::fs::write(&path, contents).expect("write the file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// The credentials `chain` gives, or its error.
fn provide(chain: &DefaultCredentialsChain) -> Result<Credentials, CredentialsError> {
    runtime().block_on(chain.credentials())
}

/// What `err` says: its sources, joined by `: `.
fn message(err: &CredentialsError) -> String {
    let mut text = String::new();
    let mut source = std::error::Error::source(err);
    while let Some(err) = source {
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&err.to_string());
        source = err.source();
    }
    text
}

// ---------------------------------------------------------------------------
// Profile files
// ---------------------------------------------------------------------------

const CREDENTIALS_FILE: &str = "\
# Static keys of several profiles.
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = default-secret

[dev]
aws_access_key_id = AKIDDEVCREDS
aws_secret_access_key = dev-secret ; a comment
aws_session_token = dev-token

[both]
aws_access_key_id = AKIDBOTHCREDS
aws_secret_access_key = both-secret-creds
";

const CONFIG_FILE: &str = "\
[default]
region = us-west-2

[profile dev]
region = eu-west-1
output = json

[profile configonly]
aws_access_key_id = AKIDCONFIGONLY
aws_secret_access_key = configonly-secret
region = ap-northeast-1

[profile both]
aws_access_key_id = AKIDBOTHCONFIG
aws_secret_access_key = both-secret-config

[profile nocreds]
region = sa-east-1

[profile assumed]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = default

[profile halfpair]
aws_access_key_id = AKIDHALF

[profile sso]
sso_session = corp
sso_account_id = 123456789012

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
";

/// A home with `~/.aws/credentials` and `~/.aws/config`.
fn home_with_profiles() -> TempDir {
    let home = TempDir::new("home");
    home.write(".aws/credentials", CREDENTIALS_FILE);
    home.write(".aws/config", CONFIG_FILE);
    home
}

#[test]
fn profiles_of_the_shared_files_in_a_temporary_home() {
    let home = home_with_profiles();
    let from = |pairs: &[(&str, &str)]| {
        let mut all = vec![("HOME", home.str())];
        all.extend_from_slice(pairs);
        provide(&chain(&all))
    };

    // No AWS_PROFILE: `default`.
    let default = from(&[]).expect("default");
    assert_eq!(
        default,
        Credentials::new("AKIDDEFAULT", "default-secret", None)
    );
    // AWS_PROFILE names another, with a session token (and the comment after
    // the secret is not part of it).
    let dev = from(&[("AWS_PROFILE", "dev")]).expect("dev");
    assert_eq!(
        dev,
        Credentials::new("AKIDDEVCREDS", "dev-secret", Some("dev-token".to_owned()))
    );
    // Keys only in the config file's `[profile configonly]`.
    let config_only = from(&[("AWS_PROFILE", "configonly")]).expect("config only");
    assert_eq!(config_only.access_key_id(), "AKIDCONFIGONLY");
    // Both files: the credentials file wins.
    let both = from(&[("AWS_PROFILE", "both")]).expect("both");
    assert_eq!(
        both,
        Credentials::new("AKIDBOTHCREDS", "both-secret-creds", None)
    );
    // A chain built for a profile reads that one, whatever AWS_PROFILE says.
    let named = DefaultCredentialsChain::builder()
        .env(fake_env(&[("HOME", home.str()), ("AWS_PROFILE", "dev")]))
        .profile_name("configonly")
        .build();
    assert_eq!(
        provide(&named).expect("named").access_key_id(),
        "AKIDCONFIGONLY"
    );
    // The environment comes before the files.
    let env_first = from(&[
        ("AWS_PROFILE", "dev"),
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
    ])
    .expect("environment");
    assert_eq!(env_first.access_key_id(), "AKIDENV");
}

#[test]
fn file_locations_come_from_the_environment() {
    let home = home_with_profiles();
    let elsewhere = TempDir::new("elsewhere");
    let credentials = elsewhere.write(
        "team/credentials",
        "[ci]\naws_access_key_id = AKIDCI\naws_secret_access_key = ci-secret\n",
    );
    let config = elsewhere.write("team/config", "[profile ci]\nregion = us-east-2\n");
    let chain = chain(&[
        ("HOME", home.str()),
        ("AWS_PROFILE", "ci"),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
        ("AWS_CONFIG_FILE", config.to_str().unwrap()),
    ]);
    assert_eq!(provide(&chain).expect("ci").access_key_id(), "AKIDCI");

    // `~` is the home directory.
    home.write(
        "other/credentials",
        "[default]\naws_access_key_id = AKIDTILDE\naws_secret_access_key = s\n",
    );
    let chain = chain_with_home(
        &home,
        &[("AWS_SHARED_CREDENTIALS_FILE", "~/other/credentials")],
    );
    assert_eq!(provide(&chain).expect("tilde").access_key_id(), "AKIDTILDE");

    // The default locations are no longer read once overridden.
    let chain = chain_with_home(
        &home,
        &[
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
            ("AWS_CONFIG_FILE", "/nonexistent/config"),
        ],
    );
    let err = provide(&chain).expect_err("nothing there");
    assert!(
        message(&err).contains(
            "profile `default`: no such section in /nonexistent/credentials (no such file) \
             or /nonexistent/config (no such file)"
        ),
        "{}",
        message(&err)
    );
}

fn chain_with_home(home: &TempDir, pairs: &[(&str, &str)]) -> DefaultCredentialsChain {
    let mut all = vec![("HOME", home.str())];
    all.extend_from_slice(pairs);
    chain(&all)
}

#[test]
fn profiles_that_cannot_give_credentials_say_why() {
    let home = home_with_profiles();
    let credentials_path = home.path().join(".aws/credentials");
    let config_path = home.path().join(".aws/config");

    // A profile without credentials is skipped, and the chain goes on.
    let err = provide(&chain_with_home(&home, &[("AWS_PROFILE", "nocreds")])).unwrap_err();
    assert!(matches!(err, CredentialsError::CredentialsNotLoaded(_)));
    let report = std::error::Error::source(&err)
        .and_then(|source| source.downcast_ref::<NoCredentialsFound>())
        .expect("a report of every source");
    let sources: Vec<_> = report.sources().map(|(source, _)| source).collect();
    assert_eq!(
        sources,
        [
            "environment",
            "profile `nocreds`",
            "container",
            "instance metadata"
        ]
    );
    assert!(
        message(&err).contains(&format!(
            "profile `nocreds`: neither aws_access_key_id nor credential_process is set in {} or {}",
            credentials_path.display(),
            config_path.display()
        )),
        "{}",
        message(&err)
    );
    let err = provide(&chain_with_home(&home, &[("AWS_PROFILE", "missing")])).unwrap_err();
    assert!(
        message(&err).contains(&format!(
            "profile `missing`: no such section in {} or {}",
            credentials_path.display(),
            config_path.display()
        )),
        "{}",
        message(&err)
    );

    // Set up but unusable: the chain stops.
    for (profile, expected) in [
        (
            "assumed",
            "profile `assumed` uses `role_arn` (a role to assume), which the built-in \
             credentials chain does not support: use aws-config's provider with \
             `Config::builder().credentials_provider(..)`",
        ),
        (
            "sso",
            "profile `sso` uses `sso_session` (IAM Identity Center (SSO))",
        ),
        (
            "halfpair",
            "profile `halfpair` sets aws_access_key_id but not aws_secret_access_key",
        ),
    ] {
        let err = provide(&chain_with_home(&home, &[("AWS_PROFILE", profile)])).unwrap_err();
        assert!(
            matches!(err, CredentialsError::InvalidConfiguration(_)),
            "{err:?}"
        );
        assert!(message(&err).starts_with(expected), "{}", message(&err));
    }

    // A malformed file is an error naming the file and the line, never
    // quoting it.
    home.write(
        ".aws/credentials",
        "[default]\naws_secret_access_key = hidden-secret\nnot a setting hidden-secret\n",
    );
    let err = provide(&chain_with_home(&home, &[])).unwrap_err();
    assert_eq!(
        message(&err),
        format!(
            "profile: {}: line 3: expected `name = value`",
            credentials_path.display()
        )
    );
}

// ---------------------------------------------------------------------------
// credential_process
// ---------------------------------------------------------------------------

/// A home whose default profile runs `script` (written executable) as its
/// `credential_process`.
#[cfg(unix)]
fn home_with_process(script: &str) -> (TempDir, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let home = TempDir::new("process");
    let path = home.write("bin/credentials.sh", script);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    home.write(
        ".aws/config",
        &format!(
            "[default]\nregion = us-east-1\ncredential_process = {} --profile default\n",
            path.display()
        ),
    );
    (home, path)
}

/// A client with `provider`, its clock, and a transport answering `200 {}`.
fn client(provider: impl ProvideCredentials + 'static, clock: &Clock) -> (Handle, Scripted) {
    let transport = Scripted::new(vec![Step::Respond(200, "{}")]);
    let handle = Handle::new(
        Config::builder()
            .region("us-east-1")
            .http_client(transport.clone())
            .time_source(clock.clone())
            .retry_config(RetryConfig::disabled())
            .credentials_provider(provider)
            .build(),
    );
    (handle, transport)
}

/// The access key id the last request was signed with, checking its
/// signature against `secret`.
fn signed_with(transport: &Scripted, secret: &str) -> String {
    let requests = transport.requests();
    let last = requests.last().expect("a request was sent");
    assert_signed(&Captured::from_request(last), secret).access_key_id
}

#[cfg(unix)]
#[test]
fn credential_process_output_is_used_until_its_expiry() {
    // Each run appends to `runs` and prints credentials valid for one hour
    // from 2030-01-01T0N:00:00Z, N the number of runs so far.
    let (home, _script) = home_with_process(
        "#!/bin/sh\n\
         dir=$(dirname \"$0\")\n\
         echo run >> \"$dir/runs\"\n\
         n=$(wc -l < \"$dir/runs\" | tr -d ' ')\n\
         [ \"$1\" = --profile ] || exit 9\n\
         printf '{\"Version\": 1, \"AccessKeyId\": \"ASIAPROCESS%s\", \"SecretAccessKey\": \
         \"process-secret\", \"SessionToken\": \"process-token\", \"Expiration\": \
         \"2030-01-01T0%s:00:00Z\"}' \"$n\" \"$n\"\n",
    );
    let runs = || {
        std::fs::read_to_string(home.path().join("bin/runs"))
            .map(|text| text.lines().count())
            .unwrap_or(0)
    };
    let clock = Clock::new();
    let (handle, transport) = client(chain_with_home(&home, &[]), &clock);
    let rt = runtime();

    rt.block_on(call(&handle)).expect("signed");
    assert_eq!(signed_with(&transport, "process-secret"), "ASIAPROCESS1");
    assert_eq!(
        transport.requests()[0].header("x-amz-security-token"),
        Some("process-token")
    );
    // Still fresh after 50 minutes: the script is not run again.
    clock.advance(Duration::from_secs(50 * 60));
    rt.block_on(call(&handle)).expect("signed");
    assert_eq!(runs(), 1);
    // Less than five minutes before the expiry: run again.
    clock.advance(Duration::from_secs(6 * 60));
    rt.block_on(call(&handle)).expect("signed");
    assert_eq!(runs(), 2);
    assert_eq!(signed_with(&transport, "process-secret"), "ASIAPROCESS2");
    // Past the second expiry (02:00): run again.
    clock.advance(Duration::from_secs(70 * 60));
    rt.block_on(call(&handle)).expect("signed");
    assert_eq!(runs(), 3);
    assert_eq!(signed_with(&transport, "process-secret"), "ASIAPROCESS3");
}

#[cfg(unix)]
#[test]
fn credential_process_failures_stop_the_chain() {
    let server = runtime().block_on(MetadataServer::start());
    for (script, expected) in [
        (
            "#!/bin/sh\n\
             echo '{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"leaked-secret\"}'\n\
             echo 'the SSO session has expired: run aws sso login' >&2\n\
             exit 3\n",
            " --profile default` failed (exit status: 3): the SSO session has expired: run aws \
             sso login",
        ),
        (
            "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"leaked-secret\"'\n",
            " --profile default`: the answer is not JSON: EOF while parsing an object",
        ),
        (
            "#!/bin/sh\necho '{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"leaked-secret\"}'\n",
            " --profile default`: unsupported `Version` 2 (expected 1)",
        ),
    ] {
        let (home, script_path) = home_with_process(script);
        // A container endpoint is set up too: the chain must not get there.
        let chain = chain_with_home(
            &home,
            &[(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                &format!("{}/container/creds", server.base),
            )],
        );
        let err = provide(&chain).expect_err("the process fails");
        assert!(matches!(err, CredentialsError::ProviderError(_)), "{err:?}");
        let text = message(&err);
        assert!(
            text.starts_with(&format!(
                "profile `default`: credential_process `{}",
                script_path.display()
            )),
            "{text}"
        );
        assert!(text.contains(expected), "{text}");
        assert!(!text.contains("leaked-secret"), "{text}");
    }
    assert_eq!(server.count("/container/creds"), 0);
}

// ---------------------------------------------------------------------------
// A container credentials and IMDSv2 server on 127.0.0.1
// ---------------------------------------------------------------------------

/// What the server answers, and what it saw.
struct ServerState {
    clock: Clock,
    /// How long the credentials it hands out are valid, from the clock's time.
    lifetime: Duration,
    /// How long it waits before answering a credentials request.
    delay: Duration,
    /// The `Authorization` value the container endpoint requires, if any.
    container_token: Option<String>,
    /// Session tokens issued (IMDSv2).
    tokens: Mutex<Vec<String>>,
    requests: Mutex<Vec<Captured>>,
}

/// The credentials of the `n`th fetch from `source`.
fn credentials_json(source: &str, n: usize, expiration: SystemTime, token_key: &str) -> String {
    serde_json::json!({
        "Code": "Success",
        "AccessKeyId": format!("ASIA{source}{n}"),
        "SecretAccessKey": format!("{source}-secret"),
        token_key: format!("{source}-session-token"),
        "Expiration": rfc3339(expiration),
    })
    .to_string()
}

impl ServerState {
    /// How many requests for `path` arrived so far.
    fn count(&self, path: &str) -> usize {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|request| request.path == path)
            .count()
    }

    async fn answer(&self, request: &Captured) -> (u16, String) {
        // The request itself was recorded already: the first is number 0.
        let count = self.count(&request.path) - 1;
        let expiration = self.clock.now() + self.lifetime;
        match (request.method.as_str(), request.path.as_str()) {
            ("GET", "/container/creds") => {
                if let Some(token) = &self.container_token {
                    if request.header("authorization") != Some(token.as_str()) {
                        return (401, r#"{"message":"bad token"}"#.to_owned());
                    }
                }
                tokio::time::sleep(self.delay).await;
                (
                    200,
                    credentials_json("CONTAINER", count, expiration, "Token"),
                )
            }
            ("GET", "/container/broken") => (500, "the agent is restarting".to_owned()),
            ("GET", "/container/garbled") => (200, "<html>not json</html>".to_owned()),
            ("PUT", "/latest/api/token") => {
                if request.header("x-aws-ec2-metadata-token-ttl-seconds") != Some("21600") {
                    return (400, String::new());
                }
                let mut tokens = self.tokens.lock().unwrap();
                let token = format!("imds-session-{}", tokens.len() + 1);
                tokens.push(token.clone());
                (200, token)
            }
            ("GET", path) if path.starts_with("/latest/meta-data/") => {
                let token = request.header("x-aws-ec2-metadata-token").unwrap_or("");
                if !self.tokens.lock().unwrap().iter().any(|t| t == token) {
                    return (401, String::new());
                }
                match path {
                    "/latest/meta-data/iam/security-credentials/" => {
                        (200, "smithgen-role\n".to_owned())
                    }
                    "/latest/meta-data/iam/security-credentials/smithgen-role" => {
                        tokio::time::sleep(self.delay).await;
                        (200, credentials_json("IMDS", count, expiration, "Token"))
                    }
                    "/latest/meta-data/placement/region" => (200, "ap-southeast-2".to_owned()),
                    _ => (404, String::new()),
                }
            }
            // The service.
            ("POST", "/") => (200, "{}".to_owned()),
            _ => (404, String::new()),
        }
    }
}

/// The server: one task per connection, each request recorded before it is
/// answered. Stops when dropped.
struct MetadataServer {
    base: String,
    state: Arc<ServerState>,
    task: tokio::task::JoinHandle<()>,
}

impl MetadataServer {
    async fn start() -> Self {
        Self::start_with(
            Clock::new(),
            Duration::from_secs(3600),
            Duration::ZERO,
            None,
        )
        .await
    }

    async fn start_with(
        clock: Clock,
        lifetime: Duration,
        delay: Duration,
        container_token: Option<&str>,
    ) -> Self {
        use tokio::io::AsyncWriteExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let state = Arc::new(ServerState {
            clock,
            lifetime,
            delay,
            container_token: container_token.map(str::to_owned),
            tokens: Mutex::default(),
            requests: Mutex::default(),
        });
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let state = Arc::clone(&shared);
                tokio::spawn(async move {
                    let request = common::read_request(&mut stream).await;
                    state.requests.lock().unwrap().push(request.clone());
                    let (status, body) = state.answer(&request).await;
                    let response = format!(
                        "HTTP/1.1 {status} Test\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(response.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        MetadataServer { base, state, task }
    }

    fn count(&self, path: &str) -> usize {
        self.state.count(path)
    }

    #[cfg(feature = "default-client")]
    fn requests(&self) -> Vec<Captured> {
        self.state.requests.lock().unwrap().clone()
    }
}

impl Drop for MetadataServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[cfg(feature = "default-client")]
/// Runs `test` on a runtime of its own.
fn with_runtime<F: Future>(test: impl FnOnce() -> F) -> F::Output {
    runtime().block_on(test())
}

#[cfg(feature = "default-client")]
/// A client signing with `chain`'s credentials, sending the operation to the
/// server's `/`, reading time from `clock`.
fn client_of(server: &MetadataServer, chain: DefaultCredentialsChain, clock: &Clock) -> Handle {
    Handle::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(&server.base)
            .time_source(clock.clone())
            .retry_config(RetryConfig::disabled())
            .credentials_provider(chain)
            .build(),
    )
}

#[cfg(feature = "default-client")]
/// The access key id the last service request was signed with, checking
/// its signature against `secret`.
fn server_signed_with(server: &MetadataServer, secret: &str) -> String {
    let requests = server.requests();
    let last = requests
        .iter()
        .rev()
        .find(|request| request.method == "POST")
        .expect("a service request");
    assert_signed(last, secret).access_key_id
}

#[cfg(feature = "default-client")]
#[test]
fn container_credentials_are_fetched_again_after_they_expire() {
    with_runtime(|| async {
        let clock = Clock::new();
        let server = MetadataServer::start_with(
            clock.clone(),
            Duration::from_secs(15 * 60),
            Duration::ZERO,
            Some("container-auth-token"),
        )
        .await;
        let chain = chain(&[
            (
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                &format!("{}/container/creds", server.base),
            ),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-auth-token"),
        ]);
        let handle = client_of(&server, chain, &clock);

        call(&handle).await.expect("signed");
        assert_eq!(server.count("/container/creds"), 1);
        assert_eq!(
            server_signed_with(&server, "CONTAINER-secret"),
            "ASIACONTAINER0"
        );
        let service = server.requests().into_iter().find(|r| r.method == "POST");
        assert_eq!(
            service.unwrap().header("x-amz-security-token"),
            Some("CONTAINER-session-token")
        );
        // Five minutes later: still the cached credentials.
        clock.advance(Duration::from_secs(5 * 60));
        call(&handle).await.expect("signed");
        assert_eq!(server.count("/container/creds"), 1);
        // Past the expiry: fetched again before the request is signed.
        clock.advance(Duration::from_secs(11 * 60));
        call(&handle).await.expect("signed");
        assert_eq!(server.count("/container/creds"), 2);
        assert_eq!(
            server_signed_with(&server, "CONTAINER-secret"),
            "ASIACONTAINER1"
        );
        // The authorization token went to the endpoint, never to the service.
        for request in server.requests() {
            let expected = (request.path == "/container/creds").then_some("container-auth-token");
            if request.method == "GET" {
                assert_eq!(request.header("authorization"), expected);
            } else {
                assert_ne!(
                    request.header("authorization"),
                    Some("container-auth-token")
                );
            }
        }
    });
}

#[cfg(feature = "default-client")]
#[test]
fn concurrent_requests_share_one_fetch() {
    with_runtime(|| async {
        let clock = Clock::new();
        let server = MetadataServer::start_with(
            clock.clone(),
            Duration::from_secs(3600),
            Duration::from_millis(300),
            None,
        )
        .await;
        let chain = chain(&[(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            &format!("{}/container/creds", server.base),
        )]);
        let handle = Arc::new(client_of(&server, chain, &clock));
        let mut calls = tokio::task::JoinSet::new();
        for _ in 0..12 {
            let handle = Arc::clone(&handle);
            calls.spawn(async move { call(&handle).await });
        }
        while let Some(result) = calls.join_next().await {
            result.expect("the task").expect("signed");
        }
        assert_eq!(server.count("/container/creds"), 1);
        let service: Vec<_> = server
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST")
            .collect();
        assert_eq!(service.len(), 12);
        for request in &service {
            assert_eq!(
                assert_signed(request, "CONTAINER-secret").access_key_id,
                "ASIACONTAINER0"
            );
        }

        // After the expiry, concurrent requests again make one fetch.
        clock.advance(Duration::from_secs(2 * 3600));
        for _ in 0..12 {
            let handle = Arc::clone(&handle);
            calls.spawn(async move { call(&handle).await });
        }
        while let Some(result) = calls.join_next().await {
            result.expect("the task").expect("signed");
        }
        assert_eq!(server.count("/container/creds"), 2);
    });
}

#[cfg(feature = "default-client")]
#[test]
fn container_failures_stop_the_chain() {
    with_runtime(|| async {
        let server = MetadataServer::start().await;
        let full = |path: &str| format!("{}{path}", server.base);
        for (uri, expected) in [
            (
                full("/container/broken"),
                format!(
                    "container: {}/container/broken: answered HTTP 500: the agent is restarting",
                    server.base
                ),
            ),
            (
                full("/container/garbled"),
                format!(
                    "container: {}/container/garbled: the answer is not JSON: expected value at \
                     line 1 column 1",
                    server.base
                ),
            ),
        ] {
            // Instance metadata is "on" and points at this server: the chain
            // must stop before asking it.
            let provider = chain(&[
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
                ("AWS_EC2_METADATA_DISABLED", "false"),
                ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.base),
            ]);
            let err = provider
                .credentials()
                .await
                .expect_err("the endpoint fails");
            assert!(matches!(err, CredentialsError::ProviderError(_)), "{err:?}");
            assert_eq!(message(&err), expected);
        }
        assert_eq!(server.count("/latest/api/token"), 0);

        // Plain http to an address that is neither loopback nor ECS/EKS is
        // refused before anything is sent.
        let provider = chain(&[(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://192.0.2.10/creds",
        )]);
        let err = provider.credentials().await.expect_err("refused");
        assert!(
            matches!(err, CredentialsError::InvalidConfiguration(_)),
            "{err:?}"
        );
        assert!(
            message(&err).starts_with(
                "container: AWS_CONTAINER_CREDENTIALS_FULL_URI \"http://192.0.2.10/creds\" uses \
                 http to a host that is neither loopback nor an ECS/EKS address"
            ),
            "{}",
            message(&err)
        );

        // A wrong authorization token: the endpoint's 401, never the token.
        let guarded = MetadataServer::start_with(
            Clock::new(),
            Duration::from_secs(3600),
            Duration::ZERO,
            Some("the-right-token"),
        )
        .await;
        let provider = chain(&[
            (
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                &format!("{}/container/creds", guarded.base),
            ),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "a-wrong-token"),
        ]);
        let err = provider.credentials().await.expect_err("unauthorized");
        let text = message(&err);
        assert!(text.contains("answered HTTP 401"), "{text}");
        assert!(!text.contains("a-wrong-token"), "{text}");
    });
}

#[cfg(feature = "default-client")]
#[test]
fn instance_metadata_credentials_use_imdsv2_session_tokens() {
    with_runtime(|| async {
        let clock = Clock::new();
        let server = MetadataServer::start_with(
            clock.clone(),
            Duration::from_secs(3600),
            Duration::ZERO,
            None,
        )
        .await;
        // The server refuses metadata requests without a session token.
        let client = smithgen_runtime::http::HyperClient::new();
        let refused = smithgen_runtime::http::HttpClient::send(
            &client,
            smithgen_runtime::http::HttpRequest::new(
                "GET",
                format!("{}/latest/meta-data/iam/security-credentials/", server.base),
            ),
        )
        .await
        .expect("an answer");
        assert_eq!(refused.status(), 401);

        let chain = chain(&[
            ("AWS_EC2_METADATA_DISABLED", "false"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.base),
        ]);
        let handle = client_of(&server, chain, &clock);
        call(&handle).await.expect("signed");
        assert_eq!(server_signed_with(&server, "IMDS-secret"), "ASIAIMDS0");

        let metadata: Vec<_> = server
            .requests()
            .into_iter()
            .filter(|r| r.path.starts_with("/latest/"))
            .map(|r| {
                let token = r.header("x-aws-ec2-metadata-token").map(str::to_owned);
                (r.method, r.path, token)
            })
            .collect();
        let session = Some("imds-session-1".to_owned());
        assert_eq!(
            metadata[1..],
            [
                ("PUT".to_owned(), "/latest/api/token".to_owned(), None),
                (
                    "GET".to_owned(),
                    "/latest/meta-data/iam/security-credentials/".to_owned(),
                    session.clone()
                ),
                (
                    "GET".to_owned(),
                    "/latest/meta-data/iam/security-credentials/smithgen-role".to_owned(),
                    session
                ),
            ]
        );

        // Fresh for 55 minutes, then fetched anew, with a new session token.
        clock.advance(Duration::from_secs(54 * 60));
        call(&handle).await.expect("signed");
        assert_eq!(server.count("/latest/api/token"), 1);
        clock.advance(Duration::from_secs(2 * 60));
        call(&handle).await.expect("signed");
        assert_eq!(server.count("/latest/api/token"), 2);
        assert_eq!(server_signed_with(&server, "IMDS-secret"), "ASIAIMDS1");
        let last = server
            .requests()
            .into_iter()
            .rev()
            .find(|r| r.path.ends_with("/smithgen-role"))
            .unwrap();
        assert_eq!(
            last.header("x-aws-ec2-metadata-token"),
            Some("imds-session-2")
        );
    });
}

#[cfg(feature = "default-client")]
#[test]
fn instance_metadata_that_does_not_answer_leaves_the_chain_empty_quickly() {
    with_runtime(|| async {
        let silent = common::SilentServer::start().await;
        let chain = chain(&[
            ("AWS_EC2_METADATA_DISABLED", "false"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &silent.base),
        ]);
        let started = std::time::Instant::now();
        let err = chain.credentials().await.expect_err("no answer");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        assert!(matches!(err, CredentialsError::CredentialsNotLoaded(_)));
        assert!(
            message(&err).ends_with(&format!(
                "instance metadata: {}: no answer within 1s",
                silent.base
            )),
            "{}",
            message(&err)
        );
        // One token request, and never a request without a token (IMDSv1).
        assert_eq!(silent.request_count(), 1);
    });
}

// ---------------------------------------------------------------------------
// Through a client's own default chain and region lookup (process
// environment)
// ---------------------------------------------------------------------------

static ENV_LOCK: Mutex<()> = Mutex::new(());

/// Every variable the default chain and the region lookup read.
const VARS: [&str; 17] = [
    "HOME",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
];

/// Runs `test` with exactly `vars` among [`VARS`] set (instance metadata
/// off unless `vars` turns it on).
fn with_process_env<F: Future>(vars: &[(&str, &str)], test: impl FnOnce() -> F) -> F::Output {
    let _lock = ENV_LOCK.lock().unwrap_or_else(PoisonError::into_inner);
    let _restore = common::SavedEnv::clear(&VARS);
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    for (name, value) in vars {
        std::env::set_var(name, value);
    }
    runtime().block_on(test())
}

#[test]
fn the_no_credentials_error_lists_every_source() {
    let home = TempDir::new("empty-home");
    with_process_env(&[("HOME", home.str()), ("AWS_PROFILE", "dev")], || async {
        let transport = Scripted::new(vec![Step::Respond(200, "{}")]);
        let handle = Handle::new(
            Config::builder()
                .region("us-east-1")
                .http_client(transport.clone())
                .build(),
        );
        let err = call(&handle).await.expect_err("no credentials");
        let text = construction_message(&err);
        let aws = home.path().join(".aws");
        assert_eq!(
            text,
            format!(
                "no credentials are configured to sign TestService.Describe requests with, \
                     and the default chain found none (environment: AWS_ACCESS_KEY_ID is not \
                     set; profile `dev`: no such section in {} (no such file) or {} (no such \
                     file); container: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor \
                     AWS_CONTAINER_CREDENTIALS_FULL_URI is set; instance metadata: disabled by \
                     AWS_EC2_METADATA_DISABLED): set them with `Config::builder().credentials(..)` \
                     or `.credentials_provider(..)` (aws-config's providers plug in there, for \
                     SSO, assumed roles and web identity), or with the AWS_ACCESS_KEY_ID and \
                     AWS_SECRET_ACCESS_KEY environment variables, or a profile in \
                     ~/.aws/credentials",
                aws.join("credentials").display(),
                aws.join("config").display()
            )
        );
        // Nothing was sent.
        assert!(transport.requests().is_empty());
    });
}

#[test]
fn a_client_reads_the_profile_of_aws_profile_for_credentials_and_region() {
    let home = home_with_profiles();
    with_process_env(&[("HOME", home.str()), ("AWS_PROFILE", "dev")], || async {
        let transport = Scripted::new(vec![Step::Respond(200, "{}")]);
        let handle = Handle::new(Config::builder().http_client(transport.clone()).build());
        call(&handle).await.expect("signed");
        let request = &transport.requests()[0];
        assert_eq!(request.uri, "https://testsvc.eu-west-1.amazonaws.com/");
        let auth = assert_signed(&Captured::from_request(request), "dev-secret");
        assert_eq!(auth.access_key_id, "AKIDDEVCREDS");
        assert_eq!(auth.region, "eu-west-1");
        assert_eq!(request.header("x-amz-security-token"), Some("dev-token"));

        // AWS_REGION wins over the profile's region.
        std::env::set_var("AWS_REGION", "ca-central-1");
        let handle = Handle::new(Config::builder().http_client(transport.clone()).build());
        call(&handle).await.expect("signed");
        assert_eq!(
            transport.requests()[1].uri,
            "https://testsvc.ca-central-1.amazonaws.com/"
        );
    });
}

#[cfg(feature = "default-client")]
#[test]
fn the_region_comes_from_instance_metadata_once() {
    let home = TempDir::new("region-home");
    with_process_env(
        &[("HOME", home.str()), ("AWS_EC2_METADATA_DISABLED", "false")],
        || async {
            let server = MetadataServer::start().await;
            std::env::set_var("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.base);
            let handle = Handle::new(
                Config::builder()
                    .endpoint_url(&server.base)
                    .credentials(Credentials::new("AKID", "region-secret", None))
                    .build(),
            );
            call(&handle).await.expect("signed");
            call(&handle).await.expect("signed");
            let auth = assert_signed(
                server
                    .requests()
                    .iter()
                    .rev()
                    .find(|r| r.method == "POST")
                    .unwrap(),
                "region-secret",
            );
            assert_eq!(auth.region, "ap-southeast-2");
            // Asked once, with a session token.
            assert_eq!(server.count("/latest/api/token"), 1);
            assert_eq!(server.count("/latest/meta-data/placement/region"), 1);
            let region_request = server
                .requests()
                .into_iter()
                .find(|r| r.path == "/latest/meta-data/placement/region")
                .unwrap();
            assert_eq!(
                region_request.header("x-aws-ec2-metadata-token"),
                Some("imds-session-1")
            );
        },
    );
}

#[test]
fn without_a_region_instance_metadata_is_named_in_the_error() {
    let home = TempDir::new("no-region-home");
    with_process_env(&[("HOME", home.str())], || async {
        let transport = Scripted::new(vec![Step::Respond(200, "{}")]);
        let handle = Handle::new(
            Config::builder()
                .endpoint_url("http://127.0.0.1:9")
                .credentials(Credentials::new("AKID", "SECRET", None))
                .http_client(transport.clone())
                .build(),
        );
        let err = call(&handle).await.expect_err("no region");
        let text = construction_message(&err);
        assert!(text.contains("no region is configured to sign"), "{text}");
        assert!(
            text.ends_with("; instance metadata: disabled by AWS_EC2_METADATA_DISABLED"),
            "{text}"
        );
        assert!(transport.requests().is_empty());
    });
}

// ---------------------------------------------------------------------------
// Secrets stay out of Debug output
// ---------------------------------------------------------------------------

#[test]
fn debug_output_never_shows_secrets() {
    let home = home_with_profiles();
    let chain = chain_with_home(&home, &[("AWS_PROFILE", "dev")]);
    let clock = Clock::new();
    let (handle, transport) = client(chain.clone(), &clock);
    runtime().block_on(call(&handle)).expect("signed");
    let credentials = provide(&chain).expect("dev");
    let printed = [
        format!("{credentials:?}"),
        format!("{credentials:#?}"),
        format!("{chain:?}"),
        format!("{handle:?}"),
        format!("{handle:#?}"),
        format!("{:?}", handle.config()),
        format!("{:?}", transport.requests()),
    ];
    for text in &printed {
        for secret in ["dev-secret", "dev-token"] {
            assert!(!text.contains(secret), "{secret} shows: {text}");
        }
    }
    // The handle shows the cached credentials' key id.
    assert!(printed[3].contains("AKIDDEVCREDS"), "{}", printed[3]);
}
