//! Account mail through a real SMTP server: confirmation on sign-up (in the
//! reader's language), sign-in waiting for it, password reset (once, expiring),
//! invitations by e-mail, and a relay that is down for a while.

use passerelle::{
    config::{Config, RegistrationMode},
    db,
    service::mail,
};
use serde_json::json;

use crate::{
    backend_tests,
    browser::Browser,
    helpers::{Backend, TestApp, json},
    registration::app_token,
    smtp_sink::{Received, SmtpSink, free_port},
};

/// An app whose mail goes to `sink`, open to sign-ups.
pub async fn mail_app(
    backend: Backend,
    sink: &SmtpSink,
    more: impl FnOnce(&mut Config),
) -> TestApp {
    let url = sink.url();
    TestApp::with_config(backend, |c| {
        c.email.smtp_url = url;
        c.email.retry_base_seconds = 1;
        c.registration.mode = RegistrationMode::Open;
        more(c);
    })
    .await
}

/// What every mail must carry: the headers, both parts, the language.
pub fn assert_well_formed(m: &Received, lang: &str) {
    let p = m.parsed();
    let id = m.header("Message-ID");
    assert!(id.starts_with('<') && id.ends_with('>'), "Message-ID {id}");
    assert!(p.date().is_some(), "a Date header");
    assert_eq!(m.header("Auto-Submitted"), "auto-generated");
    assert_eq!(m.header("Content-Language"), lang);
    assert!(
        p.from()
            .and_then(|f| f.first())
            .and_then(|a| a.address())
            .is_some_and(|a| a.starts_with("noreply@")),
        "From: {:?}",
        p.from()
    );
    assert!(!m.text().trim().is_empty(), "a plain-text part");
    let html = m.html();
    assert!(
        html.contains("<html") && html.contains("#2b59c3"),
        "an HTML part in the organisation's colour"
    );
    assert!(!html.contains("<script"), "no script");
}

/// The path and token of the link in `m` that starts with `base + prefix`.
fn token_of(app: &TestApp, m: &Received, prefix: &str) -> String {
    let link = m.link(&app.url(prefix)).expect("the link");
    link.rsplit('/').next().unwrap_or_default().to_string()
}

async fn sign_up_confirm_and_sign_in(backend: Backend) {
    let Some(sink) = SmtpSink::start(free_port()).await else {
        return;
    };
    let app = mail_app(backend, &sink, |_| {}).await;
    let app_token = app_token(&app).await;
    let (status, t) = app
        .post_json(
            &app_token,
            "/api/v1/accounts",
            json!({"username": "amelie", "email": "Amelie@Corp.example", "password": "correct horse battery", "agreement": true, "locale": "fr"}),
        )
        .await;
    assert_eq!(status, 200, "{t}");
    let token = t["access_token"].as_str().unwrap().to_string();
    // The token works once the address is confirmed (as Mastodon's).
    let (status, e) = json(
        app.get_auth("/api/v1/accounts/verify_credentials", &token)
            .await,
    )
    .await;
    assert_eq!(status, 403, "{e}");
    assert_eq!(
        e["error"],
        "Your login is missing a confirmed e-mail address"
    );

    let got = sink.wait_for(1).await;
    let m = &got[0];
    assert_eq!(m.to, vec!["amelie@corp.example".to_string()]);
    assert_well_formed(m, "fr");
    assert!(
        m.subject().contains("Confirmez votre adresse"),
        "{}",
        m.subject()
    );
    assert!(
        m.header("List-Unsubscribe").is_empty(),
        "account mail has no unsubscribe link"
    );
    let secret = token_of(&app, m, "/auth/confirm/");

    // Signing in on the web waits too, and mails a fresh link.
    let mut b = Browser::new(&app);
    let page = b
        .post(
            "/login",
            &[("login", "amelie"), ("password", "correct horse battery")],
        )
        .await;
    assert_eq!(page.status, 403, "{}", page.body);
    sink.wait_for(2).await;

    // The app asks for the link again, to a corrected address (Mastodon's API).
    let (status, r) = app
        .post_json(
            &token,
            "/api/v1/emails/confirmations",
            json!({"email": "amelie.dupont@corp.example"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    let got = sink.wait_for(3).await;
    assert_eq!(got[2].to, vec!["amelie.dupont@corp.example".to_string()]);
    let corrected = token_of(&app, &got[2], "/auth/confirm/");

    let user = mail::account::confirm(&app.state, &corrected)
        .await
        .expect("confirmed");
    assert!(user.email_confirmed_at.is_some());
    assert_eq!(user.email, "amelie.dupont@corp.example");
    for used in [&corrected, &secret] {
        let again = mail::account::confirm(&app.state, used).await;
        assert_eq!(
            again.err().map(|e| e.status.as_u16()),
            Some(410),
            "a link works once, and the newest wins"
        );
    }
    let (status, _) = app
        .post_json(&token, "/api/v1/emails/confirmations", json!({}))
        .await;
    assert_eq!(status, 403, "only while awaiting confirmation");
    let (status, me) = json(
        app.get_auth("/api/v1/accounts/verify_credentials", &token)
            .await,
    )
    .await;
    assert_eq!((status, me["username"].as_str()), (200, Some("amelie")));
    b.sign_in("amelie").await;
}

async fn password_reset_once_and_expiring(backend: Backend) {
    let Some(sink) = SmtpSink::start(free_port()).await else {
        return;
    };
    let app = mail_app(backend, &sink, |_| {}).await;
    app.user_with_token("bruno", "read").await;
    // An unknown address: the same answer, and no mail.
    mail::reset::request_reset(&app.state, "nobody@example.com")
        .await
        .expect("same answer");
    mail::reset::request_reset(&app.state, "BRUNO@example.com")
        .await
        .expect("asked");
    let got = sink.wait_for(1).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, vec!["bruno@example.com".to_string()]);
    assert_well_formed(&got[0], "en");
    assert_eq!(got[0].subject(), "Reset your password");
    let secret = token_of(&app, &got[0], "/auth/reset/");

    assert!(
        mail::reset::reset_password(&app.state, &secret, "short")
            .await
            .is_err()
    );
    mail::reset::reset_password(&app.state, &secret, "a brand new password")
        .await
        .expect("reset");
    let again = mail::reset::reset_password(&app.state, &secret, "another new password").await;
    assert_eq!(
        again.err().map(|e| e.status.as_u16()),
        Some(410),
        "a link works once"
    );
    assert!(
        passerelle::service::accounts::authenticate(&app.state, "bruno", "a brand new password")
            .await
            .is_ok()
    );
    assert!(
        passerelle::service::accounts::authenticate(&app.state, "bruno", "correct horse battery")
            .await
            .is_err()
    );
    // The notice that the password changed.
    let got = sink.wait_for(2).await;
    assert_eq!(got[1].subject(), "Your password has changed");

    // An expired link does nothing.
    mail::reset::request_reset(&app.state, "bruno@example.com")
        .await
        .expect("asked");
    let got = sink.wait_for(3).await;
    let secret = token_of(&app, &got[2], "/auth/reset/");
    app.state
        .db
        .write(|c| {
            use diesel::prelude::*;
            diesel::update(db::schema::email_tokens::table)
                .set(
                    db::schema::email_tokens::expires_at
                        .eq(passerelle::service::now() - chrono::Duration::minutes(1)),
                )
                .execute(c)?;
            Ok(())
        })
        .await
        .expect("expire");
    assert!(
        !mail::reset::reset_link_valid(&app.state, &secret)
            .await
            .expect("checked")
    );
    let late = mail::reset::reset_password(&app.state, &secret, "yet another password").await;
    assert_eq!(late.err().map(|e| e.status.as_u16()), Some(410));
}

async fn invitation_by_email_confirms_the_address(backend: Backend) {
    let Some(sink) = SmtpSink::start(free_port()).await else {
        return;
    };
    let app = mail_app(backend, &sink, |c| {
        c.registration.mode = RegistrationMode::Invite;
        c.instance.default_language = "fr".into();
    })
    .await;
    let admin = app
        .admin_with_token("chloe", "read write admin:read admin:write")
        .await;
    let (status, invite) = app
        .post_json(
            &admin,
            "/api/passerelle/v1/admin/invites",
            json!({"email": "Dominique@corp.example"}),
        )
        .await;
    assert_eq!(status, 201, "{invite}");
    let got = sink.wait_for(1).await;
    assert_eq!(got[0].to, vec!["dominique@corp.example".to_string()]);
    assert_well_formed(&got[0], "fr");
    assert!(got[0].subject().contains("invité"), "{}", got[0].subject());
    let link = got[0]
        .link(&app.url("/?invite="))
        .expect("the sign-up link");
    let code = link.rsplit('=').next().unwrap_or_default().to_string();
    assert_eq!(code, invite["code"].as_str().unwrap());

    // Signing up with the code at that address: confirmed, no further mail.
    let app_token = app_token(&app).await;
    let (status, t) = app
        .post_json(
            &app_token,
            "/api/v1/accounts",
            json!({"username": "dominique", "email": "dominique@corp.example", "password": "correct horse battery", "agreement": true, "invite_code": code}),
        )
        .await;
    assert_eq!(status, 200, "{t}");
    let (status, _) = json(
        app.get_auth(
            "/api/v1/accounts/verify_credentials",
            t["access_token"].as_str().unwrap(),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    // Someone else cannot be invited to an address that has an account.
    let (status, _) = app
        .post_json(
            &admin,
            "/api/passerelle/v1/admin/invites",
            json!({"email": "dominique@corp.example"}),
        )
        .await;
    assert_eq!(status, 422);
    let member = app.user_with_token("eve", "read write").await;
    let (status, _) = app
        .post_json(
            &member,
            "/api/passerelle/v1/admin/invites",
            json!({"email": "x@corp.example"}),
        )
        .await;
    assert_eq!(status, 403);
}

async fn relay_down_loses_nothing_and_sends_once(backend: Backend) {
    if crate::smtp_sink::python().is_none() {
        return;
    }
    let port = free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let app = TestApp::with_config(backend, |c| {
        c.email.smtp_url = url;
        c.email.retry_base_seconds = 1;
    })
    .await;
    app.user_with_token("fanny", "read").await;
    mail::reset::request_reset(&app.state, "fanny@example.com")
        .await
        .expect("asked");
    // The relay is down: the mail waits, with the error recorded.
    let mut waiting = (0, 0);
    for _ in 0..50 {
        let o = mail::failures::overview(&app.state)
            .await
            .expect("overview");
        waiting = (o.waiting, o.failed);
        let attempted = app
            .state
            .db
            .run(|c| {
                use diesel::prelude::*;
                Ok(db::schema::outgoing_mail::table
                    .select(db::schema::outgoing_mail::attempts)
                    .first::<i32>(c)
                    .optional()?
                    .unwrap_or(0))
            })
            .await
            .expect("row");
        if attempted > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(waiting, (1, 0), "kept, not failed");
    // The relay comes back: the mail arrives, once.
    let sink = SmtpSink::start(port).await.expect("sink");
    let got = sink.wait_for(1).await;
    assert_eq!(got[0].subject(), "Reset your password");
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    assert_eq!(sink.received().len(), 1, "sent once");
    let o = mail::failures::overview(&app.state)
        .await
        .expect("overview");
    assert_eq!((o.waiting, o.failed), (0, 0));
    let metrics = app.get("/metrics").await.text().await.unwrap_or_default();
    assert!(
        metrics.contains("passerelle_mail_queue{state=\"waiting\"} 0"),
        "{metrics}"
    );

    // A mailbox the relay refuses for good: kept as failed, shown to
    // administrators with the relay's answer, sent again on demand.
    let admin = app
        .admin_with_token("gaby", "read admin:read admin:write")
        .await;
    let (status, _) = app
        .post_json(
            &admin,
            "/api/passerelle/v1/admin/invites",
            json!({"email": "bounce@corp.example"}),
        )
        .await;
    assert_eq!(status, 201);
    let mut queue = json!({});
    for _ in 0..100 {
        queue = json(app.get_auth("/api/passerelle/v1/admin/mail", &admin).await)
            .await
            .1;
        if queue["failed"] == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        (queue["failed"].as_i64(), queue["waiting"].as_i64()),
        (Some(1), Some(0)),
        "{queue}"
    );
    let failure = &queue["failures"][0];
    assert_eq!(failure["recipient"], "bounce@corp.example");
    assert!(
        failure["last_error"]
            .as_str()
            .unwrap_or_default()
            .contains("550"),
        "{failure}"
    );
    let mut b = Browser::new(&app);
    b.sign_in("gaby").await;
    let page = b.get("/admin/mail").await;
    assert!(
        page.body.contains("bounce@corp.example") && page.body.contains("No such mailbox"),
        "{}",
        page.body
    );
    let id = failure["id"].as_str().unwrap().to_string();
    let retry = |id: String| {
        let req = app
            .client
            .post(app.url(&format!("/api/passerelle/v1/admin/mail/{id}/retry")))
            .bearer_auth(&admin);
        async move { req.send().await.map(|r| r.status().as_u16()).unwrap_or(0) }
    };
    assert_eq!(retry(id).await, 202);
    assert_eq!(retry("12345".into()).await, 404, "not a failure");
    assert_eq!(
        sink.received().len(),
        1,
        "nothing delivered to the refused mailbox"
    );
}

backend_tests!(
    sign_up_confirm_and_sign_in,
    password_reset_once_and_expiring,
    invitation_by_email_confirms_the_address,
    relay_down_loses_nothing_and_sends_once,
);
