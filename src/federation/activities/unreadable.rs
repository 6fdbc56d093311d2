//! Why an activity could not be read, naming the field: the inbox's activities
//! are an untagged enum, whose own error only says that no variant matched.
//! Worked out only when reading failed, by reading again as the one type the
//! activity's `type` names.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{
    accept::Accept,
    announce::Announce,
    create_or_update::CreateOrUpdate,
    delete::Delete,
    flag::Flag,
    follow::Follow,
    inbox::Once,
    like::Like,
    moderation::{AddOrRemove, Block},
    undo::Undo,
    update_actor::UpdateActor,
};

/// `None` when the body reads as an activity; else what is wrong and where.
pub fn why(body: &[u8]) -> Option<String> {
    if serde_json::from_slice::<Once>(body).is_ok() {
        return None;
    }
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return Some(format!("not JSON: {e}")),
    };
    let kind = value.get("type").and_then(Value::as_str);
    Some(match kind {
        Some("Follow") => at::<Follow>(body),
        Some("Accept") => at::<Accept>(body),
        Some("Undo") => at::<Undo>(body),
        Some("Create") => at::<CreateOrUpdate>(body),
        Some("Update") if is_actor(&value["object"]) => at::<UpdateActor>(body),
        Some("Update") => at::<CreateOrUpdate>(body),
        Some("Delete") => at::<Delete>(body),
        Some("Like" | "Dislike") => at::<Like>(body),
        Some("Announce") => at::<Announce>(body),
        Some("Add" | "Remove") => at::<AddOrRemove>(body),
        Some("Block") => at::<Block>(body),
        Some("Flag") => at::<Flag>(body),
        Some(other) => format!("`{other}` is not an activity this server takes"),
        None => "no `type`".to_string(),
    })
}

fn is_actor(object: &Value) -> bool {
    matches!(
        object.get("type").and_then(Value::as_str),
        Some("Person" | "Group" | "Service" | "Application" | "Organization")
    )
}

/// The first error reading `body` as `T`, with its path (`object.attributedTo`).
fn at<T: DeserializeOwned>(body: &[u8]) -> String {
    let de = &mut serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(_) => "it reads on its own, but not as an activity of the inbox".to_string(),
        Err(e) => match e.path().to_string().as_str() {
            "." => e.inner().to_string(),
            path => format!("`{path}`: {}", e.inner()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::why;

    #[test]
    fn errors_name_the_field() {
        let follow = br#"{"id": "https://a.example/f/1", "type": "Follow",
            "actor": "https://a.example/u/x", "object": 5}"#;
        let got = why(follow).expect("unreadable");
        assert!(got.starts_with("`object`:"), "{got}");
        let note = br#"{"id": "https://a.example/c/1", "type": "Create", "actor": "https://a.example/u/x",
            "object": {"id": "https://a.example/n/1", "type": "Note", "attributedTo": 3, "content": "x"}}"#;
        let got = why(note).expect("unreadable");
        assert!(got.contains("attributedTo"), "{got}");
        assert_eq!(
            why(br#"{"type": "Dance"}"#).as_deref(),
            Some("`Dance` is not an activity this server takes")
        );
        let fine = br#"{"id": "https://a.example/f/1", "type": "Follow",
            "actor": "https://a.example/u/x", "object": "https://b.example/u/y"}"#;
        assert_eq!(why(fine), None);
    }
}
