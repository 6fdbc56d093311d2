//! The URLs this instance gives its actors and objects. One place builds them so
//! that every id we publish has the same shape.

use crate::{db::actors::Actor, model::actor::ActorKind};

#[derive(Debug, Clone)]
pub struct Urls {
    base: String,
    domain: String,
}

impl Urls {
    pub fn new(scheme: &str, domain: &str) -> Self {
        Self {
            base: format!("{scheme}://{domain}"),
            domain: domain.to_string(),
        }
    }

    /// `scheme://domain`, no trailing slash.
    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// A fresh id for an activity we send: `{base}/activities/{kind}/{id}`.
    pub fn new_activity(&self, kind: &str) -> url::Url {
        let id = format!(
            "{}/activities/{kind}/{}",
            self.base,
            crate::model::id::new_id()
        );
        url::Url::parse(&id).unwrap_or_else(|_| unreachable!("the base URL was validated"))
    }

    pub fn actor(&self, kind: ActorKind, name: &str) -> String {
        match kind {
            ActorKind::Person => format!("{}/users/{name}", self.base),
            ActorKind::Group => format!("{}/c/{name}", self.base),
            ActorKind::Application => format!("{}/actor", self.base),
        }
    }

    /// The HTML page of a local person or community.
    pub fn profile(&self, kind: ActorKind, name: &str) -> String {
        match kind {
            ActorKind::Group => format!("{}/c/{name}", self.base),
            _ => format!("{}/@{name}", self.base),
        }
    }

    pub fn shared_inbox(&self) -> String {
        format!("{}/inbox", self.base)
    }

    pub fn avatar_default(&self) -> String {
        format!("{}/static/avatar.png", self.base)
    }

    pub fn header_default(&self) -> String {
        format!("{}/static/header.png", self.base)
    }

    /// The URLs of a new local actor, filled into its row.
    pub fn fill_local(&self, actor: &mut Actor) {
        let kind = actor.kind();
        let id = self.actor(kind, &actor.name);
        actor.inbox_url = format!("{id}/inbox");
        actor.shared_inbox_url = Some(self.shared_inbox());
        actor.outbox_url = Some(format!("{id}/outbox"));
        actor.followers_url = Some(format!("{id}/followers"));
        actor.following_url = Some(format!("{id}/following"));
        actor.url = Some(self.profile(kind, &actor.name));
        actor.ap_id = id;
        actor.domain = self.domain.clone();
        actor.local = true;
    }
}
