//! Seeded libraries and directory profiles: one thread in 20 (not an event) is
//! a document, in one of three folders of its community, with a small text
//! file; every person has a department, a job title, a location and skills.

use chrono::NaiveDateTime;

use crate::{
    db::{
        self,
        directory::DirectoryProfile,
        library::{Document, Folder, Version},
    },
    model::id::new_id,
    service::{library::files, media::store},
    state::AppState,
};

const FOLDERS: [&str; 3] = ["Procedures", "Reports", "Templates"];
const DEPARTMENTS: [&str; 6] = [
    "Engineering",
    "Sales",
    "Finance",
    "Legal",
    "Operations",
    "HR",
];
const TITLES: [&str; 5] = ["Engineer", "Manager", "Analyst", "Lawyer", "Coordinator"];
const LOCATIONS: [&str; 4] = ["Lyon", "Paris", "Nantes", "Remote"];
const SKILLS: [&str; 12] = [
    "rust",
    "postgresql",
    "contracts",
    "accounting",
    "negotiation",
    "logistics",
    "recruiting",
    "security",
    "design",
    "data",
    "safety",
    "procurement",
];

/// Documents (with folders and files) for `threads` (id, community index,
/// author id), skipping events' threads; how many.
pub async fn insert_documents(
    state: &AppState,
    threads: &[(i64, usize, i64)],
    communities: &[i64],
    now: NaiveDateTime,
) -> anyhow::Result<usize> {
    let folders: Vec<Folder> = communities
        .iter()
        .flat_map(|&c| {
            FOLDERS.iter().map(move |name| Folder {
                id: new_id(),
                community_id: c,
                parent_id: None,
                name: (*name).into(),
                created_by: None,
                created_at: now,
            })
        })
        .collect();
    let root = files::root(state);
    let mut documents = Vec::new();
    for (i, &(id, g, author)) in threads.iter().enumerate() {
        // Events are every 25th thread (`agenda`): documents take others.
        if i % 20 != 7 {
            continue;
        }
        let key = store::new_key("txt");
        let text = format!("Seeded document {i}: {} notes", SKILLS[i % SKILLS.len()]);
        store::put(&root, &key, text.clone().into_bytes()).await?;
        documents.push((
            Document {
                status_id: id,
                folder_id: Some(folders[g * FOLDERS.len() + i % FOLDERS.len()].id),
                text: text.clone(),
            },
            Version {
                status_id: id,
                number: 1,
                file_name: format!("notes-{i}.txt"),
                content_type: "text/plain".into(),
                file_size: text.len() as i64,
                file_key: Some(key),
                remote_url: None,
                uploaded_by: Some(author),
                restored_from: None,
                created_at: now,
            },
        ));
    }
    let n = documents.len();
    state
        .db
        .write(move |c| {
            for f in &folders {
                db::library::insert_folder(c, f)?;
            }
            for (d, v) in &documents {
                db::library::insert_document(c, d, v)?;
            }
            Ok(())
        })
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(n)
}

/// A directory profile with three skills for each person.
pub async fn insert_profiles(
    state: &AppState,
    people: &[i64],
    now: NaiveDateTime,
) -> anyhow::Result<()> {
    let people = people.to_vec();
    state
        .db
        .write(move |c| {
            for (i, &id) in people.iter().enumerate() {
                let profile = DirectoryProfile {
                    department: DEPARTMENTS[i % DEPARTMENTS.len()].into(),
                    job_title: TITLES[i % TITLES.len()].into(),
                    location: LOCATIONS[i % LOCATIONS.len()].into(),
                    languages: "fr, en".into(),
                    ..DirectoryProfile::empty(id, now)
                };
                let skills: Vec<String> = (0..3)
                    .map(|k| SKILLS[(i * 7 + k * 5) % SKILLS.len()].to_string())
                    .collect();
                db::directory::save(c, &profile, Some(&skills))?;
            }
            Ok(())
        })
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}
