//! OAuth scopes as Mastodon defines them: `read`, `write`, `follow`, `push`,
//! `profile`, `admin:read`, `admin:write` and their sub-scopes (`read:statuses`…).
//! A top-level scope grants all of its sub-scopes.

use std::{collections::BTreeSet, fmt};

const TOP: &[&str] = &[
    "read",
    "write",
    "follow",
    "push",
    "profile",
    "admin:read",
    "admin:write",
];

const SUB_READ: &[&str] = &[
    "accounts",
    "blocks",
    "bookmarks",
    "favourites",
    "filters",
    "follows",
    "lists",
    "mutes",
    "notifications",
    "search",
    "statuses",
];
const SUB_WRITE: &[&str] = &[
    "accounts",
    "blocks",
    "bookmarks",
    "conversations",
    "favourites",
    "filters",
    "follows",
    "lists",
    "media",
    "mutes",
    "notifications",
    "reports",
    "statuses",
];
const SUB_ADMIN: &[&str] = &[
    "accounts",
    "reports",
    "domain_allows",
    "domain_blocks",
    "ip_blocks",
    "email_domain_blocks",
    "canonical_email_blocks",
];
/// The legacy `follow` scope stands for these.
const FOLLOW_GRANTS: &[&str] = &[
    "read:blocks",
    "write:blocks",
    "read:follows",
    "write:follows",
    "read:mutes",
    "write:mutes",
];

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("unknown scope `{0}`")]
pub struct ScopeError(pub String);

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scopes(BTreeSet<String>);

fn is_known(scope: &str) -> bool {
    if TOP.contains(&scope) {
        return true;
    }
    match scope.rsplit_once(':') {
        Some(("read", sub)) => SUB_READ.contains(&sub),
        Some(("write", sub)) => SUB_WRITE.contains(&sub),
        Some(("admin:read" | "admin:write", sub)) => SUB_ADMIN.contains(&sub),
        _ => false,
    }
}

impl Scopes {
    /// Space-separated (`+` is accepted as clients sometimes leave it unescaped).
    /// An empty string means `read`, as in Mastodon.
    pub fn parse(raw: &str) -> Result<Self, ScopeError> {
        let mut set = BTreeSet::new();
        for s in raw.split([' ', '+', ',']).filter(|s| !s.is_empty()) {
            if !is_known(s) {
                return Err(ScopeError(s.to_string()));
            }
            set.insert(s.to_string());
        }
        if set.is_empty() {
            set.insert("read".to_string());
        }
        Ok(Self(set))
    }

    /// Whether a token with these scopes may use an endpoint that requires `needed`.
    pub fn grants(&self, needed: &str) -> bool {
        if self.0.contains(needed) {
            return true;
        }
        if let Some((parent, _)) = needed.rsplit_once(':')
            && self.0.contains(parent)
        {
            return true;
        }
        self.0.contains("follow") && FOLLOW_GRANTS.contains(&needed)
    }

    /// Whether every scope in `requested` is granted by these (an app's registered scopes).
    pub fn covers(&self, requested: &Scopes) -> bool {
        requested.0.iter().all(|s| self.grants(s))
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v: Vec<&str> = self.iter().collect();
        f.write_str(&v.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(raw: &str) -> Scopes {
        Scopes::parse(raw).expect("valid scopes")
    }

    #[test]
    fn parents_grant_children() {
        assert!(s("read write").grants("read:accounts"));
        assert!(s("read:accounts").grants("read:accounts"));
        assert!(!s("read:accounts").grants("read:statuses"));
        assert!(!s("read").grants("write:statuses"));
        assert!(s("follow").grants("write:follows"));
        assert!(!s("follow").grants("write:statuses"));
        assert!(s("admin:read").grants("admin:read:accounts"));
        assert!(!s("admin:read").grants("admin:write:accounts"));
    }

    #[test]
    fn parsing() {
        assert_eq!(s("").to_string(), "read");
        assert_eq!(s("read+write  follow").to_string(), "follow read write");
        assert!(Scopes::parse("read everything").is_err());
        assert!(Scopes::parse("read:nothing").is_err());
        assert!(s("read write").covers(&s("read:statuses write")));
        assert!(!s("read").covers(&s("read write")));
    }
}
