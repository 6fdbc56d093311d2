//! Statuses as ActivityPub objects: a thread is a `Page`, a comment or post a `Note`.

use crate::model::visibility::Visibility;
use activitypub_federation::{
    config::Data, protocol::verification::verify_domains_match, traits::Object,
};
use url::Url;

use super::{attachments, document, event, question, received, survey};
use crate::{
    db::{
        self,
        actors::Actor,
        media::Media,
        polls::{Poll, Results},
        statuses::Status,
    },
    error::AppError,
    federation::protocol::post::{ApPost, PUBLIC, Source, Tag},
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

/// What a status's wire object is made of, read in one go.
struct Parts {
    author: Actor,
    community: Option<Actor>,
    parent: Option<Status>,
    mentioned: Vec<Actor>,
    tags: Vec<(i64, String)>,
    poll: Option<(Poll, Results)>,
    event: Option<(db::events::Event, db::events::Counts)>,
    /// A library document: its folder, the library's folders, its versions.
    document: Option<(
        Option<i64>,
        Vec<db::library::Folder>,
        Vec<db::library::Version>,
    )>,
    survey: Option<SurveyParts>,
    media: Vec<Media>,
}

/// A survey, its questions and the results it may share.
type SurveyParts = (
    db::surveys::Survey,
    Vec<db::surveys::Question>,
    Option<(i64, Vec<crate::service::surveys::results::Tally>)>,
);

fn survey_parts(c: &mut db::DbConn, s: &Status) -> Result<Option<SurveyParts>, AppError> {
    let Some(survey) = db::surveys::by_status(c, s.id)? else {
        return Ok(None);
    };
    let questions = db::surveys::questions(c, s.id)?;
    let results = crate::service::surveys::results::shared(c, s, &survey)?;
    Ok(Some((survey, questions, results)))
}

async fn load(state: &AppState, s: &Status) -> Result<Parts, AppError> {
    let (actor_id, community_id, parent_id, id) =
        (s.actor_id, s.community_id, s.in_reply_to_id, s.id);
    let status = s.clone();
    state
        .db
        .run(move |c| {
            let mention_ids: Vec<i64> = db::statuses::mentioned_actor_ids(c, &[id])?
                .into_iter()
                .map(|(_, a)| a)
                .collect();
            let poll = match db::polls::by_status(c, id)? {
                Some(p) => {
                    let results = db::polls::results(c, std::slice::from_ref(&p))?
                        .remove(&id)
                        .unwrap_or_default();
                    Some((p, results))
                }
                None => None,
            };
            let event = match db::events::by_status(c, id)? {
                Some(e) => {
                    let counts = db::events::counts(c, &[id])?
                        .remove(&id)
                        .unwrap_or_default();
                    Some((e, counts))
                }
                None => None,
            };
            let document = match (db::library::document(c, id)?, community_id) {
                (Some(d), Some(community)) => Some((
                    d.folder_id,
                    db::library::folders_of(c, community)?,
                    db::library::versions(c, id)?,
                )),
                _ => None,
            };
            Ok(Parts {
                author: db::actors::by_id(c, actor_id)?,
                community: community_id.map(|i| db::actors::by_id(c, i)).transpose()?,
                parent: match parent_id {
                    Some(p) => db::statuses::by_id(c, p)?,
                    None => None,
                },
                mentioned: db::actors::by_ids(c, &mention_ids)?,
                tags: db::statuses::tag_names(c, &[id])?,
                poll,
                event,
                document,
                survey: survey_parts(c, &status)?,
                media: db::media::by_status_ids(c, &[id])?,
            })
        })
        .await
}

/// `to` and `cc` by visibility. Only a public community's content is addressed
/// to Public; a members or partners community's goes to its members.
fn addressing(
    s: &Status,
    author: &Actor,
    community: Option<&Actor>,
) -> Result<(Vec<Url>, Vec<Url>), AppError> {
    let public = parse(PUBLIC)?;
    let followers = author.followers_url.as_deref().map(parse).transpose()?;
    Ok(match (community, s.visibility) {
        (Some(c), Visibility::Members | Visibility::Partners) => (
            vec![parse(&c.ap_id)?, parse(&format!("{}/followers", c.ap_id))?],
            vec![],
        ),
        (Some(c), _) => (vec![public], vec![parse(&c.ap_id)?]),
        (None, Visibility::Public) => (vec![public], followers.into_iter().collect()),
        (None, Visibility::Unlisted) => (followers.into_iter().collect(), vec![public]),
        (None, Visibility::Private) => (followers.into_iter().collect(), vec![]),
        (None, _) => (vec![], vec![]),
    })
}

/// Mentions (each also added to `recipients`) and hashtags.
fn tags(state: &AppState, p: &Parts, recipients: &mut Vec<Url>) -> Result<Vec<Tag>, AppError> {
    let mut tag = Vec::new();
    for m in &p.mentioned {
        let href = parse(&m.ap_id)?;
        recipients.push(href.clone());
        tag.push(Tag::Mention {
            href,
            name: Some(format!("@{}@{}", m.name, m.domain)),
        });
    }
    for (_, name) in &p.tags {
        tag.push(Tag::Hashtag {
            href: Some(parse(&format!("{}/tags/{name}", state.urls.base()))?),
            name: format!("#{name}"),
        });
    }
    Ok(tag)
}

/// Our status row → its wire object (Page for threads, Note otherwise, Question
/// with a poll).
pub async fn to_ap(state: &AppState, s: &Status) -> Result<ApPost, AppError> {
    let p = load(state, s).await?;
    let (mut to, mut cc) = addressing(s, &p.author, p.community.as_ref())?;
    // A direct message is addressed `to` the people it mentions, as Mastodon
    // writes it; elsewhere mentions are copied in `cc`.
    let direct = s.visibility == Visibility::Direct && p.community.is_none();
    let tag = tags(state, &p, if direct { &mut to } else { &mut cc })?;
    let kind = if s.title.is_some() && s.in_reply_to_id.is_none() {
        "Page"
    } else {
        "Note"
    };
    let mut post = ApPost {
        kind: kind.into(),
        id: parse(&s.ap_id)?,
        attributed_to: parse(&p.author.ap_id)?,
        to,
        cc,
        name: s.title.clone(),
        content: s.content.clone(),
        content_map: None,
        name_map: None,
        media_type: Some("text/html".into()),
        source: Some(Source {
            content: s.source.clone(),
            media_type: s.source_type.as_mime().into(),
        }),
        summary: (!s.spoiler_text.is_empty()).then(|| s.spoiler_text.clone()),
        sensitive: Some(s.sensitive),
        in_reply_to: p.parent.as_ref().map(|p| parse(&p.ap_id)).transpose()?,
        audience: p.community.as_ref().map(|c| parse(&c.ap_id)).transpose()?,
        published: Some(s.created_at.and_utc()),
        updated: s.edited_at.map(|t| t.and_utc()),
        url: s.url.clone().map(serde_json::Value::String),
        tag,
        attachment: attachments::to_ap(state, &p.media),
        one_of: None,
        any_of: None,
        end_time: None,
        closed: None,
        voters_count: None,
        event: Default::default(),
        document: Default::default(),
        survey: Default::default(),
    };
    if let Some((poll, results)) = &p.poll {
        question::to_ap(&mut post, poll, results);
    }
    if let Some((e, counts)) = &p.event {
        event::to_ap(&mut post, e, counts);
    }
    if let Some((folder_id, folders, versions)) = &p.document {
        document::to_ap(state, &mut post, *folder_id, folders, versions);
    }
    if let Some((sv, questions, results)) = &p.survey {
        // The survey's page on its origin (ours: `/posts/{id}`).
        let page = match s.local {
            true => format!("{}/posts/{}", state.urls.base(), s.id),
            false => s.url.clone().unwrap_or_else(|| s.ap_id.clone()),
        };
        survey::to_ap(&mut post, &page, (sv, questions), results.as_ref());
    }
    Ok(post)
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
        let row = rules::accept_remote(data, received::post(&json), None).await?;
        DbStatus::new(row)
    }
}
