//! Wire types: the JSON other servers send and receive.

pub mod actor;
pub mod collection;
pub mod context;
pub mod document;
pub mod event;
pub mod post;
pub mod refs;
pub mod survey;

/// A remote URL that may be shown to people: absolute `http`/`https` with a
/// host, at most 2048 bytes; anything else (`javascript:`, `data:`, relative) is
/// dropped rather than stored, without refusing the object it came in.
pub fn web_url(raw: &str) -> Option<String> {
    let url = url::Url::parse(raw.trim()).ok()?;
    let ok = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some_and(|h| !h.is_empty())
        && raw.len() <= 2048;
    ok.then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::web_url;

    #[test]
    fn only_web_urls_are_kept() {
        assert_eq!(
            web_url("https://example.com/a?b=c").as_deref(),
            Some("https://example.com/a?b=c")
        );
        assert_eq!(
            web_url("http://example.com").as_deref(),
            Some("http://example.com/")
        );
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "data:image/png;base64,AAAA",
            "vbscript:msgbox",
            "file:///etc/passwd",
            "ftp://example.com/x",
            "/relative/path",
            "//example.com/x",
            "",
            "https://",
        ] {
            assert_eq!(web_url(bad), None, "{bad}");
        }
        assert_eq!(
            web_url(&format!("https://e.com/{}", "a".repeat(2048))),
            None
        );
    }
}
