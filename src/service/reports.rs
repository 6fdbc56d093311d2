//! Reports: a person reports an account (and some of its statuses) to the
//! moderators here, and, for another server's account, to that server too
//! (a `Flag` from the instance actor, so the reporter stays anonymous there).
//! Flags from other servers about our accounts land in the same list.

use super::{events::Event, now};
use crate::{
    db::{self, actors::Actor, reports::Report, statuses::Status},
    error::{AppError, AppResult, invalid_field},
    model::{actor::ActorKind, content, id::new_id},
    state::AppState,
};

pub const MAX_COMMENT: usize = 1000;
const MAX_STATUSES: usize = 20;
pub const CATEGORIES: &[&str] = &["spam", "legal", "violation", "other"];

pub struct NewReport {
    pub account_id: i64,
    pub status_ids: Vec<i64>,
    pub comment: String,
    pub category: Option<String>,
    pub rule_ids: Vec<i64>,
    pub forward: bool,
}

/// A local person reports; returns the report and what to deliver.
pub async fn create(state: &AppState, reporter: &Actor, new: NewReport) -> AppResult<Report> {
    let comment = new.comment.trim().to_string();
    if comment.chars().count() > MAX_COMMENT {
        return Err(invalid_field(
            "comment",
            format!("is too long (maximum is {MAX_COMMENT} characters)"),
        ));
    }
    let category = category(state, &new)?;
    let statuses = reported_statuses(state, reporter, &new).await?;
    let target_id = new.account_id;
    let target = reportable_target(state, reporter, target_id).await?;
    let forward = new.forward && !target.local;
    let report = Report {
        id: new_id(),
        reporter_id: reporter.id,
        target_id,
        community_id: statuses.iter().find_map(|s| s.community_id),
        status_ids: serde_json::to_string(&new.status_ids).map_err(AppError::internal)?,
        comment,
        category,
        rule_ids: serde_json::to_string(&new.rule_ids).map_err(AppError::internal)?,
        forwarded: forward,
        ap_id: forward.then(|| format!("{}/reports/{}", state.urls.base(), new_id())),
        local: true,
        created_at: now(),
        resolved_at: None,
        resolved_by: None,
    };
    let events = if forward {
        vec![Event::Reported {
            report_id: report.id,
        }]
    } else {
        vec![]
    };
    let row = report.clone();
    state
        .db
        .write(move |c| {
            db::reports::insert(c, &row)?;
            db::notifications::reported(c, &row)?;
            super::events::store(c, &events)
        })
        .await?;
    tracing::info!(report = report.id, target = %target.ap_id, forward, "report made");
    Ok(report)
}

/// The report's category (`violation` when rules are named, `other` when
/// nothing is said), once the rules named are known to be this instance's.
fn category(state: &AppState, new: &NewReport) -> AppResult<String> {
    let category = match new.category.as_deref() {
        None | Some("") if !new.rule_ids.is_empty() => "violation",
        None | Some("") => "other",
        Some(c) if CATEGORIES.contains(&c) => c,
        Some(_) => {
            return Err(invalid_field(
                "category",
                "must be spam, legal, violation or other",
            ));
        }
    }
    .to_string();
    let rules = state.instance().rules.len() as i64;
    if new.rule_ids.iter().any(|r| !(1..=rules).contains(r)) {
        return Err(invalid_field("rule_ids", "are not rules of this instance"));
    }
    Ok(category)
}

/// The statuses named, each one the reporter can see and one of the reported
/// account's.
async fn reported_statuses(
    state: &AppState,
    reporter: &Actor,
    new: &NewReport,
) -> AppResult<Vec<Status>> {
    if new.status_ids.len() > MAX_STATUSES {
        return Err(invalid_field(
            "status_ids",
            format!("at most {MAX_STATUSES}"),
        ));
    }
    let mut statuses = Vec::new();
    for id in &new.status_ids {
        let s = super::statuses::visible(state, *id, Some(reporter))
            .await
            .map_err(|_| invalid_field("status_ids", "are not statuses of this account"))?;
        if s.actor_id != new.account_id {
            return Err(invalid_field(
                "status_ids",
                "are not statuses of this account",
            ));
        }
        statuses.push(s);
    }
    Ok(statuses)
}

/// The account reported: not an application, nor the reporter.
async fn reportable_target(state: &AppState, reporter: &Actor, id: i64) -> AppResult<Actor> {
    let target = state
        .db
        .run(move |c| Ok(db::actors::by_id(c, id)?))
        .await
        .map_err(|_| AppError::not_found())?;
    if target.kind() == ActorKind::Application || target.id == reporter.id {
        return Err(invalid_field("account_id", "cannot be reported"));
    }
    Ok(target)
}

/// A `Flag` from another server: about one of our accounts (named, or the
/// author of the statuses named). Anything else is ignored.
pub async fn accept_flag(
    state: &AppState,
    flagger: &Actor,
    flag_id: &str,
    objects: Vec<String>,
    content: &str,
) -> AppResult<()> {
    let (flag_id, flagger_id) = (flag_id.to_string(), flagger.id);
    let comment: String = content::html_to_plain(content)
        .chars()
        .take(MAX_COMMENT)
        .collect();
    let base = state.urls.base().to_string();
    state
        .db
        .write(move |c| {
            if db::reports::by_ap_id(c, &flag_id)?.is_some() {
                return Ok(());
            }
            let mut target: Option<Actor> = None;
            let mut statuses = Vec::new();
            for url in objects
                .iter()
                .filter(|u| u.starts_with(&base))
                .take(MAX_STATUSES + 1)
            {
                if let Some(a) = db::actors::by_ap_id(c, url)?.filter(|a| a.local) {
                    target.get_or_insert(a);
                } else if let Some(s) = db::statuses::by_ap_id(c, url)?.filter(|s| s.local) {
                    statuses.push(s);
                }
            }
            let target = match target {
                Some(t) => t,
                None => match statuses.first() {
                    Some(s) => db::actors::by_id(c, s.actor_id)?,
                    None => return Ok(()),
                },
            };
            statuses.retain(|s| s.actor_id == target.id);
            let ids: Vec<i64> = statuses.iter().map(|s| s.id).collect();
            let report = Report {
                id: new_id(),
                reporter_id: flagger_id,
                target_id: target.id,
                community_id: statuses.iter().find_map(|s| s.community_id),
                status_ids: serde_json::to_string(&ids).map_err(AppError::internal)?,
                comment,
                category: "other".into(),
                rule_ids: "[]".into(),
                forwarded: false,
                ap_id: Some(flag_id),
                local: false,
                created_at: now(),
                resolved_at: None,
                resolved_by: None,
            };
            db::reports::insert(c, &report)?;
            db::notifications::reported(c, &report)?;
            Ok(())
        })
        .await
}

/// Reports for an administrator (all) or for a community's moderators (theirs).
pub async fn list(
    state: &AppState,
    community_id: Option<i64>,
    resolved: bool,
) -> AppResult<Vec<(Report, Actor, Actor)>> {
    state
        .db
        .run(move |c| {
            let rows = db::reports::list(c, community_id, resolved, 100)?;
            let mut ids: Vec<i64> = rows
                .iter()
                .flat_map(|r| [r.reporter_id, r.target_id])
                .collect();
            ids.sort_unstable();
            ids.dedup();
            let actors: std::collections::HashMap<i64, Actor> = db::actors::by_ids(c, &ids)?
                .into_iter()
                .map(|a| (a.id, a))
                .collect();
            Ok(rows
                .into_iter()
                .filter_map(|r| {
                    let reporter = actors.get(&r.reporter_id)?.clone();
                    let target = actors.get(&r.target_id)?.clone();
                    Some((r, reporter, target))
                })
                .collect())
        })
        .await
}

/// A community's reports, for its moderators (and administrators); 403 for others.
pub async fn for_community(
    state: &AppState,
    by: &Actor,
    admin: bool,
    community: &Actor,
    resolved: bool,
) -> AppResult<Vec<(Report, Actor, Actor)>> {
    let (cid, mid) = (community.id, by.id);
    let moderates = state
        .db
        .run(move |conn| Ok(db::communities::role(conn, cid, mid)?.is_some()))
        .await?;
    if !moderates && !admin {
        return Err(AppError::forbidden("Moderators of this community only"));
    }
    list(state, Some(cid), resolved).await
}

/// A moderator closes a report (an administrator any, a community's
/// moderator those about their community).
pub async fn resolve(state: &AppState, by: &Actor, admin: bool, id: i64) -> AppResult<Report> {
    let by_id = by.id;
    state
        .db
        .write(move |c| {
            let report = db::reports::by_id(c, id)?.ok_or_else(AppError::not_found)?;
            let allowed = admin
                || match report.community_id {
                    Some(community) => db::communities::role(c, community, by_id)?.is_some(),
                    None => false,
                };
            if !allowed {
                return Err(AppError::not_found());
            }
            db::reports::resolve(c, id, by_id, now())?;
            db::reports::by_id(c, id)?.ok_or_else(AppError::not_found)
        })
        .await
}
