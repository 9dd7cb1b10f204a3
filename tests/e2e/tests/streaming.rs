//! End to end: `@streaming` payloads both ways, over real HTTP, against a
//! moto server started on 127.0.0.1 for this test (install it with
//! `./tests/setup-moto`), with the Glacier and Polly clients `build.rs`
//! generated from the current AWS models.
//!
//! Glacier: a vault is created (its account id left unset, sent as `-`),
//! an archive of a few MiB is uploaded streamed from a file with its
//! SHA-256 and tree hash, an archive-retrieval job is started and waited
//! for, its output is read as a stream chunk by chunk and compared with the
//! file, and the archive and vault are deleted. Polly: speech is
//! synthesized and read as a stream. The calls are signed with the profile
//! the clients' default chain reads (see `support::use_profile_files`),
//! through a transport that notes what each streamed request looked like.

#[allow(dead_code)]
mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use smithgen_e2e::{glacier, polly};
use smithgen_runtime::http::{
    HttpClient, HttpFuture, HttpRequest, HyperClient, StreamingFuture, StreamingRequest,
};
use smithgen_runtime::primitives::ByteStream;
use support::{ok, passed, MotoServer};

/// What the transport saw of one streamed request.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    uri: String,
    headers: Vec<(String, String)>,
    /// The body's length, when known before it was sent.
    length: Option<u64>,
    /// Whether the body was in memory (else it was read as it was sent).
    in_memory: bool,
    stream_response: bool,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// The default transport, noting each request that goes through
/// `send_streaming`.
#[derive(Debug, Clone, Default)]
struct StreamRecorder {
    inner: Arc<HyperClient>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl StreamRecorder {
    /// The last streamed request sent.
    fn last(&self) -> Seen {
        self.seen
            .lock()
            .expect("lock")
            .last()
            .cloned()
            .expect("a streamed request was sent")
    }
}

impl HttpClient for StreamRecorder {
    fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
        self.inner.send(request)
    }

    fn send_streaming(&self, request: StreamingRequest) -> StreamingFuture<'_> {
        let length = match request.body.size_hint() {
            (low, Some(high)) if low == high => Some(low),
            _ => None,
        };
        self.seen.lock().expect("lock").push(Seen {
            method: request.method.clone(),
            uri: request.uri.clone(),
            headers: request.headers.clone(),
            length,
            in_memory: request.body.bytes().is_some(),
            stream_response: request.stream_response,
        });
        self.inner.send_streaming(request)
    }
}

/// A configuration pointed at moto, sending through `transport`; region and
/// credentials come from the test's profile.
fn config(url: &str, transport: &StreamRecorder) -> smithgen_runtime::Config {
    smithgen_runtime::Config::builder()
        .endpoint_url(url)
        .http_client(transport.clone())
        .build()
}

/// Bytes that do not repeat on MiB boundaries, so that a chunk out of place
/// would show.
fn archive_bytes(len: usize) -> Vec<u8> {
    let mut state: u32 = 0x2545_f491;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test(flavor = "current_thread")]
async fn glacier_archive_streams_both_ways() {
    support::use_profile_files();
    let server = MotoServer::start();
    let transport = StreamRecorder::default();
    let client = glacier::Client::from_conf(config(server.url(), &transport));
    let vault = "smithgen-streams";

    ok(
        "CreateVault",
        client.create_vault().vault_name(vault).send().await,
    );
    passed(
        "Glacier CreateVault",
        format!("{vault}, account id left to `-`"),
    );

    // Three MiB and a bit: four tree-hash chunks, the last one short.
    let data = archive_bytes(3 * 1024 * 1024 + 4321);
    let path = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("glacier-archive-{}.bin", std::process::id()));
    std::fs::write(&path, &data).expect("write the archive file");
    let body = ByteStream::from_path(&path).await.expect("open the file");
    let uploaded = ok(
        "UploadArchive",
        client
            .upload_archive()
            .vault_name(vault)
            .archive_description("streamed from a file")
            .body(body)
            .send()
            .await,
    );
    std::fs::remove_file(&path).ok();
    let upload = transport.last();
    assert_eq!(upload.method, "POST");
    assert!(
        upload.uri.ends_with("/-/vaults/smithgen-streams/archives"),
        "{}",
        upload.uri
    );
    assert!(!upload.in_memory, "the file is sent as it is read");
    assert_eq!(upload.length, Some(data.len() as u64));
    assert_eq!(
        upload.header("content-length"),
        Some(data.len().to_string().as_str())
    );
    assert_eq!(upload.header("x-amz-glacier-version"), Some("2012-06-01"));
    let tree_hash = hex(&smithgen_runtime::body_hash::tree_hash(&data));
    assert_eq!(
        upload.header("x-amz-sha256-tree-hash"),
        Some(tree_hash.as_str())
    );
    let content_sha256 = upload
        .header("x-amz-content-sha256")
        .expect("the upload carries its SHA-256")
        .to_owned();
    // moto answers with the SHA-256 of the body it received, computed by
    // Python's hashlib: the file arrived whole, and the hash sent (and
    // signed) is its own.
    assert_eq!(uploaded.checksum(), Some(content_sha256.as_str()));
    assert_ne!(content_sha256, tree_hash, "several chunks hash differently");
    let authorization = upload.header("authorization").expect("signed");
    assert!(
        authorization.contains("/glacier/aws4_request"),
        "{authorization}"
    );
    let archive_id = uploaded
        .archive_id()
        .expect("UploadArchive returns the archive id")
        .to_owned();
    passed(
        "Glacier UploadArchive",
        format!(
            "{} bytes streamed from a file, tree hash {tree_hash}, SHA-256 {content_sha256} confirmed by moto",
            data.len()
        ),
    );

    let job = ok(
        "InitiateJob",
        client
            .initiate_job()
            .vault_name(vault)
            .job_parameters(
                glacier::types::JobParameters::builder()
                    .r#type("archive-retrieval")
                    .archive_id(&archive_id)
                    .tier("Expedited")
                    .build(),
            )
            .send()
            .await,
    );
    let job_id = job
        .job_id()
        .expect("InitiateJob returns the job id")
        .to_owned();
    passed(
        "Glacier InitiateJob",
        format!("archive-retrieval job {job_id}"),
    );

    // moto finishes an expedited job two seconds after it starts.
    let started = Instant::now();
    loop {
        let described = ok(
            "DescribeJob",
            client
                .describe_job()
                .vault_name(vault)
                .job_id(&job_id)
                .send()
                .await,
        );
        if described.completed() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the job did not complete: {described:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    passed(
        "Glacier DescribeJob",
        format!("completed after {:?}", started.elapsed()),
    );

    let mut output = ok(
        "GetJobOutput",
        client
            .get_job_output()
            .vault_name(vault)
            .job_id(&job_id)
            .send()
            .await,
    );
    let request = transport.last();
    assert_eq!(request.method, "GET");
    assert!(request.stream_response, "the output is read as a stream");
    assert_eq!(output.status(), 200);
    assert_eq!(output.content_type(), Some("application/octet-stream"));
    let mut received = Vec::with_capacity(data.len());
    let mut chunks = 0;
    while let Some(chunk) = output.body.next().await {
        let chunk = chunk.expect("the job output reads");
        received.extend_from_slice(&chunk);
        chunks += 1;
    }
    assert_eq!(received.len(), data.len());
    assert!(received == data, "the job output differs from the archive");
    assert!(chunks > 1, "read in {chunks} chunks");
    passed(
        "Glacier GetJobOutput",
        format!(
            "{} bytes read as a stream in {chunks} chunks, equal to the file",
            received.len()
        ),
    );

    ok(
        "DeleteArchive",
        client
            .delete_archive()
            .vault_name(vault)
            .archive_id(&archive_id)
            .send()
            .await,
    );
    ok(
        "DeleteVault",
        client.delete_vault().vault_name(vault).send().await,
    );
    passed("Glacier DeleteArchive and DeleteVault", vault);
}

#[tokio::test(flavor = "current_thread")]
async fn polly_speech_is_read_as_a_stream() {
    support::use_profile_files();
    let server = MotoServer::start();
    let transport = StreamRecorder::default();
    let client = polly::Client::from_conf(config(server.url(), &transport));
    let speech = ok(
        "SynthesizeSpeech",
        client
            .synthesize_speech()
            .output_format(polly::types::OutputFormat::Mp3)
            .text("Hello from a generated client.")
            .voice_id(polly::types::VoiceId::Joanna)
            .send()
            .await,
    );
    let request = transport.last();
    assert_eq!(request.method, "POST");
    assert!(request.uri.ends_with("/v1/speech"), "{}", request.uri);
    assert!(request.stream_response && request.in_memory);
    assert_eq!(speech.content_type(), Some("audio/mpeg"));
    let audio = speech
        .audio_stream
        .collect()
        .await
        .expect("the audio reads")
        .into_bytes();
    // moto's audio: eight zero bytes.
    assert_eq!(&audio[..], &[0u8; 8]);
    passed(
        "Polly SynthesizeSpeech",
        format!("{} bytes of audio/mpeg read as a stream", audio.len()),
    );
}
