use super::*;

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
