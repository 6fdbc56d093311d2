//! The whole story of mail, through the pages and a real SMTP server: an
//! administrator invites a colleague by e-mail; the colleague signs up from
//! the link (in French), gets a French alert for a mention and a weekly
//! digest, resets a forgotten password, changes address, and leaves the
//! digest in one click.

use chrono::Duration;
use passerelle::{
    config::RegistrationMode,
    service::{mail, now},
};
use serde_json::json;

use crate::{
    backend_tests,
    browser::Browser,
    helpers::Backend,
    mail::{assert_well_formed, mail_app},
    smtp_sink::{SmtpSink, free_port},
};

async fn invited_colleague_lives_with_mail(backend: Backend) {
    let Some(sink) = SmtpSink::start(free_port()).await else {
        return;
    };
    let app = mail_app(backend, &sink, |c| {
        c.registration.mode = RegistrationMode::Invite
    })
    .await;
    let ines = app
        .admin_with_token("ines", "read write follow admin:read admin:write")
        .await;
    let mut admin = Browser::new(&app);
    admin.sign_in("ines").await;
    let sent = admin
        .post("/admin/invites/email", &[("email", "jules@corp.example")])
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let got = sink.wait_for(1).await;
    assert_well_formed(&got[0], "en");
    let link = got[0]
        .link(&app.url("/?invite="))
        .expect("the invitation link");
    let path = link.trim_start_matches(&app.base).to_string();

    // The colleague opens it in a French browser and signs up.
    let mut jules = Browser::new(&app);
    jules.lang = Some("fr");
    let page = jules.get(&path).await;
    assert_eq!(page.status, 200);
    let code = link.rsplit('=').next().unwrap_or_default().to_string();
    let signed_up = jules
        .post(
            "/signup",
            &[
                ("username", "jules"),
                ("email", "jules@corp.example"),
                ("password", "correct horse battery"),
                ("invite", &code),
                ("agreement", "on"),
            ],
        )
        .await;
    assert_eq!(
        signed_up.status, 303,
        "the invited address needs no other confirmation: {}",
        signed_up.body
    );
    jules.sign_in("jules").await;

    // A mention, unseen: a French alert.
    let (code, s) = app
        .post_json(
            &ines,
            "/api/v1/statuses",
            json!({"status": "@jules bienvenue parmi nous !", "visibility": "public"}),
        )
        .await;
    assert_eq!(code, 200, "{s}");
    assert_eq!(
        mail::alerts::send_due(&app.state, now() + Duration::minutes(11))
            .await
            .expect("alerts"),
        1
    );
    let got = sink.wait_for(2).await;
    assert_eq!(got[1].to, vec!["jules@corp.example".to_string()]);
    assert_well_formed(&got[1], "fr");
    assert_eq!(got[1].subject(), "ines vous a mentionné·e");
    assert!(got[1].text().contains("bienvenue parmi nous"));

    // A weekly digest of the communities joined.
    let general = app.community(&ines, "general", "public").await;
    let (code, _) = app
        .post_json(
            &ines,
            &format!("/api/passerelle/v1/communities/{general}/threads"),
            json!({"title": "Bienvenue à Jules", "body": "Présentez-vous !"}),
        )
        .await;
    assert_eq!(code, 200);
    let page = jules.post("/communities/general/join", &[]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let digests = mail::digest::send_due(&app.state, now() + Duration::days(8))
        .await
        .expect("digests");
    assert!(digests >= 1);
    let got = sink.wait_for(2 + digests).await;
    let digest = got
        .iter()
        .find(|m| m.subject().starts_with("Cette semaine"))
        .expect("a French digest");
    assert_eq!(digest.to, vec!["jules@corp.example".to_string()]);
    assert!(digest.text().contains("Bienvenue à Jules"));

    // A forgotten password, reset from the sign-in page.
    let anonymous = Browser::new(&app);
    let asked = anonymous
        .post("/auth/forgot", &[("email", "jules@corp.example")])
        .await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    let before = got.len();
    let got = sink.wait_for(before + 1).await;
    let reset = &got[before];
    assert_eq!(reset.subject(), "Réinitialisez votre mot de passe");
    let reset_path = reset
        .link(&app.url("/auth/reset/"))
        .expect("the reset link")
        .trim_start_matches(&app.base)
        .to_string();
    let done = anonymous
        .post(
            &reset_path,
            &[
                ("password", "une phrase de passe neuve"),
                ("confirmation", "une phrase de passe neuve"),
            ],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let signed_in = anonymous
        .post(
            "/login",
            &[
                ("login", "jules"),
                ("password", "une phrase de passe neuve"),
            ],
        )
        .await;
    assert_eq!(signed_in.status, 303);
    let again = anonymous
        .post(
            &reset_path,
            &[
                ("password", "encore une autre phrase"),
                ("confirmation", "encore une autre phrase"),
            ],
        )
        .await;
    assert_eq!(again.status, 410, "the link worked once");

    // One click on the digest's unsubscribe link, with no session.
    let header = digest.header("List-Unsubscribe");
    let url = header.trim_start_matches('<').trim_end_matches('>');
    let r = app
        .client
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("one click");
    assert_eq!(r.status().as_u16(), 200);
    let user = app
        .state
        .db
        .run(|c| Ok(passerelle::db::users::by_login(c, "jules")?))
        .await
        .expect("jules")
        .expect("jules");
    assert_eq!(
        mail::settings::of_user(&app.state, user.0.id)
            .await
            .expect("settings")
            .digest,
        "off"
    );
}

backend_tests!(invited_colleague_lives_with_mail);
