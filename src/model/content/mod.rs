//! Text content: mention/hashtag extraction, plain text and markdown rendering,
//! HTML sanitising (for local and remote content alike) and HTML-to-text.

use ammonia::Url;
use linkify::{LinkFinder, LinkKind};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, TextMergeStream};

mod sanitize;

pub use sanitize::{MAX_NESTING, html_to_plain, sanitize};

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
mod tests;
