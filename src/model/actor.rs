//! The kinds of actor in the one actor table.

use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    Person,
    Group,
    /// The instance actor that signs fetches.
    Application,
}

impl ActorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "Person",
            Self::Group => "Group",
            Self::Application => "Application",
        }
    }
}

impl FromStr for ActorKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "Person" => Ok(Self::Person),
            "Group" => Ok(Self::Group),
            "Application" | "Service" => Ok(Self::Application),
            other => Err(format!("unknown actor type {other}")),
        }
    }
}
