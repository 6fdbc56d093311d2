//! Statuses as ActivityPub objects: a thread is a `Page`, a comment or post a `Note`.

use crate::model::visibility::Visibility;
use activitypub_federation::{
    config::Data, protocol::verification::verify_domains_match, traits::Object,
};
use url::Url;

use crate::{
    db::{self, statuses::Status},
    error::AppError,
    federation::protocol::post::{ApPost, PUBLIC, PollOption, PollReplies, Source, Tag},
    service::statuses as rules,
    state::AppState,
};

#[derive(Debug, Clone)]
pub struct DbStatus {
    pub row: Status,
    pub url: Url,
}

impl DbStatus {
    pub fn new(row: Status) -> Result<Self, AppError> {
        let url = Url::parse(&row.ap_id).map_err(AppError::internal)?;
        Ok(Self { row, url })
    }
}

fn parse(u: &str) -> Result<Url, AppError> {
    Url::parse(u).map_err(AppError::internal)
}

/// Our status row → its wire object (Page for threads, Note otherwise).
pub async fn to_ap(state: &AppState, s: &Status) -> Result<ApPost, AppError> {
    let (author, community, parent, mentioned, tags, poll, media) = {
        let (actor_id, community_id, parent_id, id) =
            (s.actor_id, s.community_id, s.in_reply_to_id, s.id);
        state
            .db
            .run(move |c| {
                let author = db::actors::by_id(c, actor_id)?;
                let community = community_id.map(|i| db::actors::by_id(c, i)).transpose()?;
                let parent = match parent_id {
                    Some(p) => db::statuses::by_id(c, p)?,
                    None => None,
                };
                let mention_ids: Vec<i64> = db::statuses::mentioned_actor_ids(c, &[id])?
                    .into_iter()
                    .map(|(_, a)| a)
                    .collect();
                let mentioned = db::actors::by_ids(c, &mention_ids)?;
                let tags = db::statuses::tag_names(c, &[id])?;
                let poll = match db::polls::by_status(c, id)? {
                    Some(p) => {
                        let results = db::polls::results(c, std::slice::from_ref(&p))?
                            .remove(&id)
                            .unwrap_or_default();
                        Some((p, results))
                    }
                    None => None,
                };
                let media = db::media::by_status_ids(c, &[id])?;
                Ok((author, community, parent, mentioned, tags, poll, media))
            })
            .await?
    };
    let public = parse(PUBLIC)?;
    let mut cc: Vec<Url> = Vec::new();
    let to = match (&community, s.visibility) {
        // Only a public community's content is addressed to Public.
        (Some(c), Visibility::Members | Visibility::Partners) => {
            vec![parse(&c.ap_id)?, parse(&format!("{}/followers", c.ap_id))?]
        }
        (Some(c), _) => {
            cc.push(parse(&c.ap_id)?);
            vec![public]
        }
        (None, Visibility::Public) => {
            cc.extend(author.followers_url.as_deref().map(parse).transpose()?);
            vec![public]
        }
        (None, Visibility::Unlisted) => {
            cc.push(public);
            author
                .followers_url
                .as_deref()
                .map(parse)
                .transpose()?
                .into_iter()
                .collect()
        }
        (None, Visibility::Private) => author
            .followers_url
            .as_deref()
            .map(parse)
            .transpose()?
            .into_iter()
            .collect(),
        (None, _) => vec![],
    };
    let mut tag = Vec::new();
    for m in &mentioned {
        let href = parse(&m.ap_id)?;
        cc.push(href.clone());
        tag.push(Tag::Mention {
            href,
            name: Some(format!("@{}@{}", m.name, m.domain)),
        });
    }
    for (_, name) in tags {
        tag.push(Tag::Hashtag {
            href: Some(parse(&format!("{}/tags/{name}", state.urls.base()))?),
            name: format!("#{name}"),
        });
    }
    let kind = if poll.is_some() {
        "Question"
    } else if s.title.is_some() && s.in_reply_to_id.is_none() {
        "Page"
    } else {
        "Note"
    };
    let question = poll.as_ref().map(|(p, results)| question(p, results));
    Ok(ApPost {
        kind: kind.into(),
        id: parse(&s.ap_id)?,
        attributed_to: parse(&author.ap_id)?,
        to,
        cc,
        name: s.title.clone(),
        content: s.content.clone(),
        media_type: Some("text/html".into()),
        source: Some(Source {
            content: s.source.clone(),
            media_type: s.source_type.as_mime().into(),
        }),
        summary: (!s.spoiler_text.is_empty()).then(|| s.spoiler_text.clone()),
        sensitive: Some(s.sensitive),
        in_reply_to: parent.map(|p| parse(&p.ap_id)).transpose()?,
        audience: community.map(|c| parse(&c.ap_id)).transpose()?,
        published: Some(s.created_at.and_utc()),
        updated: s.edited_at.map(|t| t.and_utc()),
        url: s.url.clone().map(serde_json::Value::String),
        tag,
        attachment: crate::service::media::to_ap(state, &media),
        one_of: question
            .as_ref()
            .filter(|_| !poll.as_ref().is_some_and(|(p, _)| p.multiple))
            .map(|q| q.options.clone()),
        any_of: question
            .as_ref()
            .filter(|_| poll.as_ref().is_some_and(|(p, _)| p.multiple))
            .map(|q| q.options.clone()),
        end_time: question.as_ref().and_then(|q| q.end_time),
        closed: question
            .as_ref()
            .and_then(|q| q.closed)
            .map(|t| serde_json::Value::String(t.to_rfc3339())),
        voters_count: question.as_ref().map(|q| q.voters),
    })
}

struct Question {
    options: Vec<PollOption>,
    end_time: Option<chrono::DateTime<chrono::Utc>>,
    closed: Option<chrono::DateTime<chrono::Utc>>,
    voters: i64,
}

/// A poll on the wire: each option a `Note` whose `replies` count its votes.
fn question(p: &db::polls::Poll, results: &db::polls::Results) -> Question {
    let end_time = p.expires_at.map(|t| t.and_utc());
    Question {
        options: p
            .titles()
            .into_iter()
            .enumerate()
            .map(|(i, name)| PollOption {
                kind: "Note".into(),
                name,
                replies: Some(PollReplies {
                    kind: "Collection".into(),
                    total_items: results.counts.get(i).copied().unwrap_or(0),
                }),
            })
            .collect(),
        end_time,
        closed: end_time.filter(|_| p.expired(crate::service::now())),
        voters: results.voters,
    }
}

#[async_trait::async_trait]
impl Object for DbStatus {
    type DataType = AppState;
    type Kind = ApPost;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.url
    }

    fn is_deleted(&self) -> bool {
        self.row.is_gone()
    }

    async fn read_from_id(id: Url, data: &Data<AppState>) -> Result<Option<Self>, AppError> {
        let id = id.to_string();
        let row = data
            .db
            .run(move |c| Ok(db::statuses::by_ap_id(c, &id)?))
            .await?;
        row.map(DbStatus::new).transpose()
    }

    async fn into_json(self, data: &Data<AppState>) -> Result<ApPost, AppError> {
        to_ap(data, &self.row).await
    }

    async fn verify(
        json: &ApPost,
        expected_domain: &Url,
        _data: &Data<AppState>,
    ) -> Result<(), AppError> {
        verify_domains_match(&json.id, expected_domain)
            .map_err(|_| super::origin_mismatch("object"))?;
        verify_domains_match(&json.id, &json.attributed_to)
            .map_err(|_| super::origin_mismatch("author"))?;
        Ok(())
    }

    async fn from_json(json: ApPost, data: &Data<AppState>) -> Result<Self, AppError> {
        let row = rules::accept_remote(data, json).await?;
        DbStatus::new(row)
    }
}
