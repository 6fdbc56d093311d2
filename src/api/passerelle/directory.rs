//! The people directory in the native API: one's own directory fields (read
//! and change), another person's, the filtered listing, and "find an expert".
//! For the instance's own signed-in people; the experts' communities are
//! also answered anonymously (public ones only).

use axum::{
    Json,
    extract::{Path, State},
};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::{
    api::{
        auth::Auth,
        extract::{Body, Query, lenient_i64},
        id_path::parse_id,
        mastodon::entities::account,
    },
    config::DirectoryField,
    db::{self, directory::Filters},
    error::{AppError, AppResult, invalid_field},
    service::{
        directory::{
            experts,
            listing::{self, Person},
            profile::{self, ProfileChange, Shown},
        },
        roles,
    },
    state::AppState,
};

/// The enabled fields as an object: text fields as strings (empty when unset),
/// `skills` as an array.
fn profile_json(state: &AppState, shown: &Shown) -> Value {
    let mut m = Map::new();
    for f in &state.config.directory.fields {
        let v = match f {
            DirectoryField::Skills => json!(shown.skills),
            f => json!(shown.get(*f)),
        };
        m.insert(f.as_str().into(), v);
    }
    Value::Object(m)
}

async fn person_json(state: &AppState, p: &Person) -> AppResult<Value> {
    let id = p.actor.id;
    let counts = state
        .db
        .run(move |c| Ok(db::actors::counts(c, id)?))
        .await?;
    Ok(json!({
        "account": account::from_actor(state, &p.actor, counts),
        "profile": profile_json(state, &p.shown),
        "ambassador": p.ambassador,
    }))
}

/// `GET /api/passerelle/v1/account/directory_profile`
pub async fn get_own(State(state): State<AppState>, auth: Auth) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("read:accounts")?;
    let shown = profile::read(&state, me, Some(me))
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(Json(profile_json(&state, &shown)))
}

#[derive(Deserialize, Default)]
pub struct ProfileForm {
    department: Option<String>,
    job_title: Option<String>,
    location: Option<String>,
    phone: Option<String>,
    languages: Option<String>,
    /// An array, or names separated by commas.
    skills: Option<Value>,
}

fn skills_of(v: Value) -> AppResult<Vec<String>> {
    match v {
        Value::String(s) => Ok(vec![s]),
        Value::Array(a) => a
            .into_iter()
            .map(|s| match s {
                Value::String(s) => Ok(s),
                _ => Err(invalid_field("skills", "must be a list of names")),
            })
            .collect(),
        Value::Null => Ok(vec![]),
        _ => Err(invalid_field("skills", "must be a list of names")),
    }
}

/// `PATCH /api/passerelle/v1/account/directory_profile`: the fields sent change,
/// the others stay.
pub async fn update_own(
    State(state): State<AppState>,
    auth: Auth,
    Body(form): Body<ProfileForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:accounts")?;
    let text = [
        (DirectoryField::Department, form.department),
        (DirectoryField::JobTitle, form.job_title),
        (DirectoryField::Location, form.location),
        (DirectoryField::Phone, form.phone),
        (DirectoryField::Languages, form.languages),
    ]
    .into_iter()
    .filter_map(|(f, v)| v.map(|v| (f, v)))
    .collect();
    let change = ProfileChange {
        text,
        skills: form.skills.map(skills_of).transpose()?,
    };
    let shown = profile::update(&state, me, change).await?;
    Ok(Json(profile_json(&state, &shown)))
}

/// `GET /api/passerelle/v1/accounts/:id/directory_profile`
pub async fn get_person(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("read:accounts")?;
    let (_, who) = roles::local_person(&state, parse_id(&id)?).await?;
    if who.suspended_at.is_some() {
        return Err(AppError::not_found());
    }
    let shown = profile::read(&state, &who, Some(me))
        .await?
        .ok_or_else(AppError::not_found)?;
    let ambassador = roles::is_ambassador(&state, who.id).await?;
    let p = Person {
        actor: who,
        shown,
        ambassador,
    };
    Ok(Json(person_json(&state, &p).await?))
}

#[derive(Deserialize, Default)]
pub struct DirectoryQuery {
    q: Option<String>,
    department: Option<String>,
    location: Option<String>,
    skill: Option<String>,
    #[serde(default, deserialize_with = "lenient_i64")]
    limit: Option<i64>,
    #[serde(default, deserialize_with = "lenient_i64")]
    offset: Option<i64>,
}

/// `GET /api/passerelle/v1/directory`: `q` (full text), `department`,
/// `location`, `skill`; people by name.
pub async fn list_people(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<DirectoryQuery>,
) -> AppResult<Json<Vec<Value>>> {
    let (_, me) = auth.user_with("read:accounts")?;
    let filters = Filters {
        text: q.q.unwrap_or_default(),
        department: q.department.unwrap_or_default(),
        location: q.location.unwrap_or_default(),
        skill: q.skill.unwrap_or_default(),
    };
    let (limit, offset) = (
        q.limit.unwrap_or(40).clamp(1, 80),
        q.offset.unwrap_or(0).clamp(0, 100_000),
    );
    let found = listing::search(&state, me, filters, limit, offset).await?;
    let mut out = vec![];
    for p in &found {
        out.push(person_json(&state, p).await?);
    }
    Ok(Json(out))
}

#[derive(Deserialize, Default)]
pub struct ExpertQuery {
    q: Option<String>,
}

/// `GET /api/passerelle/v1/experts?q=`: people who declared the topic (for
/// signed-in people of the instance) and the communities that discuss it.
pub async fn find_experts(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Query(q): Query<ExpertQuery>,
) -> AppResult<Json<Value>> {
    if let Some(a) = &auth {
        a.require("read:accounts")?;
    }
    let me = Auth::viewer(&auth);
    let question = q.q.unwrap_or_default();
    if question.trim().is_empty() {
        return Err(AppError::bad_request("Missing parameter: q"));
    }
    let found = experts::find(&state, me.as_ref(), &question).await?;
    let mut people = vec![];
    for e in &found.people {
        let mut v = person_json(&state, &e.person).await?;
        v["matched_skills"] = json!(e.matched);
        people.push(v);
    }
    let communities: Vec<Value> = found
        .communities
        .iter()
        .map(|(c, threads)| {
            json!({
                "id": c.id.to_string(),
                "name": c.name,
                "title": if c.display_name.is_empty() { &c.name } else { &c.display_name },
                "description": c.summary,
                "url": c.url.clone().unwrap_or_else(|| c.ap_id.clone()),
                "threads": threads.iter().map(|t| json!({
                    "id": t.id.to_string(),
                    "title": t.title,
                    "url": t.url.clone().unwrap_or_else(|| t.ap_id.clone()),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(Json(
        json!({ "people": people, "communities": communities }),
    ))
}
