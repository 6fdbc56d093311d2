//! What is written in an `internal` community never leaves the instance, through
//! any exit: the remote server of a follower of the author, and of people
//! mentioned in internal threads, records every request the instance makes to it
//! while people post, reply, mention, edit, like, delete and search; none carries
//! internal content. A public post made afterwards shows the capture works (and,
//! events being processed in order, that everything before it was processed).

use federation_tests::{
    Backend, Instance, eventually,
    fake::{FakeServer, Signing, new_keys},
    urlencode,
};
use reqwest::Method;
use serde_json::{Value, json};

const SECRET: &str = "CONFIDENTIAL-7f3a";

async fn scenario(backend: Backend) {
    let fake = FakeServer::start().await.expect("fake");
    let keys = new_keys().expect("keys");
    let remi = fake.add_actor("remi", &keys);
    let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
    let alice = alpha
        .create_user("alice", "alice password", "read write follow")
        .await
        .expect("alice");
    let bob = alpha
        .create_user("bob", "bob password", "read write follow")
        .await
        .expect("bob");

    // remi (remote) follows alice: her personal posts go to his server.
    let follow = json!({"id": format!("{remi}/follow/alice"), "type": "Follow",
        "actor": remi, "object": alpha.url("/users/alice")});
    let status = fake
        .post(
            &alpha.url("/users/alice/inbox"),
            &remi,
            &keys,
            &follow,
            Signing::Valid,
        )
        .await
        .unwrap();
    assert_eq!(status, 202);
    eventually(15, "remi's Accept", || async {
        fake.received()
            .iter()
            .any(|a| a["type"] == "Accept")
            .then_some(())
    })
    .await;

    let (status, hr) = alpha
        .post(
            "/api/passerelle/v1/communities",
            &alice,
            json!({"name": "hr", "visibility": "internal"}),
        )
        .await;
    assert_eq!(status, 200, "{hr}");
    let hr = hr["id"].as_str().unwrap().to_string();
    let (status, _) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{hr}/join"),
            &bob,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);

    // Everything people do inside: threads and replies mentioning the remote
    // follower, an edit, likes, a deletion, a search.
    let mention = format!("@remi@{}", fake.domain);
    let (status, thread) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{hr}/threads"),
            &alice,
            json!({"title": format!("{SECRET} reorganisation"), "body": format!("{SECRET} plan, cc {mention}")}),
        )
        .await;
    assert_eq!(status, 200, "{thread}");
    let thread_id = thread["id"].as_str().unwrap().to_string();
    assert_eq!(
        thread["mentions"][0]["url"].as_str(),
        Some(remi.as_str()),
        "the mention is resolved, so there is something that could leak: {thread}"
    );
    let (status, reply) = alpha
        .post(
            &format!("/api/passerelle/v1/statuses/{thread_id}/comments"),
            &bob,
            json!({"body": format!("{SECRET} reply to {mention}")}),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
    let reply_id = reply["id"].as_str().unwrap().to_string();
    let (status, reply2) = alpha
        .post(
            &format!("/api/passerelle/v1/statuses/{reply_id}/comments"),
            &alice,
            json!({"body": format!("{SECRET} nested, {mention}")}),
        )
        .await;
    assert_eq!(status, 200, "{reply2}");
    let (status, _) = alpha
        .send(
            Method::PUT,
            &format!("/api/passerelle/v1/statuses/{thread_id}"),
            &alice,
            json!({"body": format!("{SECRET} plan, edited, {mention}")}),
        )
        .await;
    assert_eq!(status, 200);
    for id in [&thread_id, &reply_id] {
        let (status, _) = alpha
            .post(
                &format!("/api/passerelle/v1/statuses/{id}/like"),
                &alice,
                json!({}),
            )
            .await;
        assert_eq!(status, 200);
    }
    let (status, _) = alpha
        .send(
            Method::DELETE,
            &format!(
                "/api/passerelle/v1/statuses/{}",
                reply2["id"].as_str().unwrap()
            ),
            &alice,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    // An event, answered and cancelled: its date, place and calendar files too.
    let (status, event) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{hr}/events"),
            &alice,
            json!({"title": format!("{SECRET} briefing"), "description": format!("{SECRET} agenda, cc {mention}"),
                   "starts_at": "2030-02-01T09:00", "location": format!("{SECRET} room")}),
        )
        .await;
    assert_eq!(status, 200, "{event}");
    let event_id = event["id"].as_str().unwrap().to_string();
    let (status, _) = alpha
        .post(
            &format!("/api/passerelle/v1/events/{event_id}/answer"),
            &bob,
            json!({"answer": "going"}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = alpha
        .post(
            &format!("/api/passerelle/v1/events/{event_id}/cancel"),
            &alice,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    for path in [format!("/events/{event_id}.ics"), "/c/hr/events.ics".into()] {
        let resp = reqwest::get(alpha.url(&path)).await.unwrap();
        let status = resp.status();
        let body = resp.text().await.unwrap();
        assert!(
            status == 404 && !body.contains(SECRET),
            "{path} served internal content: {status} {body}"
        );
    }
    // A library document in a folder, with a second version: its name, folder,
    // description and file stay home, and its file opens to no other server.
    let library = format!("/api/passerelle/v1/communities/{hr}/library");
    let (status, _) = alpha
        .post(
            &format!("{library}/folders"),
            &alice,
            json!({"name": format!("{SECRET} folder")}),
        )
        .await;
    assert_eq!(status, 201);
    let mut document = Value::Null;
    for (i, path) in [library.clone(), String::new()].iter().enumerate() {
        let path = if i == 0 {
            path.clone()
        } else {
            format!(
                "/api/passerelle/v1/documents/{}/versions",
                document["id"].as_str().unwrap()
            )
        };
        let form = reqwest::multipart::Form::new()
            .text("title", format!("{SECRET} salaries"))
            .text("description", format!("{SECRET} grid"))
            .part(
                "file",
                reqwest::multipart::Part::bytes(format!("{SECRET} file {i}").into_bytes())
                    .file_name(format!("{SECRET}.txt"))
                    .mime_str("text/plain")
                    .unwrap(),
            );
        let resp = alpha
            .client
            .post(alpha.url(&path))
            .bearer_auth(&alice)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201);
        if i == 0 {
            document = resp.json().await.unwrap();
        }
    }
    let document_id = document["id"].as_str().unwrap().to_string();
    // A survey, answered: its questions, answers and results stay inside too.
    let (status, survey) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{hr}/surveys"),
            &alice,
            json!({"title": format!("{SECRET} climate"), "description": format!("{SECRET} cc {mention}"),
                   "closes_at": "2030-01-01T10:00:00Z",
                   "questions": [{"kind": "single", "prompt": format!("{SECRET} happy?"),
                                  "options": [format!("{SECRET} yes"), "no"]},
                                 {"kind": "text", "prompt": "Why?"}]}),
        )
        .await;
    assert_eq!(status, 200, "{survey}");
    let survey_id = survey["id"].as_str().unwrap().to_string();
    let (status, _) = alpha
        .post(
            &format!("/api/passerelle/v1/surveys/{survey_id}/answer"),
            &bob,
            json!({"answers": [{"question": 0, "choices": [0]},
                               {"question": 1, "text": format!("{SECRET} answer")}]}),
        )
        .await;
    assert_eq!(status, 200);
    let page = reqwest::get(alpha.url(&format!("/posts/{survey_id}")))
        .await
        .unwrap();
    assert_eq!(
        page.status(),
        404,
        "an internal survey's page is for members"
    );
    // A status outside any community, with the internal visibility's Mastodon
    // counterpart for a community post, is not affected: private posts go to
    // followers by design. Searching for internal text stays local.
    let (status, _) = alpha
        .get(
            &format!("/api/v2/search?q={}&resolve=true", urlencode(SECRET)),
            Some(&alice),
        )
        .await;
    assert!(status == 200, "search: {status}");

    // The control: a public post mentioning remi reaches his server.
    let control = format!("Public hello {mention}");
    let (status, _) = alpha
        .post(
            "/api/v1/statuses",
            &alice,
            json!({"status": control, "visibility": "public"}),
        )
        .await;
    assert_eq!(status, 200);
    // And a public survey of alice's own: her follower's server (software
    // without the extension) gets a link to its page in the content.
    let (status, open) = alpha
        .post(
            "/api/passerelle/v1/surveys",
            &alice,
            json!({"title": "Lunch survey", "description": "Where to?", "visibility": "public",
                   "closes_at": "2030-01-01T10:00:00Z",
                   "questions": [{"kind": "scale", "prompt": "Hungry?"}]}),
        )
        .await;
    assert_eq!(status, 200, "{open}");
    let page = alpha.url(&format!("/posts/{}", open["id"].as_str().unwrap()));
    let sent = eventually(20, "the public survey at remi's server", || async {
        fake.received()
            .into_iter()
            .find(|a| a["type"] == "Create" && a["object"]["name"] == "Lunch survey")
    })
    .await;
    let content = sent["object"]["content"].as_str().unwrap();
    assert!(content.contains(&format!("href=\"{page}\"")), "{content}");
    assert_eq!(sent["object"]["survey"]["questions"][0]["kind"], "scale");
    let resp = reqwest::get(&page).await.unwrap();
    assert_eq!(resp.status(), 200, "the link works");
    assert!(
        resp.text().await.unwrap().contains("Hungry?"),
        "the questions show"
    );
    eventually(20, "the public post at remi's server", || async {
        fake.received()
            .iter()
            .any(|a| {
                a["type"] == "Create" && a["object"]["content"].to_string().contains("Public hello")
            })
            .then_some(())
    })
    .await;
    alpha.settled().await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    let captured = fake.captured();
    assert!(
        captured.iter().any(|r| r.contains("Public hello")),
        "the capture sees what is sent"
    );
    for request in &captured {
        assert!(
            !request.contains(SECRET),
            "internal content left the instance:\n{request}"
        );
    }
    // And remi's server, asking, gets nothing of it either.
    let thread_url = thread["uri"].as_str().unwrap();
    for url in [
        thread_url.to_string(),
        event["uri"].as_str().unwrap().to_string(),
        document["uri"].as_str().unwrap().to_string(),
        alpha.url(&format!("/documents/{document_id}/file")),
        alpha.url(&format!("/documents/{document_id}/versions/1")),
        alpha.url(&format!("/statuses/{survey_id}")),
        alpha.url("/c/hr"),
        alpha.url("/c/hr/outbox?page=true"),
        alpha.url("/users/alice/outbox?page=true"),
    ] {
        let (status, body) = fake.get(&url, &remi, &keys, Signing::Valid).await.unwrap();
        assert!(
            !body.to_string().contains(SECRET),
            "{url} served internal content: {status} {body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internal_content_never_leaves_through_any_exit() {
    for backend in Backend::available() {
        scenario(backend).await;
    }
}
