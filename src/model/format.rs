//! The format a person wrote in: what `source` holds, and how it is rendered.

/// Plain text (links, mentions and tags recognised) or Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Plain,
    Markdown,
}

impl Format {
    pub fn as_mime(self) -> &'static str {
        match self {
            Self::Plain => "text/plain",
            Self::Markdown => "text/markdown",
        }
    }

    /// A media type as clients and other servers send it; None if it is neither.
    pub fn from_mime(mime: &str) -> Option<Self> {
        match mime {
            "text/plain" => Some(Self::Plain),
            "text/markdown" => Some(Self::Markdown),
            _ => None,
        }
    }
}

/// Read from the database; anything but Markdown was stored as plain text.
impl From<String> for Format {
    fn from(s: String) -> Self {
        Self::from_mime(&s).unwrap_or_default()
    }
}

impl From<Format> for String {
    fn from(f: Format) -> String {
        f.as_mime().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for f in [Format::Plain, Format::Markdown] {
            assert_eq!(Format::from_mime(f.as_mime()), Some(f));
        }
        assert_eq!(Format::from_mime("text/html"), None);
        assert_eq!(Format::from(String::from("text/x-unknown")), Format::Plain);
    }
}
