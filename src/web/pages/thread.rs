//! `/posts/:id`: a post with its whole thread, nested, with reply forms. Shown
//! only to who may read it, as the API decides; public ones carry a link preview.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};

use crate::{
    error::{AppError, AppResult},
    service::{community_view, reading},
    state::AppState,
    web::{
        cards::PostCard,
        i18n::Tr,
        page::{Chrome, Preview, html},
        visitor::Visitor,
    },
};

#[derive(Template)]
#[template(path = "thread.html")]
struct ThreadPage {
    t: Tr,
    c: Chrome,
    root_id: i64,
    nodes: Vec<(usize, PostCard)>,
    /// The root is an event: its answers and the reader's buttons.
    event: Option<super::agenda::Item>,
    answers: [(&'static str, &'static str); 3],
    /// The root is a survey: its form or its results.
    survey: Option<crate::web::survey_card::SurveyBox>,
    /// The root is a document of a library: its file, versions and forms.
    document: Option<crate::web::document_card::DocumentBox>,
}

pub async fn get_post(
    State(state): State<AppState>,
    Path(id): Path<String>,
    v: Visitor,
) -> AppResult<Response> {
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    let me = v.actor();
    let thread = reading::thread(&state, id, me).await?;
    let root = thread.get(thread.root_id).ok_or_else(AppError::not_found)?;
    let root_card = PostCard::of(&state, root, me);
    let title = root_card
        .title
        .clone()
        .unwrap_or_else(|| v.t.v("post-by", "name", &root_card.author.display));
    let mut c = Chrome::new(&state, &v, title.clone());
    if root.status.visibility.is_public() {
        c.preview = Some(Preview {
            title,
            description: PostCard::excerpt(root),
            url: format!("{}/posts/{}", state.urls.base(), root.status.id),
        });
    }
    // Moderators of the thread's community may remove any of its posts.
    let moderated = match (&root.community, me) {
        (Some(c), Some(_)) => community_view::overview(&state, c, me)
            .await?
            .moderates()
            .then_some(c.id),
        _ => None,
    };
    let walk = thread.walk();
    let cards = walk
        .iter()
        .map(|(_, view)| PostCard::of(&state, view, me))
        .collect();
    let nodes = walk
        .iter()
        .map(|(depth, _)| (*depth).min(6))
        .zip(PostCard::moderated(cards, moderated))
        .collect();
    let event = match &root.event {
        Some(_) => {
            let view = crate::service::agenda::listing::one(&state, me, root.status.id).await?;
            Some(super::agenda::item(&state, &view))
        }
        None => None,
    };
    let survey = match &root.survey {
        Some(_) => {
            let view = crate::service::surveys::results::one(&state, me, root.status.id).await?;
            Some(crate::web::survey_card::SurveyBox::of(&view))
        }
        None => None,
    };
    // Documents are threads of a community, with a title.
    let document = match (&root.status.community_id, &root.status.title) {
        (Some(_), Some(_)) => {
            super::documents::document_box(&state, v.t, me, root.status.id).await?
        }
        _ => None,
    };
    let page = ThreadPage {
        t: v.t,
        c,
        root_id: thread.root_id,
        nodes,
        event,
        answers: crate::web::event_card::ANSWERS,
        survey,
        document,
    };
    Ok(html(StatusCode::OK, &page))
}
