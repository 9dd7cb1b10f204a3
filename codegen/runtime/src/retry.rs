//! Retries, following the AWS SDKs' "standard" retry mode.
//!
//! Every operation is attempted up to [`RetryConfig::max_attempts`] times
//! (3 by default). An attempt is retried when it failed with:
//!
//! * a transport failure that is a timeout or a socket-level error
//!   (connection refused or reset, truncated response, ...), or an attempt
//!   that ran out of time (see [`crate::timeout`]);
//! * HTTP status 500, 502, 503 or 504 ([`TRANSIENT_STATUS_CODES`]) or 429
//!   ([`THROTTLING_STATUS_CODES`]);
//! * an error code listed in [`THROTTLING_ERROR_CODES`] or
//!   [`TRANSIENT_ERROR_CODES`];
//! * an error that the operation models as retryable
//!   ([`crate::spec::ModeledError::retryable`]).
//!
//! An error whose code is modeled by the operation as a client fault that is
//! not retryable is never retried, whatever its status or code. Nor are
//! successful responses that could not be read, or requests that could not
//! be built.
//!
//! Before retry *n* (0 for the second attempt) the client waits a random
//! delay with "full jitter": `rand(0..1) * min(max_backoff, initial_backoff * 2^n)`,
//! where `initial_backoff` is 1 s and `max_backoff` 20 s unless configured.
//! Each attempt is a fresh request, signed again.
//!
//! Retries draw from a *retry quota* shared by all operations of a client:
//! it holds 500 tokens, a retry costs 5 (10 after a timeout), an operation
//! that succeeds gives back what its retries took, or 1 token when it needed
//! none. When the quota is empty, failures are returned without retrying, so
//! that a client facing an outage does not multiply its load.
//!
//! Delays are waited with the client's [`crate::time::AsyncSleep`]; the
//! randomness comes from a small generator seeded by the clock, which is
//! plenty for jitter.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::spec::{Fault, OperationSpec};

/// Error codes that mean "slow down": always retried (unless the operation
/// models the code as a non-retryable client error).
pub const THROTTLING_ERROR_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of transient service-side failures: always retried (unless
/// the operation models the code as a non-retryable client error).
pub const TRANSIENT_ERROR_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
    "InternalServerError",
    "InternalFailure",
    "ServiceUnavailable",
];

/// HTTP statuses of transient failures.
pub const TRANSIENT_STATUS_CODES: &[u16] = &[500, 502, 503, 504];

/// HTTP statuses of throttling.
pub const THROTTLING_STATUS_CODES: &[u16] = &[429];

/// The default number of attempts.
const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// The default base of the exponential backoff.
const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_secs(1);
/// The default cap on the exponential backoff.
const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(20);

/// How failed attempts are retried. See the [module documentation](self).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    /// [`RetryConfig::standard`].
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryConfig {
    /// The standard retry mode: 3 attempts, backoff from 1 s up to 20 s.
    pub fn standard() -> Self {
        Self {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            initial_backoff: DEFAULT_INITIAL_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
        }
    }

    /// No retries: every operation makes a single attempt.
    pub fn disabled() -> Self {
        Self::standard().with_max_attempts(1)
    }

    /// Sets the number of attempts, the first one included (0 counts as 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// Sets the base of the exponential backoff (1 s by default).
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Sets the cap on the exponential backoff (20 s by default).
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// The number of attempts, the first one included (at least 1).
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The base of the exponential backoff.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The cap on the exponential backoff.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// Whether operations may make more than one attempt.
    pub fn retries_enabled(&self) -> bool {
        self.max_attempts > 1
    }

    /// The longest delay before retry `retry` (0 for the second attempt):
    /// `min(max_backoff, initial_backoff * 2^retry)`.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        match 2u32.checked_pow(retry) {
            Some(factor) => self
                .initial_backoff
                .saturating_mul(factor)
                .min(self.max_backoff),
            None => self.max_backoff,
        }
    }

    /// A random delay before retry `retry` (0 for the second attempt),
    /// between zero and [`RetryConfig::backoff_ceiling`].
    pub fn backoff_delay(&self, retry: u32) -> Duration {
        self.jittered_delay(retry, random_unit())
    }

    /// The delay before retry `retry` for a jitter factor in `[0, 1)`.
    pub(crate) fn jittered_delay(&self, retry: u32, jitter: f64) -> Duration {
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let ceiling = self.backoff_ceiling(retry).as_nanos() as f64;
        // `as` saturates, and the product never exceeds the ceiling.
        Duration::from_nanos((ceiling * jitter) as u64)
    }
}

/// Why a failed attempt may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryKind {
    /// A transient failure: 5xx, connection error, transient error code.
    Transient,
    /// The service asked the client to slow down.
    Throttling,
    /// The attempt or the transport timed out.
    Timeout,
}

/// Whether an error response may be retried, from its status, its
/// (sanitized) error code and the operation's modeled errors.
pub(crate) fn classify_error_response(
    operation: &OperationSpec,
    status: u16,
    code: Option<&str>,
) -> Option<RetryKind> {
    if let Some(code) = code {
        if let Some(error) = operation.modeled_error(code) {
            if error.retryable {
                return Some(if error.throttling {
                    RetryKind::Throttling
                } else {
                    RetryKind::Transient
                });
            }
            if error.fault == Fault::Client {
                return None;
            }
        }
        if THROTTLING_ERROR_CODES.contains(&code) {
            return Some(RetryKind::Throttling);
        }
        if TRANSIENT_ERROR_CODES.contains(&code) {
            return Some(RetryKind::Transient);
        }
    }
    if THROTTLING_STATUS_CODES.contains(&status) {
        return Some(RetryKind::Throttling);
    }
    if TRANSIENT_STATUS_CODES.contains(&status) {
        return Some(RetryKind::Transient);
    }
    None
}

/// Tokens in a full retry quota.
const QUOTA_CAPACITY: u32 = 500;
/// What a retry costs.
const RETRY_COST: u32 = 5;
/// What a retry after a timeout costs.
const TIMEOUT_RETRY_COST: u32 = 10;
/// What an operation that succeeded at its first attempt gives back.
const NO_RETRY_INCREMENT: u32 = 1;

/// The retry quota of a client (see the module documentation).
#[derive(Debug)]
pub(crate) struct RetryQuota {
    available: AtomicU32,
}

impl Default for RetryQuota {
    fn default() -> Self {
        Self {
            available: AtomicU32::new(QUOTA_CAPACITY),
        }
    }
}

impl RetryQuota {
    /// Takes the cost of a retry of `kind`; `None` when too few tokens are left.
    pub(crate) fn acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = match kind {
            RetryKind::Timeout => TIMEOUT_RETRY_COST,
            RetryKind::Transient | RetryKind::Throttling => RETRY_COST,
        };
        self.available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |available| {
                available.checked_sub(cost)
            })
            .ok()
            .map(|_| cost)
    }

    /// Records a successful operation that took `spent` tokens for its retries.
    pub(crate) fn succeeded(&self, spent: u32) {
        let refund = if spent == 0 {
            NO_RETRY_INCREMENT
        } else {
            spent
        };
        // The closure always returns `Some`, so the update cannot fail.
        let _ = self
            .available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |available| {
                Some(available.saturating_add(refund).min(QUOTA_CAPACITY))
            });
    }

    /// The tokens left.
    #[cfg(test)]
    pub(crate) fn available(&self) -> u32 {
        self.available.load(Ordering::Acquire)
    }
}

/// A number in `[0, 1)`, different at every call: a SplitMix64 step over a
/// shared counter, mixed with the clock.
pub(crate) fn random_unit() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;
    let clock = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos() as u64)
        .unwrap_or(0);
    let mut z = COUNTER
        .fetch_add(GAMMA, Ordering::Relaxed)
        .wrapping_add(GAMMA)
        ^ clock.rotate_left(29);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    // The top 53 bits, scaled to [0, 1).
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{AuthMode, ModeledError};

    static OPERATION: OperationSpec = OperationSpec {
        name: "GetThing",
        auth: AuthMode::SigV4,
        errors: &[
            ModeledError {
                code: "NotFound",
                fault: Fault::Client,
                retryable: false,
                throttling: false,
                query_code: None,
            },
            // A throttling code that this operation models as final.
            ModeledError {
                code: "LimitExceededException",
                fault: Fault::Client,
                retryable: false,
                throttling: false,
                query_code: None,
            },
            ModeledError {
                code: "com.example#BusyException",
                fault: Fault::Client,
                retryable: true,
                throttling: true,
                query_code: None,
            },
            ModeledError {
                code: "Flaky",
                fault: Fault::Server,
                retryable: true,
                throttling: false,
                query_code: None,
            },
            ModeledError {
                code: "Broken",
                fault: Fault::Server,
                retryable: false,
                throttling: false,
                query_code: None,
            },
        ],

        request_compression: false,
        endpoint_params: crate::endpoint::OperationEndpointParams::NONE,
    };

    #[test]
    fn standard_defaults() {
        let config = RetryConfig::standard();
        assert_eq!(config, RetryConfig::default());
        assert_eq!(config.max_attempts(), 3);
        assert_eq!(config.initial_backoff(), Duration::from_secs(1));
        assert_eq!(config.max_backoff(), Duration::from_secs(20));
        assert!(config.retries_enabled());

        let disabled = RetryConfig::disabled();
        assert_eq!(disabled.max_attempts(), 1);
        assert!(!disabled.retries_enabled());

        let custom = RetryConfig::standard()
            .with_max_attempts(0)
            .with_initial_backoff(Duration::from_millis(5))
            .with_max_backoff(Duration::from_millis(40));
        assert_eq!(custom.max_attempts(), 1);
        assert_eq!(custom.initial_backoff(), Duration::from_millis(5));
        assert_eq!(custom.max_backoff(), Duration::from_millis(40));
    }

    #[test]
    fn backoff_ceiling_doubles_up_to_the_cap() {
        let config = RetryConfig::standard();
        let secs = |n| Duration::from_secs(n);
        assert_eq!(config.backoff_ceiling(0), secs(1));
        assert_eq!(config.backoff_ceiling(1), secs(2));
        assert_eq!(config.backoff_ceiling(2), secs(4));
        assert_eq!(config.backoff_ceiling(4), secs(16));
        assert_eq!(config.backoff_ceiling(5), secs(20));
        assert_eq!(config.backoff_ceiling(31), secs(20));
        assert_eq!(config.backoff_ceiling(32), secs(20));
        assert_eq!(config.backoff_ceiling(u32::MAX), secs(20));

        let huge = RetryConfig::standard()
            .with_initial_backoff(Duration::MAX)
            .with_max_backoff(Duration::MAX);
        assert_eq!(huge.backoff_ceiling(3), Duration::MAX);
        // Converting the largest ceiling does not overflow.
        assert!(huge.jittered_delay(3, 0.5) > Duration::ZERO);
    }

    #[test]
    fn jittered_delay_scales_the_ceiling() {
        let config = RetryConfig::standard();
        assert_eq!(config.jittered_delay(0, 0.0), Duration::ZERO);
        assert_eq!(config.jittered_delay(0, 0.5), Duration::from_millis(500));
        assert_eq!(config.jittered_delay(2, 0.25), Duration::from_secs(1));
        assert_eq!(config.jittered_delay(10, 0.5), Duration::from_secs(10));
        assert!(config.jittered_delay(1, 0.999_999) < Duration::from_secs(2));
        // Out-of-range factors are clamped.
        assert_eq!(config.jittered_delay(0, f64::NAN), Duration::ZERO);
        assert_eq!(config.jittered_delay(0, -3.0), Duration::ZERO);
        assert_eq!(config.jittered_delay(0, 7.0), Duration::from_secs(1));
    }

    #[test]
    fn backoff_delays_stay_within_bounds_and_vary() {
        let config = RetryConfig::standard();
        for retry in 0..8 {
            let ceiling = config.backoff_ceiling(retry);
            let delays: Vec<Duration> = (0..200).map(|_| config.backoff_delay(retry)).collect();
            assert!(delays.iter().all(|delay| *delay <= ceiling), "{delays:?}");
            // Full jitter spreads the delays over the whole range.
            assert!(delays.iter().any(|delay| *delay < ceiling / 4));
            assert!(delays.iter().any(|delay| *delay > ceiling * 3 / 4));
        }
    }

    #[test]
    fn random_unit_is_in_range() {
        let samples: Vec<f64> = (0..10_000).map(|_| random_unit()).collect();
        assert!(samples.iter().all(|x| (0.0..1.0).contains(x)));
        let mean = samples.iter().sum::<f64>() / samples.len() as f64;
        assert!((0.45..0.55).contains(&mean), "mean {mean}");
    }

    #[test]
    fn classification_by_status() {
        for status in [500, 502, 503, 504] {
            assert_eq!(
                classify_error_response(&OPERATION, status, None),
                Some(RetryKind::Transient)
            );
        }
        assert_eq!(
            classify_error_response(&OPERATION, 429, None),
            Some(RetryKind::Throttling)
        );
        for status in [400, 401, 403, 404, 409, 501, 505] {
            assert_eq!(classify_error_response(&OPERATION, status, None), None);
        }
    }

    #[test]
    fn classification_by_code() {
        for code in THROTTLING_ERROR_CODES {
            if *code == "LimitExceededException" {
                continue;
            }
            assert_eq!(
                classify_error_response(&OPERATION, 400, Some(code)),
                Some(RetryKind::Throttling),
                "{code}"
            );
        }
        for code in TRANSIENT_ERROR_CODES {
            assert_eq!(
                classify_error_response(&OPERATION, 400, Some(code)),
                Some(RetryKind::Transient),
                "{code}"
            );
        }
        assert_eq!(
            classify_error_response(&OPERATION, 400, Some("ValidationException")),
            None
        );
        // Codes are matched exactly.
        assert_eq!(
            classify_error_response(&OPERATION, 400, Some("throttling")),
            None
        );
    }

    #[test]
    fn classification_by_modeled_error() {
        // Modeled client errors that are not retryable are final, whatever
        // the status or code.
        assert_eq!(
            classify_error_response(&OPERATION, 503, Some("NotFound")),
            None
        );
        assert_eq!(
            classify_error_response(&OPERATION, 400, Some("LimitExceededException")),
            None
        );
        assert_eq!(
            classify_error_response(&OPERATION, 429, Some("LimitExceededException")),
            None
        );
        // Modeled retryable errors are retried; the model's code is compared
        // by shape name.
        assert_eq!(
            classify_error_response(&OPERATION, 400, Some("BusyException")),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_error_response(&OPERATION, 400, Some("Flaky")),
            Some(RetryKind::Transient)
        );
        // A non-retryable server error still follows the status.
        assert_eq!(
            classify_error_response(&OPERATION, 400, Some("Broken")),
            None
        );
        assert_eq!(
            classify_error_response(&OPERATION, 500, Some("Broken")),
            Some(RetryKind::Transient)
        );
    }

    #[test]
    fn quota_takes_and_gives_back_tokens() {
        let quota = RetryQuota::default();
        assert_eq!(quota.available(), 500);
        assert_eq!(quota.acquire(RetryKind::Transient), Some(5));
        assert_eq!(quota.acquire(RetryKind::Throttling), Some(5));
        assert_eq!(quota.acquire(RetryKind::Timeout), Some(10));
        assert_eq!(quota.available(), 480);
        quota.succeeded(10);
        assert_eq!(quota.available(), 490);
        quota.succeeded(0);
        assert_eq!(quota.available(), 491);
        quota.succeeded(100);
        assert_eq!(quota.available(), 500);

        while quota.acquire(RetryKind::Timeout).is_some() {}
        assert_eq!(quota.available(), 0);
        assert_eq!(quota.acquire(RetryKind::Transient), None);
        quota.succeeded(0);
        assert_eq!(quota.available(), 1);
        assert_eq!(quota.acquire(RetryKind::Transient), None);
    }
}
