//! The page shown when an app's sign-in request cannot be served: what went
//! wrong in plain words and what the person can do, never a bare OAuth code.

use axum::{
    http::{StatusCode, header::RETRY_AFTER},
    response::{IntoResponse, Response},
};
use html_escape::encode_text as esc;

use super::page;
use crate::{service::oauth::Refusal, state::AppState};

const AGAIN: &str = "Go back to the app and start signing in again.";
const DEVELOPER: &str = "If it happens again, tell the app's developer.";

/// A heading and an explanation (HTML, every value escaped) for each refusal.
fn words(r: &Refusal) -> (&'static str, String) {
    match r {
        Refusal::ResponseType(asked) => (
            "Unsupported sign-in request",
            format!(
                "The app asked for a kind of authorization this server does not offer \
                 (response type “{}”; only “code” is supported). {DEVELOPER}",
                esc(asked.as_deref().unwrap_or("none"))
            ),
        ),
        Refusal::NoClient => (
            "Unknown app",
            format!("The app did not say which app it is. {AGAIN}"),
        ),
        Refusal::UnknownClient => (
            "Unknown app",
            format!(
                "This server does not know this app: it was registered on another server, \
                 or removed here. {AGAIN} It will register itself anew."
            ),
        ),
        Refusal::NoRedirectUri => (
            "Missing return address",
            format!("The app did not say where to send you back after signing in. {AGAIN}"),
        ),
        Refusal::UnregisteredRedirectUri(uri) => (
            "Return address not registered",
            format!(
                "The app asked to send you back to <code>{}</code>, an address it did not \
                 register. To protect your account you are not sent there. {AGAIN} {DEVELOPER}",
                esc(uri)
            ),
        ),
        Refusal::UnknownScope(why) => (
            "Unknown permissions",
            format!(
                "The app asked for permissions this server does not know ({}). {DEVELOPER}",
                esc(why)
            ),
        ),
        Refusal::ScopeBeyondApp => (
            "Too many permissions",
            format!("The app asked for more permissions than it registered for. {AGAIN}"),
        ),
        Refusal::CodeChallenge(why) => (
            "Malformed sign-in request",
            format!(
                "The app's sign-in request cannot be used ({}). {DEVELOPER}",
                esc(why)
            ),
        ),
        Refusal::Failed(_) => (
            "Something went wrong",
            "This server could not check the app's request. Try again in a moment.".into(),
        ),
    }
}

pub fn refusal_page(state: &AppState, r: Refusal) -> Response {
    let (title, explanation) = words(&r);
    let body = format!(r#"<p class="error">{explanation}</p>"#);
    let Refusal::Failed(e) = r else {
        return page::layout(state, StatusCode::BAD_REQUEST, title, &body);
    };
    // The error's own response logs its cause and carries its status and Retry-After.
    let failed = e.into_response();
    let mut out = page::layout(state, failed.status(), title, &body);
    if let Some(wait) = failed.headers().get(RETRY_AFTER) {
        out.headers_mut().insert(RETRY_AFTER, wait.clone());
    }
    out
}
