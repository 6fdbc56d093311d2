//! One shape for every mail: a heading, paragraphs, a list of items that link
//! back to the web, a button, and why the reader gets it; rendered once as HTML
//! (inline styles: mail clients drop style sheets) and once as plain text, in
//! the organisation's colours, then formatted as the RFC 5322 message the relay gets.

use askama::Template;
use lettre::message::{
    Mailbox, Message, MultiPart,
    header::{HeaderName, HeaderValue},
};

use crate::{error::AppError, state::AppState, web::i18n::Tr};

/// A thing a mail points to: a thread, an event, a document, a notification.
#[derive(Clone, Debug)]
pub struct Item {
    pub title: String,
    /// An excerpt (empty when the content may not leave the instance by mail).
    pub text: String,
    /// Who, where, when.
    pub meta: String,
    pub url: String,
}

/// A list of items under a heading.
#[derive(Clone, Debug)]
pub struct Section {
    pub heading: String,
    pub items: Vec<Item>,
}

/// What a mail says, before it is rendered.
#[derive(Clone, Debug)]
pub struct Letter {
    pub t: Tr,
    pub subject: String,
    pub heading: String,
    pub paragraphs: Vec<String>,
    /// Lists of items, each under its heading (empty: none).
    pub sections: Vec<Section>,
    /// A button: (label, URL).
    pub action: Option<(String, String)>,
    /// Why the reader gets this mail.
    pub footer: String,
    /// The one-click unsubscribe URL (RFC 8058), for alerts and digests.
    pub unsubscribe: Option<String>,
}

impl Letter {
    pub fn new(t: Tr, subject: String) -> Letter {
        Letter {
            t,
            heading: subject.clone(),
            subject,
            paragraphs: vec![],
            sections: vec![],
            action: None,
            footer: String::new(),
            unsubscribe: None,
        }
    }
}

#[derive(Template)]
#[template(path = "mail/letter.html")]
struct Html<'a> {
    l: &'a Letter,
    instance: &'a str,
    logo: &'a str,
    home: &'a str,
    accent: &'a str,
    on_accent: &'a str,
    link: &'a str,
    unsubscribe_label: String,
}

#[derive(Template)]
#[template(path = "mail/letter.txt")]
struct Text<'a> {
    l: &'a Letter,
    instance: &'a str,
    home: &'a str,
    unsubscribe_label: String,
}

/// The sender: `email.from`, else the instance's name at `noreply@` its host.
pub fn sender(state: &AppState) -> Result<Mailbox, AppError> {
    let from = state.config.email.from.trim();
    if !from.is_empty() {
        return from.parse().map_err(AppError::internal);
    }
    let host = state.urls.domain().split(':').next().unwrap_or("localhost");
    let address = format!("noreply@{host}")
        .parse()
        .map_err(AppError::internal)?;
    Ok(Mailbox::new(Some(state.instance().name.clone()), address))
}

/// The message for `to`, with its `Message-ID` built from `id`.
pub fn format(state: &AppState, id: i64, to: &str, letter: &Letter) -> Result<String, AppError> {
    let instance = state.instance();
    let home = state.urls.base().to_string();
    let logo = match &instance.logo_url {
        Some(url) => url.clone(),
        None => format!("{home}/static/logo.png"),
    };
    let (accent, on_accent, link) = crate::web::theme::palette(&instance.accent_color);
    let unsubscribe_label = letter.t.s("mail-unsubscribe");
    let html = Html {
        l: letter,
        instance: &instance.name,
        logo: &logo,
        home: &home,
        accent: &accent,
        on_accent: &on_accent,
        link: &link,
        unsubscribe_label: unsubscribe_label.clone(),
    }
    .render()
    .map_err(AppError::internal)?;
    let text = Text {
        l: letter,
        instance: &instance.name,
        home: &home,
        unsubscribe_label,
    }
    .render()
    .map_err(AppError::internal)?;
    let host = state.urls.domain().split(':').next().unwrap_or("localhost");
    let mut b = Message::builder()
        .from(sender(state)?)
        .to(to.parse().map_err(AppError::internal)?)
        .subject(&letter.subject)
        .message_id(Some(format!("<{id}@{host}>")))
        .date_now()
        .user_agent("Passerelle".into())
        .raw_header(header("Auto-Submitted", "auto-generated"))
        // Exchange and Outlook: no out-of-office replies to the robot.
        .raw_header(header("X-Auto-Response-Suppress", "All"))
        .raw_header(header("Content-Language", letter.t.lang()));
    let reply_to = state.config.email.reply_to.trim();
    if !reply_to.is_empty() {
        b = b.reply_to(reply_to.parse().map_err(AppError::internal)?);
    }
    if let Some(url) = &letter.unsubscribe {
        b = b
            .raw_header(header("List-Unsubscribe", &format!("<{url}>")))
            .raw_header(header(
                "List-Unsubscribe-Post",
                "List-Unsubscribe=One-Click",
            ));
    }
    let message = b
        .multipart(MultiPart::alternative_plain_html(text, html))
        .map_err(AppError::internal)?;
    String::from_utf8(message.formatted()).map_err(AppError::internal)
}

fn header(name: &'static str, value: &str) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str(name), value.to_string())
}
