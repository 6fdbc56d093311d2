use super::*;
use serde_json::json;

#[test]
fn focus_is_checked() {
    assert_eq!(parse_focus(Some("0.5,-0.25")).unwrap(), Some((0.5, -0.25)));
    assert_eq!(parse_focus(None).unwrap(), None);
    for bad in ["2,0", "x,y", "0.5"] {
        assert!(parse_focus(Some(bad)).is_err(), "{bad}");
    }
}

#[test]
fn documents_by_declared_type_or_extension() {
    let up = |t: Option<&str>, name: &str| Upload {
        bytes: vec![1],
        content_type: t.map(str::to_string),
        file_name: Some(name.into()),
        description: None,
        focus: None,
    };
    assert_eq!(
        document_type(&up(Some("application/pdf"), "x")).map(|d| d.1),
        Some("pdf")
    );
    assert_eq!(
        document_type(&up(Some("application/octet-stream"), "Plan.XLSX")).map(|d| d.1),
        Some("xlsx")
    );
    assert!(document_type(&up(Some("text/html"), "x.txt")).is_none());
    assert!(document_type(&up(Some("image/svg+xml"), "x.svg")).is_none());
    assert!(document_type(&up(None, "x.html")).is_none());
}

#[test]
fn remote_attachments_are_taken_by_url() {
    let attachments = vec![
        json!({"type": "Document", "mediaType": "image/png", "url": "https://b.example/1.png",
               "name": "A chart", "blurhash": "LEHV6nWB2yk8", "width": 800, "height": 600,
               "focalPoint": [0.1, -0.2]}),
        json!({"type": "Link", "href": "https://b.example/page"}),
        json!({"type": "Video", "url": [{"type": "Link", "href": "https://b.example/v.mp4", "mediaType": "video/mp4"}]}),
        json!({"type": "Document", "url": "javascript:alert(1)"}),
        json!({"type": "Image", "url": {"href": "https://b.example/2.jpg"}}),
    ];
    let rows = from_remote(&attachments, 1, 2);
    let got: Vec<(&str, &str, i32)> = rows
        .iter()
        .map(|m| {
            (
                m.kind.as_str(),
                m.remote_url.as_deref().unwrap(),
                m.position,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("image", "https://b.example/1.png", 0),
            ("video", "https://b.example/v.mp4", 1),
            ("image", "https://b.example/2.jpg", 2)
        ]
    );
    assert_eq!((rows[0].width, rows[0].focus_y), (Some(800), Some(-0.2)));
    assert_eq!(rows[0].description, "A chart");
}
