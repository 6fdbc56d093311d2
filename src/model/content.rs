//! Text content: mention/hashtag extraction, plain text and markdown rendering,
//! HTML sanitising (for local and remote content alike) and HTML-to-text.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use ammonia::{Builder, Url, UrlRelative};
use linkify::{LinkFinder, LinkKind};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, TextMergeStream};

/// A mention found in text: `@name` (local) or `@name@domain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionRef {
    pub name: String,
    pub domain: Option<String>,
}

/// How to link mentions when rendering: the profile URL for a mention, or None to leave it as text.
pub type MentionResolver<'a> = &'a dyn Fn(&MentionRef) -> Option<String>;

/// `rel` that ammonia puts on every link; rendered links carry it too so that they survive sanitising unchanged.
const LINK_REL: &str = "nofollow noopener noreferrer";
const MAX_TAG_CHARS: usize = 100;

/// A piece of text as seen by the renderers and extractors.
enum Token<'t> {
    Text(&'t str),
    Url(&'t str),
    /// The mention and its source text.
    Mention(MentionRef, &'t str),
    /// The tag as written (without '#').
    Hashtag(&'t str),
}

/// Extracts @mentions from plain text or markdown source, in order of appearance, without duplicates.
pub fn extract_mentions(text: &str) -> Vec<MentionRef> {
    let mut found: Vec<MentionRef> = Vec::new();
    for token in tokenize(text) {
        if let Token::Mention(m, _) = token
            && !found.contains(&m)
        {
            found.push(m);
        }
    }
    found
}

/// Extracts #hashtags, lowercased, in order of appearance, without duplicates.
pub fn extract_hashtags(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for token in tokenize(text) {
        if let Token::Hashtag(tag) = token {
            let tag = tag.to_lowercase();
            if !found.contains(&tag) {
                found.push(tag);
            }
        }
    }
    found
}

/// Splits text into URLs (http/https only), mentions, hashtags and the plain text between them.
fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut last = 0;
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url]);
    for link in finder.links(text).filter(|l| is_http_url(l.as_str())) {
        scan_words(text, last, link.start(), &mut out);
        out.push(Token::Url(link.as_str()));
        last = link.end();
    }
    scan_words(text, last, text.len(), &mut out);
    out
}

/// Finds mentions and hashtags in `text[from..to]`; the text before `from` still counts as context.
fn scan_words<'t>(text: &'t str, from: usize, to: usize, out: &mut Vec<Token<'t>>) {
    let seg = &text[..to];
    let (mut plain, mut i) = (from, from);
    while let Some(c) = seg[i..].chars().next() {
        let found = match c {
            '@' => scan_mention(seg, i).map(|(m, end)| (Token::Mention(m, &seg[i..end]), end)),
            '#' => scan_hashtag(seg, i).map(|end| (Token::Hashtag(&seg[i + 1..end]), end)),
            _ => None,
        };
        let Some((token, end)) = found else {
            i += c.len_utf8();
            continue;
        };
        if plain < i {
            out.push(Token::Text(&seg[plain..i]));
        }
        out.push(token);
        (plain, i) = (end, end);
    }
    if plain < to {
        out.push(Token::Text(&seg[plain..to]));
    }
}

/// Byte length of the longest prefix of `s` whose chars all satisfy `pred`.
fn prefix_len(s: &str, pred: impl Fn(char) -> bool) -> usize {
    s.find(|c| !pred(c)).unwrap_or(s.len())
}

/// Parses a mention whose '@' is at byte `at`; returns it and the byte where it ends.
fn scan_mention(text: &str, at: usize) -> Option<(MentionRef, usize)> {
    // Letters, '.', '/' or '@' before the '@' mean an e-mail address or a URL.
    let prev = text[..at].chars().next_back();
    if prev.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '/' | '.' | '@')) {
        return None;
    }
    let rest = &text[at + 1..];
    let run = prefix_len(rest, |c| {
        c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
    });
    let name = rest[..run].trim_end_matches(['.', '-']);
    if name.is_empty() {
        return None;
    }
    let end = at + 1 + name.len();
    let local = MentionRef {
        name: name.to_string(),
        domain: None,
    };
    if name.len() < run || !text[end..].starts_with('@') {
        return Some((local, end));
    }
    // `@name@` followed by something that is not a domain is not a mention at all.
    let (domain, len) = scan_domain(&text[end + 1..])?;
    Some((
        MentionRef {
            domain: Some(domain),
            ..local
        },
        end + 1 + len,
    ))
}

/// Parses `host[:port]` at the start of `s`; returns it lowercased and its byte length.
fn scan_domain(s: &str) -> Option<(String, usize)> {
    let run = prefix_len(s, |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    let host = s[..run].trim_end_matches('.');
    let port = match s[run..].strip_prefix(':') {
        Some(after) if host.len() == run => prefix_len(after, |c| c.is_ascii_digit()),
        _ => 0,
    };
    let len = if port > 0 { run + 1 + port } else { host.len() };
    let valid = !host.is_empty()
        && !host.starts_with(['.', '-'])
        && (host.contains('.') || host.eq_ignore_ascii_case("localhost") || port > 0);
    valid.then(|| (s[..len].to_ascii_lowercase(), len))
}

/// Parses a hashtag whose '#' is at byte `at`; returns the byte where it ends.
fn scan_hashtag(text: &str, at: usize) -> Option<usize> {
    // '&' before '#' is an entity (`&#39;`), '/' or a letter a URL fragment.
    let prev = text[..at].chars().next_back();
    if prev.is_some_and(|c| c.is_alphanumeric() || matches!(c, '&' | '/')) {
        return None;
    }
    // Combining diacritics count so that decomposed "café" stays one tag.
    let is_tag_char =
        |c: char| c.is_alphanumeric() || c == '_' || ('\u{300}'..='\u{36f}').contains(&c);
    let tag = &text[at + 1..at + 1 + prefix_len(&text[at + 1..], is_tag_char)];
    let valid = !tag.is_empty()
        && tag.chars().count() <= MAX_TAG_CHARS
        && tag.chars().any(|c| c.is_alphabetic() || c == '_');
    valid.then_some(at + 1 + tag.len())
}

/// http(s) URLs that ammonia will also accept (it drops hrefs that `Url` cannot parse).
fn is_http_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")) && Url::parse(url).is_ok()
}

/// Escapes exactly like html5ever's serializer, so rendered HTML survives sanitising byte for byte.
fn escape(s: &str, attr: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            '"' if attr => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Renders one run of text: escaped, with URLs, resolved mentions and hashtags linked.
fn render_inline(text: &str, mentions: MentionResolver, tag_base: &str) -> String {
    let mut out = String::new();
    for token in tokenize(text) {
        let html = match token {
            Token::Text(s) => escape(s, false),
            Token::Url(url) => format!(
                r#"<a href="{}" target="_blank" rel="{LINK_REL}">{}</a>"#,
                escape(url, true),
                escape(url, false)
            ),
            Token::Mention(m, raw) => match mentions(&m).filter(|url| is_http_url(url)) {
                Some(url) => format!(
                    r#"<span class="h-card"><a href="{}" class="u-url mention" rel="{LINK_REL}">@<span>{}</span></a></span>"#,
                    escape(&url, true),
                    escape(&m.name, false)
                ),
                None => escape(raw, false),
            },
            Token::Hashtag(tag) => format!(
                r#"<a href="{}/{}" class="mention hashtag" rel="{LINK_REL}">#<span>{}</span></a>"#,
                escape(tag_base.trim_end_matches('/'), true),
                escape(&tag.to_lowercase(), true),
                escape(tag, false)
            ),
        };
        out.push_str(&html);
    }
    out
}

/// Plain text (Mastodon API statuses) to HTML: paragraphs on blank lines, `<br>` for
/// single newlines, links for URLs, resolved mentions and hashtags.
/// `tag_base` must be an absolute http(s) URL such as "https://social.example/tags".
pub fn plain_to_html(text: &str, mentions: MentionResolver, tag_base: &str) -> String {
    // Sanitising is a no-op for well-formed input; it guards against odd resolver URLs.
    sanitize(&render_plain(text, mentions, tag_base))
}

fn render_plain(text: &str, mentions: MentionResolver, tag_base: &str) -> String {
    // The HTML parser turns CR into LF and drops NUL; do the same so output is stable.
    let text = text
        .replace("\r\n", "\n")
        .replace(['\r'], "\n")
        .replace('\0', "");
    let mut out = String::new();
    let mut paragraph: Vec<String> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        if !line.trim().is_empty() {
            paragraph.push(render_inline(line, mentions, tag_base));
        } else if !paragraph.is_empty() {
            out.push_str(&format!("<p>{}</p>", paragraph.join("<br>")));
            paragraph.clear();
        }
    }
    out
}

/// Runs CPU-heavy rendering or sanitising without holding up the async executor:
/// on a multi-threaded runtime the worker hands its other tasks to another thread
/// first (`block_in_place`); elsewhere (tools, single-threaded tests) it just runs.
pub fn off_executor<R>(work: impl FnOnce() -> R) -> R {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Ok(h) if h.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(work)
        }
        _ => work(),
    }
}

/// Markdown (CommonMark + tables + strikethrough) to sanitised HTML; raw HTML is shown as text,
/// URLs, mentions and hashtags are linked outside code and links.
pub fn markdown_to_html(source: &str, mentions: MentionResolver, tag_base: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(source, options).map(|event| match event {
        // Raw HTML is never trusted: show it as text, an HTML block as a paragraph.
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
        // Images are not allowed in the output; keep them as links so their alt text stays.
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        other => other,
    });
    // Merged so that mentions split by the parser (e.g. at '_') are seen whole.
    let mut depth = 0usize; // inside links or code blocks
    let events = TextMergeStream::new(events).map(|event| {
        match &event {
            Event::Start(Tag::Link { .. } | Tag::CodeBlock(_)) => depth += 1,
            Event::End(TagEnd::Link | TagEnd::CodeBlock) => depth = depth.saturating_sub(1),
            Event::Text(text) if depth == 0 => {
                return Event::Html(render_inline(text, mentions, tag_base).into());
            }
            _ => {}
        }
        event
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, flatten_deep(events));
    sanitize(&html)
}

/// Drops the start and end of any element nested deeper than [`MAX_NESTING`], so
/// `> > > …` renders as a quote twenty levels deep with the rest of the text in it.
fn flatten_deep<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut kept: Vec<bool> = Vec::new();
    let mut depth = 0usize;
    events.filter(move |event| match event {
        Event::Start(_) => {
            let keep = depth < MAX_NESTING;
            if keep {
                depth += 1;
            }
            kept.push(keep);
            keep
        }
        Event::End(_) => {
            let keep = kept.pop().unwrap_or(true);
            if keep {
                depth = depth.saturating_sub(1);
            }
            keep
        }
        _ => true,
    })
}

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
fn nesting_depth(html: &str) -> usize {
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

/// The first non-blank line, trimmed, cut to at most `max_chars` characters (the '…' included).
pub fn first_line(text: &str, max_chars: usize) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    truncate(line, max_chars)
}

/// The text, trimmed, cut to at most `max_chars` characters (the '…' included).
pub fn truncate(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    if max_chars == 0 {
        return String::new();
    }
    let kept: String = text.chars().take(max_chars - 1).collect();
    format!("{}…", kept.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TAGS: &str = "https://s.example/tags";

    fn resolve(m: &MentionRef) -> Option<String> {
        let host = m.domain.as_deref().unwrap_or("s.example");
        (m.name != "nobody").then(|| format!("https://{host}/@{}", m.name))
    }

    fn mention(name: &str, domain: Option<&str>) -> MentionRef {
        MentionRef {
            name: name.into(),
            domain: domain.map(Into::into),
        }
    }

    #[test]
    fn mentions_local_remote_and_ports() {
        let text = "hi @alice, @Bob_1@Social.Example. @carol@localhost:3000 @alice@Social.Example:8443 @alice";
        let expected = [
            mention("alice", None),
            mention("Bob_1", Some("social.example")),
            mention("carol", Some("localhost:3000")),
            mention("alice", Some("social.example:8443")),
        ];
        assert_eq!(extract_mentions(text), expected);
        assert_eq!(
            extract_mentions("@dave.@x.example"),
            [mention("dave", None)]
        );
        assert_eq!(
            extract_mentions("(@e.f-g@h.example.)"),
            [mention("e.f-g", Some("h.example"))]
        );
    }

    #[test]
    fn mentions_not_in_emails_urls_or_bad_domains() {
        assert!(extract_mentions("mail a@b.com or x.@y.example or @@z").is_empty());
        assert!(
            extract_mentions("https://s.example/@alice and https://s.example/?u=@bob").is_empty()
        );
        assert!(extract_mentions("@alice@intranet and @ and @.").is_empty());
    }

    #[test]
    fn hashtags_unicode_dedup_and_not_fragments_or_entities() {
        let text = "#Café #café #rust_lang, #123 #1st x#no &#39; https://a.example/#top a/#b ##x";
        assert_eq!(extract_hashtags(text), ["café", "rust_lang", "1st", "x"]);
        assert_eq!(extract_hashtags("#cafe\u{301}"), ["cafe\u{301}"]);
        assert!(extract_hashtags(&format!("#{}", "a".repeat(101))).is_empty());
        assert_eq!(extract_hashtags(&format!("#{}", "a".repeat(100))).len(), 1);
    }

    #[test]
    fn plain_text_paragraphs_links_mentions_tags() {
        let html = plain_to_html(
            "Hi @alice <b>&\nsee https://a.example/?a=1&b=2\r\n\r\n\n#Rust",
            &resolve,
            TAGS,
        );
        let expected = concat!(
            r#"<p>Hi <span class="h-card"><a href="https://s.example/@alice" class="u-url mention" rel="nofollow noopener noreferrer">@<span>alice</span></a></span> &lt;b&gt;&amp;<br>"#,
            r#"see <a href="https://a.example/?a=1&amp;b=2" target="_blank" rel="nofollow noopener noreferrer">https://a.example/?a=1&amp;b=2</a></p>"#,
            r#"<p><a href="https://s.example/tags/rust" class="mention hashtag" rel="nofollow noopener noreferrer">#<span>Rust</span></a></p>"#,
        );
        assert_eq!(html, expected);
        assert_eq!(plain_to_html(" \n\n", &resolve, TAGS), "");
    }

    #[test]
    fn plain_text_unresolved_mentions_and_other_schemes_stay_text() {
        let html = plain_to_html(
            "@nobody ftp://x.example javascript:alert(1) x@y.com",
            &resolve,
            TAGS,
        );
        assert_eq!(
            html,
            "<p>@nobody ftp://x.example javascript:alert(1) x@y.com</p>"
        );
        let evil = |_: &MentionRef| Some("javascript:alert(1)".to_string());
        assert_eq!(plain_to_html("@alice", &evil, TAGS), "<p>@alice</p>");
    }

    #[test]
    fn plain_text_output_is_already_sanitized() {
        for text in [
            "a\u{a0}\"b\" 'c' <>&",
            "@alice@s.example #tag https://a.example/\"x\"",
            "x\0y\rz",
            "#tést @bob",
        ] {
            let html = render_plain(text, &resolve, TAGS);
            assert_eq!(sanitize(&html), html);
            assert_eq!(plain_to_html(text, &resolve, TAGS), html);
        }
    }

    #[test]
    fn markdown_renders_and_links_outside_code_and_links() {
        let md = "# T\n\n**@alice** `@bob #x` [@carol](https://c.example) https://u.example #Tag\n\n```rust\n@dave\n```\n\n| a |\n|---|\n| ~~b~~ |";
        let html = markdown_to_html(md, &resolve, TAGS);
        assert!(
            html.starts_with(
                "<h1>T</h1>\n<p><strong><span class=\"h-card\"><a href=\"https://s.example/@alice\""
            ),
            "{html}"
        );
        assert!(html.contains("<code>@bob #x</code>"), "{html}");
        assert!(
            html.contains(
                r#"<a href="https://c.example" rel="nofollow noopener noreferrer">@carol</a>"#
            ),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="https://u.example" target="_blank""#),
            "{html}"
        );
        assert!(html.contains(r##"#<span>Tag</span></a>"##), "{html}");
        assert!(
            html.contains("<pre><code class=\"language-rust\">@dave\n</code></pre>"),
            "{html}"
        );
        assert!(html.contains("<td><del>b</del></td>"), "{html}");
    }

    #[test]
    fn markdown_hostile_input() {
        let html = markdown_to_html(
            "<b onclick=x>hi</b>\n\n<script>alert(1)</script>",
            &resolve,
            TAGS,
        );
        assert_eq!(
            html,
            "<p>&lt;b onclick=x&gt;hi&lt;/b&gt;</p>\n<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
        );
        let html = markdown_to_html(
            "[x](javascript:alert(1)) ![i](data:text/html,x) [y](/relative)",
            &resolve,
            TAGS,
        );
        assert!(
            !html.contains("javascript") && !html.contains("data:") && !html.contains("href"),
            "{html}"
        );
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let quotes = format!("{}deep", "> ".repeat(24_000));
        let html = markdown_to_html(&quotes, &resolve, "https://x.example/tags/");
        assert_eq!(
            html.matches("<blockquote>").count(),
            MAX_NESTING,
            "{}",
            &html[..200]
        );
        assert!(nesting_depth(&html) <= MAX_NESTING);
        assert!(html.contains("deep"));
        let lists = format!("{}x", "- ".repeat(5_000));
        assert!(nesting_depth(&markdown_to_html(&lists, &resolve, "")) <= MAX_NESTING);
        let remote = format!(
            "{}x{}",
            "<blockquote>".repeat(24_000),
            "</blockquote>".repeat(24_000)
        );
        let clean = sanitize(&remote);
        assert!(nesting_depth(&clean) <= MAX_NESTING, "{}", &clean[..200]);
        assert!(clean.contains('x'));
        let shallow = "<blockquote><p>a</p></blockquote>";
        assert_eq!(sanitize(shallow), shallow);
        assert_eq!(sanitize("a\0b"), "ab");
    }

    #[test]
    fn sanitize_removes_hostile_markup() {
        let cases = [
            ("<script>alert(1)</script>ok", "ok"),
            (
                r#"<a href="javascript:alert(1)">x</a>"#,
                r#"<a rel="nofollow noopener noreferrer">x</a>"#,
            ),
            (r#"<p onclick="alert(1)">x</p>"#, "<p>x</p>"),
            ("<img src=x onerror=alert(1)>x", "x"),
            (
                r#"<a href="data:text/html;base64,PHNjcmlwdD4=">d</a>"#,
                r#"<a rel="nofollow noopener noreferrer">d</a>"#,
            ),
            (
                "<iframe src=https://e.example></iframe><style>p{}</style><form><input></form>",
                "",
            ),
            (
                r#"<a href=" JaVa&#x09;script:x" target="_top" rel="me">y</a>"#,
                r#"<a rel="nofollow noopener noreferrer">y</a>"#,
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(sanitize(input), expected, "{input}");
        }
    }

    #[test]
    fn sanitize_keeps_allowed_markup() {
        let input = r#"<p><span class="h-card foo"><a href="https://s.example/@a" class="u-url mention evil" target="_blank">@<span class="invisible">a</span></a></span></p><ol start="3"><li><code class="language-rust">x</code></li></ol><a href="mailto:a@b.example">m</a>"#;
        let expected = r#"<p><span class="h-card"><a href="https://s.example/@a" class="u-url mention" target="_blank" rel="nofollow noopener noreferrer">@<span class="invisible">a</span></a></span></p><ol start="3"><li><code class="language-rust">x</code></li></ol><a href="mailto:a@b.example" rel="nofollow noopener noreferrer">m</a>"#;
        assert_eq!(sanitize(input), expected);
        assert_eq!(
            sanitize(r#"<ol start="x"><li><code class="evil">y</code></li></ol>"#),
            "<ol><li><code>y</code></li></ol>"
        );
    }

    #[test]
    fn sanitize_is_stable_on_reparse_traps() {
        for input in [
            "<pre>\n\n\n\n\n\n\n\nx</pre>",
            "<li><table><caption><li>",
            "<p>a<object><p>b</p></object></p>",
        ] {
            let once = sanitize(input);
            assert_eq!(sanitize(&once), once, "{input}");
        }
    }

    #[test]
    fn html_to_plain_text() {
        let html = "<p>Hello &amp; <b>bye</b><br>next</p>\n\n<p>&lt;para&gt; &#39;2&#39;</p><script>x</script><ul><li>a</li><li>b</li></ul>";
        assert_eq!(
            html_to_plain(html),
            "Hello & bye\nnext\n\n<para> '2'\n\na\nb"
        );
        assert_eq!(html_to_plain("  "), "");
    }

    #[test]
    fn first_line_cuts_on_char_boundary() {
        assert_eq!(first_line("\n  Hello world  \nmore", 50), "Hello world");
        assert_eq!(first_line("Hello wonderful world", 10), "Hello won…");
        assert_eq!(first_line("ééééé", 3), "éé…");
        assert_eq!(first_line("abc", 0), "");
        assert_eq!(first_line("", 5), "");
    }

    #[rustfmt::skip]
    const FRAGMENTS: &[&str] = &[
        "<a href=\"", "javascript:", "<script>", "</script>", "\"", "'", ">", "<", "=", " ", "\n",
        "<p>", "</p>", "&amp;", "&", "&#", "<span class=\"mention\">", "</span>", "@", "#", "alice",
        "x.example", "https://", "<pre>", "<table>", "<caption>", "<td>", "<tr>", "<!--", "-->",
        "<b>", "</a>", "<ol start=", "1", "<code class=\"language-", "onclick=", "<img src=x onerror=",
        "data:", "<svg>", "<math>", "<style>", "<li>", "<object>", "<form>", "\u{a0}", "\r", "\0",
        "<br>", "<textarea>", "<template>", "target=_blank ", "<plaintext>", "<xmp>", "`", "*", "[",
        "](", ")", "```", "<noscript>", "<iframe>", "<select>", "<option>",
    ];

    fn fragments() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40)
            .prop_map(|parts| parts.concat())
    }

    fn any_text() -> impl Strategy<Value = String> {
        prop_oneof![any::<String>(), fragments()]
    }

    /// Every (element, attribute, value) of serialised ammonia output, where values escape '"', '<' and '>'.
    fn attributes(html: &str) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for tag in html.split('<').skip(1) {
            let tag = &tag[..tag.find('>').unwrap()];
            let (element, mut rest) = tag.split_once(' ').unwrap_or((tag, ""));
            while let Some((name, after)) = rest.split_once("=\"") {
                let (value, after) = after.split_once('"').unwrap();
                out.push((
                    element.into(),
                    name.trim().into(),
                    value.to_ascii_lowercase(),
                ));
                rest = after;
            }
        }
        out
    }

    fn assert_safe(html: &str) {
        assert!(!html.to_ascii_lowercase().contains("<script"), "{html}");
        for (element, name, value) in attributes(html) {
            let allowed = matches!(
                (element.as_str(), name.as_str()),
                ("a", "href" | "class" | "target" | "rel")
                    | ("span" | "code", "class")
                    | ("ol", "start")
            );
            assert!(allowed, "{element} {name} in {html}");
            // Browsers (and the url crate ammonia checks schemes with) ignore
            // leading whitespace in a URL: ` https://…` is an https link.
            let value = value.trim_start_matches(|c: char| c.is_ascii_whitespace());
            let safe_url = ["http:", "https:", "mailto:"]
                .iter()
                .any(|s| value.starts_with(s));
            assert!(name != "href" || safe_url, "{html}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn sanitize_is_idempotent_on_any_string(s in any::<String>()) {
            let once = sanitize(&s);
            prop_assert_eq!(sanitize(&once), once);
        }

        #[test]
        fn sanitize_is_idempotent_on_tag_soup(s in fragments()) {
            let once = sanitize(&s);
            prop_assert_eq!(sanitize(&once), once);
        }

        #[test]
        fn leading_whitespace_does_not_hide_a_scheme(pad in "[ \t\n]{0,3}") {
            let bad = sanitize(&format!("<a href=\"{pad}javascript:alert(1)\">x</a>"));
            prop_assert!(!bad.contains("javascript"), "{}", bad);
            assert_safe(&sanitize(&format!("<a href=\"{pad}https://&amp;\"<pre>")));
        }

        #[test]
        fn sanitize_output_is_safe(s in any_text()) {
            assert_safe(&sanitize(&s));
        }

        #[test]
        fn markdown_output_is_safe_and_stable(s in any_text()) {
            let html = markdown_to_html(&s, &resolve, TAGS);
            assert_safe(&html);
            prop_assert_eq!(sanitize(&html), html);
        }

        #[test]
        fn plain_rendering_needs_no_sanitizing(s in any_text()) {
            let html = render_plain(&s, &resolve, TAGS);
            prop_assert_eq!(sanitize(&html), html);
        }
    }
}
