//! Streams of pages (and of the items in them) for paginated operations.
//!
//! A generated paginator's `send()` returns a [`PaginationStream`] of
//! `Result<Output, SdkError<Error>>`, one element per page; its `items()`
//! variant returns one element per item of the pages' item list. Pull
//! elements with [`PaginationStream::next`], or gather them all with
//! [`PaginationStream::collect`] / [`PaginationStream::try_collect`].
//!
//! The stream is lazy: a request is sent only when an element is asked for,
//! and an error is the last element of the stream.
//!
//! ```
//! # async fn example() {
//! use smithgen_runtime::pagination::PaginationStream;
//!
//! // Three "pages" numbered from a counter.
//! let mut pages = PaginationStream::unfold(1u32, |n| async move {
//!     (n <= 3).then(|| (n, n + 1))
//! });
//! assert_eq!(pages.next().await, Some(1));
//! let rest: Vec<u32> = pages.collect().await;
//! assert_eq!(rest, vec![2, 3]);
//! # }
//! ```

use std::fmt;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use crate::client::Handle;
use crate::error::BuildError;
use crate::operation::{SendFuture, SendResult};

/// An operation's `orchestrate`: sends one request for an input (or fails
/// with its build error).
pub type SendFn<I, O, E> = fn(Arc<Handle>, Result<I, BuildError>) -> SendFuture<O, E>;

/// The pages of a paginated operation, as a generated paginator's `send()`
/// returns them: `send` sends one request (the operation's
/// `orchestrate`), and `next` gives the input of the next page from the last
/// input and its output, or `None` when the output ends the pagination
/// (its third argument says whether a page that returns the token it was
/// sent with ends it). The loop and its future live here, once, rather than
/// in every paginator.
pub fn paginate<I, O, E>(
    handle: Arc<Handle>,
    input: I,
    stop_on_duplicate_token: bool,
    send: SendFn<I, O, E>,
    next: fn(I, &O, bool) -> Option<I>,
) -> PaginationStream<SendResult<O, E>>
where
    I: Clone + Send + 'static,
    O: Send + 'static,
    E: Send + 'static,
{
    PaginationStream::unfold(Some(input), move |input: Option<I>| {
        let handle = Arc::clone(&handle);
        async move {
            let input = input?;
            let result = send(handle, Ok(input.clone())).await;
            let following = match &result {
                Ok(output) => next(input, output, stop_on_duplicate_token),
                Err(_) => None,
            };
            Some((result, following))
        }
    })
}

/// The function that produces the stream's next element.
type PollNext<Item> = Box<dyn FnMut(&mut Context<'_>) -> Poll<Option<Item>> + Send>;

/// An asynchronous sequence of pages or items, ending after the last page or
/// after the first error.
///
/// Dropping a `next()` future before it completes does not lose a page: the
/// request in flight is kept and the next call to `next()` resumes it.
pub struct PaginationStream<Item> {
    poll: PollNext<Item>,
}

impl<Item> fmt::Debug for PaginationStream<Item> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaginationStream").finish_non_exhaustive()
    }
}

impl<Item: Send + 'static> PaginationStream<Item> {
    /// A stream driven by `step`: each call receives the state the previous
    /// one returned (the first receives `init`) and yields an element with the
    /// next state, or `None` to end the stream.
    pub fn unfold<S, F, Fut>(init: S, mut step: F) -> Self
    where
        S: Send + 'static,
        F: FnMut(S) -> Fut + Send + 'static,
        Fut: Future<Output = Option<(Item, S)>> + Send + 'static,
    {
        let mut state = Some(init);
        let mut in_flight: Option<Pin<Box<Fut>>> = None;
        PaginationStream {
            poll: Box::new(move |cx| loop {
                if let Some(future) = in_flight.as_mut() {
                    let produced = match future.as_mut().poll(cx) {
                        Poll::Ready(produced) => produced,
                        Poll::Pending => return Poll::Pending,
                    };
                    in_flight = None;
                    return Poll::Ready(produced.map(|(item, next)| {
                        state = Some(next);
                        item
                    }));
                }
                match state.take() {
                    Some(current) => in_flight = Some(Box::pin(step(current))),
                    None => return Poll::Ready(None),
                }
            }),
        }
    }

    /// A stream of exactly one element.
    pub fn once(item: Item) -> Self {
        let mut item = Some(item);
        PaginationStream {
            poll: Box::new(move |_| Poll::Ready(item.take())),
        }
    }

    /// A stream with no elements.
    pub fn empty() -> Self {
        PaginationStream {
            poll: Box::new(|_| Poll::Ready(None)),
        }
    }

    /// The next element, or `None` once the stream has ended.
    pub async fn next(&mut self) -> Option<Item> {
        poll_fn(|cx| self.poll_next(cx)).await
    }

    /// Polls for the next element, for adapting the stream to other stream
    /// traits (`futures::Stream` and the like).
    pub fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Item>> {
        (self.poll)(cx)
    }

    /// Reads the stream to its end and gathers every element.
    ///
    /// Collecting into `Result<Vec<_>, _>` gives the items, or the error
    /// that ended the stream.
    pub async fn collect<C: FromIterator<Item>>(mut self) -> C {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item);
        }
        items.into_iter().collect()
    }
}

impl<T: Send + 'static, E: Send + 'static> PaginationStream<Result<T, E>> {
    /// The next successful element, `Ok(None)` at the end, or the error that
    /// ends the stream.
    pub async fn try_next(&mut self) -> Result<Option<T>, E> {
        self.next().await.transpose()
    }

    /// Reads the stream to its end: every element, or the first error.
    pub async fn try_collect(self) -> Result<Vec<T>, E> {
        self.collect().await
    }

    /// A stream of what `items` makes of each successful element, in order;
    /// an error is passed through and ends the stream.
    ///
    /// Generated paginators use this to turn pages into their items.
    pub fn flat_map_ok<F, I>(self, items: F) -> PaginationStream<Result<I::Item, E>>
    where
        F: FnMut(T) -> I + Send + 'static,
        I: IntoIterator,
        I::IntoIter: Send + 'static,
        I::Item: Send + 'static,
    {
        struct State<T, E, F, It> {
            pages: PaginationStream<Result<T, E>>,
            items: F,
            current: Option<It>,
        }
        let init = State {
            pages: self,
            items,
            current: None,
        };
        PaginationStream::unfold(init, |mut state: State<T, E, F, I::IntoIter>| async move {
            loop {
                if let Some(item) = state.current.as_mut().and_then(Iterator::next) {
                    return Some((Ok(item), state));
                }
                match state.pages.next().await? {
                    Ok(page) => state.current = Some((state.items)(page).into_iter()),
                    Err(err) => {
                        state.current = None;
                        return Some((Err(err), state));
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// Pages 1..=last, each holding `[n * 10, n * 10 + 1]`; page `fail_at` is an error.
    fn pages(
        last: u32,
        fail_at: Option<u32>,
        calls: Arc<AtomicUsize>,
    ) -> PaginationStream<Result<Vec<u32>, String>> {
        PaginationStream::unfold(Some(1u32), move |n| {
            let calls = calls.clone();
            async move {
                let n = n?;
                calls.fetch_add(1, Ordering::SeqCst);
                if Some(n) == fail_at {
                    return Some((Err(format!("page {n} failed")), None));
                }
                let next = (n < last).then_some(n + 1);
                Some((Ok(vec![n * 10, n * 10 + 1]), next))
            }
        })
    }

    #[tokio::test]
    async fn unfold_yields_every_page_in_order_then_ends() {
        let calls = Arc::new(AtomicUsize::new(0));
        let mut stream = pages(3, None, calls.clone());
        assert_eq!(stream.next().await, Some(Ok(vec![10, 11])));
        assert_eq!(calls.load(Ordering::SeqCst), 1, "lazy: one page per next()");
        assert_eq!(stream.next().await, Some(Ok(vec![20, 21])));
        assert_eq!(stream.next().await, Some(Ok(vec![30, 31])));
        assert_eq!(stream.next().await, None);
        assert_eq!(stream.next().await, None, "stays ended");
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn an_error_is_the_last_element() {
        let calls = Arc::new(AtomicUsize::new(0));
        let mut stream = pages(5, Some(2), calls.clone());
        assert!(matches!(stream.next().await, Some(Ok(_))));
        assert_eq!(stream.next().await, Some(Err("page 2 failed".to_owned())));
        assert_eq!(stream.next().await, None);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn collect_and_try_collect() {
        let calls = Arc::new(AtomicUsize::new(0));
        let all: Vec<_> = pages(2, None, calls.clone()).collect().await;
        assert_eq!(all, vec![Ok(vec![10, 11]), Ok(vec![20, 21])]);
        let ok = pages(2, None, calls.clone()).try_collect().await;
        assert_eq!(ok, Ok(vec![vec![10, 11], vec![20, 21]]));
        let failed: Result<Vec<_>, _> = pages(3, Some(3), calls.clone()).collect().await;
        assert_eq!(failed, Err("page 3 failed".to_owned()));
    }

    #[tokio::test]
    async fn flat_map_ok_yields_items_and_passes_errors_through() {
        let calls = Arc::new(AtomicUsize::new(0));
        let items: Vec<_> = pages(2, None, calls.clone())
            .flat_map_ok(|page| page)
            .collect()
            .await;
        assert_eq!(items, vec![Ok(10), Ok(11), Ok(20), Ok(21)]);

        let mut items = pages(3, Some(2), calls.clone()).flat_map_ok(|page| page);
        assert_eq!(items.try_next().await, Ok(Some(10)));
        assert_eq!(items.try_next().await, Ok(Some(11)));
        assert_eq!(items.try_next().await, Err("page 2 failed".to_owned()));
        assert_eq!(items.try_next().await, Ok(None));
    }

    #[tokio::test]
    async fn empty_pages_are_skipped_by_items() {
        let stream = PaginationStream::unfold(0u32, |n| async move {
            (n < 3).then(|| (Ok::<_, ()>(if n == 1 { vec![7] } else { vec![] }), n + 1))
        });
        let items = stream.flat_map_ok(|page| page).try_collect().await;
        assert_eq!(items, Ok(vec![7]));
    }

    #[tokio::test]
    async fn once_and_empty() {
        let mut one = PaginationStream::once(5);
        assert_eq!(one.next().await, Some(5));
        assert_eq!(one.next().await, None);
        let mut none = PaginationStream::<u8>::empty();
        assert_eq!(none.next().await, None);
    }

    /// A future that is pending on its first poll and ready on the second.
    struct YieldOnce(bool);
    impl Future for YieldOnce {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 {
                Poll::Ready(())
            } else {
                self.0 = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }

    #[tokio::test]
    async fn a_dropped_next_future_keeps_the_request_in_flight() {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let mut stream = PaginationStream::unfold(0u32, move |n| {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                YieldOnce(false).await;
                (n < 2).then_some((n, n + 1))
            }
        });
        // Poll once (pending), then drop that `next()` future.
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        assert!(stream.poll_next(&mut cx).is_pending());
        assert_eq!(stream.next().await, Some(0));
        assert_eq!(
            calls.load(Ordering::SeqCst),
            1,
            "the first step was resumed, not restarted"
        );
        assert_eq!(stream.next().await, Some(1));
        assert_eq!(stream.next().await, None);
    }

    #[test]
    fn streams_are_send() {
        fn is_send<T: Send>(_: &T) {}
        is_send(&PaginationStream::<Result<String, String>>::empty());
    }
}
