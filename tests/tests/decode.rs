//! Decoding of every fixture event: it lands in the view the spec gives its event type, and
//! encoding it again gives back JSON equal to the input.

use std::path::{Path, PathBuf};

use mongodb_atlas_events::models::{
    ActivityFeedLinkResponse, ApiError, EventTypeDetailsPage, GroupEventPage, OrgEventPage,
};
use mongodb_atlas_events::{Conformance, DisagreementKind, GroupEvent, OrgEvent};
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
                assert!(event.is_conforming(), "{file}: {event:?}");
                assert_eq!(event.spec_schema(), views[0], "{file}");
                assert_eq!(
                    event.event_type_name(),
                    json["eventTypeName"].as_str(),
                    "{file}"
                );
                assert_round_trip(&event, &json, file);
                events += 1;
            }
            ("event", "org") => {
                let event: OrgEvent = decode(&json, file);
                assert!(event.is_conforming(), "{file}: {event:?}");
                assert_eq!(event.spec_schema(), views[0], "{file}");
                assert_round_trip(&event, &json, file);
                events += 1;
            }
            ("page", "group") => {
                let page: GroupEventPage = decode(&json, file);
                let got: Vec<&str> = page
                    .results
                    .iter()
                    .flatten()
                    .map(GroupEvent::spec_schema)
                    .collect();
                assert_eq!(got, views, "{file}");
                assert_round_trip(&page, &json, file);
                events += got.len();
            }
            ("page", "org") => {
                let page: OrgEventPage = decode(&json, file);
                let got: Vec<&str> = page
                    .results
                    .iter()
                    .flatten()
                    .map(OrgEvent::spec_schema)
                    .collect();
                assert_eq!(got, views, "{file}");
                assert_round_trip(&page, &json, file);
                events += got.len();
            }
            ("api_error", _) => {
                let error: ApiError = decode(&json, file);
                assert_eq!(error.error.map(i64::from), json["error"].as_i64(), "{file}");
                assert_round_trip(&error, &json, file);
            }
            ("event_types", _) => {
                let page: EventTypeDetailsPage = decode(&json, file);
                assert!(page.disagreements().is_empty(), "{file}");
                assert_round_trip(&page, &json, file);
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

fn group_event(relative: &str) -> (GroupEvent, Value) {
    let json = read(relative);
    (decode(&json, relative), json)
}

#[test]
fn future_metric_names_decode_as_unknown_and_known_ones_carry_their_kind() {
    use mongodb_atlas_events::models::{HostMetricName, HostMetricNameKind, MetricUnits};
    let (event, _) = group_event("synthetic/group-HostMetricEvent-future-metric.json");
    let GroupEvent::HostMetricEvent(metric) = event else {
        panic!("not a host metric event: {event:?}")
    };
    let name = metric.metric_name.clone().unwrap();
    let HostMetricName::Unknown(unknown) = &name else {
        panic!("a future metric name decoded as a known one: {name:?}")
    };
    assert_eq!(unknown.as_str(), "FUTURE_METRIC_2027_QUANTUM_FLUX");
    assert_eq!(name.kind(), None);
    // The v1.0 server spelling RAW is a known unit, not Unknown.
    assert_eq!(
        metric.current_value.as_ref().unwrap().units,
        Some(MetricUnits::Raw)
    );

    assert_eq!(
        HostMetricName::from("CONNECTIONS").kind(),
        Some(HostMetricNameKind::Raw)
    );
    assert_eq!(
        HostMetricName::from("AVG_READ_EXECUTION_TIME").kind(),
        Some(HostMetricNameKind::Time)
    );
    // Spec and server spellings that differ only in case are both known, and encode as received.
    assert_eq!(MetricUnits::from("bytes"), MetricUnits::Bytes);
    assert_eq!(MetricUnits::from("BYTES"), MetricUnits::BytesV1);
    assert_eq!(MetricUnits::BytesV1.as_str(), "BYTES");
}

#[test]
fn integral_and_fractional_metric_values_keep_their_form() {
    for (file, text) in [
        ("synthetic/group-HostMetricEvent-integral-bytes.json", "5"),
        (
            "synthetic/group-HostMetricEvent-fractional-MB.json",
            "12.75",
        ),
    ] {
        let (event, json) = group_event(file);
        let GroupEvent::HostMetricEvent(metric) = &event else {
            panic!("{file}")
        };
        let number = metric
            .current_value
            .as_ref()
            .and_then(|v| v.number.clone())
            .unwrap();
        assert_eq!(number.to_string(), text, "{file}");
        assert_eq!(serde_json::to_value(&event).unwrap(), json, "{file}");
    }
}

#[test]
fn compressed_ipv6_remote_address_decodes_although_the_spec_pattern_rejects_it() {
    use mongodb_atlas_events::models::GroupUserEvent;
    let (event, _) = group_event("synthetic/group-remote-address-ipv6.json");
    assert_eq!(event.remote_address(), Some("2001:db8::1"));
    // The constraint stays available to callers, exactly as the spec gives it.
    assert!(GroupUserEvent::REMOTE_ADDRESS_PATTERN.contains("{1,4}:){7}"));
}

#[test]
fn null_optional_fields_read_as_none_and_encode_back_as_null() {
    let (event, json) = group_event("synthetic/group-ForNdsGroup-null-fields.json");
    let GroupEvent::ReplicaSetEvent(view) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(view.hostname, None);
    assert_eq!(view.extra.get("hostname"), Some(&Value::Null));
    assert_eq!(serde_json::to_value(&event).unwrap(), json);
}

#[test]
fn timestamps_are_real_instants_that_keep_their_text() {
    let (fraction, _) = group_event("synthetic/group-created-fractional-seconds.json");
    let (offset, _) = group_event("synthetic/group-created-offset.json");
    let (fraction, offset) = (fraction.created().unwrap(), offset.created().unwrap());
    assert_eq!(fraction.as_str(), "2026-01-02T03:04:05.123Z");
    assert_eq!(offset.as_str(), "2026-01-02T03:04:05+00:00");
    assert_eq!(fraction.to_offset_date_time().millisecond(), 123);
    assert!(offset < fraction);
}

#[test]
fn unknown_event_types_keep_every_field_and_unknown_fields_survive() {
    let (event, json) = group_event("synthetic/group-unknown-event-type.json");
    assert_eq!(event.spec_schema(), "DefaultEventViewForNdsGroup");
    let event_type = event.event_type().unwrap();
    assert!(!event_type.is_known());
    assert_eq!(event_type.as_str(), "FUTURE_EVENT_TYPE_2027");
    assert_eq!(event_type.category(), None);
    assert_eq!(serde_json::to_value(&event).unwrap(), json);

    let (event, json) = group_event("synthetic/group-extra-unknown-fields.json");
    let kept: Vec<&String> = json
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| event.extra().contains_key(*k))
        .collect();
    assert!(
        !kept.is_empty(),
        "the fixture's unknown top-level fields are kept in extra"
    );
    let raw = event.raw().unwrap();
    assert!(!raw.extra.is_empty(), "unknown fields inside raw are kept");
}

/// A field another view lists is, for the chosen view, an unknown field: whatever shape it has,
/// the event decodes and the field is kept as sent.
#[test]
fn fields_of_other_views_with_any_shape_are_kept_by_the_chosen_view() {
    let odd_fields = serde_json::json!({
        "reason": {"code": 7},
        "port": "27017",
        "hostname": {},
        "currentValue": 5,
        "metricName": 5,
        "violatedPolicies": [{"id": "p"}],
    });
    let (_, base) = group_event("synthetic/group-unknown-event-type.json");
    let (_, host_down) = group_event("synthetic/group-HostEventViewForNdsGroup.json");
    for (json, schema) in [
        (base, "DefaultEventViewForNdsGroup"),
        (host_down, "HostEventViewForNdsGroup"),
    ] {
        let mut json = json;
        let object = json.as_object_mut().unwrap();
        for (key, value) in odd_fields.as_object().unwrap() {
            // Only fields the chosen view does not list: its own fields keep their spec types.
            if schema == "HostEventViewForNdsGroup" && ["port", "hostname"].contains(&key.as_str())
            {
                continue;
            }
            object.insert(key.clone(), value.clone());
        }
        let event: GroupEvent = decode(&json, schema);
        assert_eq!(event.spec_schema(), schema);
        assert_eq!(event.extra().get("reason"), Some(&odd_fields["reason"]));
        assert_eq!(
            event.extra().get("metricName"),
            Some(&odd_fields["metricName"])
        );
        assert_round_trip(&event, &json, schema);
    }

    let org = serde_json::json!({
        "eventTypeName": "FUTURE_ORG_EVENT", "id": "32b6e34b3d91647abb20e7b8",
        "created": "2026-01-02T03:04:05Z", "teamId": 5, "targetUsername": ["a"],
    });
    let event: OrgEvent = decode(&org, "org event with odd fields");
    assert_eq!(event.extra().get("teamId"), Some(&Value::from(5)));
    assert_round_trip(&event, &org, "org event with odd fields");

    // A field the chosen view lists with another type reads as absent, is kept as sent, and is
    // reported at its pointer.
    let mut json = read("synthetic/group-HostEventViewForNdsGroup.json");
    json["port"] = Value::String("27017".to_string());
    let event: GroupEvent = decode(&json, "port as a string");
    let GroupEvent::HostEvent(host) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(host.port, None);
    assert_eq!(host.extra["port"], "27017");
    let found = event.disagreements();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].pointer.as_str(), found[0].kind),
        ("/port", DisagreementKind::Type)
    );
    assert_eq!(found[0].expected, "integer (int32)");
    assert_round_trip(&event, &json, "port as a string");
}

/// An optional field that arrived as `null` and is set afterwards is written with its new value,
/// once; a key that repeats keeps its last value, as `serde_json::Value` does.
#[test]
fn a_null_field_set_later_is_written_once_with_its_value() {
    let (event, _) = group_event("synthetic/group-ForNdsGroup-null-fields.json");
    let GroupEvent::ReplicaSetEvent(mut view) = event else {
        panic!("not a replica set event")
    };
    view.hostname = Some("db-0.example.net".to_string());
    let text = serde_json::to_string(&view).unwrap();
    assert_eq!(text.matches("\"hostname\"").count(), 1, "{text}");
    let encoded: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(encoded["hostname"], "db-0.example.net");

    for (text, last) in [
        (
            r#"{"eventTypeName":"FUTURE_X","id":"a","created":"2026-01-02T03:04:05Z","userId":null,"userId":"u1"}"#,
            Value::from("u1"),
        ),
        (
            r#"{"eventTypeName":"FUTURE_X","id":"a","created":"2026-01-02T03:04:05Z","userId":"u1","userId":null}"#,
            Value::Null,
        ),
    ] {
        let event: GroupEvent = serde_json::from_str(text).unwrap();
        let reread: Value = serde_json::from_str(text).unwrap();
        assert_eq!(reread["userId"], last);
        let encoded = serde_json::to_string(&event).unwrap();
        assert_eq!(encoded.matches("\"userId\"").count(), 1, "{encoded}");
        assert_eq!(serde_json::from_str::<Value>(&encoded).unwrap(), reread);
    }
}

#[test]
fn names_in_two_views_go_to_the_specific_view_and_categories_come_from_titles() {
    use mongodb_atlas_events::models::GroupEventType;
    assert_eq!(
        GroupEvent::view_for("STREAM_PROCESSOR_CREATED"),
        "StreamProcessorEventViewForNdsGroup"
    );
    assert_eq!(
        GroupEvent::view_for("SEARCH_DEPLOYMENT_CREATED"),
        "SearchDeploymentAuditView"
    );
    assert_eq!(
        GroupEvent::view_for("CPS_SNAPSHOT_SUCCESSFUL"),
        "DefaultEventViewForNdsGroup"
    );
    assert_eq!(
        GroupEvent::view_for("NOT_A_TYPE_YET"),
        "DefaultEventViewForNdsGroup"
    );
    assert_eq!(
        OrgEvent::view_for("NOT_A_TYPE_YET"),
        "DefaultEventViewForOrg"
    );

    assert_eq!(GroupEventType::KNOWN.len(), 710);
    assert_eq!(mongodb_atlas_events::models::OrgEventType::KNOWN.len(), 298);
    // Categories come from the titles (tests/tests/categories.rs checks them all).
    let category = |value: GroupEventType| value.category().map(|c| c.title());
    assert_eq!(category(GroupEventType::HostDown), Some("Host Event Types"));
    assert_eq!(
        category(GroupEventType::AlertAcknowledgedAudit),
        Some("Alert Audit Types")
    );
    // Upstream titles the alert-config names "Alert Audit Types" too; the fixup renames that branch.
    assert_eq!(
        category(GroupEventType::AlertConfigAddedAudit),
        Some("Alert Config Audit Types")
    );
    for value in GroupEventType::KNOWN {
        assert_eq!(&GroupEventType::from(value.as_str()), value);
        assert!(value.category().is_some(), "{value} has no category");
    }
}

/// A body that disagrees with the spec decodes, and says which field disagreed and why; only a
/// body that is not JSON, or an event that is not an object, is an error.
#[test]
fn a_bad_body_decodes_and_names_the_failing_field() {
    let mut page = read("synthetic/group-page-mixed.json");
    let before: GroupEventPage = decode(&page, "mixed page");
    // The fixture's two names newer than the spec are its only disagreements.
    let before: Vec<(String, DisagreementKind)> = before
        .disagreements()
        .into_iter()
        .map(|d| (d.pointer, d.kind))
        .collect();
    assert_eq!(
        before,
        [
            (
                "/results/27/metricName".to_string(),
                DisagreementKind::NotListed
            ),
            (
                "/results/34/eventTypeName".to_string(),
                DisagreementKind::NotListed
            ),
        ]
    );
    page["results"][3]["created"] = Value::String("yesterday".to_string());
    let decoded: GroupEventPage = decode(&page, "created: yesterday");
    let results = decoded.results.as_deref().unwrap();
    assert_eq!(results.len(), page["results"].as_array().unwrap().len());
    assert!(!results[3].is_conforming());
    let found: Vec<_> = decoded
        .disagreements()
        .into_iter()
        .filter(|d| d.pointer.starts_with("/results/3/"))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].pointer, "/results/3/created");
    assert_eq!(found[0].kind, DisagreementKind::Format);
    assert_eq!(found[0].found, "string \"yesterday\"");
    assert_eq!(
        found[0].to_string(),
        format!(
            "/results/3/created ({}.created): format: expected string (RFC 3339 date-time), found string \"yesterday\"",
            results[3].spec_schema()
        )
    );
    assert_round_trip(&decoded, &page, "created: yesterday");

    // A field only some views list is typed once the view is chosen; what does not fit is kept
    // inside the nested object and reported at its full pointer.
    let mut event = read("synthetic/group-HostMetricEvent.json");
    event["currentValue"]["number"] = Value::String("five".to_string());
    let page = serde_json::json!({"results": [event], "totalCount": 1});
    let decoded: GroupEventPage = decode(&page, "number: five");
    let found = decoded.disagreements();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].pointer, "/results/0/currentValue/number");
    assert_eq!(found[0].schema, "HostMetricValue");
    assert_eq!(found[0].kind, DisagreementKind::Type);
    assert_round_trip(&decoded, &page, "number: five");

    // Not an object where an event must be: an error that says where.
    let page = serde_json::json!({"results": [event, "not an event"], "totalCount": 2});
    let text = page.to_string();
    let mut de = serde_json::Deserializer::from_str(&text);
    let error = serde_path_to_error::deserialize::<_, GroupEventPage>(&mut de).unwrap_err();
    assert_eq!(error.path().to_string(), "results[1]");
    assert!(
        error.inner().to_string().contains("expected an object"),
        "{error}"
    );
}

/// Every example the subset document carries: the error responses' bodies, and for each view an
/// event assembled from its properties' examples.
#[test]
fn every_example_in_the_subset_document_decodes() {
    let subset: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/events-subset.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let responses = subset["components"]["responses"].as_object().unwrap();
    let mut errors = 0;
    for (name, response) in responses {
        if let Some(example) = response.pointer("/content/application~1json/example") {
            let error: ApiError = decode(example, name);
            assert_eq!(serde_json::to_value(&error).unwrap(), *example, "{name}");
            errors += 1;
        }
    }
    assert!(errors >= 5, "only {errors} error examples");

    let schemas = &subset["components"]["schemas"];
    let resolve = |schema: &Value| -> Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                schemas[reference.trim_start_matches("#/components/schemas/")].clone()
            }
            None => schema.clone(),
        }
    };
    let mut views = 0;
    for (union, is_group) in [("EventViewForNdsGroup", true), ("EventViewForOrg", false)] {
        for branch in schemas[union]["oneOf"].as_array().unwrap() {
            let name = branch["$ref"]
                .as_str()
                .unwrap()
                .trim_start_matches("#/components/schemas/");
            let view = &schemas[name];
            let mut event = serde_json::Map::new();
            for (property, schema) in view["properties"].as_object().unwrap() {
                let schema = resolve(schema);
                if let Some(example) = schema.get("example") {
                    event.insert(property.clone(), example.clone());
                }
            }
            let type_schema = resolve(&view["properties"]["eventTypeName"]);
            let first = type_schema["enum"]
                .get(0)
                .or_else(|| type_schema.pointer("/oneOf/0/enum/0"))
                .cloned();
            let event_type = type_schema.get("example").cloned().or(first).unwrap();
            event.insert("eventTypeName".into(), event_type.clone());
            event
                .entry("created")
                .or_insert_with(|| Value::from("2026-01-02T03:04:05Z"));
            event
                .entry("id")
                .or_insert_with(|| Value::from("32b6e34b3d91647abb20e7b8"));
            let json = Value::Object(event);
            let (schema, encoded) = if is_group {
                let e: GroupEvent = decode(&json, name);
                (e.spec_schema(), serde_json::to_value(&e).unwrap())
            } else {
                let e: OrgEvent = decode(&json, name);
                (e.spec_schema(), serde_json::to_value(&e).unwrap())
            };
            assert_eq!(schema, name, "the example of {name} must decode as {name}");
            assert_eq!(encoded, json, "{name}");
            views += 1;
        }
    }
    assert_eq!(views, 27 + 12);
}

/// Real Atlas error bodies carry `parameters` as strings where the spec says objects: the body
/// still decodes, keeps its code, and reports the disagreement.
#[test]
fn a_real_error_body_with_string_parameters_keeps_its_code() {
    let text = r#"{"detail":"No cluster named cluster-989 exists in group b0123456789abcdef012345b.","error":404,"errorCode":"CLUSTER_NOT_FOUND","parameters":["cluster-989","b0123456789abcdef012345b"],"reason":"Not Found"}"#;
    let error: ApiError = serde_json::from_str(text).unwrap();
    assert_eq!(error.error_code.as_deref(), Some("CLUSTER_NOT_FOUND"));
    assert_eq!(error.error, Some(404));
    assert_eq!(error.parameters, None);
    assert_eq!(
        error.extra["parameters"],
        serde_json::json!(["cluster-989", "b0123456789abcdef012345b"])
    );
    let found: Vec<(String, DisagreementKind)> = error
        .disagreements()
        .into_iter()
        .map(|d| (d.pointer, d.kind))
        .collect();
    assert_eq!(
        found,
        [
            ("/parameters/0".to_string(), DisagreementKind::Type),
            ("/parameters/1".to_string(), DisagreementKind::Type),
        ]
    );
    assert_round_trip(
        &error,
        &serde_json::from_str(text).unwrap(),
        "real error body",
    );
}

/// `Unknown` holds an opaque `UnknownValue`, made only from text the enum does not know: every
/// way to read a known name (`From`, `FromStr`, serde) gives its variant, and an unknown name
/// keeps its text through `as_str()`, `Display`, serde and back through `From`. (That
/// `Unknown` cannot be built by hand, say from a known name, is a `compile_fail` doctest on
/// `UnknownValue`.)
#[test]
fn known_names_are_never_unknown_and_unknown_names_round_trip() {
    use mongodb_atlas_events::UnknownValue;
    use mongodb_atlas_events::models::GroupEventType;

    assert_eq!(
        GroupEventType::from("CLUSTER_CREATED"),
        GroupEventType::ClusterCreated
    );
    assert_eq!(
        GroupEventType::from("CLUSTER_CREATED".to_string()),
        GroupEventType::ClusterCreated
    );
    assert_eq!(
        "CLUSTER_CREATED".parse::<GroupEventType>(),
        Ok(GroupEventType::ClusterCreated)
    );
    let decoded: GroupEventType = serde_json::from_str(r#""CLUSTER_CREATED""#).unwrap();
    assert_eq!(decoded, GroupEventType::ClusterCreated);
    assert!(
        GroupEventType::KNOWN
            .iter()
            .all(|known| GroupEventType::from(known.as_str()) == *known && known.is_known())
    );

    let text = "CLUSTER_RENAMED_IN_2030";
    let future: GroupEventType = serde_json::from_str(&format!("\"{text}\"")).unwrap();
    assert!(!future.is_known());
    let GroupEventType::Unknown(value) = &future else {
        panic!("{text} decoded as a known name: {future:?}")
    };
    let value: &UnknownValue = value;
    assert_eq!(value.as_str(), text);
    assert_eq!(value.to_string(), text);
    assert_eq!(future.as_str(), text);
    assert_eq!(GroupEventType::from(value.as_str()), future);
    assert_eq!(GroupEventType::from(text.to_string()), future);
    assert_eq!(
        serde_json::to_string(&future).unwrap(),
        format!("\"{text}\"")
    );
    assert_ne!(future, GroupEventType::ClusterCreated);
}

#[test]
fn list_accessors_lend_slices_of_every_view_and_of_non_conforming_events() {
    let json = serde_json::json!({"id": "32b6e34b3d91647abb20e7b8", "created": "2026-01-02T03:04:05Z",
        "eventTypeName": "CLUSTER_CREATED", "groupId": "32b6e34b3d91647abb20e7b8",
        "links": [{"href": "https://cloud.mongodb.com/api/atlas/v2/x", "rel": "self"}]});
    let event: GroupEvent = decode(&json, "event with links");
    let links: Option<&[mongodb_atlas_events::models::Link]> = event.links();
    assert_eq!(links.map(<[_]>::len), Some(1));
    let mut without_id = json.clone();
    without_id.as_object_mut().unwrap().remove("id");
    let event: GroupEvent = decode(&without_id, "non-conforming event with links");
    assert!(!event.is_conforming());
    assert_eq!(event.links().map(<[_]>::len), Some(1));
}
