//! Clocks and timers: how the runtime reads the time and waits.
//!
//! * [`TimeSource`] gives the time requests are signed with. The default,
//!   [`SystemTimeSource`], is the system clock; [`StaticTimeSource`] always
//!   returns the same instant (for reproducible signatures in tests).
//! * [`AsyncSleep`] waits without blocking a thread. It paces retries (the
//!   backoff between attempts) and enforces the timeouts of
//!   [`crate::timeout::TimeoutConfig`]. The default, from
//!   [`default_async_sleep`], is:
//!   * with the `default-client` feature, `TokioSleep`: Tokio's timer when
//!     called inside a Tokio runtime (which must have its time driver
//!     enabled, as `#[tokio::main]` and `#[tokio::test]` do), else
//!     [`ThreadSleep`];
//!   * without it, [`ThreadSleep`], which works under any executor.
//!
//!   Set another one with [`crate::config::Builder::sleep_impl`] to use the
//!   timer of another runtime.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant, SystemTime};

// ---------------------------------------------------------------------------
// Time sources
// ---------------------------------------------------------------------------

/// A clock.
pub trait TimeSource: Send + Sync + fmt::Debug + 'static {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// A clock shared between clients.
pub type SharedTimeSource = Arc<dyn TimeSource>;

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemTimeSource;

impl TimeSource for SystemTimeSource {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that always reads the same time.
#[derive(Debug, Clone, Copy)]
pub struct StaticTimeSource {
    time: SystemTime,
}

impl StaticTimeSource {
    /// A clock stopped at `time`.
    pub fn new(time: SystemTime) -> Self {
        Self { time }
    }
}

impl TimeSource for StaticTimeSource {
    fn now(&self) -> SystemTime {
        self.time
    }
}

/// The clock used when none is configured: [`SystemTimeSource`].
pub fn default_time_source() -> SharedTimeSource {
    Arc::new(SystemTimeSource)
}

// ---------------------------------------------------------------------------
// Sleeping
// ---------------------------------------------------------------------------

/// The future returned by [`AsyncSleep::sleep`]: completes once the duration
/// has passed.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// A timer.
pub trait AsyncSleep: Send + Sync + fmt::Debug + 'static {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> Sleep;
}

/// A timer shared between clients.
pub type SharedAsyncSleep = Arc<dyn AsyncSleep>;

/// The timer used when none is configured: `TokioSleep` with the
/// `default-client` feature, [`ThreadSleep`] without it.
pub fn default_async_sleep() -> SharedAsyncSleep {
    #[cfg(feature = "default-client")]
    {
        Arc::new(TokioSleep)
    }
    #[cfg(not(feature = "default-client"))]
    {
        Arc::new(ThreadSleep)
    }
}

/// Tokio's timer, falling back to [`ThreadSleep`] when called outside a
/// Tokio runtime.
///
/// Inside a runtime, the runtime must have its time driver enabled.
#[cfg(feature = "default-client")]
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

#[cfg(feature = "default-client")]
impl AsyncSleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> Sleep {
        if tokio::runtime::Handle::try_current().is_ok() {
            Box::pin(tokio::time::sleep(duration))
        } else {
            ThreadSleep.sleep(duration)
        }
    }
}

/// A timer that needs no async runtime: one background thread, started on
/// first use and shared by the whole process, wakes every sleeping future
/// when its time comes.
///
/// Should the thread fail to start, sleeps end at once.
#[derive(Debug, Clone, Copy, Default)]
pub struct ThreadSleep;

impl AsyncSleep for ThreadSleep {
    fn sleep(&self, duration: Duration) -> Sleep {
        let deadline = Instant::now().checked_add(duration);
        Box::pin(ThreadTimer {
            deadline,
            state: None,
        })
    }
}

/// Locks `mutex`, carrying on with the data if another thread panicked
/// while holding it (the data here stays consistent at every step).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What a [`ThreadTimer`] shares with the timer thread.
#[derive(Debug, Default)]
struct TimerState {
    fired: bool,
    waker: Option<Waker>,
}

/// The future behind [`ThreadSleep`]. A `None` deadline (a duration too
/// large to represent) never fires.
struct ThreadTimer {
    deadline: Option<Instant>,
    state: Option<Arc<Mutex<TimerState>>>,
}

impl Future for ThreadTimer {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let Some(deadline) = self.deadline else {
            return Poll::Pending;
        };
        if Instant::now() >= deadline {
            return Poll::Ready(());
        }
        let state = match &self.state {
            Some(state) => Arc::clone(state),
            None => {
                let state = Arc::new(Mutex::new(TimerState::default()));
                if !TimerThread::schedule(deadline, Arc::clone(&state)) {
                    return Poll::Ready(());
                }
                self.state = Some(Arc::clone(&state));
                state
            }
        };
        let mut guard = lock(&state);
        if guard.fired {
            return Poll::Ready(());
        }
        match &guard.waker {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            _ => guard.waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

/// A pending wake-up, ordered by deadline.
struct TimerEntry {
    deadline: Instant,
    state: Arc<Mutex<TimerState>>,
}

impl PartialEq for TimerEntry {
    fn eq(&self, other: &Self) -> bool {
        self.deadline == other.deadline
    }
}

impl Eq for TimerEntry {}

impl PartialOrd for TimerEntry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TimerEntry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.deadline.cmp(&other.deadline)
    }
}

/// The process-wide timer thread of [`ThreadSleep`].
struct TimerThread {
    queue: Mutex<BinaryHeap<Reverse<TimerEntry>>>,
    changed: Condvar,
}

impl TimerThread {
    /// The timer thread, started on first use; `None` if it could not start.
    fn get() -> Option<&'static TimerThread> {
        static TIMER: OnceLock<Option<&'static TimerThread>> = OnceLock::new();
        *TIMER.get_or_init(|| {
            let timer: &'static TimerThread = Box::leak(Box::new(TimerThread {
                queue: Mutex::new(BinaryHeap::new()),
                changed: Condvar::new(),
            }));
            std::thread::Builder::new()
                .name("smithgen-timer".to_owned())
                .spawn(move || timer.run())
                .ok()
                .map(|_| timer)
        })
    }

    /// Asks the thread to fire `state` at `deadline`. False when there is no
    /// timer thread.
    fn schedule(deadline: Instant, state: Arc<Mutex<TimerState>>) -> bool {
        let Some(timer) = Self::get() else {
            return false;
        };
        lock(&timer.queue).push(Reverse(TimerEntry { deadline, state }));
        timer.changed.notify_one();
        true
    }

    /// Fires entries as their deadlines pass; sleeps until the next one or
    /// until a new entry arrives.
    fn run(&self) {
        let mut queue = lock(&self.queue);
        loop {
            let now = Instant::now();
            while queue
                .peek()
                .is_some_and(|Reverse(entry)| entry.deadline <= now)
            {
                if let Some(Reverse(entry)) = queue.pop() {
                    let waker = {
                        let mut state = lock(&entry.state);
                        state.fired = true;
                        state.waker.take()
                    };
                    if let Some(waker) = waker {
                        waker.wake();
                    }
                }
            }
            queue = match queue.peek() {
                Some(Reverse(next)) => {
                    let wait = next.deadline.saturating_duration_since(now);
                    self.changed
                        .wait_timeout(queue, wait)
                        .map(|(guard, _)| guard)
                        .unwrap_or_else(|poisoned| poisoned.into_inner().0)
                }
                None => self
                    .changed
                    .wait(queue)
                    .unwrap_or_else(PoisonError::into_inner),
            };
        }
    }
}

/// Runs `future` for at most `limit`: `Err(())` once the time is up.
pub(crate) async fn timeout<F: Future>(
    sleep: &dyn AsyncSleep,
    limit: Duration,
    future: F,
) -> Result<F::Output, ()> {
    let mut future = std::pin::pin!(future);
    let mut timer = sleep.sleep(limit);
    std::future::poll_fn(move |cx| {
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            return Poll::Ready(Ok(output));
        }
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(())),
            Poll::Pending => Poll::Pending,
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::block_on;

    #[test]
    fn static_and_system_time_sources() {
        let fixed = SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        assert_eq!(StaticTimeSource::new(fixed).now(), fixed);
        let before = SystemTime::now();
        assert!(SystemTimeSource.now() >= before);
        assert!(default_time_source().now() >= before);
    }

    #[test]
    fn thread_sleep_waits_without_a_runtime() {
        let start = Instant::now();
        block_on(ThreadSleep.sleep(Duration::from_millis(30)));
        assert!(start.elapsed() >= Duration::from_millis(30));

        // Several sleeps at once, scheduled out of order, all complete.
        let start = Instant::now();
        block_on(async {
            let long = ThreadSleep.sleep(Duration::from_millis(40));
            let short = ThreadSleep.sleep(Duration::from_millis(10));
            short.await;
            assert!(start.elapsed() >= Duration::from_millis(10));
            long.await;
        });
        assert!(start.elapsed() >= Duration::from_millis(40));

        block_on(ThreadSleep.sleep(Duration::ZERO));
    }

    #[test]
    fn timeout_fires_or_passes_the_output_through() {
        let slow = async {
            ThreadSleep.sleep(Duration::from_secs(5)).await;
            1
        };
        let start = Instant::now();
        assert_eq!(
            block_on(timeout(&ThreadSleep, Duration::from_millis(20), slow)),
            Err(())
        );
        assert!(start.elapsed() < Duration::from_secs(4));

        let quick = async { 7 };
        assert_eq!(
            block_on(timeout(&ThreadSleep, Duration::from_secs(5), quick)),
            Ok(7)
        );
    }

    #[cfg(feature = "default-client")]
    #[test]
    fn tokio_sleep_works_inside_and_outside_a_runtime() {
        let start = Instant::now();
        block_on(TokioSleep.sleep(Duration::from_millis(10)));
        assert!(start.elapsed() >= Duration::from_millis(10));

        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime");
        let start = Instant::now();
        runtime.block_on(async { TokioSleep.sleep(Duration::from_millis(10)).await });
        assert!(start.elapsed() >= Duration::from_millis(10));
    }
}
