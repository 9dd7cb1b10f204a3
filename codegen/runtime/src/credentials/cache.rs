//! The cache in front of a client's credentials provider.
//!
//! [`CredentialsCache::get`] answers from the cache while the credentials in
//! it are fresh, and otherwise calls the provider, one call at a time:
//!
//! * fresh: fetched less than fifteen minutes ago when they do not expire;
//!   otherwise more than [`REFRESH_AHEAD`] (or half the lifetime they had
//!   when fetched, if that is shorter) before their expiry;
//! * when the cached credentials are due for a refresh but still valid, one
//!   request calls the provider while others that come meanwhile go on with
//!   the cached ones; if the call fails, the cached ones are kept and the
//!   next call is made no sooner than [`RETRY_AFTER_FAILURE`] later;
//! * when there are none, or they have expired, every request waits for the
//!   one call in flight and shares its outcome, success or failure.
//!
//! Time is read from the client's [`TimeSource`](crate::time::TimeSource).

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};

use super::{Credentials, Timestamp};
use crate::time::SharedTimeSource;

/// Credentials that expire are fetched anew when less than this remains.
pub(crate) const REFRESH_AHEAD: Duration = Duration::from_secs(5 * 60);
/// Credentials that do not expire are fetched anew after this long.
pub(crate) const NO_EXPIRY_REFRESH: Duration = Duration::from_secs(15 * 60);
/// After a failed refresh of still valid credentials, the next is tried
/// this much later.
pub(crate) const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(30);

/// Cached credentials and when to fetch new ones.
struct Entry {
    credentials: Arc<Credentials>,
    /// From this time on, the next request fetches new credentials.
    refresh_at: SystemTime,
}

impl Entry {
    /// Whether the credentials may still sign a request at `now`.
    fn valid_at(&self, now: SystemTime) -> bool {
        self.credentials.expiry().is_none_or(|expiry| now < expiry)
    }

    /// Whether the credentials need no refresh at `now`.
    fn fresh_at(&self, now: SystemTime) -> bool {
        now < self.refresh_at && self.valid_at(now)
    }
}

/// What the cache holds.
#[derive(Default)]
struct State {
    entry: Option<Entry>,
    /// How many provider calls have completed.
    generation: u64,
    /// The error of the last call, when it failed and nothing valid was
    /// cached: requests that waited for that call share it.
    failure: Option<(u64, Arc<CredentialsError>)>,
}

/// A credentials provider with its cache. See the [module documentation](self).
pub(crate) struct CredentialsCache {
    provider: SharedCredentialsProvider,
    time: SharedTimeSource,
    state: Mutex<State>,
    /// Held while the provider is called: calls are one at a time.
    refresh: tokio::sync::Mutex<()>,
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        let mut debug = f.debug_struct("CredentialsCache");
        debug.field("provider", &self.provider);
        match &state.entry {
            Some(entry) => debug
                .field("credentials", &entry.credentials)
                .field("refresh_at", &Timestamp(entry.refresh_at)),
            None => debug.field("credentials", &None::<Credentials>),
        };
        debug.finish()
    }
}

impl CredentialsCache {
    /// An empty cache in front of `provider`, reading the time from `time`.
    pub(crate) fn new(provider: SharedCredentialsProvider, time: SharedTimeSource) -> Self {
        Self {
            provider,
            time,
            state: Mutex::default(),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is consistent at every step; a panic elsewhere while it
        // was locked leaves nothing half done.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The cached credentials if they need no refresh now, without waiting.
    pub(crate) fn fresh(&self) -> Option<Arc<Credentials>> {
        let now = self.time.now();
        let state = self.lock();
        state
            .entry
            .as_ref()
            .filter(|entry| entry.fresh_at(now))
            .map(|entry| Arc::clone(&entry.credentials))
    }

    /// Credentials valid now: the cached ones while fresh, else new ones
    /// from the provider (see the [module documentation](self)).
    pub(crate) async fn get(&self) -> Result<Arc<Credentials>, Arc<CredentialsError>> {
        let seen = {
            let now = self.time.now();
            let state = self.lock();
            if let Some(entry) = state.entry.as_ref().filter(|entry| entry.fresh_at(now)) {
                return Ok(Arc::clone(&entry.credentials));
            }
            state.generation
        };
        let _refreshing = match self.refresh.try_lock() {
            Ok(guard) => guard,
            Err(_) => {
                // Another request is calling the provider. Valid credentials
                // do for this one meanwhile; without them, wait for that call.
                if let Some(valid) = self.valid() {
                    return Ok(valid);
                }
                self.refresh.lock().await
            }
        };
        {
            let now = self.time.now();
            let state = self.lock();
            if state.generation != seen {
                // A call completed while this request waited: its outcome
                // is this request's too.
                if let Some(entry) = state.entry.as_ref().filter(|entry| entry.valid_at(now)) {
                    return Ok(Arc::clone(&entry.credentials));
                }
                if let Some((generation, err)) = &state.failure {
                    if *generation == state.generation {
                        return Err(Arc::clone(err));
                    }
                }
            }
        }
        let result = self.provider.provide_credentials().await;
        self.store(result)
    }

    /// The cached credentials if they are valid now, fresh or not.
    fn valid(&self) -> Option<Arc<Credentials>> {
        let now = self.time.now();
        let state = self.lock();
        state
            .entry
            .as_ref()
            .filter(|entry| entry.valid_at(now))
            .map(|entry| Arc::clone(&entry.credentials))
    }

    /// Records the outcome of a provider call and answers with it.
    fn store(
        &self,
        result: Result<aws_credential_types::Credentials, CredentialsError>,
    ) -> Result<Arc<Credentials>, Arc<CredentialsError>> {
        let now = self.time.now();
        let result = result.and_then(|provided| {
            let credentials = Credentials::from(provided);
            match credentials.expiry() {
                Some(expiry) if expiry <= now => Err(CredentialsError::provider_error(format!(
                    "the credentials provider {:?} returned credentials that expired at {}",
                    self.provider,
                    Timestamp(expiry)
                ))),
                _ => Ok(credentials),
            }
        });
        let mut state = self.lock();
        state.generation += 1;
        match result {
            Ok(credentials) => {
                let refresh_at = refresh_time(now, credentials.expiry());
                let credentials = Arc::new(credentials);
                state.entry = Some(Entry {
                    credentials: Arc::clone(&credentials),
                    refresh_at,
                });
                state.failure = None;
                Ok(credentials)
            }
            Err(err) => {
                let err = Arc::new(err);
                if let Some(entry) = state.entry.as_mut().filter(|entry| entry.valid_at(now)) {
                    // Still valid: keep using them, and try again later.
                    entry.refresh_at = now + RETRY_AFTER_FAILURE;
                    return Ok(Arc::clone(&entry.credentials));
                }
                state.entry = None;
                let generation = state.generation;
                state.failure = Some((generation, Arc::clone(&err)));
                Err(err)
            }
        }
    }
}

/// When credentials fetched at `now` that expire at `expiry` are to be
/// fetched anew.
fn refresh_time(now: SystemTime, expiry: Option<SystemTime>) -> SystemTime {
    match expiry {
        None => now + NO_EXPIRY_REFRESH,
        Some(expiry) => {
            let lifetime = expiry.duration_since(now).unwrap_or_default();
            expiry - REFRESH_AHEAD.min(lifetime / 2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::block_on;
    use crate::time::TimeSource;
    use aws_credential_types::provider::future;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::UNIX_EPOCH;

    /// A clock the test moves.
    #[derive(Debug, Clone)]
    struct Clock(Arc<Mutex<SystemTime>>);

    impl Clock {
        fn new() -> Self {
            Clock(Arc::new(Mutex::new(
                UNIX_EPOCH + Duration::from_secs(1_700_000_000),
            )))
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

    /// A provider answering from a script of lifetimes (`Some`: credentials
    /// valid that long from the clock's time; `None`: an error), the last
    /// entry repeating, counting its calls.
    #[derive(Debug)]
    struct Scripted {
        clock: Clock,
        script: Vec<Option<Option<Duration>>>,
        calls: AtomicUsize,
    }

    impl Scripted {
        fn new(clock: &Clock, script: Vec<Option<Option<Duration>>>) -> Arc<Self> {
            Arc::new(Scripted {
                clock: clock.clone(),
                script,
                calls: AtomicUsize::new(0),
            })
        }
        fn calls(&self) -> usize {
            self.calls.load(Ordering::SeqCst)
        }
    }

    impl ProvideCredentials for Scripted {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            let call = self.calls.fetch_add(1, Ordering::SeqCst);
            let step = self.script[call.min(self.script.len() - 1)];
            let result = match step {
                Some(lifetime) => {
                    let credentials = Credentials::new(format!("AKID{call}"), "SECRET", None);
                    let credentials = match lifetime {
                        Some(lifetime) => credentials.with_expiry(self.clock.now() + lifetime),
                        None => credentials,
                    };
                    Ok(credentials.into())
                }
                None => Err(CredentialsError::provider_error(format!(
                    "call {call} failed"
                ))),
            };
            future::ProvideCredentials::ready(result)
        }
    }

    fn cache(provider: &Arc<Scripted>, clock: &Clock) -> CredentialsCache {
        CredentialsCache::new(
            SharedCredentialsProvider::new(Arc::clone(provider) as Arc<dyn ProvideCredentials>),
            Arc::new(clock.clone()),
        )
    }

    fn key(result: Result<Arc<Credentials>, Arc<CredentialsError>>) -> String {
        result.expect("credentials").access_key_id().to_owned()
    }

    const HOUR: Duration = Duration::from_secs(3600);
    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn expiring_credentials_are_refreshed_ahead_of_expiry() {
        let clock = Clock::new();
        let provider = Scripted::new(&clock, vec![Some(Some(HOUR))]);
        let cache = cache(&provider, &clock);
        assert!(cache.fresh().is_none());
        assert_eq!(key(block_on(cache.get())), "AKID0");
        assert_eq!(key(block_on(cache.get())), "AKID0");
        clock.advance(54 * MINUTE);
        assert_eq!(key(block_on(cache.get())), "AKID0");
        assert!(cache.fresh().is_some());
        // Less than five minutes left: fetched anew.
        clock.advance(2 * MINUTE);
        assert!(cache.fresh().is_none());
        assert_eq!(key(block_on(cache.get())), "AKID1");
        assert_eq!(provider.calls(), 2);
    }

    #[test]
    fn short_lived_credentials_are_refreshed_at_half_their_lifetime() {
        let clock = Clock::new();
        let provider = Scripted::new(&clock, vec![Some(Some(4 * MINUTE))]);
        let cache = cache(&provider, &clock);
        assert_eq!(key(block_on(cache.get())), "AKID0");
        clock.advance(MINUTE + Duration::from_secs(59));
        assert_eq!(key(block_on(cache.get())), "AKID0");
        clock.advance(Duration::from_secs(1));
        assert_eq!(key(block_on(cache.get())), "AKID1");
    }

    #[test]
    fn credentials_without_expiry_are_fetched_again_after_fifteen_minutes() {
        let clock = Clock::new();
        let provider = Scripted::new(&clock, vec![Some(None)]);
        let cache = cache(&provider, &clock);
        assert_eq!(key(block_on(cache.get())), "AKID0");
        clock.advance(14 * MINUTE);
        assert_eq!(key(block_on(cache.get())), "AKID0");
        clock.advance(MINUTE);
        assert_eq!(key(block_on(cache.get())), "AKID1");
    }

    #[test]
    fn a_failed_refresh_keeps_valid_credentials_and_waits_before_the_next() {
        let clock = Clock::new();
        let provider = Scripted::new(&clock, vec![Some(Some(HOUR)), None, None, Some(Some(HOUR))]);
        let cache = cache(&provider, &clock);
        assert_eq!(key(block_on(cache.get())), "AKID0");
        clock.advance(56 * MINUTE);
        // The refresh fails; the cached credentials are still valid.
        assert_eq!(key(block_on(cache.get())), "AKID0");
        assert_eq!(provider.calls(), 2);
        // No new call for 30 seconds.
        clock.advance(29 * Duration::from_secs(1));
        assert_eq!(key(block_on(cache.get())), "AKID0");
        assert_eq!(provider.calls(), 2);
        clock.advance(Duration::from_secs(1));
        assert_eq!(key(block_on(cache.get())), "AKID0");
        assert_eq!(provider.calls(), 3);
        // Past the expiry, failures are errors, never the expired credentials.
        clock.advance(5 * MINUTE);
        assert_eq!(key(block_on(cache.get())), "AKID3");
    }

    #[test]
    fn expired_credentials_are_never_returned() {
        let clock = Clock::new();
        let provider = Scripted::new(&clock, vec![Some(Some(HOUR)), None]);
        let cache = cache(&provider, &clock);
        assert_eq!(key(block_on(cache.get())), "AKID0");
        clock.advance(HOUR);
        let err = block_on(cache.get()).expect_err("expired, and the refresh fails");
        assert!(
            std::error::Error::source(&*err)
                .unwrap()
                .to_string()
                .contains("call 1 failed"),
            "{err:?}"
        );
        assert!(cache.fresh().is_none());
        // Each later request calls the provider again.
        assert!(block_on(cache.get()).is_err());
        assert_eq!(provider.calls(), 3);
    }

    #[test]
    fn credentials_expired_on_arrival_are_an_error() {
        let clock = Clock::new();
        let provider = Scripted::new(&clock, vec![Some(Some(Duration::ZERO))]);
        let cache = cache(&provider, &clock);
        let err = block_on(cache.get()).expect_err("already expired");
        let message = std::error::Error::source(&*err).unwrap().to_string();
        assert!(
            message.contains("returned credentials that expired at 2023-11-14T22:13:20Z"),
            "{message}"
        );
    }

    #[test]
    fn refresh_times() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(refresh_time(now, None), now + 15 * MINUTE);
        assert_eq!(refresh_time(now, Some(now + HOUR)), now + 55 * MINUTE);
        assert_eq!(refresh_time(now, Some(now + 2 * MINUTE)), now + MINUTE);
        // Already past: due at once.
        assert_eq!(refresh_time(now, Some(now - MINUTE)), now - MINUTE);
    }

    /// A provider that stays pending until released, counting its calls.
    #[derive(Debug, Default)]
    struct Gate {
        calls: AtomicUsize,
        open: tokio::sync::Notify,
        fail: bool,
    }

    impl ProvideCredentials for Gate {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            future::ProvideCredentials::new(async move {
                self.calls.fetch_add(1, Ordering::SeqCst);
                self.open.notified().await;
                if self.fail {
                    Err(CredentialsError::not_loaded("gate says no"))
                } else {
                    Ok(Credentials::new("GATED", "SECRET", None)
                        .with_expiry(UNIX_EPOCH + Duration::from_secs(1_700_003_600))
                        .into())
                }
            })
        }
    }

    /// Polls every future once, round-robin, until all are ready; `open`
    /// is notified once all of them have been polled at least once.
    fn join_all<F: std::future::Future + Unpin>(
        mut futures: Vec<F>,
        open: &tokio::sync::Notify,
    ) -> Vec<F::Output> {
        use std::task::{Context, Poll, Waker};
        let mut cx = Context::from_waker(Waker::noop());
        let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
        let mut rounds = 0;
        while outputs.iter().any(Option::is_none) {
            for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
                if output.is_none() {
                    if let Poll::Ready(value) = std::pin::Pin::new(future).poll(&mut cx) {
                        *output = Some(value);
                    }
                }
            }
            rounds += 1;
            if rounds == 1 {
                open.notify_one();
            }
            assert!(rounds < 1000, "the futures never completed");
        }
        outputs.into_iter().map(Option::unwrap).collect()
    }

    #[test]
    fn concurrent_requests_share_one_provider_call() {
        for fail in [false, true] {
            let clock = Clock::new();
            let gate = Arc::new(Gate {
                fail,
                ..Gate::default()
            });
            let cache = CredentialsCache::new(
                SharedCredentialsProvider::new(Arc::clone(&gate) as Arc<dyn ProvideCredentials>),
                Arc::new(clock.clone()),
            );
            let futures: Vec<_> = (0..8).map(|_| Box::pin(cache.get())).collect();
            let results = join_all(futures, &gate.open);
            assert_eq!(gate.calls.load(Ordering::SeqCst), 1, "fail: {fail}");
            for result in results {
                match result {
                    Ok(credentials) => {
                        assert!(!fail);
                        assert_eq!(credentials.access_key_id(), "GATED");
                    }
                    Err(err) => {
                        assert!(fail);
                        assert!(matches!(*err, CredentialsError::CredentialsNotLoaded(_)));
                    }
                }
            }
        }
    }

    #[test]
    fn while_one_request_refreshes_others_use_the_valid_credentials() {
        let clock = Clock::new();
        let gate = Arc::new(Gate::default());
        let cache = CredentialsCache::new(
            SharedCredentialsProvider::new(Arc::clone(&gate) as Arc<dyn ProvideCredentials>),
            Arc::new(clock.clone()),
        );
        // Seed the cache with credentials due for a refresh but valid.
        {
            let mut state = cache.lock();
            state.entry = Some(Entry {
                credentials: Arc::new(
                    Credentials::new("OLD", "SECRET", None).with_expiry(clock.now() + MINUTE),
                ),
                refresh_at: clock.now(),
            });
        }
        use std::future::Future;
        let mut refreshing = Box::pin(cache.get());
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        assert!(refreshing.as_mut().poll(&mut cx).is_pending());
        // Meanwhile: the old credentials, at once.
        assert_eq!(key(block_on(cache.get())), "OLD");
        gate.open.notify_one();
        let refreshed = block_on(refreshing);
        assert_eq!(key(refreshed), "GATED");
        assert_eq!(gate.calls.load(Ordering::SeqCst), 1);
        assert_eq!(key(block_on(cache.get())), "GATED");
    }

    #[test]
    fn debug_shows_no_secret() {
        let clock = Clock::new();
        let provider = Scripted::new(&clock, vec![Some(Some(HOUR))]);
        let cache = cache(&provider, &clock);
        block_on(cache.get()).expect("credentials");
        let debug = format!("{cache:?}");
        assert!(debug.contains("AKID0"), "{debug}");
        assert!(
            debug.contains("refresh_at: 2023-11-14T23:08:20Z"),
            "{debug}"
        );
        assert!(!debug.contains("SECRET"), "{debug}");
    }
}
