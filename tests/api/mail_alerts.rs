//! Alerts and digests through a real SMTP server: grouped, skipped for people
//! who saw them, in the reader's language, confidential content left out,
//! and one-click unsubscribe (RFC 8058) without a session.

use chrono::Duration;
use passerelle::service::{mail, now, profile};
use serde_json::json;

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json},
    mail::{assert_well_formed, mail_app},
    smtp_sink::{Received, SmtpSink, free_port},
};

async fn post(app: &TestApp, token: &str, status: &str, visibility: &str) {
    let (code, s) = app
        .post_json(
            token,
            "/api/v1/statuses",
            json!({"status": status, "visibility": visibility}),
        )
        .await;
    assert_eq!(code, 200, "{s}");
}

async fn thread(app: &TestApp, token: &str, community: &str, title: &str) {
    let (code, s) = app
        .post_json(
            token,
            &format!("/api/passerelle/v1/communities/{community}/threads"),
            json!({"title": title, "body": format!("All about {title}")}),
        )
        .await;
    assert_eq!(code, 200, "{s}");
}

/// The one-click unsubscribe of `m`: a POST without cookie nor form token.
async fn one_click(app: &TestApp, m: &Received) -> u16 {
    let header = m.header("List-Unsubscribe");
    let url = header.trim_start_matches('<').trim_end_matches('>');
    assert!(url.starts_with(&app.url("/email/unsubscribe/")), "{header}");
    assert_eq!(
        m.header("List-Unsubscribe-Post"),
        "List-Unsubscribe=One-Click"
    );
    // A link scanner's GET changes nothing; the POST does.
    assert_eq!(
        app.client
            .get(url)
            .send()
            .await
            .map(|r| r.status().as_u16())
            .unwrap_or(0),
        200
    );
    app.client
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

async fn alerts_are_grouped_and_skip_active_people(backend: Backend) {
    let Some(sink) = SmtpSink::start(free_port()).await else {
        return;
    };
    let app = mail_app(backend, &sink, |_| {}).await;
    let ana = app.user_with_token("ana", "read write follow").await;
    let ben = app.user_with_token("ben", "read write follow").await;
    let cleo = app.user_with_token("cleo", "read write follow").await;
    let ben_id = app.account_id(&ben).await;
    post(&app, &ana, "@ben the quarterly figures are out", "public").await;
    post(&app, &ana, "@ben secret salary review", "direct").await;
    let (code, _) = json(
        app.client
            .post(app.url(&format!("/api/v1/accounts/{ben_id}/follow")))
            .bearer_auth(&ana)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(code, 200);
    post(&app, &ana, "@cleo lunch?", "public").await;
    // cleo opens the app after her mention: she has seen it.
    let _ = app.account_id(&cleo).await;

    // Too early: the reader may still see them.
    assert_eq!(
        mail::alerts::send_due(&app.state, now() + Duration::minutes(1))
            .await
            .expect("alerts"),
        0
    );
    let later = now() + Duration::minutes(11);
    assert_eq!(
        mail::alerts::send_due(&app.state, later)
            .await
            .expect("alerts"),
        1
    );
    let got = sink.wait_for(1).await;
    assert_eq!(
        got[0].to,
        vec!["ben@example.com".to_string()],
        "cleo was active"
    );
    let m = &got[0];
    assert_well_formed(m, "en");
    assert_eq!(m.subject(), "3 new notifications");
    let text = m.text();
    assert!(
        text.contains("ana mentioned you") && text.contains("quarterly figures"),
        "{text}"
    );
    assert!(text.contains("ana sent you a direct message"), "{text}");
    assert!(
        !text.contains("salary") && !m.html().contains("salary"),
        "a direct message is not quoted"
    );
    assert!(text.contains("ana now follows you"), "{text}");
    // The link of a mail of several kinds turns every alert off; its page says so.
    let header = m.header("List-Unsubscribe");
    let page = app
        .client
        .get(header.trim_start_matches('<').trim_end_matches('>'))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap_or_default();
    assert!(page.contains("every alert"), "{page}");
    // Nothing twice.
    assert_eq!(
        mail::alerts::send_due(&app.state, later)
            .await
            .expect("alerts"),
        0
    );

    // In the reader's language.
    let ben_user = app
        .state
        .db
        .run(|c| Ok(passerelle::db::users::by_login(c, "ben")?))
        .await
        .expect("ben")
        .expect("ben");
    profile::set_language(&app.state, ben_user.0.id, Some("fr"))
        .await
        .expect("fr");
    post(&app, &ana, "@ben encore une chose", "public").await;
    assert_eq!(
        mail::alerts::send_due(&app.state, now() + Duration::minutes(11))
            .await
            .expect("alerts"),
        1
    );
    let got = sink.wait_for(2).await;
    assert_well_formed(&got[1], "fr");
    assert_eq!(got[1].subject(), "ana vous a mentionné·e");

    // One click turns mentions off, without a session.
    assert_eq!(one_click(&app, &got[1]).await, 200);
    let s = mail::settings::of_user(&app.state, ben_user.0.id)
        .await
        .expect("settings");
    assert!(!s.mentions && s.follows, "only mentions are off");
    post(&app, &ana, "@ben still there?", "public").await;
    assert_eq!(
        mail::alerts::send_due(&app.state, now() + Duration::minutes(11))
            .await
            .expect("alerts"),
        0
    );
}

async fn join_requests_and_reports_reach_moderators(backend: Backend) {
    let Some(sink) = SmtpSink::start(free_port()).await else {
        return;
    };
    let app = mail_app(backend, &sink, |_| {}).await;
    let owner = app.user_with_token("olga", "read write follow").await;
    let board = app.community(&owner, "board", "members").await;
    let paul = app.user_with_token("paul", "read write follow").await;
    let (code, r) = app
        .post_json(
            &paul,
            &format!("/api/passerelle/v1/communities/{board}/join"),
            json!({}),
        )
        .await;
    assert_eq!(code, 200, "{r}");
    assert_eq!(
        mail::alerts::send_due(&app.state, now() + Duration::minutes(11))
            .await
            .expect("alerts"),
        1
    );
    let got = sink.wait_for(1).await;
    assert_eq!(got[0].to, vec!["olga@example.com".to_string()]);
    assert_eq!(got[0].subject(), "paul asks to join board");
    assert!(
        got[0]
            .text()
            .contains(&app.url("/communities/board/moderation"))
    );

    // The notifications page names the community and leads to its requests.
    let mut b = crate::browser::Browser::new(&app);
    b.sign_in("olga").await;
    let page = b.get("/notifications").await;
    assert!(
        page.body
            .contains(r#"asks to join <a href="/communities/board/moderation">board</a>"#),
        "{}",
        page.body
    );

    // A report reaches the administrators (not the person reported).
    let _zoe = app.admin_with_token("zoe", "read write admin:read").await;
    let olga_id = app.account_id(&owner).await;
    let (code, r) = app
        .post_json(
            &paul,
            "/api/v1/reports",
            json!({"account_id": olga_id, "comment": "rude"}),
        )
        .await;
    assert_eq!(code, 200, "{r}");
    assert_eq!(
        mail::alerts::send_due(&app.state, now() + Duration::minutes(11))
            .await
            .expect("alerts"),
        1
    );
    let got = sink.wait_for(2).await;
    assert_eq!(got[1].to, vec!["zoe@example.com".to_string()]);
    assert_eq!(got[1].subject(), "paul filed a report to handle");
    assert!(got[1].text().contains(&app.url("/admin/reports")));

    // A suspended person gets nothing, even what was due before.
    let (code, _) = app
        .post_json(
            &paul,
            "/api/v1/statuses",
            json!({"status": "@olga hello?", "visibility": "public"}),
        )
        .await;
    assert_eq!(code, 200);
    let olga = app
        .state
        .db
        .run(|c| Ok(passerelle::db::users::by_login(c, "olga")?))
        .await
        .expect("olga")
        .expect("olga");
    passerelle::service::account_life::set_suspended(&app.state, &olga.1, true)
        .await
        .expect("suspended");
    assert_eq!(
        mail::alerts::send_due(&app.state, now() + Duration::minutes(11))
            .await
            .expect("alerts"),
        0
    );
}

async fn digests_rank_threads_and_keep_confidential_content_in(backend: Backend) {
    let Some(sink) = SmtpSink::start(free_port()).await else {
        return;
    };
    let app = mail_app(backend, &sink, |_| {}).await;
    let owner = app.user_with_token("rose", "read write follow").await;
    let sam = app.user_with_token("sam", "read write follow").await;
    let _quiet = app.user_with_token("tom", "read write follow").await;
    let design = app.community(&owner, "design", "public").await;
    let board = app.community(&owner, "board", "members").await;
    app.join(&sam, &design).await;
    let (code, _) = app
        .post_json(
            &sam,
            &format!("/api/passerelle/v1/communities/{board}/join"),
            json!({}),
        )
        .await;
    assert_eq!(code, 200);
    let sam_id = app.account_id(&sam).await;
    let (code, r) = app
        .post_json(
            &owner,
            &format!("/api/passerelle/v1/communities/{board}/requests/{sam_id}/approve"),
            json!({}),
        )
        .await;
    assert_eq!(code, 200, "{r}");
    thread(&app, &owner, &design, "Roadmap 2027").await;
    thread(&app, &owner, &design, "Colour palette").await;
    thread(&app, &owner, &board, "Secret merger").await;
    let staff = app.community(&owner, "staff", "internal").await;
    app.join(&sam, &staff).await;
    thread(&app, &owner, &staff, "Internal reorganisation").await;

    let next_week = now() + Duration::days(8);
    let sent = mail::digest::send_due(&app.state, next_week)
        .await
        .expect("digests");
    assert_eq!(sent, 2, "sam and rose have news; tom none");
    let got = sink.wait_for(2).await;
    let m = got
        .iter()
        .find(|m| m.to == vec!["sam@example.com".to_string()])
        .expect("sam's digest");
    assert_well_formed(m, "en");
    assert_eq!(m.subject(), "This week on Test instance");
    let text = m.text();
    assert!(
        text.contains("Roadmap 2027") && text.contains("Colour palette"),
        "{text}"
    );
    assert!(
        !text.contains("merger") && !m.html().contains("merger"),
        "members content stays in: {text}"
    );
    assert!(
        !text.contains("reorganisation") && !m.html().contains("reorganisation"),
        "internal content stays in: {text}"
    );
    assert!(text.contains("A new post in staff"), "{text}");
    assert!(text.contains("A new post in board"), "{text}");
    assert!(text.contains(&app.url("/posts/")), "links back: {text}");
    // Nothing new: no digest.
    assert_eq!(
        mail::digest::send_due(&app.state, next_week + Duration::days(7))
            .await
            .expect("digests"),
        0
    );

    assert_eq!(one_click(&app, m).await, 200);
    let sam_user = app
        .state
        .db
        .run(|c| Ok(passerelle::db::users::by_login(c, "sam")?))
        .await
        .expect("sam")
        .expect("sam");
    let s = mail::settings::of_user(&app.state, sam_user.0.id)
        .await
        .expect("settings");
    assert_eq!(s.digest, "off");

    // An organisation that allows it gets the words in.
    let open = mail_app(backend, &sink, |c| {
        c.email.include_confidential_content = true
    })
    .await;
    let owner = open.user_with_token("uma", "read write follow").await;
    let board = open.community(&owner, "board", "members").await;
    thread(&open, &owner, &board, "Secret merger").await;
    let before = sink.received().len();
    assert_eq!(
        mail::digest::send_due(&open.state, now() + Duration::days(8))
            .await
            .expect("digests"),
        1
    );
    let got = sink.wait_for(before + 1).await;
    assert!(got[before].text().contains("Secret merger"));
}

async fn event_reminders_are_mailed_with_the_digests_agenda(backend: Backend) {
    let Some(sink) = SmtpSink::start(free_port()).await else {
        return;
    };
    let app = mail_app(backend, &sink, |_| {}).await;
    let vera = app.user_with_token("vera", "read write follow").await;
    let walt = app.user_with_token("walt", "read write follow").await;
    let team = app.community(&vera, "team", "public").await;
    app.join(&walt, &team).await;
    let soon = (chrono::Utc::now() + Duration::minutes(30)).to_rfc3339();
    let (code, ev) = app
        .post_json(
            &vera,
            &format!("/api/passerelle/v1/communities/{team}/events"),
            json!({"title": "Quarterly review", "description": "Room 4", "starts_at": soon}),
        )
        .await;
    assert_eq!(code, 200, "{ev}");
    let id = ev["id"].as_str().unwrap().to_string();
    let (code, _) = app
        .post_json(
            &walt,
            &format!("/api/passerelle/v1/events/{id}/answer"),
            json!({"answer": "going"}),
        )
        .await;
    assert_eq!(code, 200);
    // The digest (last sent a week ago) lists it among what is coming up.
    app.state
        .db
        .write(|c| {
            use diesel::prelude::*;
            use passerelle::db::schema::email_settings;
            diesel::update(email_settings::table)
                .set(email_settings::digest_sent_at.eq(now() - Duration::days(8)))
                .execute(c)?;
            Ok(())
        })
        .await
        .expect("a week ago");
    assert_eq!(
        mail::digest::send_due(&app.state, now())
            .await
            .expect("digests"),
        2
    );
    let got = sink.wait_for(2).await;
    let digest = got
        .iter()
        .find(|m| m.to == vec!["walt@example.com".to_string()])
        .expect("walt's digest");
    let text = digest.text();
    assert!(
        text.contains("Coming up") && text.contains("Quarterly review"),
        "{text}"
    );
    assert_eq!(
        passerelle::service::agenda::reminders::send_due(&app.state)
            .await
            .expect("reminders"),
        1
    );
    assert_eq!(
        mail::alerts::send_due(&app.state, now() + Duration::minutes(11))
            .await
            .expect("alerts"),
        1
    );
    let got = sink.wait_for(3).await;
    let reminder = got
        .iter()
        .find(|m| m.subject() == "Your event starts within the hour")
        .expect("the reminder");
    assert_eq!(reminder.to, vec!["walt@example.com".to_string()]);
    assert!(reminder.text().contains("Quarterly review"));
    assert!(reminder.text().contains(&app.url(&format!("/posts/{id}"))));
}

backend_tests!(
    event_reminders_are_mailed_with_the_digests_agenda,
    alerts_are_grouped_and_skip_active_people,
    join_requests_and_reports_reach_moderators,
    digests_rank_threads_and_keep_confidential_content_in,
);
