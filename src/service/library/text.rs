//! The words of a document, for search: plain text as it is, office documents
//! (Word, Excel, PowerPoint, OpenDocument: zip archives of XML) by their text
//! nodes. PDFs are not read: the crates that extract their text are slow on
//! large files and panic on malformed ones, a poor trade for a request path.
//! Every read is bounded, so a zip bomb costs a few megabytes at most.

use std::io::{Cursor, Read};

use quick_xml::{Reader, events::Event};

/// Characters of text kept per document.
pub const MAX_CHARS: usize = 100_000;
/// Bytes of XML read out of an archive, all parts together.
const MAX_XML_BYTES: u64 = 16 * 1024 * 1024;

/// The words of a file of this type, or nothing when we do not read its kind.
pub fn extract(content_type: &str, bytes: &[u8]) -> String {
    let text = match content_type {
        "text/plain" | "text/csv" => String::from_utf8_lossy(bytes).into_owned(),
        t if t.starts_with("application/vnd.openxmlformats-officedocument.") => {
            archive_text(bytes, |name| {
                (name.starts_with("word/") && name.ends_with(".xml"))
                    || name.starts_with("ppt/slides/slide")
                    || name == "xl/sharedStrings.xml"
            })
        }
        t if t.starts_with("application/vnd.oasis.opendocument.") => {
            archive_text(bytes, |name| name == "content.xml")
        }
        _ => String::new(),
    };
    squeeze(&text)
}

/// The text nodes of the archive's XML parts that `wanted` names.
fn archive_text(bytes: &[u8], wanted: impl Fn(&str) -> bool) -> String {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return String::new();
    };
    let mut out = String::new();
    let mut budget = MAX_XML_BYTES;
    for i in 0..archive.len().min(1000) {
        let Ok(part) = archive.by_index(i) else {
            continue;
        };
        if !part.name().is_ok_and(|n| wanted(&n)) || budget == 0 {
            continue;
        }
        let mut xml = Vec::new();
        if part.take(budget).read_to_end(&mut xml).is_err() {
            continue;
        }
        budget = budget.saturating_sub(xml.len() as u64);
        xml_text(&xml, &mut out);
        if out.len() > MAX_CHARS * 4 {
            break;
        }
    }
    out
}

/// Appends the text nodes of an XML document, a space between paragraphs.
fn xml_text(xml: &[u8], out: &mut String) {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Text(t)) => out.push_str(&t.xml10_content()),
            Ok(Event::CData(t)) => out.push_str(&t.xml10_content()),
            // `&amp;`, `&#233;`: references come apart from the text around them.
            Ok(Event::GeneralRef(r)) => match r.resolve_char_ref() {
                Ok(Some(c)) => out.push(c),
                _ => out.push_str(match &*r {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                }),
            },
            Ok(Event::End(_)) => out.push(' '),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
}

/// Whitespace runs made one space, cut at [`MAX_CHARS`].
fn squeeze(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.len() + word.len() + 1 > MAX_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn archive(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body) in parts {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .expect("part");
            zip.write_all(body.as_bytes()).expect("write");
        }
        zip.finish().expect("zip").into_inner()
    }

    #[test]
    fn office_documents_give_their_words() {
        let docx = archive(&[
            (
                "word/document.xml",
                "<w:document><w:p><w:r><w:t>Quarterly</w:t></w:r></w:p><w:p><w:t>budget &amp; plan</w:t></w:p></w:document>",
            ),
            ("docProps/core.xml", "<x>author secret</x>"),
        ]);
        let t = extract(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            &docx,
        );
        assert_eq!(t, "Quarterly budget & plan");
        let odt = archive(&[(
            "content.xml",
            "<office:text><text:p>Rapport annuel</text:p></office:text>",
        )]);
        assert_eq!(
            extract("application/vnd.oasis.opendocument.text", &odt),
            "Rapport annuel"
        );
        assert_eq!(extract("text/plain", b"a  b\n\nc"), "a b c");
        assert_eq!(extract("application/pdf", b"%PDF-1.4"), "");
        assert_eq!(
            extract("application/vnd.oasis.opendocument.text", b"not a zip"),
            ""
        );
    }

    #[test]
    fn text_is_bounded() {
        let long = "word ".repeat(MAX_CHARS);
        assert!(extract("text/plain", long.as_bytes()).len() <= MAX_CHARS);
    }
}
