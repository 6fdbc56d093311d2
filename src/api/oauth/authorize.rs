//! `GET /oauth/authorize` shows a login and consent page; `POST` checks the
//! password, issues a code and sends the browser back to the app (or shows the
//! code for the out-of-band redirect).

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use html_escape::encode_safe as esc;
use serde::Deserialize;

use super::{page, refusal::refusal_page};
use crate::{
    api::extract::{Body, Query},
    service::{
        accounts,
        oauth::{self, AuthorizeParams, AuthorizeRequest, OOB},
    },
    state::AppState,
};

#[derive(Deserialize, Default)]
pub struct AuthorizeQuery {
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    decision: Option<String>,
}

impl AuthorizeQuery {
    fn params(&self) -> AuthorizeParams {
        AuthorizeParams {
            response_type: self.response_type.clone(),
            client_id: self.client_id.clone(),
            redirect_uri: self.redirect_uri.clone(),
            scope: self.scope.clone(),
            state: self.state.clone(),
            code_challenge: self.code_challenge.clone(),
            code_challenge_method: self.code_challenge_method.clone(),
        }
    }
}

fn hidden(name: &str, value: Option<&str>) -> String {
    value
        .map(|v| format!(r#"<input type="hidden" name="{name}" value="{}">"#, esc(v)))
        .unwrap_or_default()
}

fn login_page(
    state: &AppState,
    q: &AuthorizeQuery,
    req: &AuthorizeRequest,
    error: Option<&str>,
) -> Response {
    let status = if error.is_some() {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    let scopes: Vec<String> = req
        .scopes
        .iter()
        .map(|s| format!("<li>{}</li>", esc(s)))
        .collect();
    let body = format!(
        r#"<p><strong>{app}</strong> asks to use your account with these permissions:</p>
<ul>{scopes}</ul>
{error}
<form method="post" action="/oauth/authorize">
{hidden}
<label>Name or e-mail <input type="text" name="login" value="{login}" autocomplete="username" required></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit" name="decision" value="approve">Authorize</button>
<button type="submit" name="decision" value="deny" class="secondary" formnovalidate>Deny</button>
</form>"#,
        app = esc(&req.app.name),
        scopes = scopes.join(""),
        error = error
            .map(|e| format!(r#"<p class="error">{}</p>"#, esc(e)))
            .unwrap_or_default(),
        login = esc(&q.login),
        hidden = [
            hidden("response_type", q.response_type.as_deref()),
            hidden("client_id", q.client_id.as_deref()),
            hidden("redirect_uri", Some(&req.redirect_uri)),
            hidden("scope", Some(&req.scopes.to_string())),
            hidden("state", q.state.as_deref()),
            hidden("code_challenge", q.code_challenge.as_deref()),
            hidden("code_challenge_method", q.code_challenge_method.as_deref()),
        ]
        .join("\n"),
    );
    page::layout(state, status, "Authorize", &body)
}

pub async fn show(State(state): State<AppState>, Query(q): Query<AuthorizeQuery>) -> Response {
    match oauth::check_authorize(&state, q.params()).await {
        Ok(req) => login_page(&state, &q, &req, None),
        Err(r) => refusal_page(&state, r),
    }
}

/// Sends the browser back to the app with `params` added to its redirect URI.
fn back_to_app(req: &AuthorizeRequest, params: &[(&str, &str)]) -> Response {
    match url::Url::parse(&req.redirect_uri) {
        Ok(mut url) => {
            {
                let mut pairs = url.query_pairs_mut();
                for (k, v) in params {
                    pairs.append_pair(k, v);
                }
                if let Some(s) = &req.state {
                    pairs.append_pair("state", s);
                }
            }
            Redirect::to(url.as_str()).into_response()
        }
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

pub async fn submit(State(state): State<AppState>, Body(q): Body<AuthorizeQuery>) -> Response {
    let req = match oauth::check_authorize(&state, q.params()).await {
        Ok(req) => req,
        Err(r) => return refusal_page(&state, r),
    };
    if q.decision.as_deref() == Some("deny") {
        if req.redirect_uri == OOB {
            return page::error_page(
                &state,
                StatusCode::FORBIDDEN,
                "You denied the authorization.",
            );
        }
        return back_to_app(&req, &[("error", "access_denied")]);
    }
    let user = match accounts::authenticate(&state, &q.login, &q.password).await {
        Ok((user, _)) => user,
        Err(e) if e.status == StatusCode::UNAUTHORIZED => {
            return login_page(&state, &q, &req, Some("Invalid name or password."));
        }
        Err(e) => return e.into_response(),
    };
    let code = match oauth::issue_code(&state, &req, &user).await {
        Ok(code) => code,
        Err(e) => return e.into_response(),
    };
    if req.redirect_uri == OOB {
        let body = format!(
            "<p>Copy this authorization code and paste it into the application:</p><code id=\"code\">{}</code>",
            esc(&code)
        );
        return page::layout(&state, StatusCode::OK, "Authorization code", &body);
    }
    back_to_app(&req, &[("code", &code)])
}
