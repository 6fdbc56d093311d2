//! A survey's aggregate results as CSV, for its author: one line per option,
//! score and (from five respondents on) free text. Never who answered.

use super::results::{SurveyView, Tally};

/// A CSV cell: quoted when needed, and kept from being read as a formula by
/// spreadsheets (a leading `=`, `+`, `-` or `@` gets a `'`).
fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn line(out: &mut String, cells: &[&str]) {
    let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// The results of a survey whose results the reader may see (`None` otherwise).
pub fn results(v: &SurveyView) -> Option<String> {
    let (respondents, tallies) = v.results.as_ref()?;
    let mut out = String::new();
    line(&mut out, &["question", "kind", "prompt", "answer", "count"]);
    line(
        &mut out,
        &["", "", "respondents", "", &respondents.to_string()],
    );
    for (q, t) in v.questions.iter().zip(tallies) {
        let n = (q.position + 1).to_string();
        let head = [n.as_str(), q.kind.as_str(), q.prompt.as_str()];
        let mut row = |answer: &str, count: &str| {
            line(&mut out, &[head[0], head[1], head[2], answer, count]);
        };
        match t {
            Tally::Choices(counts) => {
                for (o, c) in q.options.iter().zip(counts) {
                    row(o, &c.to_string());
                }
            }
            Tally::Scale { counts, mean } => {
                for (s, c) in (1..=5).zip(counts) {
                    row(&s.to_string(), &c.to_string());
                }
                row("mean", &mean.map(|m| format!("{m:.2}")).unwrap_or_default());
            }
            Tally::Texts(Some(texts)) => texts.iter().for_each(|t| row(t, "")),
            Tally::Texts(None) => row("(withheld: fewer than 5 respondents)", ""),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(cell("=SUM(A1)"), "'=SUM(A1)");
    }
}
