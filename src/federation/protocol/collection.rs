//! Paged `OrderedCollection`s (followers, following, outbox, moderators).

use serde_json::{Value, json};

/// The collection itself: its size and a link to the first page.
pub fn collection(id: &str, total: i64) -> Value {
    json!({
        "id": id,
        "type": "OrderedCollection",
        "totalItems": total,
        "first": format!("{id}?page=true"),
    })
}

/// The collection with all its items inline (small collections such as moderators).
pub fn inline(id: &str, items: Vec<Value>) -> Value {
    json!({
        "id": id,
        "type": "OrderedCollection",
        "totalItems": items.len(),
        "orderedItems": items,
    })
}

/// One page; `next` is the cursor of the following page, if any.
pub fn page(
    collection_id: &str,
    this_page: &str,
    total: i64,
    items: Vec<Value>,
    next: Option<String>,
) -> Value {
    let mut page = json!({
        "id": this_page,
        "type": "OrderedCollectionPage",
        "partOf": collection_id,
        "totalItems": total,
        "orderedItems": items,
    });
    if let (Some(next), Some(map)) = (next, page.as_object_mut()) {
        map.insert(
            "next".into(),
            json!(format!("{collection_id}?page=true&max_id={next}")),
        );
    }
    page
}
