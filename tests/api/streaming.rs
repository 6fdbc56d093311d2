//! Streaming: the WebSocket (token as subprotocol, subscribe/unsubscribe, Mastodon's
//! framing) and server-sent events; only what the listener may see.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest, http::HeaderValue};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, spawn_app},
};

pub(crate) type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens the WebSocket with the token as subprotocol, as browsers must.
pub(crate) async fn connect(app: &TestApp, query: &str, token: &str) -> Socket {
    let url = format!("ws://{}/api/v1/streaming{query}", app.domain);
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        HeaderValue::from_str(token).unwrap(),
    );
    let (socket, response) = tokio_tungstenite::connect_async(request).await.unwrap();
    assert_eq!(
        response.headers()["sec-websocket-protocol"],
        token,
        "the subprotocol must be echoed"
    );
    socket
}

/// The next message (pings skipped), as `(stream, event, payload)`.
pub(crate) async fn next(socket: &mut Socket) -> (Vec<String>, String, String) {
    loop {
        let m = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("a message within 10 s")
            .expect("the socket is open")
            .unwrap();
        if let Message::Text(t) = m {
            let v: Value = serde_json::from_str(&t).unwrap();
            if v.get("error").is_some() {
                return (vec![], "error".into(), v.to_string());
            }
            let stream = v["stream"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect();
            return (
                stream,
                v["event"].as_str().unwrap().into(),
                v["payload"].as_str().unwrap().into(),
            );
        }
    }
}

async fn command(socket: &mut Socket, kind: &str, stream: &str) {
    let message = json!({"type": kind, "stream": stream}).to_string();
    socket.send(Message::Text(message.into())).await.unwrap();
}

pub(crate) async fn post(app: &TestApp, token: &str, text: &str) -> String {
    let (status, s) = app
        .post_json(token, "/api/v1/statuses", json!({"status": text}))
        .await;
    assert_eq!(status, 200, "{s}");
    s["id"].as_str().unwrap().to_string()
}

async fn websocket(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let carol = app.user_with_token("carol", "read write follow").await;
    let bob_id = app.account_id(&bob).await;
    let (status, _) = app
        .post_json(
            &alice,
            &format!("/api/v1/accounts/{bob_id}/follow"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    // Carol keeps an internal community that Alice is not in.
    let (status, c) = app
        .post_json(
            &carol,
            "/api/passerelle/v1/communities",
            json!({"name": "board", "title": "Board", "visibility": "internal"}),
        )
        .await;
    assert_eq!(status, 200, "{c}");
    let board = c["id"].as_str().unwrap().to_string();

    let mut socket = connect(&app, "?stream=user", &alice).await;

    let hello = post(&app, &bob, "hello from bob").await;
    let (stream, event, payload) = next(&mut socket).await;
    assert_eq!(
        (stream, event.as_str()),
        (vec!["user".to_string()], "update")
    );
    let status: Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(status["id"], hello.as_str());
    assert!(
        status["content"]
            .as_str()
            .unwrap()
            .contains("hello from bob")
    );

    // A mention: the status (Bob is followed), then the notification.
    let mention = post(&app, &bob, "@alice are you there?").await;
    let mut events = [next(&mut socket).await, next(&mut socket).await];
    events.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(events[0].1, "notification");
    let n: Value = serde_json::from_str(&events[0].2).unwrap();
    assert_eq!(n["type"], "mention");
    assert_eq!(n["status"]["id"], mention.as_str());
    assert_eq!(events[1].1, "update");

    // One more stream on the same socket.
    command(&mut socket, "subscribe", "public:local").await;
    command(&mut socket, "subscribe", "no such thing").await;
    let (_, event, error) = next(&mut socket).await;
    assert_eq!(event, "error", "{error}");

    // Nothing of the internal community reaches Alice, on any stream.
    let (status, t) = app
        .post_json(
            &carol,
            &format!("/api/passerelle/v1/communities/{board}/threads"),
            json!({"title": "Budget", "body": "confidential figures"}),
        )
        .await;
    assert_eq!(status, 200, "{t}");
    // Carol is not followed: public:local only.
    let open = post(&app, &carol, "an open note from carol").await;
    let (stream, event, payload) = next(&mut socket).await;
    assert_eq!(
        (stream, event.as_str()),
        (vec!["public:local".to_string()], "update")
    );
    let status: Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(status["id"], open.as_str(), "the internal thread leaked");

    // Deletion: the bare id, on every timeline stream.
    let resp = app
        .delete_auth(&format!("/api/v1/statuses/{hello}"), &bob)
        .await;
    assert_eq!(resp.status(), 200);
    let mut deletes = [next(&mut socket).await, next(&mut socket).await];
    deletes.sort();
    for (_, event, payload) in &deletes {
        assert_eq!(
            (event.as_str(), payload.as_str()),
            ("delete", hello.as_str())
        );
    }

    // Unsubscribed: public statuses from strangers no longer arrive.
    command(&mut socket, "unsubscribe", "public:local").await;
    post(&app, &carol, "nobody listens").await;
    let last = post(&app, &bob, "bob again").await;
    let (stream, _, payload) = next(&mut socket).await;
    assert_eq!(stream, ["user"]);
    assert!(payload.contains(&last), "{payload}");

    // The home stream needs a token; bad requests get HTTP errors.
    let url = format!("ws://{}/api/v1/streaming?stream=user", app.domain);
    match tokio_tungstenite::connect_async(url).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), 401),
        other => panic!("expected 401, got {other:?}"),
    }
    let resp = app.get("/api/v1/streaming").await;
    assert_eq!(resp.status(), 400);
    let resp = app.get("/api/v1/streaming/health").await;
    assert_eq!(resp.text().await.unwrap(), "OK");
}

/// Reads server-sent events until one of `event` arrives; its data.
pub(crate) async fn sse_event(resp: &mut reqwest::Response, event: &str) -> String {
    let mut buffer = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let chunk = tokio::time::timeout_at(deadline, resp.chunk())
            .await
            .expect("an event within 10 s")
            .unwrap()
            .expect("the stream is open");
        buffer.push_str(std::str::from_utf8(&chunk).unwrap());
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let name = block.lines().find_map(|l| l.strip_prefix("event: "));
            let data = block.lines().find_map(|l| l.strip_prefix("data: "));
            if name == Some(event) {
                return data.unwrap().to_string();
            }
        }
    }
}

async fn server_sent_events(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let bob = app.user_with_token("bob", "read write").await;
    let mut resp = app
        .client
        .get(app.url(&format!(
            "/api/v1/streaming/user/notification?access_token={alice}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut public = app
        .client
        .get(app.url("/api/v1/streaming/public/local"))
        .send()
        .await
        .unwrap();
    assert_eq!(public.status(), 200, "public streams need no token");
    // Both answered: both subscribed, so the next status reaches them.
    let id = post(&app, &bob, "@alice over server-sent events").await;
    let n: Value = serde_json::from_str(&sse_event(&mut resp, "notification").await).unwrap();
    assert_eq!(n["status"]["id"], id.as_str());
    let s: Value = serde_json::from_str(&sse_event(&mut public, "update").await).unwrap();
    assert_eq!(s["id"], id.as_str());

    let resp = app.get("/api/v1/streaming/user").await;
    assert_eq!(resp.status(), 401, "the home stream needs a token");
    let resp = app.get("/api/v1/streaming/nonsense").await;
    assert_eq!(resp.status(), 404);
    let resp = app.get("/api/v1/streaming/hashtag").await;
    assert_eq!(resp.status(), 400, "a hashtag stream needs its tag");
}

/// Waits until the server closes `socket` (a Close frame or the end), skipping
/// anything sent before; the close frame's code, if one came.
async fn closed(socket: &mut Socket) -> Option<u16> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::time::timeout_at(deadline, socket.next())
            .await
            .expect("closed within 10 s")
        {
            Some(Ok(Message::Close(frame))) => return frame.map(|f| f.code.into()),
            None | Some(Err(_)) => return None,
            Some(Ok(_)) => {}
        }
    }
}

/// Waits until the server ends an event stream, skipping anything sent before.
pub(crate) async fn sse_ends(resp: &mut reqwest::Response) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while let Ok(Some(_)) = tokio::time::timeout_at(deadline, resp.chunk())
        .await
        .expect("the stream ends within 10 s")
    {}
}

/// A suspended or erased person's open streams end at once; others' stay.
async fn sessions_end_with_the_account(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin_with_token("ops", "read write admin:write").await;
    let bob = app.user_with_token("bob", "read write").await;
    let carol = app.user_with_token("carol", "read write").await;
    let bob_id = app.account_id(&bob).await;
    let mut socket = connect(&app, "?stream=user", &bob).await;
    let mut events = app
        .client
        .get(app.url(&format!("/api/v1/streaming/user?access_token={bob}")))
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), 200);
    let mut carols = connect(&app, "?stream=public:local", &carol).await;

    let (status, r) = app
        .post_json(
            &admin,
            &format!("/api/v1/admin/accounts/{bob_id}/action"),
            json!({"type": "suspend"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(closed(&mut socket).await, Some(1008));
    sse_ends(&mut events).await;
    // Carol's stream was not touched: her next status still arrives.
    let id = post(&app, &carol, "still here").await;
    let (_, event, payload) = next(&mut carols).await;
    assert_eq!(event, "update");
    assert!(payload.contains(&id), "{payload}");
    // And Bob cannot come back while suspended.
    let url = format!(
        "ws://{}/api/v1/streaming?stream=user&access_token={bob}",
        app.domain
    );
    match tokio_tungstenite::connect_async(url).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), 401),
        other => panic!("expected 401, got {other:?}"),
    }

    // Deleting one's own account ends one's streams too.
    let mut socket = connect(&app, "?stream=user", &carol).await;
    let resp = app
        .client
        .delete(app.url("/api/passerelle/v1/account"))
        .bearer_auth(&carol)
        .json(&json!({"password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.text().await.unwrap());
    assert_eq!(closed(&mut socket).await, Some(1008));
}

backend_tests!(websocket, server_sent_events, sessions_end_with_the_account);
