use super::sanitize::nesting_depth;
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
    let text =
        "hi @alice, @Bob_1@Social.Example. @carol@localhost:3000 @alice@Social.Example:8443 @alice";
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
    assert!(extract_mentions("https://s.example/@alice and https://s.example/?u=@bob").is_empty());
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
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40).prop_map(|parts| parts.concat())
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
