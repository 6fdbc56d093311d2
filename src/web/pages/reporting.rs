//! Reporting a post (`/posts/:id/report`) or a person (`/@name/report`) to the
//! moderators, through `service::reports::create` as `POST /api/v1/reports`
//! does; then a page that thanks the reporter. What the reader cannot see
//! cannot be reported (404).

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};

use crate::{
    db::actors::Actor,
    error::{AppError, AppResult},
    service::{
        people, reading,
        reports::{self, NewReport},
    },
    state::AppState,
    web::{
        cards::{ActorRef, PostCard},
        form::Posted,
        i18n::Tr,
        page::{Chrome, back_to, html},
        visitor::Visitor,
    },
};

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    t: Tr,
    c: Chrome,
    who: ActorRef,
    /// The post reported, if it is about one.
    post: Option<PostCard>,
    action: String,
    /// Where "cancel" goes: the post, or the person's page here.
    back: String,
    /// Another server's account: the report may go there too.
    remote: bool,
    /// The instance's rules, numbered from 1 (what `rule_ids` name).
    rules: Vec<(usize, String)>,
}

#[derive(Template)]
#[template(path = "report_sent.html")]
struct SentPage {
    t: Tr,
    c: Chrome,
}

fn post_id(id: &str) -> AppResult<i64> {
    id.parse().map_err(|_| AppError::not_found())
}

fn form_page(state: &AppState, v: &Visitor, who: &Actor, post: Option<PostCard>) -> Response {
    let r = ActorRef::of(state, who);
    let back = match &post {
        Some(p) => format!("/posts/{}", p.id),
        None => format!("/@{}", r.handle),
    };
    let action = format!("{back}/report");
    let page = ReportPage {
        t: v.t,
        c: Chrome::new(state, v, v.t.v("report-title", "name", &r.display)),
        who: r,
        post,
        action,
        back,
        remote: !who.local,
        rules: (1..).zip(state.instance().rules.iter().cloned()).collect(),
    };
    html(StatusCode::OK, &page)
}

pub async fn get_post_report(
    State(state): State<AppState>,
    Path(id): Path<String>,
    v: Visitor,
) -> AppResult<Response> {
    let (_, me) = v.require()?;
    let view = reading::post(&state, post_id(&id)?, Some(me)).await?;
    let card = PostCard::of(&state, &view, Some(me));
    Ok(form_page(&state, &v, &view.author, Some(card)))
}

pub async fn get_account_report(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    v: Visitor,
) -> AppResult<Response> {
    v.require()?;
    let who = people::by_handle(&state, &handle).await?;
    Ok(form_page(&state, &v, &who, None))
}

/// The report form's fields: the ticked rules come as repeated `rule` fields.
#[derive(Default)]
pub struct ReportForm {
    comment: String,
    category: Option<String>,
    forward: bool,
    rule_ids: Vec<i64>,
}

impl ReportForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> AppResult<Self> {
        let mut form = Self::default();
        for (key, value) in pairs {
            match key.as_str() {
                "comment" => form.comment = value,
                "category" => form.category = Some(value),
                "forward" => form.forward = true,
                "rule" => form.rule_ids.push(
                    value
                        .parse()
                        .map_err(|_| AppError::unprocessable("Choose rules from the list"))?,
                ),
                _ => {}
            }
        }
        Ok(form)
    }

    fn into_new(self, account_id: i64, status_ids: Vec<i64>) -> NewReport {
        NewReport {
            account_id,
            status_ids,
            comment: self.comment,
            category: self.category,
            rule_ids: self.rule_ids,
            forward: self.forward,
        }
    }
}

pub async fn post_post_report(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (_, me) = visitor.require()?;
    let form = ReportForm::from_pairs(form)?;
    let view = reading::post(&state, post_id(&id)?, Some(me)).await?;
    let new = form.into_new(view.author.id, vec![view.status.id]);
    reports::create(&state, me, new).await?;
    Ok(back_to("/reports/sent"))
}

pub async fn post_account_report(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (_, me) = visitor.require()?;
    let form = ReportForm::from_pairs(form)?;
    let who = people::by_handle(&state, &handle).await?;
    reports::create(&state, me, form.into_new(who.id, vec![])).await?;
    Ok(back_to("/reports/sent"))
}

pub async fn get_sent(State(state): State<AppState>, v: Visitor) -> AppResult<Response> {
    v.require()?;
    let page = SentPage {
        c: Chrome::new(&state, &v, v.t.s("report-sent-title")),
        t: v.t,
    };
    Ok(html(StatusCode::OK, &page))
}
