//! `/directory`: the instance's people, filtered by department, location and
//! skill and searched by their words; `/directory/experts`: "find an expert".
//! For signed-in people of the instance; works without JavaScript.

use askama::Template;
use axum::{extract::State, http::StatusCode, response::Response};
use serde::Deserialize;

use super::PER_PAGE;
use crate::{
    api::extract::Query,
    config::DirectoryField,
    db::directory::Filters,
    error::AppResult,
    service::directory::{experts, listing},
    state::AppState,
    web::{
        cards::ActorRef,
        i18n::Tr,
        page::{Chrome, html, urlencode},
        visitor::Visitor,
    },
};

/// A person as a directory card shows them.
pub struct PersonCard {
    pub who: ActorRef,
    /// `(label, value)` of the enabled fields they filled.
    pub fields: Vec<(String, String)>,
    /// `(skill, link to the directory filtered by it)`.
    pub skills: Vec<(String, String)>,
    pub ambassador: bool,
    /// Declared skills that matched a question (the expert finder).
    pub matched: Vec<String>,
}

/// The label of a directory field in the reader's language.
pub fn label(t: &Tr, f: DirectoryField) -> String {
    t.s(&format!("directory-field-{}", f.as_str().replace('_', "-")))
}

impl PersonCard {
    pub fn of(state: &AppState, t: &Tr, p: &listing::Person) -> Self {
        Self {
            who: ActorRef::of(state, &p.actor),
            fields: p
                .shown
                .fields
                .iter()
                .map(|(f, v)| (label(t, *f), v.clone()))
                .collect(),
            skills: p
                .shown
                .skills
                .iter()
                .map(|s| (s.clone(), format!("/directory?skill={}", urlencode(s))))
                .collect(),
            ambassador: p.ambassador,
            matched: vec![],
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DirectoryQuery {
    q: String,
    department: String,
    location: String,
    skill: String,
    p: Option<i64>,
}

#[derive(Template)]
#[template(path = "directory.html")]
struct DirectoryPage {
    t: Tr,
    c: Chrome,
    q: String,
    department: String,
    location: String,
    skill: String,
    /// Choices of the filters; `None` when the field is not enabled.
    departments: Option<Vec<String>>,
    locations: Option<Vec<String>>,
    skills_on: bool,
    people: Vec<PersonCard>,
    /// The next page's query string, if there may be one.
    next: Option<String>,
}

pub async fn get_directory(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<DirectoryQuery>,
) -> AppResult<Response> {
    let (_, me) = v.require()?;
    let page = q.p.unwrap_or(0).clamp(0, 1000);
    let filters = Filters {
        text: q.q.clone(),
        department: q.department.clone(),
        location: q.location.clone(),
        skill: q.skill.clone(),
    };
    let found = listing::search(&state, me, filters, PER_PAGE, page * PER_PAGE).await?;
    let (departments, locations) = listing::choices(&state).await?;
    let config = &state.config.directory;
    let next = (found.len() as i64 == PER_PAGE).then(|| {
        format!(
            "?q={}&department={}&location={}&skill={}&p={}",
            urlencode(&q.q),
            urlencode(&q.department),
            urlencode(&q.location),
            urlencode(&q.skill),
            page + 1
        )
    });
    let page = DirectoryPage {
        t: v.t,
        c: Chrome::new(&state, &v, v.t.s("directory-title")),
        departments: config
            .enabled(DirectoryField::Department)
            .then_some(departments),
        locations: config
            .enabled(DirectoryField::Location)
            .then_some(locations),
        skills_on: config.enabled(DirectoryField::Skills),
        people: found
            .iter()
            .map(|p| PersonCard::of(&state, &v.t, p))
            .collect(),
        q: q.q,
        department: q.department,
        location: q.location,
        skill: q.skill,
        next,
    };
    Ok(html(StatusCode::OK, &page))
}

/// A community where the topic is discussed, and the threads about it.
pub struct TopicCard {
    pub community: ActorRef,
    pub description: String,
    /// `(title, link)`.
    pub threads: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "experts.html")]
struct ExpertsPage {
    t: Tr,
    c: Chrome,
    q: String,
    people: Vec<PersonCard>,
    communities: Vec<TopicCard>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ExpertsQuery {
    q: String,
}

pub async fn get_experts(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<ExpertsQuery>,
) -> AppResult<Response> {
    let (_, me) = v.require()?;
    let question = q.q.trim().to_string();
    let mut page = ExpertsPage {
        t: v.t,
        c: Chrome::new(&state, &v, v.t.s("experts-title")),
        q: question.clone(),
        people: vec![],
        communities: vec![],
    };
    if !question.is_empty() {
        let found = experts::find(&state, Some(me), &question).await?;
        page.people = found
            .people
            .iter()
            .map(|e| PersonCard {
                matched: e.matched.clone(),
                ..PersonCard::of(&state, &v.t, &e.person)
            })
            .collect();
        page.communities = found
            .communities
            .iter()
            .map(|(c, threads)| TopicCard {
                community: ActorRef::of(&state, c),
                description: crate::model::content::html_to_plain(&c.summary),
                threads: threads
                    .iter()
                    .map(|t| {
                        (
                            t.title.clone().unwrap_or_default(),
                            format!("/posts/{}", t.id),
                        )
                    })
                    .collect(),
            })
            .collect();
    }
    Ok(html(StatusCode::OK, &page))
}
