//! The organisation's colours as a style sheet (`/theme.css`; the pages allow no
//! inline style). Text on the accent colour, and links in it, are chosen so
//! that any accent an administrator picks keeps WCAG AA contrast (4.5:1).

use axum::{
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};

use crate::state::AppState;

const DEFAULT_ACCENT: (u8, u8, u8) = (0x2b, 0x59, 0xc3);
const AA: f64 = 4.5;

/// `#rgb` or `#rrggbb`.
pub fn parse_hex(s: &str) -> Option<(u8, u8, u8)> {
    let hex = s.trim().strip_prefix('#')?;
    let digits: Vec<u8> = match hex.len() {
        3 => hex
            .chars()
            .map(|c| c.to_digit(16).map(|d| (d * 17) as u8))
            .collect::<Option<_>>()?,
        6 => (0..3)
            .map(|i| u8::from_str_radix(hex.get(i * 2..i * 2 + 2)?, 16).ok())
            .collect::<Option<_>>()?,
        _ => return None,
    };
    Some((digits[0], digits[1], digits[2]))
}

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The colour mixed toward black by `k` (0..1).
fn darker((r, g, b): (u8, u8, u8), k: f64) -> (u8, u8, u8) {
    let f = |c: u8| (f64::from(c) * (1.0 - k)).round() as u8;
    (f(r), f(g), f(b))
}

/// The accent's colours: (accent, text on it, links on white).
pub fn palette(accent: &str) -> (String, String, String) {
    let accent = parse_hex(accent).unwrap_or(DEFAULT_ACCENT);
    const WHITE: (u8, u8, u8) = (255, 255, 255);
    const INK: (u8, u8, u8) = (0x11, 0x11, 0x11);
    let on_accent = if contrast(accent, WHITE) >= contrast(accent, INK) {
        WHITE
    } else {
        INK
    };
    // Links and buttons' outlines on the white page: the accent, darkened until readable.
    let mut link = accent;
    let mut k = 0.0;
    while contrast(link, WHITE) < AA && k < 1.0 {
        k += 0.05;
        link = darker(accent, k);
    }
    (hex(accent), hex(on_accent), hex(link))
}

pub async fn theme_css(State(state): State<AppState>) -> Response {
    let (accent, on_accent, link) = palette(&state.instance().accent_color);
    let css =
        format!(":root {{ --accent: {accent}; --on-accent: {on_accent}; --link: {link}; }}\n");
    let mut r = css.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_accent_keeps_aa_contrast() {
        for accent in [
            "#ffff00", "#2b59c3", "#000000", "#ffffff", "#7fdbff", "#e60000", "#0f0",
        ] {
            let (a, on, link) = palette(accent);
            let (a, on, link) = (
                parse_hex(&a).expect("accent"),
                parse_hex(&on).expect("on"),
                parse_hex(&link).expect("link"),
            );
            // Large text and buttons need 3:1 on the accent; body text 4.5:1.
            assert!(contrast(a, on) >= 3.0, "{accent}: {}", contrast(a, on));
            assert!(contrast(link, (255, 255, 255)) >= AA, "{accent} links");
        }
        assert_eq!(palette("not a colour").0, "#2b59c3");
        assert_eq!(parse_hex("#abc"), Some((0xaa, 0xbb, 0xcc)));
    }
}
