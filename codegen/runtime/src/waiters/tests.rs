//! The delay schedule of the specification and the waiting loop, driven by a
//! scripted operation with a fake clock and timer.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Instant;

use super::*;
use crate::config::Config;
use crate::error::ErrorMetadata;
use crate::test_support::block_on;
use crate::time::{AsyncSleep, Sleep, ThreadSleep, TimeSource};

// ---------------------------------------------------------------------------
// Backoff
// ---------------------------------------------------------------------------

#[test]
fn attempt_ceiling_is_where_the_exponential_delay_would_pass_max_delay() {
    // (log(maxDelay / minDelay) / log(2)) + 1, and how many retries are
    // strictly below it.
    for (min, max, ceiling) in [
        (2, 120, 6),  // 6.9
        (20, 120, 3), // 3.6
        (1, 300, 9),  // 9.2
        (5, 1560, 9), // 9.3
        (3, 120, 6),  // 6.3
        (2, 128, 7),  // exactly 7: 2 * 2^6 = 128
        (1, 1, 1),    // linear
        (30, 30, 1),  // linear
    ] {
        let backoff = Backoff::new(min, max);
        let by_spec = ((max as f64 / min as f64).ln() / 2f64.ln()) + 1.0;
        assert_eq!(backoff.attempt_ceiling(), ceiling, "{min}..{max}");
        // `attempt > attemptCeiling` in the specification's floats agrees.
        for attempt in 1..40u32 {
            assert_eq!(
                attempt as f64 > by_spec + 1e-9,
                attempt > backoff.attempt_ceiling(),
                "{min}..{max}, attempt {attempt}"
            );
        }
    }
}

#[test]
fn ceilings_double_from_min_delay_up_to_max_delay() {
    let backoff = Backoff::new(2, 120);
    let ceilings: Vec<u64> = (1..=9).map(|attempt| backoff.ceiling(attempt)).collect();
    assert_eq!(ceilings, [2, 4, 8, 16, 32, 64, 120, 120, 120]);
    let lambda = Backoff::new(1, 300);
    assert_eq!(lambda.ceiling(9), 256);
    assert_eq!(lambda.ceiling(10), 300);
    // No overflow however many retries.
    assert_eq!(lambda.ceiling(u32::MAX), 300);
    assert_eq!(Backoff::new(u64::MAX / 2, u64::MAX).ceiling(3), u64::MAX);
    // Linear backoff when both are equal.
    let linear = Backoff::new(5, 5);
    assert!((1..20).all(|attempt| linear.ceiling(attempt) == 5));
    // Out-of-range settings are brought into range.
    assert_eq!(Backoff::new(0, 0), Backoff::new(1, 1));
    assert_eq!(Backoff::new(10, 3), Backoff::new(10, 10));
}

/// The example of the specification: minDelay 2, maxDelay 120, a maximum
/// wait of 300 s, requests taking no time, and the random picks of its
/// table. The thirteenth retry takes the 4 s left and is the last.
#[test]
fn the_specifications_example_schedule() {
    let backoff = Backoff::new(2, 120);
    let picks = [2, 3, 6, 6, 22, 62, 43, 24, 71, 42, 9, 6, 100];
    let expected = [
        // (delay, cumulative, remaining after it)
        (2, 2, 298),
        (3, 5, 295),
        (6, 11, 289),
        (6, 17, 283),
        (22, 39, 261),
        (62, 101, 199),
        (43, 144, 156),
        (24, 168, 132),
        (71, 239, 61),
        (42, 281, 19),
        (9, 290, 10),
        (6, 296, 4),
        (4, 300, 0),
    ];
    let max_wait = Duration::from_secs(300);
    let mut elapsed = Duration::ZERO;
    for (i, (pick, (delay, cumulative, remaining))) in picks.iter().zip(expected).enumerate() {
        let attempt = i as u32 + 1;
        let (got, last) = backoff.delay(attempt, max_wait - elapsed, |low, high| {
            assert_eq!(
                (low, high),
                (2, backoff.ceiling(attempt)),
                "attempt {attempt}"
            );
            *pick
        });
        elapsed += got;
        assert_eq!(got, Duration::from_secs(delay), "attempt {attempt}");
        assert_eq!(
            elapsed,
            Duration::from_secs(cumulative),
            "attempt {attempt}"
        );
        assert_eq!(max_wait - elapsed, Duration::from_secs(remaining));
        assert_eq!(last, attempt == 13, "attempt {attempt}");
    }
}

#[test]
fn a_delay_never_reaches_past_the_remaining_time() {
    let backoff = Backoff::new(2, 120);
    // What would be left after the delay is minDelay or less: take it all.
    assert_eq!(
        backoff.delay(1, Duration::from_secs(4), |low, _| low),
        (Duration::from_secs(4), true)
    );
    assert_eq!(
        backoff.delay(7, Duration::from_millis(30_500), |_, high| high),
        (Duration::from_millis(30_500), true)
    );
    assert_eq!(
        backoff.delay(1, Duration::from_millis(500), |low, _| low),
        (Duration::from_millis(500), true)
    );
    // More than minDelay would be left: the picked delay.
    assert_eq!(
        backoff.delay(1, Duration::from_millis(4_001), |low, _| low),
        (Duration::from_secs(2), false)
    );
    // A pick out of bounds is brought back within them.
    assert_eq!(
        backoff.delay(2, Duration::from_secs(100), |_, _| 1_000),
        (Duration::from_secs(4), false)
    );
    assert_eq!(
        backoff.delay(2, Duration::from_secs(100), |_, _| 0),
        (Duration::from_secs(2), false)
    );
}

#[test]
fn random_picks_cover_both_bounds() {
    let picks: Vec<u64> = (0..5_000).map(|_| random_between(2, 8)).collect();
    assert!(picks.iter().all(|p| (2..=8).contains(p)));
    for value in 2..=8 {
        assert!(picks.contains(&value), "{value} never picked");
    }
    assert_eq!(random_between(5, 5), 5);
    let wide: Vec<u64> = (0..100).map(|_| random_between(0, u64::MAX)).collect();
    assert!(wide.iter().any(|pick| *pick > u64::MAX / 4));
}

// ---------------------------------------------------------------------------
// The waiting loop
// ---------------------------------------------------------------------------

/// A clock that moves only when told to.
#[derive(Debug, Clone)]
struct FakeClock(Arc<Mutex<SystemTime>>);

impl FakeClock {
    fn new() -> Self {
        Self(Arc::new(Mutex::new(
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        )))
    }

    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl TimeSource for FakeClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
}

/// A timer that ends every sleep at once, moving the clock by its length,
/// and notes when each started (time since the clock's start) and how long
/// it was.
#[derive(Debug, Clone)]
struct FakeSleep {
    clock: FakeClock,
    start: SystemTime,
    sleeps: Arc<Mutex<Vec<(Duration, Duration)>>>,
}

impl FakeSleep {
    fn new(clock: &FakeClock) -> Self {
        Self {
            clock: clock.clone(),
            start: clock.now(),
            sleeps: Arc::default(),
        }
    }

    fn sleeps(&self) -> Vec<(Duration, Duration)> {
        self.sleeps.lock().unwrap().clone()
    }
}

impl AsyncSleep for FakeSleep {
    fn sleep(&self, duration: Duration) -> Sleep {
        let this = self.clone();
        Box::pin(async move {
            let at = this.clock.now().duration_since(this.start).unwrap();
            this.sleeps.lock().unwrap().push((at, duration));
            this.clock.advance(duration);
        })
    }
}

/// A stand-in for an operation's error enum.
#[derive(Debug)]
struct ThingError(ErrorMetadata);

impl fmt::Display for ThingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0.code())
    }
}

impl Error for ThingError {}

impl ProvideErrorMetadata for ThingError {
    fn meta(&self) -> &ErrorMetadata {
        &self.0
    }
}

/// What one poll answers: a status, an error with a code, or nothing ever.
#[derive(Debug, Clone)]
enum Answer {
    Status(&'static str),
    Error(&'static str),
    Never,
}

/// The "input": the answers still to give and how long each poll takes.
#[derive(Debug, Clone)]
struct Script {
    answers: Arc<Mutex<VecDeque<Answer>>>,
    /// Answer once the script is used up.
    then: Answer,
    clock: Option<FakeClock>,
    takes: Duration,
    sent: Arc<Mutex<Vec<SystemTime>>>,
}

impl Script {
    fn new(answers: impl IntoIterator<Item = Answer>, then: Answer) -> Self {
        Self {
            answers: Arc::new(Mutex::new(answers.into_iter().collect())),
            then,
            clock: None,
            takes: Duration::ZERO,
            sent: Arc::default(),
        }
    }

    fn polls(&self) -> usize {
        self.sent.lock().unwrap().len()
    }
}

fn send(handle: Arc<Handle>, script: Script) -> SendFuture<String, ThingError> {
    script.sent.lock().unwrap().push(handle.time_source().now());
    if let Some(clock) = &script.clock {
        clock.advance(script.takes);
    }
    let answer = script
        .answers
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or_else(|| script.then.clone());
    Box::pin(async move {
        match answer {
            Answer::Status(status) => Ok(status.to_owned()),
            Answer::Error(code) => Err(SdkError::service_error(
                ThingError(ErrorMetadata::builder().code(code).build()),
                crate::http::HttpResponse::new(400, Vec::new(), Vec::new()),
            )),
            Answer::Never => std::future::pending().await,
        }
    })
}

/// `ThingReady`: success on `READY`, failure on `BROKEN`, retry on
/// `NotFound`.
fn acceptors(_: &Script, result: &SendResult<String, ThingError>) -> Option<AcceptorState> {
    if matches!(result, Ok(status) if status == "READY") {
        return Some(AcceptorState::Success);
    }
    if matches!(result, Ok(status) if status == "BROKEN") {
        return Some(AcceptorState::Failure);
    }
    if error_type_is(result, "NotFound") {
        return Some(AcceptorState::Retry);
    }
    None
}

/// `ThingGone`: success on the error `NotFound`.
fn gone(_: &Script, result: &SendResult<String, ThingError>) -> Option<AcceptorState> {
    error_type_is(result, "NotFound").then_some(AcceptorState::Success)
}

static THING_READY: WaiterSpec = WaiterSpec {
    name: "ThingReady",
    min_delay: 2,
    max_delay: 120,
};

/// A handle on the fake clock and timer.
fn fake_handle() -> (Arc<Handle>, FakeClock, FakeSleep) {
    let clock = FakeClock::new();
    let sleep = FakeSleep::new(&clock);
    let config = Config::builder()
        .time_source(clock.clone())
        .sleep_impl(sleep.clone())
        .build();
    (Arc::new(Handle::new(config)), clock, sleep)
}

/// Waits on `script` with the waiter `ThingReady` (or other `acceptors`).
fn run(
    handle: &Arc<Handle>,
    script: &Script,
    max_wait: Duration,
    acceptors: fn(&Script, &SendResult<String, ThingError>) -> Option<AcceptorState>,
) -> WaitFuture<String, ThingError> {
    wait(
        Arc::clone(handle),
        &THING_READY,
        Ok(script.clone()),
        max_wait,
        send,
        acceptors,
    )
}

/// Every sleep lies within the bounds of its retry and ends by the deadline.
fn assert_sleeps_within_bounds(sleeps: &[(Duration, Duration)], max_wait: Duration) {
    let backoff = Backoff::new(THING_READY.min_delay, THING_READY.max_delay);
    for (i, (at, delay)) in sleeps.iter().enumerate() {
        let attempt = i as u32 + 1;
        let remaining = max_wait - *at;
        assert!(
            *at + *delay <= max_wait,
            "sleep {attempt} ends past the deadline"
        );
        if *delay != remaining {
            assert!(
                *delay >= Duration::from_secs(THING_READY.min_delay)
                    && *delay <= Duration::from_secs(backoff.ceiling(attempt)),
                "sleep {attempt}: {delay:?}"
            );
            assert!(remaining - *delay > Duration::from_secs(THING_READY.min_delay));
        }
    }
}

#[test]
fn success_after_retries_returns_the_final_output() {
    let (handle, _, sleep) = fake_handle();
    let script = Script::new(
        [
            Answer::Error("NotFound"),
            Answer::Status("CREATING"),
            Answer::Status("CREATING"),
        ],
        Answer::Status("READY"),
    );
    let max_wait = Duration::from_secs(600);
    let done = block_on(run(&handle, &script, max_wait, acceptors)).expect("ready");
    assert_eq!(done.as_result().ok().map(String::as_str), Some("READY"));
    assert_eq!(script.polls(), 4);
    let sleeps = sleep.sleeps();
    assert_eq!(sleeps.len(), 3);
    assert_sleeps_within_bounds(&sleeps, max_wait);
    // A poll follows each sleep at once.
    let sent = script.sent.lock().unwrap().clone();
    for (poll, (at, delay)) in sent[1..].iter().zip(&sleeps) {
        assert_eq!(
            poll.duration_since(sent[0]).unwrap(),
            *at + *delay,
            "{sleeps:?}"
        );
    }
}

#[test]
fn a_failure_acceptor_ends_the_wait_with_the_response() {
    let (handle, _, sleep) = fake_handle();
    let script = Script::new([Answer::Status("CREATING")], Answer::Status("BROKEN"));
    let err = block_on(run(&handle, &script, Duration::from_secs(600), acceptors)).unwrap_err();
    let WaiterError::FailureState(failure) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(
        failure.final_poll().as_result().ok().map(String::as_str),
        Some("BROKEN")
    );
    assert!(err.source().is_none());
    assert_eq!(err.to_string(), "the waiter reached a failure state");
    assert_eq!(script.polls(), 2);
    assert_eq!(sleep.sleeps().len(), 1);
}

#[test]
fn an_error_no_acceptor_expects_ends_the_wait() {
    let (handle, _, sleep) = fake_handle();
    let script = Script::new([Answer::Error("NotFound")], Answer::Error("AccessDenied"));
    let err = block_on(run(&handle, &script, Duration::from_secs(600), acceptors)).unwrap_err();
    let WaiterError::OperationFailed(failed) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(
        failed.error().as_service_error().and_then(|e| e.code()),
        Some("AccessDenied")
    );
    assert!(err.source().is_some());
    assert_eq!(script.polls(), 2);
    assert_eq!(sleep.sleeps().len(), 1);
}

#[test]
fn an_error_an_acceptor_expects_can_be_success() {
    let (handle, _, _) = fake_handle();
    let script = Script::new([Answer::Status("DELETING")], Answer::Error("NotFound"));
    let done = block_on(run(&handle, &script, Duration::from_secs(600), gone)).expect("gone");
    assert!(done.is_err());
    let err = done.into_result().unwrap_err();
    assert_eq!(
        err.as_service_error().and_then(|e| e.code()),
        Some("NotFound")
    );
    assert_eq!(script.polls(), 2);
}

#[test]
fn the_maximum_wait_cuts_off_with_a_last_poll_at_the_deadline() {
    let (handle, _, sleep) = fake_handle();
    let script = Script::new([], Answer::Status("CREATING"));
    let max_wait = Duration::from_secs(60);
    let err = block_on(run(&handle, &script, max_wait, acceptors)).unwrap_err();
    let WaiterError::ExceededMaxWait(exceeded) = err else {
        panic!("{err:?}");
    };
    let sleeps = sleep.sleeps();
    assert_sleeps_within_bounds(&sleeps, max_wait);
    // The sleeps add up to the maximum wait exactly, the last one taking
    // what remained; the last poll is sent at the deadline.
    let total: Duration = sleeps.iter().map(|(_, delay)| *delay).sum();
    assert_eq!(total, max_wait);
    let sent = script.sent.lock().unwrap().clone();
    assert_eq!(
        sent.last().unwrap().duration_since(sent[0]).unwrap(),
        max_wait
    );
    assert_eq!(exceeded.max_wait(), max_wait);
    assert_eq!(exceeded.elapsed(), max_wait);
    assert_eq!(exceeded.poll_count() as usize, script.polls());
    assert_eq!(script.polls(), sleeps.len() + 1);
}

#[test]
fn slow_polls_count_against_the_maximum_wait() {
    let (handle, clock, sleep) = fake_handle();
    let mut script = Script::new([], Answer::Status("CREATING"));
    script.clock = Some(clock);
    script.takes = Duration::from_secs(7);
    let max_wait = Duration::from_secs(100);
    let err = block_on(run(&handle, &script, max_wait, acceptors)).unwrap_err();
    let WaiterError::ExceededMaxWait(exceeded) = err else {
        panic!("{err:?}");
    };
    let sleeps = sleep.sleeps();
    assert_sleeps_within_bounds(&sleeps, max_wait);
    // Each poll took 7 s. The last is sent by the deadline (at it, or
    // earlier when the poll before it ran into it: the delays are random)
    // and the wait ends when that poll does, at or after the deadline;
    // every second until then went to sleeps and to the polls before it.
    let sent = script.sent.lock().unwrap().clone();
    let last_sent = sent.last().unwrap().duration_since(sent[0]).unwrap();
    assert!(last_sent <= max_wait, "last poll sent {last_sent:?} in");
    assert_eq!(exceeded.elapsed(), last_sent + Duration::from_secs(7));
    assert!(exceeded.elapsed() >= max_wait);
    assert_eq!(
        sleeps.iter().map(|(_, d)| *d).sum::<Duration>()
            + Duration::from_secs(7) * (script.polls() as u32 - 1),
        last_sent
    );
}

#[test]
fn a_poll_in_flight_when_the_time_is_up_is_cancelled() {
    // Real time: a poll that never answers, and 50 ms to wait.
    let config = Config::builder().sleep_impl(ThreadSleep).build();
    let handle = Arc::new(Handle::new(config));
    let script = Script::new([], Answer::Never);
    let started = Instant::now();
    let err = block_on(run(&handle, &script, Duration::from_millis(50), acceptors)).unwrap_err();
    let WaiterError::ExceededMaxWait(exceeded) = err else {
        panic!("{err:?}");
    };
    assert!(started.elapsed() >= Duration::from_millis(50));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(exceeded.poll_count(), 1);
    assert!(exceeded.elapsed() >= Duration::from_millis(50));
}

#[test]
fn an_input_that_does_not_build_sends_nothing() {
    let (handle, _, sleep) = fake_handle();
    let script = Script::new([], Answer::Status("READY"));
    let err = block_on(wait(
        handle,
        &THING_READY,
        Err::<Script, _>(BuildError::missing_field("name", "a name is required")),
        Duration::from_secs(60),
        send,
        acceptors,
    ))
    .unwrap_err();
    assert!(
        matches!(err, WaiterError::ConstructionFailure(_)),
        "{err:?}"
    );
    assert!(err.source().unwrap().to_string().contains("name"));
    assert_eq!(script.polls(), 0);
    assert!(sleep.sleeps().is_empty());
}

#[test]
fn error_type_matches_service_errors_by_code_only() {
    let not_found: SendResult<String, ThingError> = Err(SdkError::service_error(
        ThingError(ErrorMetadata::builder().code("NotFound").build()),
        crate::http::HttpResponse::new(404, Vec::new(), Vec::new()),
    ));
    assert!(error_type_is(&not_found, "NotFound"));
    assert!(!error_type_is(&not_found, "Gone"));
    let ok: SendResult<String, ThingError> = Ok("NotFound".to_owned());
    assert!(!error_type_is(&ok, "NotFound"));
    let timeout: SendResult<String, ThingError> = Err(SdkError::timeout_error("slow"));
    assert!(!error_type_is(&timeout, "NotFound"));
}

#[test]
fn final_polls_map_and_borrow() {
    let poll: FinalPoll<u32, String> = FinalPoll::new(Ok(2));
    assert!(poll.is_ok() && !poll.is_err());
    assert_eq!(poll.as_result(), Ok(&2));
    assert_eq!(poll.map(|n| n * 10).into_result(), Ok(20));
    let poll: FinalPoll<u32, String> = FinalPoll::new(Err("gone".to_owned()));
    assert_eq!(poll.map(|n| n + 1).into_result(), Err("gone".to_owned()));
}
