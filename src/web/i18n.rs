//! The interface's languages: Fluent files in `locales/`, compiled in. A page is
//! in the reader's chosen language, else the first one their browser asks for
//! that we speak, else the instance's default.

use std::{borrow::Cow, collections::HashMap};

use fluent_templates::{Loader, fluent_bundle::FluentValue, static_loader};
use unic_langid::LanguageIdentifier;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Unicode isolation marks around values would end up in attributes and tests.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language the interface is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language's own name, as a language menu shows it.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
        }
    }

    /// `fr`, `fr-CA`, `EN_gb`…: the language we speak for a tag, if any.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The preferred language of an `Accept-Language` header that we speak.
    pub fn from_accept(header: &str) -> Option<Lang> {
        let mut ranked: Vec<(f32, usize, Lang)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut bits = part.split(';');
                let lang = Lang::parse(bits.next()?)?;
                let q = bits
                    .find_map(|b| b.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                (q > 0.0).then_some((q, i, lang))
            })
            .collect();
        // Highest weight first; equal weights keep the header's order.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.first().map(|r| r.2)
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Lang::En => unic_langid::langid!("en"),
            Lang::Fr => unic_langid::langid!("fr"),
        }
    }
}

/// The texts of one language, as templates use them (`t.s("key")`).
#[derive(Clone, Copy, Debug)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn lang(&self) -> &'static str {
        self.0.code()
    }

    /// The text of `key`.
    pub fn s(&self, key: &str) -> String {
        LOCALES.lookup(&self.0.id(), key)
    }

    /// The text of `key` with a number (`$count`), for plurals.
    pub fn n(&self, key: &str, count: &i64) -> String {
        self.with(key, "count", FluentValue::from(*count))
    }

    /// The text of `key` with one named value (`$name`).
    pub fn v(&self, key: &str, name: &'static str, value: &str) -> String {
        self.with(key, name, FluentValue::from(value.to_string()))
    }

    /// The text of `key` with several named values.
    pub fn args(&self, key: &str, values: &[(&'static str, &str)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = values
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.to_string())))
            .collect();
        LOCALES.lookup_with_args(&self.0.id(), key, &args)
    }

    fn with(&self, key: &str, name: &'static str, value: FluentValue<'static>) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = HashMap::from([(name.into(), value)]);
        LOCALES.lookup_with_args(&self.0.id(), key, &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys of every file of a language (the pages' and the mail's).
    fn keys(lang: &str) -> std::collections::BTreeSet<String> {
        let dir = format!("{}/locales/{lang}", env!("CARGO_MANIFEST_DIR"));
        let mut text = String::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
        }
        text.lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_string()))
            .collect()
    }

    #[test]
    fn both_languages_have_every_text() {
        let (en, fr) = (keys("en"), keys("fr"));
        assert!(en.len() > 50, "{} keys", en.len());
        let only_en: Vec<_> = en.difference(&fr).collect();
        let only_fr: Vec<_> = fr.difference(&en).collect();
        assert!(only_en.is_empty(), "missing in French: {only_en:?}");
        assert!(only_fr.is_empty(), "missing in English: {only_fr:?}");
    }

    #[test]
    fn every_text_a_template_asks_for_exists() {
        let en = keys("en");
        let dir = format!("{}/templates", env!("CARGO_MANIFEST_DIR"));
        let mut missing = vec![];
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for call in ["t.s(\"", "t.n(\"", "t.v(\""] {
                for piece in text.split(call).skip(1) {
                    let key = piece.split('"').next().unwrap_or_default();
                    if !en.contains(key) {
                        missing.push(key.to_string());
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "texts without a translation: {missing:?}"
        );
    }

    #[test]
    fn accept_language_picks_the_best_we_speak() {
        assert_eq!(Lang::from_accept("fr-FR,fr;q=0.9,en;q=0.8"), Some(Lang::Fr));
        assert_eq!(
            Lang::from_accept("de-DE, en;q=0.5, fr;q=0.7"),
            Some(Lang::Fr)
        );
        assert_eq!(Lang::from_accept("de, it"), None);
        assert_eq!(Lang::from_accept("fr;q=0, en"), Some(Lang::En));
        assert_eq!(Tr(Lang::Fr).s("nav-home"), "Accueil");
        assert_eq!(Tr(Lang::En).n("members-count", &1), "1 member");
        assert_eq!(Tr(Lang::Fr).n("members-count", &3), "3 membres");
    }
}
