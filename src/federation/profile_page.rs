//! A plain HTML page for a person or community, for people who open an actor URL
//! in a browser.

use axum::response::{Html, IntoResponse, Response};
use html_escape::encode_safe as esc;

use crate::{db::actors::Actor, error::AppResult, model::actor::ActorKind, state::AppState};

pub async fn render(state: &AppState, actor: Actor) -> AppResult<Response> {
    let instance = state.instance();
    let what = match actor.kind() {
        ActorKind::Group => "Community",
        ActorKind::Person => "Person",
        ActorKind::Application => "Instance",
    };
    let display = if actor.display_name.is_empty() {
        &actor.name
    } else {
        &actor.display_name
    };
    let html = format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{display} · {instance}</title>
<link rel="alternate" type="application/activity+json" href="{ap_id}">
<style>body {{ font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }}
header {{ border-bottom: 4px solid {accent}; }}</style>
</head><body>
<header><p>{instance}</p></header>
<main><p>{what}</p><h1>{display}</h1><p>@{name}@{domain}</p><div>{summary}</div></main>
</body></html>"#,
        display = esc(display),
        instance = esc(&instance.name),
        ap_id = esc(&actor.ap_id),
        accent = esc(&instance.accent_color),
        name = esc(&actor.name),
        domain = esc(&actor.domain),
        summary = esc(&actor.summary),
    );
    Ok(Html(html).into_response())
}
