//! Who may see a community and, by inheritance, everything written in it.

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
    }
}
