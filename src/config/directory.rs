//! `[directory]`: which of the organisation's profile fields people fill in and
//! the directory shows.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A profile field of the people directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectoryField {
    Department,
    JobTitle,
    Location,
    Phone,
    Languages,
    Skills,
}

impl DirectoryField {
    pub const ALL: [DirectoryField; 6] = [
        Self::Department,
        Self::JobTitle,
        Self::Location,
        Self::Phone,
        Self::Languages,
        Self::Skills,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Department => "department",
            Self::JobTitle => "job_title",
            Self::Location => "location",
            Self::Phone => "phone",
            Self::Languages => "languages",
            Self::Skills => "skills",
        }
    }
}

impl FromStr for DirectoryField {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str() == s.trim())
            .ok_or_else(|| {
                format!(
                    "unknown field `{s}` (department, job_title, location, phone, languages, skills)"
                )
            })
    }
}

impl fmt::Display for DirectoryField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for DirectoryField {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DirectoryConfig {
    /// The fields people fill in and others see, in this order.
    #[serde(deserialize_with = "fields_list")]
    pub fields: Vec<DirectoryField>,
}

impl Default for DirectoryConfig {
    fn default() -> Self {
        Self {
            fields: DirectoryField::ALL.to_vec(),
        }
    }
}

impl DirectoryConfig {
    pub fn enabled(&self, f: DirectoryField) -> bool {
        self.fields.contains(&f)
    }
}

/// A TOML array, or comma-separated names from an environment variable.
fn fields_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<DirectoryField>, D::Error> {
    let names = super::list_or_csv(d)?;
    let mut out: Vec<DirectoryField> = vec![];
    for n in names {
        let f: DirectoryField = n.parse().map_err(serde::de::Error::custom)?;
        if !out.contains(&f) {
            out.push(f);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    #[test]
    fn fields_are_checked_and_ordered() {
        let c = Config::from_toml_str("[directory]\nfields = [\"skills\", \"department\"]")
            .expect("valid");
        assert_eq!(
            c.directory
                .fields
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>(),
            ["skills", "department"]
        );
        let e = Config::from_toml_str("[directory]\nfields = [\"shoe_size\"]")
            .expect_err("unknown field")
            .to_string();
        assert!(e.contains("shoe_size"), "{e}");
        assert!(Config::from_toml_str("[directory]\nfieldz = []").is_err());
    }
}
