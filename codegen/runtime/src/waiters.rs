//! Waiters: polling an operation until a resource reaches a desired state,
//! as the Smithy waiters specification (`smithy.waiters#waitable`) defines
//! them.
//!
//! A generated `wait_until_<name>()` (from the crate's `client::Waiters`
//! trait) returns a fluent builder with the operation's input setters; its
//! `wait(max_wait)` calls [`wait`], which:
//!
//! 1. sends the operation with the input built once;
//! 2. runs the waiter's acceptors, in the model's order, over the result
//!    (compiled into the generated crate): the first that matches decides the
//!    next state. `Success` ends the wait with the [`FinalPoll`], `Failure`
//!    with [`WaiterError::FailureState`], `Retry` polls again. When none
//!    matches, an error ends the wait ([`WaiterError::OperationFailed`]) and
//!    an output polls again;
//! 3. before polling again, waits a delay computed by the specification's
//!    exponential backoff with jitter from the waiter's `minDelay` and
//!    `maxDelay` (see [`Backoff`]).
//!
//! The caller gives the total time it is willing to wait. No delay ever
//! reaches past it: when what would remain after a delay is `minDelay` or
//! less, the waiter sleeps out the remaining time and polls one last time.
//! A poll still in flight when the time is up is cancelled (dropped), except
//! that last one, which is sent when the time is up and runs to its end
//! (within the client's own timeouts). When the last poll asks for another,
//! the wait ends with [`WaiterError::ExceededMaxWait`].
//!
//! Time is read from the client's [`crate::time::TimeSource`] and delays are
//! waited with its [`crate::time::AsyncSleep`]; configure other ones (see
//! [`crate::config::Builder::time_source`] and
//! [`crate::config::Builder::sleep_impl`]) to drive waiters in tests without
//! waiting for real.

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::client::Handle;
use crate::error::{BuildError, ConstructionFailure, ProvideErrorMetadata, SdkError};
use crate::operation::{SendFuture, SendResult};

/// The state an acceptor moves a waiter to when it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// The resource reached the desired state: the wait ends successfully.
    Success,
    /// The resource can no longer reach the desired state: the wait fails.
    Failure,
    /// Poll again after a delay.
    Retry,
}

/// What the model says of one waiter besides its acceptors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaiterSpec {
    /// The waiter's name in the model (`TableExists`).
    pub name: &'static str,
    /// The shortest delay between polls, in seconds (`minDelay`, at least 1).
    pub min_delay: u64,
    /// The longest delay between polls, in seconds (`maxDelay`, at least
    /// `min_delay`).
    pub max_delay: u64,
}

// ---------------------------------------------------------------------------
// The delays between polls
// ---------------------------------------------------------------------------

/// The delays between polls of a waiter, computed as the Smithy waiters
/// specification says, in whole seconds:
///
/// ```text
/// attemptCeiling = (log(maxDelay / minDelay) / log(2)) + 1
/// if attempt > attemptCeiling: delay = maxDelay
/// else:                        delay = minDelay * 2 ** (attempt - 1)
/// delay = random(minDelay, delay)
/// if remainingTime - delay <= minDelay: delay = remainingTime
/// ```
///
/// where `attempt` counts the retries (1 before the second poll) and
/// `random` picks an integer between its bounds, both included.
/// `attempt > attemptCeiling` holds exactly when
/// `minDelay * 2 ** (attempt - 1) > maxDelay`, which is how it is computed
/// here, in integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    min_delay: u64,
    max_delay: u64,
}

impl Backoff {
    /// The backoff of a waiter with these `minDelay` and `maxDelay` (in
    /// seconds). A `min_delay` of 0 counts as 1, and a `max_delay` below
    /// `min_delay` as `min_delay`.
    pub fn new(min_delay: u64, max_delay: u64) -> Self {
        let min_delay = min_delay.max(1);
        Self {
            min_delay,
            max_delay: max_delay.max(min_delay),
        }
    }

    /// The number of retries before the exponential delay would pass
    /// `maxDelay`: the largest `attempt` with
    /// `minDelay * 2 ** (attempt - 1) <= maxDelay`.
    pub fn attempt_ceiling(&self) -> u32 {
        let mut attempt = 1;
        let mut delay = self.min_delay;
        while let Some(next) = delay.checked_mul(2).filter(|next| *next <= self.max_delay) {
            delay = next;
            attempt += 1;
        }
        attempt
    }

    /// The longest delay, in seconds, before retry `attempt` (1 for the
    /// first retry): the upper bound of the random pick.
    pub fn ceiling(&self, attempt: u32) -> u64 {
        if attempt > self.attempt_ceiling() {
            self.max_delay
        } else {
            // `attempt <= attemptCeiling` keeps this within `max_delay`.
            self.min_delay << attempt.saturating_sub(1)
        }
    }

    /// The delay before retry `attempt`, with `remaining` time left and
    /// `random` picking whole seconds between two bounds (both included);
    /// and whether that retry is the last one (the delay takes up all the
    /// remaining time).
    pub fn delay(
        &self,
        attempt: u32,
        remaining: Duration,
        random: impl FnOnce(u64, u64) -> u64,
    ) -> (Duration, bool) {
        let ceiling = self.ceiling(attempt);
        let picked = random(self.min_delay, ceiling).clamp(self.min_delay, ceiling);
        let delay = Duration::from_secs(picked);
        if remaining.saturating_sub(delay) <= Duration::from_secs(self.min_delay) {
            (remaining, true)
        } else {
            (delay, false)
        }
    }
}

/// A whole number between `low` and `high`, both included.
fn random_between(low: u64, high: u64) -> u64 {
    let span = high.saturating_sub(low).saturating_add(1) as f64;
    // `as` saturates; the product stays below `span`.
    let offset = (crate::retry::random_unit() * span) as u64;
    low.saturating_add(offset).min(high)
}

// ---------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------

/// The result of a waiter's last poll: the operation's output, or the error
/// an acceptor matched.
#[derive(Debug)]
pub struct FinalPoll<O, E> {
    result: Result<O, E>,
}

impl<O, E> FinalPoll<O, E> {
    /// The final poll that gave `result`.
    pub fn new(result: Result<O, E>) -> Self {
        Self { result }
    }

    /// The result, borrowed.
    pub fn as_result(&self) -> Result<&O, &E> {
        self.result.as_ref()
    }

    /// The result.
    pub fn into_result(self) -> Result<O, E> {
        self.result
    }

    /// Whether the last poll succeeded.
    pub fn is_ok(&self) -> bool {
        self.result.is_ok()
    }

    /// Whether the last poll failed (and an acceptor matched its error).
    pub fn is_err(&self) -> bool {
        self.result.is_err()
    }

    /// Applies `f` to the output, keeping an error.
    pub fn map<O2>(self, f: impl FnOnce(O) -> O2) -> FinalPoll<O2, E> {
        FinalPoll {
            result: self.result.map(f),
        }
    }
}

/// Why a wait ended without the resource reaching the desired state.
///
/// `O` and `E` are the operation's output and error enum.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<O, E> {
    /// The operation's input could not be built; nothing was sent.
    ConstructionFailure(ConstructionFailure),
    /// The maximum wait passed before an acceptor ended the wait.
    ExceededMaxWait(ExceededMaxWait),
    /// An acceptor moved the waiter to its failure state: the resource can
    /// no longer reach the desired state.
    FailureState(FailureState<O, E>),
    /// The operation failed with an error no acceptor expects.
    OperationFailed(OperationFailed<E>),
}

/// The maximum wait passed (see [`WaiterError::ExceededMaxWait`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExceededMaxWait {
    max_wait: Duration,
    elapsed: Duration,
    poll_count: u32,
}

impl ExceededMaxWait {
    /// The maximum wait the caller gave.
    pub fn max_wait(&self) -> Duration {
        self.max_wait
    }

    /// The time from the first poll to the end of the wait.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// How many times the operation was sent (a poll cancelled when the
    /// time ran out included).
    pub fn poll_count(&self) -> u32 {
        self.poll_count
    }
}

/// An acceptor moved the waiter to its failure state (see
/// [`WaiterError::FailureState`]).
#[derive(Debug)]
pub struct FailureState<O, E> {
    final_poll: FinalPoll<O, SdkError<E>>,
}

impl<O, E> FailureState<O, E> {
    /// The poll whose result the failure acceptor matched.
    pub fn final_poll(&self) -> &FinalPoll<O, SdkError<E>> {
        &self.final_poll
    }

    /// Unwraps the poll whose result the failure acceptor matched.
    pub fn into_final_poll(self) -> FinalPoll<O, SdkError<E>> {
        self.final_poll
    }
}

/// The operation failed with an error no acceptor expects (see
/// [`WaiterError::OperationFailed`]).
#[derive(Debug)]
pub struct OperationFailed<E> {
    source: SdkError<E>,
}

impl<E> OperationFailed<E> {
    /// The operation's error.
    pub fn error(&self) -> &SdkError<E> {
        &self.source
    }

    /// Unwraps the operation's error.
    pub fn into_error(self) -> SdkError<E> {
        self.source
    }
}

impl<O, E> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ConstructionFailure(_) => f.write_str("failed to construct the request to poll"),
            Self::ExceededMaxWait(context) => write!(
                f,
                "exceeded the maximum wait of {:?} after {} polls",
                context.max_wait, context.poll_count
            ),
            Self::FailureState(_) => f.write_str("the waiter reached a failure state"),
            Self::OperationFailed(_) => {
                f.write_str("the operation failed with an error the waiter does not expect")
            }
        }
    }
}

impl<O, E> Error for WaiterError<O, E>
where
    O: fmt::Debug,
    E: Error + 'static,
{
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::ConstructionFailure(context) => Some(context.source_error()),
            Self::ExceededMaxWait(_) => None,
            Self::FailureState(context) => match context.final_poll.as_result() {
                Ok(_) => None,
                Err(err) => Some(err),
            },
            Self::OperationFailed(context) => Some(&context.source),
        }
    }
}

/// The future a generated `wait()` returns; `.await` it.
pub type WaitFuture<O, E> = Pin<
    Box<dyn Future<Output = Result<FinalPoll<O, SdkError<E>>, WaiterError<O, E>>> + Send + 'static>,
>;

// ---------------------------------------------------------------------------
// The waiting loop
// ---------------------------------------------------------------------------

/// Whether `result` is an error the service sent with the error code `code`
/// (an `errorType` matcher: the shape name of a modeled error, or a code the
/// model does not describe).
#[inline]
pub fn error_type_is<O, E: ProvideErrorMetadata>(result: &SendResult<O, E>, code: &str) -> bool {
    match result {
        Err(SdkError::ServiceError(context)) => context.err().code() == Some(code),
        _ => false,
    }
}

/// Polls until an acceptor ends the wait or `max_wait` passes (see the
/// [module documentation](self)).
///
/// `send` sends the operation once with the input; `acceptors` runs the
/// waiter's acceptors in order over the input and a poll's result, `None`
/// when none matches.
#[inline]
pub fn wait<I, O, E>(
    handle: Arc<Handle>,
    spec: &'static WaiterSpec,
    input: Result<I, BuildError>,
    max_wait: Duration,
    send: fn(Arc<Handle>, I) -> SendFuture<O, E>,
    acceptors: fn(&I, &SendResult<O, E>) -> Option<AcceptorState>,
) -> WaitFuture<O, E>
where
    I: Clone + Send + Sync + 'static,
    O: Send + 'static,
    E: Send + 'static,
{
    Box::pin(async move {
        let input =
            input.map_err(|err| WaiterError::ConstructionFailure(ConstructionFailure::new(err)))?;
        let mut schedule = Schedule::start(&handle, spec, max_wait);
        loop {
            let poll = send(Arc::clone(&handle), input.clone());
            let result = match schedule.poll(&handle, poll).await {
                Some(result) => result,
                None => return Err(WaiterError::ExceededMaxWait(schedule.exceeded(&handle))),
            };
            match acceptors(&input, &result) {
                Some(AcceptorState::Success) => return Ok(FinalPoll::new(result)),
                Some(AcceptorState::Failure) => {
                    return Err(WaiterError::FailureState(FailureState {
                        final_poll: FinalPoll::new(result),
                    }))
                }
                Some(AcceptorState::Retry) => {}
                None => {
                    if let Err(source) = result {
                        return Err(WaiterError::OperationFailed(OperationFailed { source }));
                    }
                }
            }
            if !schedule.delay(&handle).await {
                return Err(WaiterError::ExceededMaxWait(schedule.exceeded(&handle)));
            }
        }
    })
}

/// Where a wait stands in time: when it started, how many polls and
/// retries it made, and whether the next poll is the last.
struct Schedule {
    start: SystemTime,
    max_wait: Duration,
    backoff: Backoff,
    polls: u32,
    retries: u32,
    last: bool,
}

impl Schedule {
    fn start(handle: &Handle, spec: &WaiterSpec, max_wait: Duration) -> Self {
        Self {
            start: handle.time_source().now(),
            max_wait,
            backoff: Backoff::new(spec.min_delay, spec.max_delay),
            polls: 0,
            retries: 0,
            last: false,
        }
    }

    fn elapsed(&self, handle: &Handle) -> Duration {
        handle
            .time_source()
            .now()
            .duration_since(self.start)
            .unwrap_or_default()
    }

    fn remaining(&self, handle: &Handle) -> Duration {
        self.max_wait.saturating_sub(self.elapsed(handle))
    }

    /// Runs one poll: to its end when it is the last, else until the time
    /// is up (`None`, the poll cancelled).
    async fn poll<T>(&mut self, handle: &Handle, poll: impl Future<Output = T>) -> Option<T> {
        self.polls += 1;
        if self.last {
            return Some(poll.await);
        }
        let remaining = self.remaining(handle);
        crate::time::timeout(handle.sleep_impl().as_ref(), remaining, poll)
            .await
            .ok()
    }

    /// Waits before the next poll; false when there is no time left for one.
    async fn delay(&mut self, handle: &Handle) -> bool {
        let remaining = self.remaining(handle);
        if self.last || remaining.is_zero() {
            return false;
        }
        self.retries += 1;
        let (delay, last) = self.backoff.delay(self.retries, remaining, random_between);
        self.last = last;
        handle.sleep_impl().sleep(delay).await;
        true
    }

    fn exceeded(&self, handle: &Handle) -> ExceededMaxWait {
        ExceededMaxWait {
            max_wait: self.max_wait,
            elapsed: self.elapsed(handle),
            poll_count: self.polls,
        }
    }
}

#[cfg(test)]
mod tests;
