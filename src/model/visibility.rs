//! Who may see a status, and who may see a community (whose statuses inherit it).

use std::{fmt, str::FromStr};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CommunityVisibility {
    /// Readable by anyone, anyone may join.
    #[default]
    Public,
    /// Federated only with partner domains.
    Partners,
    /// Joining needs a moderator's approval; content goes to members only.
    Members,
    /// Never leaves this instance.
    Internal,
}

impl CommunityVisibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Partners => "partners",
            Self::Members => "members",
            Self::Internal => "internal",
        }
    }

    /// Whether anything of the community may be sent to or fetched by another server.
    pub fn federates(self) -> bool {
        self != Self::Internal
    }
}

impl FromStr for CommunityVisibility {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "public" => Ok(Self::Public),
            "partners" => Ok(Self::Partners),
            "members" => Ok(Self::Members),
            "internal" => Ok(Self::Internal),
            other => Err(format!(
                "unknown visibility `{other}` (public, partners, members or internal)"
            )),
        }
    }
}

impl fmt::Display for CommunityVisibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who may read a status: Mastodon's four for personal posts, or its
/// community's visibility (`partners`, `members`, `internal`; `public` too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    Public,
    /// Public, but kept out of public timelines.
    Unlisted,
    /// The author's followers (Mastodon's "private").
    Private,
    /// Only the people mentioned.
    Direct,
    Partners,
    Members,
    Internal,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Unlisted => "unlisted",
            Self::Private => "private",
            Self::Direct => "direct",
            Self::Partners => "partners",
            Self::Members => "members",
            Self::Internal => "internal",
        }
    }

    /// Readable by anyone, listed or not (and so boostable).
    pub fn is_public(self) -> bool {
        matches!(self, Self::Public | Self::Unlisted)
    }

    /// What a client sees: Mastodon's four. A community's restricted content is
    /// "private" (only some people may see it; a partners community's content is
    /// neither public nor on public pages).
    pub fn to_mastodon(self) -> &'static str {
        match self {
            Self::Public | Self::Unlisted | Self::Direct => self.as_str(),
            Self::Private | Self::Partners | Self::Members | Self::Internal => "private",
        }
    }

    /// A client's choice for a personal post: one of Mastodon's four.
    pub fn from_mastodon(s: &str) -> Option<Self> {
        match s {
            "public" => Some(Self::Public),
            "unlisted" => Some(Self::Unlisted),
            "private" => Some(Self::Private),
            "direct" => Some(Self::Direct),
            _ => None,
        }
    }
}

impl From<CommunityVisibility> for Visibility {
    fn from(c: CommunityVisibility) -> Self {
        match c {
            CommunityVisibility::Public => Self::Public,
            CommunityVisibility::Partners => Self::Partners,
            CommunityVisibility::Members => Self::Members,
            CommunityVisibility::Internal => Self::Internal,
        }
    }
}

impl FromStr for Visibility {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "partners" => Ok(Self::Partners),
            "members" => Ok(Self::Members),
            "internal" => Ok(Self::Internal),
            other => {
                Self::from_mastodon(other).ok_or_else(|| format!("unknown visibility `{other}`"))
            }
        }
    }
}

/// Read from the database's text column; a value no version wrote is an error.
impl TryFrom<String> for Visibility {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Visibility> for String {
    fn from(v: Visibility) -> String {
        v.as_str().to_string()
    }
}

impl fmt::Display for Visibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for v in ["public", "partners", "members", "internal"] {
            assert_eq!(v.parse::<CommunityVisibility>().map(|v| v.as_str()), Ok(v));
        }
        assert!("secret".parse::<CommunityVisibility>().is_err());
        assert!(!CommunityVisibility::Internal.federates());
        for v in [
            "public", "unlisted", "private", "direct", "partners", "members", "internal",
        ] {
            assert_eq!(v.parse::<Visibility>().map(|v| v.as_str()), Ok(v));
        }
        assert!("secret".parse::<Visibility>().is_err());
        assert_eq!(Visibility::from_mastodon("members"), None);
        assert_eq!(Visibility::Members.to_mastodon(), "private");
        assert_eq!(
            Visibility::from(CommunityVisibility::Partners),
            Visibility::Partners
        );
    }
}
