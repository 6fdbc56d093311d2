//! The agenda through the API and the pages: events in a community, answers
//! with a capacity and a waiting list, counts withheld below 5 for all but the
//! organiser and moderators, cancelling, calendar files and feeds, and an
//! internal community's events kept from anyone outside.

use serde_json::{Value, json};

use crate::{
    backend_tests,
    browser::Browser,
    helpers::{Backend, TestApp, json, spawn_app},
};

async fn answer(app: &TestApp, token: &str, event: &str, answer: &str) -> (u16, Value) {
    app.post_json(
        token,
        &format!("/api/passerelle/v1/events/{event}/answer"),
        json!({ "answer": answer }),
    )
    .await
}

async fn event(app: &TestApp, token: &str, id: &str) -> Value {
    let (status, e) = json(
        app.get_auth(&format!("/api/passerelle/v1/events/{id}"), token)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{e}");
    e
}

async fn events_answered_with_a_waiting_list(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let devs = app.community(&alice, "devs", "public").await;
    let mut people = vec![];
    for name in ["bob", "carol", "dave", "erin", "frank", "grace", "heidi"] {
        let t = app.user_with_token(name, "read write follow").await;
        app.join(&t, &devs).await;
        people.push(t);
    }

    // Bad input names its field and creates nothing.
    let path = format!("/api/passerelle/v1/communities/{devs}/events");
    let (status, e) = app
        .post_json(
            &alice,
            &path,
            json!({"title": "Offsite", "description": "x", "starts_at": "soon"}),
        )
        .await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"].as_str().unwrap().contains("starts_at"), "{e}");
    let (status, e) = app
        .post_json(
            &alice,
            &path,
            json!({"description": "x", "starts_at": "2030-06-01T10:00"}),
        )
        .await;
    assert_eq!(status, 422, "an event needs a title: {e}");

    let (status, ev) = app
        .post_json(
            &alice,
            &path,
            json!({
                "title": "Quarterly demo", "description": "Show what you *built*",
                "starts_at": "2030-06-03T10:00", "ends_at": "2030-06-03T12:00",
                "time_zone": "Europe/Paris", "location": "Room B",
                "online_url": "https://meet.example/demo", "capacity": 5
            }),
        )
        .await;
    assert_eq!(status, 200, "{ev}");
    let id = ev["id"].as_str().unwrap().to_string();
    assert_eq!(
        ev["starts_at"], "2030-06-03T08:00:00.000Z",
        "Paris summer time"
    );
    assert_eq!(ev["time_zone"], "Europe/Paris");
    assert_eq!(ev["capacity"], 5);
    assert_eq!(ev["manages"], true);
    assert_eq!(ev["going_count"], 0, "the organiser sees exact counts");

    // Six people say they go to five places: the sixth waits.
    for t in &people[..6] {
        let (status, e) = answer(&app, t, &id, "going").await;
        assert_eq!(status, 200, "{e}");
    }
    let last = event(&app, &people[5], &id).await;
    assert_eq!(last["my_answer"], "going");
    assert_eq!(last["my_waitlisted"], true);
    assert_eq!(last["full"], true);
    assert_eq!(last["going_count"], 5, "5 and more are shown to everyone");
    // Someone gives up their place: whoever waited gets it.
    let (status, _) = answer(&app, &people[0], &id, "declined").await;
    assert_eq!(status, 200);
    assert_eq!(event(&app, &people[5], &id).await["my_waitlisted"], false);
    let (status, e) = answer(&app, &people[6], &id, "perhaps").await;
    assert_eq!(status, 422, "{e}");
    let (status, _) = answer(&app, &people[6], &id, "maybe").await;
    assert_eq!(status, 200);

    // Who answered: the organiser sees the list, members do not.
    let (status, list) = json(
        app.get_auth(&format!("/api/passerelle/v1/events/{id}/answers"), &alice)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 7);
    let (status, _) = json(
        app.get_auth(
            &format!("/api/passerelle/v1/events/{id}/answers"),
            &people[1],
        )
        .await,
    )
    .await;
    assert_eq!(status, 403);

    // Counts under 5 are withheld from people who do not manage the event.
    let seen = event(&app, &people[6], &id).await;
    assert_eq!(
        seen["maybe_count"],
        Value::Null,
        "1 maybe is withheld: {seen}"
    );
    assert_eq!(event(&app, &alice, &id).await["maybe_count"], 1);

    // Mastodon apps see the date and place in the status.
    let (_, s) = json(
        app.get_auth(&format!("/api/v1/statuses/{id}"), &people[1])
            .await,
    )
    .await;
    let content = s["content"].as_str().unwrap();
    assert!(
        content.contains("Mon 3 Jun 2030, 10:00–12:00 (Europe/Paris) · Room B"),
        "{content}"
    );
    assert_eq!(s["passerelle"]["event"]["location"], "Room B");

    // Cancelled: nobody answers any more; the organiser may reinstate it.
    let (status, e) = app
        .post_json(
            &people[1],
            &format!("/api/passerelle/v1/events/{id}/cancel"),
            json!({}),
        )
        .await;
    assert_eq!(status, 403, "{e}");
    let (status, e) = app
        .post_json(
            &alice,
            &format!("/api/passerelle/v1/events/{id}/cancel"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{e}");
    assert_eq!(e["cancelled"], true);
    let (status, _) = answer(&app, &people[0], &id, "going").await;
    assert_eq!(status, 422);

    // The calendar file: stable UID, SEQUENCE counting changes, CANCELLED.
    let ics = app.get(&format!("/events/{id}.ics")).await;
    assert_eq!(ics.status(), 200);
    assert!(
        ics.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let body = ics.text().await.unwrap();
    assert!(body.contains("STATUS:CANCELLED"), "{body}");
    assert!(body.contains("SEQUENCE:1"), "{body}");
    assert!(body.contains("DTSTART:20300603T080000Z"), "{body}");
    assert!(
        body.contains(&format!("/statuses/{id}")),
        "UID is the event's id: {body}"
    );

    // Edited: a new sequence, the same UID.
    let (status, e) = json(
        app.client
            .put(app.url(&format!("/api/passerelle/v1/events/{id}")))
            .bearer_auth(&alice)
            .json(&json!({"title": "Quarterly demo", "description": "Moved", "starts_at": "2030-06-04T10:00", "time_zone": "Europe/Paris"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{e}");
    let body = app
        .get(&format!("/events/{id}.ics"))
        .await
        .text()
        .await
        .unwrap();
    assert!(body.contains("SEQUENCE:2"), "{body}");
    assert!(body.contains("DTSTART:20300604T080000Z"), "{body}");
}

async fn internal_events_stay_inside(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let hr = app.community(&alice, "hr", "internal").await;
    let (status, ev) = app
        .post_json(
            &alice,
            &format!("/api/passerelle/v1/communities/{hr}/events"),
            json!({"title": "Salary review", "description": "Private", "starts_at": "2030-01-10T09:00"}),
        )
        .await;
    assert_eq!(status, 200, "{ev}");
    let id = ev["id"].as_str().unwrap();
    // Anonymous readers get nothing: the event, its file, the community's feed.
    assert_eq!(app.get(&format!("/events/{id}.ics")).await.status(), 404);
    assert_eq!(app.get("/c/hr/events.ics").await.status(), 404);
    let (status, _) = json(app.get(&format!("/api/passerelle/v1/events/{id}")).await).await;
    assert_eq!(status, 404);
    // A local colleague sees it (internal: the whole instance).
    assert_eq!(event(&app, &bob, id).await["title"], "Salary review");
    // A feed token reads what its owner may read.
    let (status, feed) = json(app.get_auth("/api/passerelle/v1/calendar", &bob).await).await;
    assert_eq!(status, 200, "{feed}");
    let token = feed["token"].as_str().unwrap();
    let body = app
        .get(&format!("/c/hr/events.ics?token={token}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(body.contains("Salary review"), "{body}");
    // A new token revokes the old one.
    let (status, renewed) = app
        .post_json(&bob, "/api/passerelle/v1/calendar", json!({}))
        .await;
    assert_eq!(status, 200);
    assert_ne!(renewed["token"], feed["token"]);
    assert_eq!(
        app.get(&format!("/calendar/{token}.ics")).await.status(),
        404
    );
    let (status, _) = answer(&app, &bob, id, "going").await;
    assert_eq!(status, 200);
    let mine = app
        .get(&format!(
            "/calendar/{}.ics",
            renewed["token"].as_str().unwrap()
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(mine.contains("Salary review"), "{mine}");
}

async fn agenda_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let devs = app.community(&alice, "devs", "public").await;
    let bob_token = app.user_with_token("bob", "read write follow").await;
    app.join(&bob_token, &devs).await;
    let mut alice_web = Browser::new(&app);
    alice_web.sign_in("alice").await;
    let page = alice_web.get("/communities/devs/events").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let created = alice_web
        .post(
            "/communities/devs/events",
            &[
                ("title", "Team lunch"),
                ("text", "At noon"),
                ("starts_at", "2030-03-05T12:00"),
                ("ends_at", "2030-03-05T13:30"),
                ("time_zone", "Europe/Paris"),
                ("location", "Canteen"),
                ("online_url", ""),
                ("capacity", ""),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let post = created.location.clone().unwrap();
    let page = alice_web.get(&post).await;
    assert!(
        page.body.contains("Team lunch") && page.body.contains("Canteen"),
        "{}",
        page.body
    );
    assert!(page.body.contains("/answers"), "the organiser's list link");
    // The form takes an image, with its description.
    let with_image = alice_web
        .post_files(
            "/communities/devs/events",
            &[
                ("title", "Poster session"),
                ("text", "Bring a poster"),
                ("starts_at", "2030-03-06T12:00"),
                ("time_zone", "Europe/Paris"),
                ("image_alt", "A poster on an easel"),
            ],
            vec![("image", crate::profiles::png(40, 30))],
        )
        .await;
    assert_eq!(with_image.status, 303, "{}", with_image.body);
    let poster = with_image.location.clone().unwrap();
    let poster_id = poster.trim_start_matches("/posts/");
    let (_, st) = json(app.get(&format!("/api/v1/statuses/{poster_id}")).await).await;
    assert_eq!(st["media_attachments"][0]["type"], "image", "{st}");
    assert_eq!(
        st["media_attachments"][0]["description"],
        "A poster on an easel"
    );

    let mut bob_web = Browser::new(&app);
    bob_web.sign_in("bob").await;
    let id = post.trim_start_matches("/posts/").to_string();
    let answered = bob_web
        .post(&format!("/posts/{id}/answer"), &[("answer", "going")])
        .await;
    assert_eq!(answered.status, 303, "{}", answered.body);
    let mine = bob_web.get("/agenda").await;
    assert!(mine.body.contains("Team lunch"), "{}", mine.body);
    assert!(mine.body.contains("/calendar/"), "the feed link");
    let month = bob_web.get("/communities/devs/events?month=2030-03").await;
    assert!(month.body.contains("Team lunch"), "{}", month.body);
    let list = bob_web.get(&format!("/posts/{id}/answers")).await;
    assert_eq!(list.status, 403, "members do not see who answered");
    let list = alice_web.get(&format!("/posts/{id}/answers")).await;
    assert!(list.body.contains("bob"), "{}", list.body);
    // The organiser moves it an hour later on the edit page, prefilled in its zone.
    let edit = alice_web.get(&format!("/posts/{id}/edit")).await;
    assert!(
        edit.body.contains(r#"value="2030-03-05T12:00""#),
        "{}",
        edit.body
    );
    let moved = alice_web
        .post(
            &format!("/posts/{id}/edit"),
            &[
                ("title", "Team lunch"),
                ("text", "At one"),
                ("starts_at", "2030-03-05T13:00"),
                ("ends_at", "2030-03-05T14:00"),
                ("time_zone", "Europe/Paris"),
                ("location", "Canteen"),
                ("spoiler", ""),
            ],
        )
        .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    let e = event(&app, &alice, &id).await;
    assert_eq!(e["starts_at"], "2030-03-05T12:00:00.000Z", "{e}");

    // One's own event, outside communities, for one's followers only.
    let own = bob_web
        .post(
            "/agenda/events",
            &[
                ("title", "Book club"),
                ("text", "Chapter 3"),
                ("starts_at", "2030-04-01"),
                ("all_day", "1"),
                ("visibility", "private"),
            ],
        )
        .await;
    assert_eq!(own.status, 303, "{}", own.body);
    let own_id = own
        .location
        .unwrap()
        .trim_start_matches("/posts/")
        .to_string();
    let e = event(&app, &bob_token, &own_id).await;
    assert_eq!(e["all_day"], true, "{e}");
    assert_eq!(e["community_id"], Value::Null);
    let (status, _) = json(
        app.get_auth(&format!("/api/passerelle/v1/events/{own_id}"), &alice)
            .await,
    )
    .await;
    assert_eq!(status, 404, "followers only: alice does not follow bob");
    assert!(bob_web.get("/agenda").await.body.contains("Book club"));
}

async fn reminders_before_the_start(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let devs = app.community(&alice, "devs", "public").await;
    app.join(&bob, &devs).await;
    let soon = (chrono::Utc::now() + chrono::Duration::minutes(30)).to_rfc3339();
    let later = (chrono::Utc::now() + chrono::Duration::hours(5)).to_rfc3339();
    let mut ids = vec![];
    for (title, at) in [("Standup", &soon), ("Retro", &later)] {
        let (status, ev) = app
            .post_json(
                &alice,
                &format!("/api/passerelle/v1/communities/{devs}/events"),
                json!({"title": title, "description": "x", "starts_at": at}),
            )
            .await;
        assert_eq!(status, 200, "{ev}");
        let id = ev["id"].as_str().unwrap().to_string();
        assert_eq!(answer(&app, &bob, &id, "going").await.0, 200);
        ids.push(id);
    }
    let sent = passerelle::service::agenda::reminders::send_due(&app.state)
        .await
        .unwrap();
    assert_eq!(sent, 1, "only the event starting within the hour");
    let again = passerelle::service::agenda::reminders::send_due(&app.state)
        .await
        .unwrap();
    assert_eq!(again, 0, "once");
    let (status, list) = json(
        app.get_auth("/api/v1/notifications?types[]=event_reminder", &bob)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["status"]["id"], ids[0].as_str());
    // Mastodon apps asking for every kind do not get a kind they do not know.
    let (_, all) = json(app.get_auth("/api/v1/notifications", &bob).await).await;
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .all(|n| n["type"] != "event_reminder")
    );
}

backend_tests!(
    events_answered_with_a_waiting_list,
    internal_events_stay_inside,
    agenda_pages,
    reminders_before_the_start
);
