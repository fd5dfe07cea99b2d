//! Decoding of every fixture event: it lands in the view the spec gives its event type, and
//! encoding it again gives back JSON equal to the input.

use std::path::{Path, PathBuf};

use mongodb_atlas_events::models::{
    ActivityFeedLinkResponse, ApiError, GroupEventPage, OrgEventPage,
};
use mongodb_atlas_events::{GroupEvent, OrgEvent};
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/events")
}

fn read(relative: &str) -> Value {
    let text = std::fs::read_to_string(fixtures().join(relative)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Decodes `json` as `T`, with the failing field path in the panic message.
fn decode<T: serde::de::DeserializeOwned>(json: &Value, what: &str) -> T {
    let text = json.to_string();
    let mut de = serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(&mut de)
        .unwrap_or_else(|e| panic!("{what}: {} at {}", e.inner(), e.path()))
}

fn assert_round_trip<T: serde::Serialize>(value: &T, original: &Value, what: &str) {
    let encoded = serde_json::to_value(value).unwrap();
    assert_eq!(
        &encoded, original,
        "{what}: encoding the decoded value changed the JSON"
    );
}

#[test]
fn every_fixture_lands_in_its_view_and_round_trips() {
    let expected = read("expected.json");
    let files = expected["files"].as_object().unwrap();
    assert!(files.len() > 90, "fixture list is unexpectedly short");
    let mut events = 0;
    for (file, expect) in files {
        let json = read(file);
        let scope = expect["scope"].as_str().unwrap();
        let views: Vec<&str> = expect["views"]
            .as_array()
            .map(|v| v.iter().map(|x| x.as_str().unwrap()).collect())
            .unwrap_or_default();
        match (expect["kind"].as_str().unwrap(), scope) {
            ("event", "group") => {
                let event: GroupEvent = decode(&json, file);
                assert_eq!(event.spec_schema(), views[0], "{file}");
                assert_eq!(
                    event.event_type_name(),
                    json["eventTypeName"].as_str().unwrap(),
                    "{file}"
                );
                assert_round_trip(&event, &json, file);
                events += 1;
            }
            ("event", "org") => {
                let event: OrgEvent = decode(&json, file);
                assert_eq!(event.spec_schema(), views[0], "{file}");
                assert_round_trip(&event, &json, file);
                events += 1;
            }
            ("page", "group") => {
                let page: GroupEventPage = decode(&json, file);
                let got: Vec<&str> = page.results.iter().map(GroupEvent::spec_schema).collect();
                assert_eq!(got, views, "{file}");
                assert_round_trip(&page, &json, file);
                events += got.len();
            }
            ("page", "org") => {
                let page: OrgEventPage = decode(&json, file);
                let got: Vec<&str> = page.results.iter().map(OrgEvent::spec_schema).collect();
                assert_eq!(got, views, "{file}");
                assert_round_trip(&page, &json, file);
                events += got.len();
            }
            ("api_error", _) => {
                let error: ApiError = decode(&json, file);
                assert_eq!(
                    i64::from(error.error),
                    json["error"].as_i64().unwrap(),
                    "{file}"
                );
                assert_round_trip(&error, &json, file);
            }
            ("activity_feed_link", _) => {
                let link: ActivityFeedLinkResponse = decode(&json, file);
                assert_round_trip(&link, &json, file);
            }
            (kind, scope) => panic!("{file}: unexpected kind {kind} / scope {scope}"),
        }
    }
    assert!(events >= 140, "only {events} events decoded");
}
