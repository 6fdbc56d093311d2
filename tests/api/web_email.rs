//! The e-mail pages: confirming an address, a forgotten password, unsubscribe
//! links (one-click, without a session), the settings' e-mail section, and
//! invitations by e-mail. Mail is "on" towards a closed port: nothing leaves,
//! the queue (`outgoing_mail`) fills, and the links are read from it.

use diesel::prelude::*;
use passerelle::{
    config::{Config, RegistrationMode},
    db::{self, schema::outgoing_mail},
    service::mail::settings,
};

use crate::{
    backend_tests,
    browser::Browser,
    helpers::{Backend, TestApp, spawn_app},
};

backend_tests!(
    signup_waits_for_confirmation,
    forgot_and_reset,
    forgot_without_mail,
    unsubscribe_link,
    settings_email_section,
    settings_without_mail,
    admin_invites_by_email
);

fn mail_on(c: &mut Config) {
    c.email.smtp_url = "smtp://127.0.0.1:9".into();
    c.registration.mode = RegistrationMode::Open;
}

async fn mail_app(backend: Backend) -> TestApp {
    TestApp::with_config(backend, mail_on).await
}

/// The messages queued for `to`, oldest first.
async fn messages_to(app: &TestApp, to: &str) -> Vec<String> {
    let to = to.to_string();
    app.state
        .db
        .run(move |c| {
            Ok(outgoing_mail::table
                .filter(outgoing_mail::recipient.eq(to))
                .order(outgoing_mail::id.asc())
                .select(outgoing_mail::message)
                .load::<String>(c)?)
        })
        .await
        .expect("outgoing mail")
}

/// The message's plain text, decoded.
fn readable(message: &str) -> String {
    let parsed = mail_parser::MessageParser::default()
        .parse(message.as_bytes())
        .expect("a message");
    parsed.body_text(0).expect("a text part").into_owned()
}

/// The path of the first `/auth/…/` link in the latest message to `to`.
async fn link_to(app: &TestApp, to: &str, kind: &str) -> String {
    // Reset links are mailed just after the page answers.
    let mut messages = messages_to(app, to).await;
    for _ in 0..50 {
        if !messages.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        messages = messages_to(app, to).await;
    }
    let text = readable(messages.last().expect("a message"));
    let marker = format!("/auth/{kind}/");
    let start = text.find(&marker).expect("a link") + marker.len();
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    format!("{marker}{token}")
}

async fn user_id(app: &TestApp, name: &'static str) -> i64 {
    app.state
        .db
        .run(move |c| Ok(db::users::by_login(c, name)?.expect("user").0.id))
        .await
        .expect("user id")
}

async fn signup_waits_for_confirmation(backend: Backend) {
    let app = mail_app(backend).await;
    let b = Browser::new(&app);
    let form = [
        ("username", "newcomer"),
        ("email", "Newcomer@Example.com"),
        ("password", "correct horse battery"),
        ("agreement", "1"),
    ];
    let signed = b.post("/signup", &form).await;
    assert_eq!(signed.status, 200, "{}", signed.body);
    assert!(signed.set_cookie.is_empty(), "not signed in");
    assert!(
        signed
            .body
            .contains("We sent a confirmation link to newcomer@example.com"),
        "{}",
        signed.body
    );
    let confirm = link_to(&app, "newcomer@example.com", "confirm").await;

    // The right password of an unconfirmed address: refused, with a new link.
    let login = [("login", "newcomer"), ("password", "correct horse battery")];
    let refused = b.post("/login", &login).await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("Confirm your address first"));
    assert!(refused.body.contains(r#"href="/auth/forgot""#));
    assert_eq!(messages_to(&app, "newcomer@example.com").await.len(), 2);

    let confirmed = b.get(&confirm).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    assert!(
        confirmed
            .body
            .contains("Your address newcomer@example.com is confirmed")
    );
    assert!(confirmed.body.contains(r##"href="/#sign-in""##));
    let again = b.get(&confirm).await;
    assert_eq!(again.status, 410);
    assert!(again.body.contains("expired or was already used"));
    assert_eq!(b.post("/login", &login).await.status, 303);
}

async fn forgot_and_reset(backend: Backend) {
    let app = mail_app(backend).await;
    app.user_with_token("alice", "read").await;
    let b = Browser::new(&app);
    let form = b.get("/auth/forgot").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains(r#"action="/auth/forgot""#));

    // The same answer whether the address has an account or not.
    let known = b
        .post("/auth/forgot", &[("email", "alice@example.com")])
        .await;
    let unknown = b
        .post("/auth/forgot", &[("email", "nobody@example.com")])
        .await;
    assert_eq!(known.status, 200);
    assert_eq!(unknown.status, 200);
    assert!(known.body.contains("If an account uses this address"));
    assert_eq!(known.body, unknown.body);
    assert!(messages_to(&app, "nobody@example.com").await.is_empty());

    let reset = link_to(&app, "alice@example.com", "reset").await;
    let page = b.get(&reset).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!(r#"action="{reset}""#)));
    let differ = b
        .post(
            &reset,
            &[("password", "a brand new password"), ("confirmation", "x")],
        )
        .await;
    assert_eq!(differ.status, 422);
    let new = [
        ("password", "a brand new password"),
        ("confirmation", "a brand new password"),
    ];
    let done = b.post(&reset, &new).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Your password has changed"));
    assert!(done.set_cookie.is_empty(), "not signed in");

    let old = [("login", "alice"), ("password", "correct horse battery")];
    assert_eq!(b.post("/login", &old).await.status, 401);
    let fresh = [("login", "alice"), ("password", "a brand new password")];
    assert_eq!(b.post("/login", &fresh).await.status, 303);
    assert_eq!(b.get(&reset).await.status, 410);
    assert_eq!(b.post(&reset, &new).await.status, 410);
}

async fn forgot_without_mail(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_token("alice", "read").await;
    let b = Browser::new(&app);
    let page = b.get("/auth/forgot").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("E-mail is not set up on this server"));
    assert!(!page.body.contains(r#"action="/auth/forgot""#));
    let posted = b
        .post("/auth/forgot", &[("email", "alice@example.com")])
        .await;
    assert!(posted.body.contains("E-mail is not set up on this server"));
    assert!(messages_to(&app, "alice@example.com").await.is_empty());
}

async fn unsubscribe_link(backend: Backend) {
    let app = mail_app(backend).await;
    app.user_with_token("alice", "read").await;
    let id = user_id(&app, "alice").await;
    let before = settings::of_user(&app.state, id).await.expect("settings");
    let key = before.unsubscribe_key.clone();
    let b = Browser::new(&app);

    // Opening the link (as a link checker does) changes nothing.
    let path = format!("/email/unsubscribe/{key}/mentions");
    let page = b.get(&path).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("mentions and replies"));
    assert!(page.body.contains(&format!(r#"action="{path}""#)));
    assert_eq!(settings::of_user(&app.state, id).await.unwrap(), before);
    assert_eq!(b.get("/email/unsubscribe/nope/mentions").await.status, 404);
    assert_eq!(
        b.get(&format!("/email/unsubscribe/{key}/everything"))
            .await
            .status,
        404
    );

    // A mail provider's one-click POST: no cookie, no form token, no Origin.
    let one_click = |path: String, body: String| {
        app.client
            .post(app.url(&path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let done = one_click(path.clone(), "List-Unsubscribe=One-Click".into())
        .await
        .expect("post");
    assert_eq!(done.status(), 200);
    assert!(
        done.text()
            .await
            .unwrap()
            .contains("You will no longer receive e-mails about mentions and replies")
    );
    let after = settings::of_user(&app.state, id).await.unwrap();
    assert!(!after.mentions && after.direct_messages && after.digest == "weekly");

    let digest = format!("/email/unsubscribe/{key}/digest");
    let done = one_click(digest.clone(), "List-Unsubscribe=One-Click".into())
        .await
        .expect("post");
    assert_eq!(done.status(), 200);
    assert_eq!(
        settings::of_user(&app.state, id).await.unwrap().digest,
        "off"
    );
    let bad = one_click("/email/unsubscribe/nope/digest".into(), String::new())
        .await
        .expect("post");
    assert_eq!(bad.status(), 404);
    let huge = one_click(digest, "x".repeat(10_000)).await.expect("post");
    assert_eq!(huge.status(), 413);
}

async fn settings_email_section(backend: Backend) {
    let app = mail_app(backend).await;
    app.user_with_token("alice", "read").await;
    let id = user_id(&app, "alice").await;
    let mut b = Browser::new(&app);
    b.sign_in("alice").await;
    let page = b.get("/settings").await.body;
    assert!(page.contains("Your address: alice@example.com"));
    assert!(page.contains("This address is confirmed"));
    assert!(!page.contains(r#"action="/settings/email/confirm""#));
    assert!(page.contains(r#"action="/settings/email""#));

    // The alerts and the digest.
    let saved = b
        .post(
            "/settings/email/preferences",
            &[("mentions", "1"), ("follows", "1"), ("digest", "daily")],
        )
        .await;
    assert_eq!(saved.location.as_deref(), Some("/settings?saved=email"));
    let s = settings::of_user(&app.state, id).await.unwrap();
    assert!(s.mentions && s.follows && !s.direct_messages && !s.reports);
    assert_eq!(s.digest, "daily");
    let page = b.get("/settings?saved=email").await.body;
    assert!(page.contains("Your e-mail choices are saved"));
    assert!(page.contains(r#"<option value="daily" selected>"#));
    let bad = b
        .post("/settings/email/preferences", &[("digest", "hourly")])
        .await;
    assert_eq!(bad.status, 422);

    // A new address: with the password; it changes once its link is opened.
    let change = |password: &'static str| {
        let b = &b;
        async move {
            b.post(
                "/settings/email",
                &[("email", "alice.new@example.com"), ("password", password)],
            )
            .await
        }
    };
    assert_eq!(change("wrong password").await.status, 403);
    let sent = change("correct horse battery").await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(
        sent.body
            .contains("We sent a link to alice.new@example.com")
    );
    let confirm = link_to(&app, "alice.new@example.com", "confirm").await;
    assert!(
        b.get("/settings")
            .await
            .body
            .contains("Your address: alice@example.com")
    );
    assert_eq!(b.get(&confirm).await.status, 200);
    assert!(
        b.get("/settings")
            .await
            .body
            .contains("Your address: alice.new@example.com")
    );
}

async fn settings_without_mail(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_token("alice", "read").await;
    let id = user_id(&app, "alice").await;
    let mut b = Browser::new(&app);
    b.sign_in("alice").await;
    let page = b.get("/settings").await.body;
    assert!(page.contains("E-mail is not set up on this server"));
    assert!(!page.contains(r#"action="/settings/email""#));
    let saved = b
        .post("/settings/email/preferences", &[("digest", "off")])
        .await;
    assert_eq!(saved.location.as_deref(), Some("/settings?saved=email"));
    let s = settings::of_user(&app.state, id).await.unwrap();
    assert!(!s.mentions && s.digest == "off");
    let refused = b
        .post(
            "/settings/email",
            &[
                ("email", "other@example.com"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(b.post("/settings/email/confirm", &[]).await.status, 422);
}

async fn admin_invites_by_email(backend: Backend) {
    let app = mail_app(backend).await;
    app.admin_with_token("chief", "read").await;
    app.user_with_token("alice", "read").await;
    let (mut admin, mut alice) = (Browser::new(&app), Browser::new(&app));
    admin.sign_in("chief").await;
    alice.sign_in("alice").await;
    assert!(
        admin
            .get("/admin/people")
            .await
            .body
            .contains(r#"action="/admin/invites/email""#)
    );

    let sent = admin
        .post(
            "/admin/invites/email",
            &[("email", "Colleague@Example.com")],
        )
        .await;
    let location = sent.location.expect("back to the people");
    assert!(location.starts_with("/admin/people?saved="), "{location}");
    assert!(
        admin
            .get(&location)
            .await
            .body
            .contains("Invitation sent to colleague@example.com")
    );
    let mail = messages_to(&app, "colleague@example.com").await;
    assert_eq!(mail.len(), 1);
    assert!(readable(&mail[0]).contains("/?invite="));

    let taken = admin
        .post("/admin/invites/email", &[("email", "alice@example.com")])
        .await;
    assert_eq!(taken.status, 422);
    let not_admin = alice
        .post("/admin/invites/email", &[("email", "friend@example.com")])
        .await;
    assert_eq!(not_admin.status, 403);
    assert!(messages_to(&app, "friend@example.com").await.is_empty());
}
