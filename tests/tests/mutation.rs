//! The server is not the spec: systematic mutation of every fixture (events of every view of
//! both unions, pages, error bodies, event-type details, the activity feed link). For each field
//! of each fixture, at every depth: delete it, set it to `null`, give it a value of each other
//! JSON type, and where the spec declares one, break its format, enum or pattern. Every mutant
//! must decode, encode back to exactly the mutated JSON, land in the view its `eventTypeName`
//! selects (or be non-conforming when a field that view requires broke), and report exactly the
//! mutated pointer, with the kind the spec implies, on top of what the fixture already reported.
//!
//! The expected report comes from the subset document (`spec/events-subset.json`), read here
//! independently of the generator, so the test can disagree with the crate.

use std::collections::BTreeSet;
use std::path::Path;

use mongodb_atlas_events::models::{
    ActivityFeedLinkResponse, ApiError, EventTypeDetailsPage, GroupEventPage, OrgEventPage,
};
use mongodb_atlas_events::{Conformance, DisagreementKind, GroupEvent, OrgEvent};
use serde_json::{Value, json};

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/events")
}

/// The spec, as the subset document says it: the oracle of what each mutant must report.
struct Spec {
    schemas: Value,
}

impl Spec {
    fn load() -> Spec {
        let subset =
            read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/events-subset.json"));
        Spec {
            schemas: subset["components"]["schemas"].clone(),
        }
    }

    fn resolve<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            schema = &self.schemas[reference.trim_start_matches("#/components/schemas/")];
        }
        schema
    }

    fn named(&self, name: &str) -> &Value {
        &self.schemas[name]
    }

    /// The JSON type the schema declares: `None` for any value.
    fn json_type<'a>(&'a self, schema: &'a Value) -> Option<&'a str> {
        let schema = self.resolve(schema);
        // A oneOf of string enums (the event type names) is a string, even where upstream
        // also says `type: object` beside it (`DefaultEventViewForOrg.eventTypeName`).
        if let Some(branches) = schema.get("oneOf").and_then(Value::as_array) {
            return branches
                .iter()
                .all(|b| self.resolve(b).get("type").and_then(Value::as_str) == Some("string"))
                .then_some("string");
        }
        if let Some(ty) = schema.get("type").and_then(Value::as_str) {
            return Some(ty);
        }
        schema.get("properties").map(|_| "object")
    }

    fn accepts(&self, schema: &Value, value: &Value) -> bool {
        match self.json_type(schema) {
            None => true,
            Some("string") => value.is_string(),
            Some("integer") => value.is_i64() || value.is_u64(),
            Some("number") => value.is_number(),
            Some("boolean") => value.is_boolean(),
            Some("array") => value.is_array(),
            Some("object") => value.is_object(),
            Some(other) => panic!("unexpected type {other}"),
        }
    }

    fn is_enum(&self, schema: &Value) -> bool {
        let schema = self.resolve(schema);
        schema.get("enum").is_some() || schema.get("oneOf").is_some()
    }

    /// What a string that is no date, no listed value, no email and matches no pattern breaks
    /// when it stands where this schema is.
    fn string_disagreement(&self, schema: &Value) -> Option<DisagreementKind> {
        let resolved = self.resolve(schema);
        if resolved["format"] == "date-time" || resolved["format"] == "email" {
            Some(DisagreementKind::Format)
        } else if self.is_enum(schema) {
            Some(DisagreementKind::NotListed)
        } else {
            // Patterns with look-around cannot be checked (the `regex` crate has none).
            resolved["pattern"]
                .as_str()
                .filter(|p| !p.contains("(?"))
                .map(|_| DisagreementKind::Pattern)
        }
    }

    /// The object schema of a property's value, when it is one with properties.
    fn object<'a>(&'a self, schema: &'a Value) -> Option<&'a Value> {
        let schema = self.resolve(schema);
        schema.get("properties").is_some().then_some(schema)
    }
}

/// One mutated document and what it must report.
struct Mutant {
    what: String,
    json: Value,
    pointer: String,
    /// The disagreement the mutated field must report, if the mutation breaks the spec.
    expect: Option<DisagreementKind>,
    /// Whether the mutation broke a field the event's view requires (top level of an event).
    breaks_view: bool,
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Every mutant of the object at `pointer` in `doc`, whose schema is `schema`; `view_level`
/// says that this object is an event, whose required fields decide its view.
fn mutate(
    spec: &Spec,
    doc: &Value,
    pointer: &str,
    schema: &Value,
    view_level: bool,
    out: &mut Vec<Mutant>,
) {
    let object = doc.pointer(pointer).unwrap().as_object().unwrap().clone();
    let required: BTreeSet<&str> = schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let properties = schema["properties"].as_object().unwrap();
    for (key, value) in &object {
        let Some(property) = properties.get(key) else {
            continue; // a field the spec does not list: any value is allowed
        };
        let at = format!("{pointer}/{}", escape(key));
        let is_required = required.contains(key.as_str());
        let resolved = spec.resolve(property);
        let nullable = resolved["nullable"] == true || property["nullable"] == true;
        let mut push = |what: String, new: Option<Value>, expect: Option<DisagreementKind>| {
            let mut json = doc.clone();
            let target = json.pointer_mut(pointer).unwrap().as_object_mut().unwrap();
            match new {
                Some(new) => target.insert(key.clone(), new),
                None => target.remove(key),
            };
            out.push(Mutant {
                what: format!("{at}: {what}"),
                json,
                pointer: at.clone(),
                // An unlisted name or a broken pattern still has the field's Rust type.
                breaks_view: view_level
                    && is_required
                    && expect.is_some_and(|kind| {
                        !matches!(
                            kind,
                            DisagreementKind::NotListed | DisagreementKind::Pattern
                        )
                    }),
                expect,
            });
        };
        push(
            "deleted".into(),
            None,
            is_required.then_some(DisagreementKind::Missing),
        );
        if !value.is_null() {
            push(
                "null".into(),
                Some(Value::Null),
                (!nullable).then_some(DisagreementKind::Null),
            );
        }
        for other in [
            json!(true),
            json!(12345),
            json!(1.5),
            // Breaks every format, enum and pattern the subset declares on a string.
            json!("mutant value!"),
            json!([1]),
            json!({"m": 1}),
        ] {
            if std::mem::discriminant(&other) == std::mem::discriminant(value)
                && !(value.is_number() && other == json!(1.5))
            {
                continue;
            }
            let expect = if !spec.accepts(property, &other) {
                Some(DisagreementKind::Type)
            } else if other.is_string() {
                spec.string_disagreement(property)
            } else {
                None
            };
            push(format!("{other}"), Some(other), expect);
        }
        if value.is_string()
            && let Some(kind) = spec.string_disagreement(property)
        {
            push(
                "breaks its format, enum or pattern".into(),
                Some(json!("mutant value!")),
                Some(kind),
            );
        }
        if let Some(minimum) = resolved["minimum"].as_i64() {
            push(
                "below the minimum".into(),
                Some(json!(minimum - 1)),
                Some(DisagreementKind::Range),
            );
        }
        if let Some(max) = resolved["maxLength"].as_u64() {
            push(
                "too long".into(),
                Some(json!("x".repeat(max as usize + 1))),
                Some(DisagreementKind::Range),
            );
        }
        if resolved["minLength"].as_u64().is_some_and(|min| min > 0) {
            push(
                "too short".into(),
                Some(json!("")),
                Some(DisagreementKind::Range),
            );
        }
        if resolved["format"] == "int32" {
            push(
                "beyond int32".into(),
                Some(json!(1_099_511_627_776_i64)),
                Some(DisagreementKind::Format),
            );
        }
        // Deeper: objects with a schema, and the objects in arrays (the first two items).
        if let Some(nested) = spec.object(property) {
            if value.is_object() {
                mutate(spec, doc, &at, nested, false, out);
            }
        } else if let (Some(items), Value::Array(values)) = (resolved.get("items"), value)
            && let Some(nested) = spec.object(items)
        {
            for (index, item) in values.iter().enumerate().take(2) {
                if item.is_object() {
                    mutate(spec, doc, &format!("{at}/{index}"), nested, false, out);
                }
            }
        }
    }
}

/// What a decoded document says: its disagreements, its JSON, and for an event its view and
/// whether it conformed.
struct Decoded {
    found: BTreeSet<(String, DisagreementKind)>,
    encoded: Value,
    view: Option<(&'static str, bool)>,
}

fn decode_as(kind: &str, scope: &str, json: &Value) -> Decoded {
    fn run<T>(json: &Value, view: impl Fn(&T) -> Option<(&'static str, bool)>) -> Decoded
    where
        T: serde::de::DeserializeOwned + serde::Serialize + Conformance,
    {
        let text = json.to_string();
        let value: T = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("a mutant failed to decode: {e}\n{text}"));
        Decoded {
            found: value
                .disagreements()
                .into_iter()
                .map(|d| (d.pointer, d.kind))
                .collect(),
            encoded: serde_json::to_value(&value).unwrap(),
            view: view(&value),
        }
    }
    match (kind, scope) {
        ("event", "group") => run(json, |e: &GroupEvent| {
            Some((e.spec_schema(), e.is_conforming()))
        }),
        ("event", "org") => run(json, |e: &OrgEvent| {
            Some((e.spec_schema(), e.is_conforming()))
        }),
        ("page", "group") => run(json, |_: &GroupEventPage| None),
        ("page", "org") => run(json, |_: &OrgEventPage| None),
        ("api_error", _) => run(json, |_: &ApiError| None),
        ("event_types", _) => run(json, |_: &EventTypeDetailsPage| None),
        ("activity_feed_link", _) => run(json, |_: &ActivityFeedLinkResponse| None),
        other => panic!("unexpected fixture kind {other:?}"),
    }
}

fn top_schema(kind: &str, scope: &str, view: Option<(&str, bool)>) -> String {
    match (kind, scope) {
        ("event", _) => view.unwrap().0.to_string(),
        ("page", "group") => "GroupPaginatedEventView".into(),
        ("page", "org") => "OrgPaginatedEventView".into(),
        ("api_error", _) => "ApiError".into(),
        ("event_types", _) => "PaginatedEventTypeDetailsResponse".into(),
        ("activity_feed_link", _) => "ActivityFeedLinkResponse".into(),
        other => panic!("unexpected fixture kind {other:?}"),
    }
}

#[test]
fn every_mutant_of_every_fixture_decodes_round_trips_and_reports_its_pointer() {
    let spec = Spec::load();
    let expected = read(&fixtures().join("expected.json"));
    let mut mutants_checked = 0;
    let mut kinds_seen = BTreeSet::new();
    let mut schemas_seen = BTreeSet::new();
    for (file, entry) in expected["files"].as_object().unwrap() {
        let (kind, scope) = (
            entry["kind"].as_str().unwrap(),
            entry["scope"].as_str().unwrap(),
        );
        let doc = read(&fixtures().join(file));
        let baseline = decode_as(kind, scope, &doc);
        assert_eq!(baseline.encoded, doc, "{file}: the fixture round-trips");
        if let Some((_, conforming)) = baseline.view {
            assert!(conforming, "{file}: the fixture itself conforms");
        }
        let schema_name = top_schema(kind, scope, baseline.view);
        schemas_seen.insert(schema_name.clone());
        let schema = spec.named(&schema_name);
        let mut mutants = Vec::new();
        mutate(&spec, &doc, "", schema, kind == "event", &mut mutants);
        assert!(!mutants.is_empty(), "{file}: nothing to mutate");
        for mutant in mutants {
            let what = format!("{file} {}", mutant.what);
            let got = decode_as(kind, scope, &mutant.json);
            assert_eq!(
                got.encoded, mutant.json,
                "{what}: re-encoding changed the JSON"
            );

            let selector = mutant.pointer == "/eventTypeName";
            if let Some((view, conforming)) = got.view {
                let original = baseline.view.unwrap().0;
                if !selector {
                    assert_eq!(view, original, "{what}: routed to another view");
                }
                assert_eq!(
                    conforming, !mutant.breaks_view,
                    "{what}: conforming should be {} (expected report {:?}, got {:?})",
                    !mutant.breaks_view, mutant.expect, got.found
                );
            }
            let reported =
                |kind: DisagreementKind| got.found.contains(&(mutant.pointer.clone(), kind));
            match mutant.expect {
                Some(kind) => {
                    assert!(
                        reported(kind),
                        "{what}: {kind:?} not reported: {:?}",
                        got.found
                    );
                    kinds_seen.insert(kind);
                }
                None => assert!(
                    !got.found.iter().any(|(p, _)| *p == mutant.pointer),
                    "{what}: reported though the spec allows it: {:?}",
                    got.found
                ),
            }
            // Nothing else moved: the fixture's own reports, less those inside the mutated
            // field, plus the one expected. (A new event type name re-routes the event, so its
            // other reports are the new view's.)
            if !selector {
                let inside =
                    |p: &str| p == mutant.pointer || p.starts_with(&format!("{}/", mutant.pointer));
                let mut want: BTreeSet<(String, DisagreementKind)> = baseline
                    .found
                    .iter()
                    .filter(|(p, _)| !inside(p))
                    .cloned()
                    .collect();
                if let Some(kind) = mutant.expect {
                    want.insert((mutant.pointer.clone(), kind));
                }
                assert_eq!(got.found, want, "{what}");
            }
            mutants_checked += 1;
        }
    }
    // Every kind of disagreement occurred, on every kind of document and every view.
    assert_eq!(
        kinds_seen.len(),
        7,
        "kinds of disagreement exercised: {kinds_seen:?}"
    );
    for schema in [
        "GroupPaginatedEventView",
        "OrgPaginatedEventView",
        "ApiError",
        "PaginatedEventTypeDetailsResponse",
        "ActivityFeedLinkResponse",
    ] {
        assert!(schemas_seen.contains(schema), "no fixture of {schema}");
    }
    for union in ["EventViewForNdsGroup", "EventViewForOrg"] {
        for branch in spec.named(union)["oneOf"].as_array().unwrap() {
            let view = branch["$ref"]
                .as_str()
                .unwrap()
                .trim_start_matches("#/components/schemas/");
            assert!(schemas_seen.contains(view), "no fixture of the view {view}");
        }
    }
    assert!(mutants_checked > 5000, "only {mutants_checked} mutants");
}

/// One event that does not conform never fails its page: a page of conforming and mutated
/// events yields every event, in order, each encoding back to what was sent.
#[test]
fn a_page_mixing_conforming_and_broken_events_yields_every_event_in_order() {
    let mut page = read(&fixtures().join("synthetic/group-page-mixed.json"));
    let results = page["results"].as_array_mut().unwrap();
    let breaks: [fn(&mut serde_json::Map<String, Value>); 5] = [
        |e| {
            e.remove("id");
        },
        |e| {
            e.insert("created".into(), json!("yesterday"));
        },
        |e| {
            e.insert("eventTypeName".into(), json!(42));
        },
        |e| {
            e.insert("groupId".into(), json!({"nested": true}));
        },
        |e| {
            e.insert("id".into(), Value::Null);
        },
    ];
    let mut broken = BTreeSet::new();
    for (index, event) in results.iter_mut().enumerate() {
        if index % 4 == 1 {
            let which = (index / 4) % breaks.len();
            breaks[which](event.as_object_mut().unwrap());
            // groupId is optional: that event still conforms.
            if which != 3 {
                broken.insert(index);
            }
        }
    }
    let sent = page["results"].as_array().unwrap().clone();
    let decoded: GroupEventPage = serde_json::from_value(page.clone()).unwrap();
    let events = decoded.results.as_deref().unwrap();
    assert_eq!(events.len(), sent.len());
    for (index, (event, json)) in events.iter().zip(&sent).enumerate() {
        assert_eq!(
            &serde_json::to_value(event).unwrap(),
            json,
            "event {index} in order"
        );
        assert_eq!(
            event.is_conforming(),
            !broken.contains(&index),
            "event {index}"
        );
    }
    assert!(broken.len() >= 8, "only {} broken events", broken.len());
    assert_eq!(serde_json::to_value(&decoded).unwrap(), page);
}
