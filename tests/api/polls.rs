//! Polls: made with a status (JSON and form encodings), read, voted in; the
//! rules (one vote, valid choices, not after the end, only where one can see).

use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

async fn post_poll(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    app.post_json(token, "/api/v1/statuses", body).await
}

async fn vote(app: &TestApp, token: &str, poll: &str, choices: Value) -> (u16, Value) {
    app.post_json(
        token,
        &format!("/api/v1/polls/{poll}/votes"),
        json!({ "choices": choices }),
    )
    .await
}

fn counts(poll: &Value) -> Vec<Value> {
    poll["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["votes_count"].clone())
        .collect()
}

async fn polls_are_voted_in(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write").await;
    let carol = app.user_with_token("carol", "read write").await;

    let (status, s) = post_poll(
        &app,
        &alice,
        json!({"status": "Lunch?", "poll": {"options": ["Pizza", "Salad", "Soup"], "expires_in": 3600}}),
    )
    .await;
    assert_eq!(status, 200, "{s}");
    let poll = &s["poll"];
    let id = poll["id"].as_str().unwrap().to_string();
    assert_eq!(poll["options"][1]["title"], "Salad");
    assert_eq!(counts(poll), [json!(0), json!(0), json!(0)]);
    assert_eq!(poll["multiple"], false);
    assert_eq!(poll["expired"], false);
    assert_eq!(poll["voted"], false);
    assert!(poll["expires_at"].is_string());

    let (status, p) = vote(&app, &bob, &id, json!(["1"])).await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(counts(&p), [json!(0), json!(1), json!(0)]);
    assert_eq!(
        (p["voted"].clone(), p["own_votes"].clone()),
        (json!(true), json!([1]))
    );
    assert_eq!(p["votes_count"], 1);
    // Rules: once, valid choices, one choice in a single-choice poll.
    let (status, e) = vote(&app, &bob, &id, json!([0])).await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"].as_str().unwrap().contains("already voted"));
    for bad in [
        json!([3]),
        json!([-1]),
        json!([0, 1]),
        json!([]),
        json!(["x"]),
    ] {
        let (status, e) = vote(&app, &carol, &id, bad.clone()).await;
        assert!(status == 422 || status == 400, "{bad}: {status} {e}");
    }
    let (status, e) = vote(&app, &alice, &id, json!([0])).await;
    assert_eq!(status, 422, "the author does not vote: {e}");
    let (status, _) = vote(&app, &carol, "999999", json!([0])).await;
    assert_eq!(status, 404);
    // Anyone who sees the status sees the results, never who voted what.
    let (status, p) = json(app.get(&format!("/api/v1/polls/{id}")).await).await;
    assert_eq!(status, 200);
    assert_eq!(counts(&p), [json!(0), json!(1), json!(0)]);
    assert_eq!(p["voted"], false);
    let (_, s) = json(app.get_auth(&format!("/api/v1/statuses/{id}"), &bob).await).await;
    assert_eq!(s["poll"]["own_votes"], json!([1]));

    // Form encoding, as most apps send it; several choices; hidden totals.
    let resp = app
        .client
        .post(app.url("/api/v1/statuses"))
        .bearer_auth(&carol)
        .form(&[
            ("status", "Which days?"),
            ("poll[options][]", "Mon"),
            ("poll[options][]", "Tue"),
            ("poll[options][]", "Wed"),
            ("poll[expires_in]", "86400"),
            ("poll[multiple]", "true"),
            ("poll[hide_totals]", "true"),
        ])
        .send()
        .await
        .unwrap();
    let (status, s) = json(resp).await;
    assert_eq!(status, 200, "{s}");
    let days = s["poll"]["id"].as_str().unwrap().to_string();
    assert_eq!(s["poll"]["multiple"], true);
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/polls/{days}/votes")))
        .bearer_auth(&alice)
        .form(&[("choices[]", "0"), ("choices[]", "2")])
        .send()
        .await
        .unwrap();
    let (status, p) = json(resp).await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["votes_count"], 2);
    assert_eq!(p["voters_count"], 1);
    assert_eq!(
        counts(&p),
        [Value::Null, Value::Null, Value::Null],
        "totals hidden until the end"
    );

    // Validation.
    for bad in [
        json!({"options": ["Only one"], "expires_in": 3600}),
        json!({"options": ["Same", "Same"], "expires_in": 3600}),
        json!({"options": ["A", "B"], "expires_in": 10}),
        json!({"options": ["A", "B"], "expires_in": "soon"}),
    ] {
        let (status, e) = post_poll(&app, &alice, json!({"status": "?", "poll": bad})).await;
        assert!(status == 422 || status == 400, "{bad}: {status} {e}");
    }

    // Followers only: a stranger can neither read nor vote.
    let (status, s) = post_poll(
        &app,
        &alice,
        json!({"status": "Team only", "visibility": "private",
               "poll": {"options": ["Yes", "No"], "expires_in": 3600}}),
    )
    .await;
    assert_eq!(status, 200, "{s}");
    let private = s["poll"]["id"].as_str().unwrap().to_string();
    let resp = app
        .get_auth(&format!("/api/v1/polls/{private}"), &carol)
        .await;
    assert_eq!(resp.status(), 404);
    let (status, _) = vote(&app, &carol, &private, json!([0])).await;
    assert_eq!(status, 404);

    // Ended: no more votes, and hidden totals appear.
    let (poll_id, days_id): (i64, i64) = (id.parse().unwrap(), days.parse().unwrap());
    app.state
        .db
        .run(move |c| {
            use diesel::prelude::*;
            use passerelle::db::schema::polls;
            diesel::update(polls::table.filter(polls::status_id.eq_any([poll_id, days_id])))
                .set(polls::expires_at.eq(Some(passerelle::service::now())))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    let (status, e) = vote(&app, &carol, &id, json!([0])).await;
    assert_eq!(status, 422, "{e}");
    let (_, p) = json(app.get(&format!("/api/v1/polls/{days}")).await).await;
    assert_eq!(p["expired"], true);
    assert_eq!(counts(&p), [json!(1), json!(0), json!(1)]);
}

/// The author edits the poll: same options keep the votes, new ones reset them.
async fn polls_are_edited(backend: Backend) {
    let app = spawn_app(backend).await;
    let bob = app.user_with_token("bob", "read write").await;
    let alice = app.user_with_token("alice", "read write").await;
    let (status, s) = post_poll(
        &app,
        &bob,
        json!({"status": "Offsite venue?", "poll": {"options": ["Lyon", "Nantes"], "expires_in": 3600}}),
    )
    .await;
    assert_eq!(status, 200, "{s}");
    let (sid, pid) = (
        s["id"].as_str().unwrap().to_string(),
        s["poll"]["id"].as_str().unwrap().to_string(),
    );
    let (status, _) = vote(&app, &alice, &pid, json!([0])).await;
    assert_eq!(status, 200);
    let put = |body: Value| {
        let (app, bob, sid) = (&app, &bob, &sid);
        async move {
            json(
                app.client
                    .put(app.url(&format!("/api/v1/statuses/{sid}")))
                    .bearer_auth(bob)
                    .json(&body)
                    .send()
                    .await
                    .unwrap(),
            )
            .await
        }
    };
    let (status, s) = put(json!({"status": "Offsite venue? (vote by Friday)"})).await;
    assert_eq!((status, &s["poll"]["votes_count"]), (200, &json!(1)), "{s}");
    let (status, s) = put(json!({"status": "Offsite venue?", "poll": {"options": ["Lyon", "Nantes"], "expires_in": 7200, "hide_totals": true}})).await;
    assert_eq!(status, 200, "{s}");
    let (_, p) = json(app.get_auth(&format!("/api/v1/polls/{pid}"), &alice).await).await;
    assert_eq!(p["own_votes"], json!([0]), "same options: votes kept");
    let (status, s) =
        put(json!({"status": "Offsite venue?", "poll": {"options": ["Lyon", "Nantes", "Lille"]}}))
            .await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["poll"]["options"].as_array().unwrap().len(), 3);
    let (_, p) = json(app.get_auth(&format!("/api/v1/polls/{pid}"), &alice).await).await;
    assert_eq!(
        (&p["votes_count"], &p["voted"]),
        (&json!(0), &json!(false)),
        "new options: votes reset"
    );
    let (status, e) = put(json!({"status": "x", "poll": {"options": ["only one"]}})).await;
    assert_eq!(status, 422, "{e}");
}

/// A burst of votes queues identical `StatusUpdated` events: only the last one
/// is turned into an `Update` (the others are superseded).
async fn identical_updates_are_coalesced(backend: Backend) {
    use passerelle::db::outbox;
    let app = spawn_app(backend).await;
    let found = app
        .state
        .db
        .write(|c| {
            use diesel::prelude::*;
            use passerelle::db::schema::outbox_events;
            let at = passerelle::service::now();
            let same = r#"{"event":"StatusUpdated","status_id":42}"#;
            outbox::enqueue_event(c, same, at)?;
            outbox::enqueue_event(c, r#"{"event":"StatusUpdated","status_id":43}"#, at)?;
            outbox::enqueue_event(c, same, at)?;
            let ids: Vec<(i64, String)> = outbox_events::table
                .order(outbox_events::id.asc())
                .select((outbox_events::id, outbox_events::payload))
                .load(c)?;
            let mut out = Vec::new();
            for (id, payload) in &ids {
                out.push(outbox::superseded(c, *id, payload)?);
            }
            Ok(out)
        })
        .await
        .unwrap();
    assert_eq!(found, [true, false, false]);
}

backend_tests!(
    polls_are_voted_in,
    polls_are_edited,
    identical_updates_are_coalesced
);
