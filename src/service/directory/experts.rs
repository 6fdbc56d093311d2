//! "Find an expert": a question or a skill gives the people who declared it
//! (or whose profile mentions it) and the communities where it is discussed.
//!
//! The ranking uses what people declared (skills, then the words of their
//! profile) and their membership of PUBLIC communities about the topic. It
//! never uses what people do: no post counts, likes, activity or reading.
//! Memberships of non-public communities are never used, so the ranking tells
//! nothing of them.

use std::collections::HashMap;

use super::listing::{self, Person};
use crate::{
    db::{self, actors::Actor, statuses::Status},
    error::AppResult,
    service::community_view,
    state::AppState,
};

/// Points for a declared skill, a public community about the topic, and a
/// profile whose words match.
const SKILL: i64 = 10;
const COMMUNITY: i64 = 2;
const WORDS: i64 = 1;
const LIMIT: usize = 20;

/// Words that say nothing of a topic (English and French).
const STOP: &[&str] = &[
    "a", "about", "an", "and", "any", "anyone", "are", "can", "do", "does", "for", "help", "how",
    "i", "in", "is", "it", "knows", "me", "my", "need", "of", "on", "or", "someone", "the", "to",
    "what", "who", "with", "au", "aux", "avec", "dans", "de", "des", "du", "en", "est", "et", "la",
    "le", "les", "me", "qui", "quoi", "sait", "sur", "un", "une", "pour", "connait", "connaît",
    "besoin", "aide", "quelqu", "comment",
];

/// The topic's words, and the skills they may name (each word, each pair of
/// neighbours, the whole question), lower case.
pub fn topic(question: &str) -> (Vec<String>, Vec<String>) {
    let words: Vec<String> = question
        .split(|c: char| !(c.is_alphanumeric() || c == '+' || c == '#' || c == '.'))
        .map(|w| w.trim_matches('.').to_lowercase())
        .filter(|w| !w.is_empty() && !STOP.contains(&w.as_str()))
        .take(12)
        .collect();
    let mut skills = words.clone();
    skills.extend(words.windows(2).map(|p| p.join(" ")));
    let whole = question.split_whitespace().collect::<Vec<_>>().join(" ");
    skills.push(
        whole
            .trim_matches(|c: char| c == '?' || c == '.')
            .to_lowercase(),
    );
    skills.retain(|s| !s.is_empty());
    skills.dedup();
    (words, skills)
}

pub struct Expert {
    pub person: Person,
    /// The declared skills that matched.
    pub matched: Vec<String>,
    pub score: i64,
}

pub struct Found {
    pub people: Vec<Expert>,
    /// Communities about the topic, with the threads about it in each.
    pub communities: Vec<(Actor, Vec<Status>)>,
}

pub async fn find(state: &AppState, me: Option<&Actor>, question: &str) -> AppResult<Found> {
    let (words, skills) = topic(question);
    if words.is_empty() {
        return Ok(Found {
            people: vec![],
            communities: vec![],
        });
    }
    let communities = communities(state, me, &words).await?;
    // People are for the instance's own people only.
    let people = if me.is_some_and(|m| m.local) {
        people(state, &words, &skills, &communities).await?
    } else {
        vec![]
    };
    Ok(Found {
        people,
        communities,
    })
}

/// Communities the reader may see whose description or threads are about one of
/// `words`; those with most matching threads first.
async fn communities(
    state: &AppState,
    me: Option<&Actor>,
    words: &[String],
) -> AppResult<Vec<(Actor, Vec<Status>)>> {
    let patterns: Vec<String> = words
        .iter()
        .map(|w| super::super::search::like_pattern(w))
        .collect();
    let viewer = me.cloned();
    let (about, threads, homes) = state
        .db
        .run(move |c| {
            let about = db::experts::communities_about(c, &patterns, 20)?;
            let threads = db::experts::threads_about(c, &patterns, viewer.as_ref(), 50)?;
            let ids: Vec<i64> = threads.iter().filter_map(|t| t.community_id).collect();
            Ok((about, threads, db::actors::by_ids(c, &ids)?))
        })
        .await?;
    let mut out: Vec<(Actor, Vec<Status>)> = vec![];
    for c in about.into_iter().chain(homes) {
        if community_view::may_see(&c, me)
            && c.deleted_at.is_none()
            && !out.iter().any(|(o, _)| o.id == c.id)
        {
            out.push((c, vec![]));
        }
    }
    for t in threads {
        if let Some((_, list)) = out.iter_mut().find(|(c, _)| Some(c.id) == t.community_id) {
            list.push(t);
        }
    }
    out.sort_by_key(|(_, t)| std::cmp::Reverse(t.len()));
    out.truncate(LIMIT);
    Ok(out)
}

async fn people(
    state: &AppState,
    words: &[String],
    skills: &[String],
    communities: &[(Actor, Vec<Status>)],
) -> AppResult<Vec<Expert>> {
    let public: Vec<i64> = communities
        .iter()
        .filter(|(c, _)| c.visibility == "public")
        .map(|(c, _)| c.id)
        .collect();
    let (skills, text) = (skills.to_vec(), words.join(" "));
    let (declared, described, members) = state
        .db
        .run(move |c| {
            Ok((
                db::directory::declared(c, &skills, 500)?,
                db::directory::people_matching_any(c, &text, 200)?,
                db::experts::members_of(c, &public)?,
            ))
        })
        .await?;
    let mut score: HashMap<i64, (i64, Vec<String>)> = HashMap::new();
    for (id, skill) in declared {
        let e = score.entry(id).or_default();
        e.0 += SKILL;
        e.1.push(skill);
    }
    for a in &described {
        score.entry(a.id).or_default().0 += WORDS;
    }
    // Membership counts only for someone already matched by what they declared.
    for (_, id) in members {
        if let Some(e) = score.get_mut(&id) {
            e.0 += COMMUNITY;
        }
    }
    let ids: Vec<i64> = score.keys().copied().collect();
    let actors = state
        .db
        .run(move |c| Ok(db::actors::by_ids(c, &ids)?))
        .await?;
    let listed = listed(actors);
    let mut experts: Vec<Expert> = listing::people_of(state, listed)
        .await?
        .into_iter()
        .map(|p| {
            let (score, matched) = score.remove(&p.actor.id).unwrap_or_default();
            Expert {
                person: p,
                matched,
                score,
            }
        })
        .collect();
    experts.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.person.actor.name.cmp(&b.person.actor.name))
    });
    experts.truncate(LIMIT);
    Ok(experts)
}

/// Those the directory lists (membership alone never adds anyone, but the
/// accounts are checked again as `by_ids` loads them whatever their state).
fn listed(actors: Vec<Actor>) -> Vec<Actor> {
    actors
        .into_iter()
        .filter(|a| {
            a.local
                && a.discoverable
                && a.suspended_at.is_none()
                && a.deleted_at.is_none()
                && a.kind() == crate::model::actor::ActorKind::Person
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::topic;

    #[test]
    fn a_question_becomes_words_and_skills() {
        let (words, skills) = topic("Who knows about machine learning?");
        assert_eq!(words, ["machine", "learning"]);
        assert!(
            skills.contains(&"machine learning".to_string()),
            "{skills:?}"
        );
        let (words, _) = topic("C++ et Kubernetes");
        assert_eq!(words, ["c++", "kubernetes"]);
    }
}
