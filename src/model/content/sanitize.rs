//! HTML sanitising, for local and remote content alike, and HTML to plain text.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};

use super::LINK_REL;

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let tags = "p br a span strong b em i u s del code pre blockquote ul ol li h1 h2 h3 h4 h5 h6 hr \
                table thead tbody tr th td sup sub";
    let classes: HashSet<&str> = "mention hashtag u-url h-card invisible ellipsis"
        .split(' ')
        .collect();
    let mut builder = Builder::default();
    builder
        .tags(tags.split_whitespace().collect())
        .clean_content_tags(["script", "style", "template", "iframe", "noscript"].into())
        .generic_attributes(HashSet::new())
        // rel comes from link_rel, class on a/span from allowed_classes: ammonia forbids listing them here.
        .tag_attributes(HashMap::from([
            ("a", ["href"].into()),
            ("ol", ["start"].into()),
            ("code", ["class"].into()),
        ]))
        // target only as _blank (compared case-insensitively); filtering here keeps attribute order.
        .tag_attribute_values(HashMap::from([(
            "a",
            HashMap::from([("target", ["_blank"].into())]),
        )]))
        .allowed_classes(HashMap::from([("a", classes.clone()), ("span", classes)]))
        .url_schemes(["http", "https", "mailto"].into())
        .url_relative(UrlRelative::Deny)
        .link_rel(Some(LINK_REL))
        .strip_comments(true)
        .attribute_filter(filter_attribute);
    builder
});

/// Only for elements with a single allowed attribute: ammonia drops filtered attributes with
/// `swap_remove`, which would reorder a link's attributes and break idempotence.
fn filter_attribute<'u>(
    element: &str,
    attribute: &str,
    value: &'u str,
) -> Option<std::borrow::Cow<'u, str>> {
    let keep = match (element, attribute) {
        ("ol", "start") => value.parse::<u32>().is_ok(),
        ("code", "class") => value.starts_with("language-") && !value.contains(char::is_whitespace),
        _ => true,
    };
    keep.then_some(value.into())
}

/// Sanitises untrusted HTML to the allowlist above. Idempotent. NUL characters
/// are dropped (databases refuse them), and markup nested deeper than
/// [`MAX_NESTING`] is reduced to its text before parsing.
pub fn sanitize(html: &str) -> String {
    let html = html.replace('\0', "");
    let html = if nesting_depth(&html) > MAX_NESTING {
        strip_tags(&html)
    } else {
        html
    };
    let mut out = clean_once(&html);
    // Re-parsing a cleaned tree can still move things (e.g. text left directly in a <table>
    // after a <caption> was unwrapped), so clean until stable; it settles in one or two rounds.
    for _ in 0..4 {
        let again = clean_once(&out);
        if again == out {
            break;
        }
        out = again;
    }
    out
}

/// Elements nested deeper than this are flattened: HTML parsers and renderers
/// slow down sharply with depth (48 KB of `> > > …` took seconds), and no
/// reader follows a quote twenty levels down.
pub const MAX_NESTING: usize = 20;

/// Elements that never contain others, so never deepen the tree.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// How deeply the elements of `html` nest, by a tag count that errs on the deep
/// side (an unclosed `<li>` counts as open): a cheap check before parsing.
pub(super) fn nesting_depth(html: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end..];
        if let Some(closing) = tag.strip_prefix('/') {
            if !closing.is_empty() {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || tag.ends_with('/') || VOID.contains(&name.as_str()) {
            continue;
        }
        depth += 1;
        deepest = deepest.max(depth);
    }
    deepest
}

/// The text of `html` without its tags (for markup nested too deeply to keep).
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn clean_once(html: &str) -> String {
    // html5ever drops a newline right after <pre> when parsing but does not write one back,
    // so each round would eat one; write it back. "<pre>" in ammonia output is always a tag.
    SANITIZER
        .clean(html)
        .to_string()
        .replace("<pre>\n", "<pre>\n\n")
}

/// HTML to plain text (titles, previews): tags dropped, entities decoded, `<br>` and block
/// ends become newlines, runs of blank lines collapsed, trimmed.
pub fn html_to_plain(html: &str) -> String {
    // After sanitising, every '<' starts a tag and no attribute contains a raw '>'.
    let clean = sanitize(html);
    let mut text = String::new();
    let mut rest = clean.as_str();
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let close = rest[open..].find('>').map_or(rest.len(), |i| open + i + 1);
        let name = rest[open + 1..close]
            .trim_end_matches('>')
            .split(' ')
            .next()
            .unwrap_or("");
        text.push_str(match name {
            "br" | "/li" | "/tr" => "\n",
            "/p" | "/blockquote" | "/pre" | "/ul" | "/ol" | "/table" | "hr" => "\n\n",
            h if h.len() == 3 && h.starts_with("/h") => "\n\n",
            "/td" | "/th" => " ",
            _ => "",
        });
        rest = &rest[close..];
    }
    text.push_str(rest);
    let decoded = html_escape::decode_html_entities(&text);
    let mut lines: Vec<&str> = Vec::new();
    for line in decoded.lines().map(str::trim_end) {
        if !(line.is_empty() && lines.last().is_some_and(|l| l.is_empty())) {
            lines.push(line);
        }
    }
    lines.join("\n").trim().to_string()
}
