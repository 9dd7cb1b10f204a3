//! Paginators of a generated client (`tests/models/paginated.json`, generated
//! by the `smithgen-paginated-client` build script), driven through a
//! transport that answers each request with the next scripted page.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use smithgen_paginated_client::paginated::error::SdkError;
use smithgen_paginated_client::paginated::operation::list_things::paginator::ListThingsPaginator;
use smithgen_paginated_client::paginated::operation::list_things::{
    ListThingsError, ListThingsOutput,
};
use smithgen_paginated_client::paginated::types::Thing;
use smithgen_paginated_client::paginated::{Client, Config};
use smithgen_runtime::error::ConnectorError;
use smithgen_runtime::http::{HttpClient, HttpFuture, HttpRequest, HttpResponse};
use smithgen_runtime::pagination::PaginationStream;

/// Answers requests with scripted responses in order and records the requests.
#[derive(Clone, Debug, Default)]
struct Pages {
    responses: Arc<Mutex<VecDeque<HttpResponse>>>,
    requests: Arc<Mutex<Vec<HttpRequest>>>,
}

impl Pages {
    fn new(responses: impl IntoIterator<Item = HttpResponse>) -> Pages {
        Pages {
            responses: Arc::new(Mutex::new(responses.into_iter().collect())),
            requests: Arc::default(),
        }
    }

    /// The JSON bodies of the requests received so far.
    fn bodies(&self) -> Vec<Value> {
        self.requests
            .lock()
            .expect("lock")
            .iter()
            .map(|r| serde_json::from_slice(&r.body).expect("request body is JSON"))
            .collect()
    }

    fn targets(&self) -> Vec<String> {
        self.requests
            .lock()
            .expect("lock")
            .iter()
            .map(|r| r.header("x-amz-target").unwrap_or_default().to_owned())
            .collect()
    }

    fn client(&self) -> Client {
        Client::from_conf(
            Config::builder()
                .region("us-east-1")
                .endpoint_url("http://127.0.0.1:1")
                .http_client(self.clone())
                .build(),
        )
    }
}

impl HttpClient for Pages {
    fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
        self.requests.lock().expect("lock").push(request);
        let next = self.responses.lock().expect("lock").pop_front();
        Box::pin(async move {
            next.ok_or_else(|| ConnectorError::other("no scripted response is left"))
        })
    }
}

fn ok(body: Value) -> HttpResponse {
    HttpResponse::new(
        200,
        vec![(
            "content-type".to_owned(),
            "application/x-amz-json-1.1".to_owned(),
        )],
        body.to_string().into_bytes(),
    )
}

fn invalid_owner() -> HttpResponse {
    HttpResponse::new(
        400,
        vec![(
            "content-type".to_owned(),
            "application/x-amz-json-1.1".to_owned(),
        )],
        json!({"__type": "InvalidOwnerException", "message": "no such owner"})
            .to_string()
            .into_bytes(),
    )
}

/// A page of `ListThings` holding things with these ids.
fn things(ids: &[&str], token: Option<&str>) -> HttpResponse {
    let things: Vec<Value> = ids.iter().map(|id| json!({"Id": id})).collect();
    let mut body = json!({"Things": things});
    if let Some(token) = token {
        body["NextToken"] = json!(token);
    }
    ok(body)
}

fn ids(page: &ListThingsOutput) -> Vec<&str> {
    page.things().iter().filter_map(Thing::id).collect()
}

fn three_pages() -> Pages {
    Pages::new([
        things(&["a", "b"], Some("t1")),
        things(&["c"], Some("t2")),
        things(&["d"], None),
    ])
}

fn list(pages: &Pages) -> ListThingsPaginator {
    pages.client().list_things().owner("me").into_paginator()
}

async fn drain<T, E>(mut stream: PaginationStream<Result<T, E>>) -> Vec<Result<T, E>>
where
    T: Send + 'static,
    E: Send + 'static,
{
    let mut all = Vec::new();
    while let Some(item) = stream.next().await {
        all.push(item);
    }
    all
}

#[tokio::test]
async fn pages_come_in_order_each_request_sending_the_previous_token() {
    let pages = three_pages();
    let mut stream = list(&pages).page_size(10).send();

    let first = stream.next().await.expect("page 1").expect("ok");
    assert_eq!(ids(&first), ["a", "b"]);
    assert_eq!(first.next_token(), Some("t1"));
    assert_eq!(pages.bodies().len(), 1, "one request per page, sent lazily");
    let second = stream.next().await.expect("page 2").expect("ok");
    assert_eq!(ids(&second), ["c"]);
    let third = stream.next().await.expect("page 3").expect("ok");
    assert_eq!(ids(&third), ["d"]);
    assert!(
        stream.next().await.is_none(),
        "a page without a token is the last"
    );
    assert!(stream.next().await.is_none());

    assert_eq!(
        pages.bodies(),
        [
            json!({"Owner": "me", "MaxResults": 10}),
            json!({"Owner": "me", "NextToken": "t1", "MaxResults": 10}),
            json!({"Owner": "me", "NextToken": "t2", "MaxResults": 10}),
        ]
    );
    assert!(pages
        .targets()
        .iter()
        .all(|t| t == "PaginatedService.ListThings"));
}

#[tokio::test]
async fn nothing_is_sent_until_a_page_is_asked_for() {
    let pages = three_pages();
    let stream = list(&pages).send();
    assert!(pages.bodies().is_empty());
    drop(stream);
    assert!(pages.bodies().is_empty());
}

#[tokio::test]
async fn collect_gathers_every_page() {
    let pages = three_pages();
    let all: Result<Vec<ListThingsOutput>, _> = list(&pages).send().collect().await;
    let all = all.expect("every page");
    assert_eq!(all.len(), 3);
    let via_try = list(&three_pages()).send().try_collect().await.expect("ok");
    assert_eq!(via_try, all);
}

#[tokio::test]
async fn items_flatten_the_pages() {
    let pages = three_pages();
    let things: Vec<Thing> = list(&pages)
        .page_size(2)
        .items()
        .send()
        .try_collect()
        .await
        .expect("every item");
    let ids: Vec<_> = things.iter().filter_map(Thing::id).collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    assert_eq!(pages.bodies().len(), 3);
    assert_eq!(pages.bodies()[2]["MaxResults"], json!(2));
}

#[tokio::test]
async fn an_empty_token_ends_pagination() {
    let pages = Pages::new([
        things(&["a"], Some("t1")),
        things(&["b"], Some("")),
        things(&["never"], None),
    ]);
    let all = list(&pages).send().try_collect().await.expect("ok");
    assert_eq!(all.len(), 2);
    assert_eq!(pages.bodies().len(), 2);
}

#[tokio::test]
async fn a_repeated_token_ends_pagination_unless_told_otherwise() {
    let script = || {
        Pages::new([
            things(&["a"], Some("t1")),
            things(&["b"], Some("t1")),
            things(&["c"], None),
        ])
    };
    let pages = script();
    let all = list(&pages).send().try_collect().await.expect("ok");
    assert_eq!(all.len(), 2, "page 2 returned the token it was sent");
    assert_eq!(pages.bodies().len(), 2);

    let pages = script();
    let all = list(&pages)
        .stop_on_duplicate_token(false)
        .send()
        .try_collect()
        .await
        .expect("ok");
    assert_eq!(all.len(), 3);
    assert_eq!(pages.bodies()[2]["NextToken"], json!("t1"));
}

#[tokio::test]
async fn a_starting_token_set_on_the_request_is_sent_first() {
    let pages = Pages::new([things(&["z"], None)]);
    let all = pages
        .client()
        .list_things()
        .owner("me")
        .next_token("resume-here")
        .into_paginator()
        .send()
        .try_collect()
        .await
        .expect("ok");
    assert_eq!(all.len(), 1);
    assert_eq!(pages.bodies()[0]["NextToken"], json!("resume-here"));
}

#[tokio::test]
async fn an_error_is_yielded_then_ends_the_stream() {
    let pages = Pages::new([
        things(&["a"], Some("t1")),
        invalid_owner(),
        things(&["never"], None),
    ]);
    let all = drain(list(&pages).send()).await;
    assert_eq!(all.len(), 2);
    assert!(all[0].is_ok());
    match &all[1] {
        Err(SdkError::ServiceError(e)) => assert!(
            matches!(e.err(), ListThingsError::InvalidOwnerException(_)),
            "{e:?}"
        ),
        other => panic!("expected the modeled error, got {other:?}"),
    }
    assert_eq!(pages.bodies().len(), 2, "nothing is sent after the error");

    let pages = Pages::new([
        things(&["a", "b"], Some("t1")),
        invalid_owner(),
        things(&["never"], None),
    ]);
    let items = drain(list(&pages).items().send()).await;
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].as_ref().ok().and_then(Thing::id), Some("a"));
    assert_eq!(items[1].as_ref().ok().and_then(Thing::id), Some("b"));
    assert!(matches!(items[2], Err(SdkError::ServiceError(_))));
    let pages = Pages::new([things(&["a"], Some("t1")), invalid_owner()]);
    let err = list(&pages).send().try_collect().await;
    assert!(
        matches!(err, Err(SdkError::ServiceError(_))),
        "try_collect stops at the error: {err:?}"
    );
}

#[tokio::test]
async fn an_input_that_cannot_be_built_is_the_only_element() {
    let pages = three_pages();
    let all = drain(pages.client().list_things().into_paginator().send()).await;
    assert_eq!(all.len(), 1);
    assert!(
        matches!(all[0], Err(SdkError::ConstructionFailure(_))),
        "{:?}",
        all[0]
    );
    assert!(pages.bodies().is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn nested_output_token_and_items() {
    let pages = Pages::new([
        ok(json!({"Result": {"Entries": ["a", "b"], "NextMarker": "m1"}})),
        ok(json!({"Result": {"Entries": []}})),
    ]);
    let client = pages.client();
    let entries: Vec<String> = client
        .list_nested()
        .into_paginator()
        .page_size(2)
        .items()
        .send()
        .try_collect()
        .await
        .expect("ok");
    assert_eq!(entries, ["a", "b"]);
    assert_eq!(
        pages.bodies(),
        [json!({"Limit": 2}), json!({"Marker": "m1", "Limit": 2})]
    );

    // A page without the nested structure has no token, and no items.
    let pages = Pages::new([ok(json!({}))]);
    let entries = pages
        .client()
        .list_nested()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .expect("ok");
    assert!(entries.is_empty());
}

#[tokio::test]
async fn map_tokens_are_sent_back_and_an_empty_map_ends_pagination() {
    let pages = Pages::new([
        ok(json!({"Counts": {"a": 1, "b": 2}, "LastEvaluatedKey": {"pk": "b"}})),
        ok(json!({"Counts": {"c": 3}, "LastEvaluatedKey": {}})),
        ok(json!({"Counts": {"never": 0}})),
    ]);
    let counts: HashMap<String, i32> = pages
        .client()
        .scan_keys()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<_, _>>()
        .await
        .expect("ok");
    assert_eq!(
        counts,
        HashMap::from([
            ("a".to_owned(), 1),
            ("b".to_owned(), 2),
            ("c".to_owned(), 3)
        ])
    );
    assert_eq!(
        pages.bodies(),
        [json!({}), json!({"ExclusiveStartKey": {"pk": "b"}})]
    );
}

#[test]
fn streams_and_paginators_can_move_between_threads() {
    fn is_send<T: Send>() {}
    is_send::<ListThingsPaginator>();
    is_send::<PaginationStream<Result<ListThingsOutput, SdkError<ListThingsError>>>>();
}
