//! Deterministic event pages built from `tests/fixtures/events/synthetic/*.json`.

use serde_json::{Value, json};
use std::path::PathBuf;

/// `group` (project events, `EventViewForNdsGroup`) or `org` (`EventViewForOrg`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Group,
    Org,
}

impl Scope {
    pub fn name(self) -> &'static str {
        match self {
            Scope::Group => "group",
            Scope::Org => "org",
        }
    }

    /// The view an unknown event type decodes as.
    pub fn default_view(self) -> &'static str {
        match self {
            Scope::Group => "DefaultEventViewForNdsGroup",
            Scope::Org => "DefaultEventViewForOrg",
        }
    }
}

/// One event of a page and the view `expected.json` says it decodes as.
#[derive(Clone, Debug)]
pub struct BenchEvent {
    pub template: String,
    pub expected_view: String,
    pub event: Value,
}

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/events")
}

/// Every single-event synthetic fixture of `scope`, sorted by file name, with its expected view.
pub fn templates(scope: Scope) -> Vec<BenchEvent> {
    let dir = fixtures_dir();
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json")).expect("read expected.json"),
    )
    .expect("parse expected.json");
    let prefix = format!("{}-", scope.name());
    let mut names: Vec<String> = std::fs::read_dir(dir.join("synthetic"))
        .expect("read synthetic/")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.starts_with(&prefix) && n.ends_with(".json") && !n.contains("page-mixed"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let key = format!("synthetic/{name}");
            let view = expected["files"][&key]["views"][0]
                .as_str()
                .unwrap_or_else(|| panic!("no expected view for {key}"))
                .to_owned();
            let text = std::fs::read_to_string(dir.join("synthetic").join(&name)).expect("read");
            BenchEvent {
                template: name,
                expected_view: view,
                event: serde_json::from_str(&text).expect("parse fixture"),
            }
        })
        .collect()
}

/// `n` events cycling through every template of `scope`, with distinct ids and timestamps;
/// every 10th event gets an event type the spec does not list (expected: the Default view)
/// and every 7th gets extra fields the spec does not list. Deterministic.
pub fn events(scope: Scope, n: usize) -> Vec<BenchEvent> {
    let templates = templates(scope);
    (0..n)
        .map(|i| {
            let mut e = templates[i % templates.len()].clone();
            let obj = e.event.as_object_mut().expect("event is an object");
            let old_id = obj["id"].as_str().expect("id").to_owned();
            let new_id = format!(
                "{:024x}",
                0x6a1b_0000_0000_0000_0000_0000_u128 + i as u128 * 7919
            );
            let secs = 3600 + i as u64 * 37;
            let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
            let original = obj["created"].as_str().expect("created").to_owned();
            let suffix = if original.ends_with("+00:00") {
                "+00:00".to_owned()
            } else if original.contains('.') {
                format!(".{:03}Z", i % 1000)
            } else {
                "Z".to_owned()
            };
            let created = format!("2026-03-01T{h:02}:{m:02}:{s:02}{suffix}");
            obj.insert("id".into(), json!(new_id));
            obj.insert("created".into(), json!(created));
            if let Some(Value::Object(raw)) = obj.get_mut("raw") {
                if raw.contains_key("cre") {
                    raw.insert("cre".into(), json!(created));
                }
                if raw.contains_key("id") {
                    raw.insert("id".into(), json!(new_id));
                }
            }
            if let Some(Value::Array(links)) = obj.get_mut("links") {
                for link in links {
                    if let Some(Value::String(href)) = link.get_mut("href") {
                        *href = href.replace(&old_id, &new_id);
                    }
                }
            }
            if i % 10 == 3 {
                obj.insert(
                    "eventTypeName".into(),
                    json!(format!("FUTURE_EVENT_TYPE_{}", 2027 + i % 5)),
                );
                e.expected_view = scope.default_view().to_owned();
            }
            if i % 7 == 5 {
                obj.insert(
                    "benchExtra".into(),
                    json!({"seq": i, "tags": ["a", "b"], "nested": {"x": 1.5, "y": null}}),
                );
                obj.insert("benchFlag".into(), json!(i % 2 == 0));
            }
            e
        })
        .collect()
}

/// The same events with one in ten broken the ways servers break the spec: a required field
/// missing, a timestamp that is not RFC 3339, a field of another type. Every one still decodes
/// (as a non-conforming event, or with the field kept in `extra`).
pub fn non_conforming(events: &[BenchEvent]) -> Vec<BenchEvent> {
    events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut e = e.clone();
            break_one_in_ten(i, &mut e.event);
            e
        })
        .collect()
}

/// [`non_conforming`] for plain events (the generated corpus).
pub fn non_conforming_events(events: &[Value]) -> Vec<Value> {
    events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut e = e.clone();
            break_one_in_ten(i, &mut e);
            e
        })
        .collect()
}

/// Breaks the `i`-th event when `i % 10 == 7`, in turn by each of the three ways.
fn break_one_in_ten(i: usize, event: &mut Value) {
    if i % 10 != 7 {
        return;
    }
    let obj = event.as_object_mut().expect("event is an object");
    match (i / 10) % 3 {
        0 => {
            obj.remove("id");
        }
        1 => {
            obj.insert("created".into(), json!("2026-03-01 10:00:00"));
        }
        _ => {
            obj.insert("groupId".into(), json!({"id": 7}));
        }
    }
}

/// A page (`links`, `results`, `totalCount`) as compact JSON, as the API sends it.
pub fn page_json(scope: Scope, events: &[BenchEvent]) -> String {
    let results: Vec<&Value> = events.iter().map(|e| &e.event).collect();
    serde_json::to_string(&json!({
        "links": [{
            "href": format!("https://cloud.mongodb.com/api/atlas/v2/{}/events?pageNum=1", scope_path(scope)),
            "rel": "self"
        }],
        "results": results,
        "totalCount": events.len() * 3,
    }))
    .expect("encode page")
}

fn scope_path(scope: Scope) -> &'static str {
    match scope {
        Scope::Group => "groups/5f2a9c1e7b3d4a6e8c0b1d2f",
        Scope::Org => "orgs/5e8d7c6b5a4f3e2d1c0b9a87",
    }
}

/// Page `page_num` of a list of `total` events holding `results`, with its `self` link and,
/// unless it is the last, its `next` link, as compact JSON.
pub fn page_of(scope: Scope, results: &[&Value], page_num: usize, total: usize) -> String {
    let path = scope_path(scope);
    let link = |rel: &str, num: usize| {
        json!({
            "href": format!("https://cloud.mongodb.com/api/atlas/v2/{path}/events?pageNum={num}&itemsPerPage=500"),
            "rel": rel
        })
    };
    let mut links = vec![link("self", page_num)];
    if page_num * 500 < total {
        links.push(link("next", page_num + 1));
    }
    serde_json::to_string(&json!({
        "links": links,
        "results": results,
        "totalCount": total,
    }))
    .expect("encode page")
}

/// Lower-case alphanumerics only, so `FTSIndexAuditView` and progenitor's `FtsIndexAuditView`
/// compare equal.
pub fn normalize_view(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}
