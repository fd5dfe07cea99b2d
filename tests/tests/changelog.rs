//! `cargo xtask changelog`: the report between two pinned upstream specs
//! (`tests/fixtures/upstream/atlas-api-2026-01-20.yaml` and `-2026-08-21.yaml`), the rules of
//! what breaks, and that spec changes outside the Events subset leave `generated/` untouched.
//!
//! Both specs are pinned so that updating `spec/atlas-api.yaml` does not change these tests.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use atlas_events_tests::generated_crate;
use xtask::changelog::{
    self, Constraint, Endpoint, Entry, EnumChange, EnumName, FieldChange, FieldType, Impact,
    LabelChange, LabelMethod, OperationChange, ParamChange, ParamId, Rename, Section, TypeChange,
    TypeKind, Verdict, ViewChange,
};
use xtask::model::{Api, Category, HttpMethod, LabelKind, Param, ParamLocation, TypeDef, TypeRef};
use xtask::{Generation, Layout, generate, repository_root};

fn root() -> PathBuf {
    repository_root()
}

fn old_spec() -> PathBuf {
    root().join("tests/fixtures/upstream/atlas-api-2026-01-20.yaml")
}

fn generation(spec: &Path) -> Generation {
    let layout = Layout::repository(&root(), Some(spec.to_path_buf()));
    generate(&layout).unwrap_or_else(|e| panic!("generating from {}: {e}", spec.display()))
}

/// The two generations are the slow part: each test binary makes them once.
static OLD: LazyLock<Generation> = LazyLock::new(|| generation(&old_spec()));
static NEW: LazyLock<Generation> =
    LazyLock::new(|| generation(&root().join("tests/fixtures/upstream/atlas-api-2026-08-21.yaml")));

/// A fixed crate version, so that a release (which bumps `crate_version` in
/// `spec/generator.toml`) does not move the snapshot.
fn crate_version() -> String {
    "0.1.0".to_string()
}

#[test]
fn changelog_from_previous_upstream_spec() {
    let report = changelog::diff(&OLD.api, &NEW.api);
    insta::assert_snapshot!(
        "changelog_2026-01-20_to_2026-08-21",
        report.to_markdown(&crate_version())
    );

    // What tests/fixtures/upstream and the shared spec README state about the two specs.
    let added: Vec<&str> = report
        .entries
        .iter()
        .filter_map(|e| match e {
            Entry::Operation(OperationChange::Added { operation, .. }) => Some(operation.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(added, ["getGroupActivityFeed", "getOrgActivityFeed"]);
    assert!(!report.entries.iter().any(|e| matches!(
        e,
        Entry::Operation(OperationChange::Removed { .. })
            | Entry::Operation(OperationChange::Renamed { .. })
    )));
    let event_types = |scope_name: &str, added: bool| -> (String, Vec<String>) {
        let found = report.entries.iter().find_map(|e| match e {
            Entry::Enum(EnumChange::EventTypesAdded {
                scope,
                names_enum,
                names,
                ..
            }) if added && scope == scope_name => Some((names_enum.clone(), names.clone())),
            Entry::Enum(EnumChange::EventTypesRemoved {
                scope,
                names_enum,
                names,
                ..
            }) if !added && scope == scope_name => Some((names_enum.clone(), names.clone())),
            _ => None,
        });
        found.unwrap_or_else(|| panic!("no {scope_name} event types (added: {added})"))
    };
    let (names_enum, added) = event_types("project", true);
    assert_eq!(
        (names_enum.as_str(), added.len()),
        ("EventTypeForNdsGroup", 84)
    );
    assert_eq!(event_types("project", false).1.len(), 22);
    let (names_enum, added) = event_types("organization", true);
    assert_eq!((names_enum.as_str(), added.len()), ("EventTypeForOrg", 36));
    assert_eq!(
        event_types("organization", false).1,
        ["CREDIT_MOVED", "ORG_SFDC_ACCOUNT_ID_CHANGED"]
    );

    // Removed event types break users.
    assert_eq!(report.verdict, Verdict::Major);
    assert_eq!(report.verdict.exit_code(), 20);
    let removed = report
        .entries
        .iter()
        .find(|e| matches!(e, Entry::Enum(EnumChange::EventTypesRemoved { scope, .. }) if scope == "project"))
        .expect("project event types removed");
    assert_eq!(
        (removed.section(), removed.impact()),
        (Section::EventTypes, Impact::Major)
    );
    // Added event types are additive: old code saw them as `Unknown`.
    let added = report
        .entries
        .iter()
        .find(|e| matches!(e, Entry::Enum(EnumChange::EventTypesAdded { scope, .. }) if scope == "project"))
        .expect("project event types added");
    assert_eq!(
        (added.section(), added.impact()),
        (Section::EventTypes, Impact::Minor)
    );
}

#[test]
fn generates_from_the_previous_upstream_spec() {
    // Every fixup in spec/generator.toml still applies to the 2026-01-20 spec.
    let old = &*OLD;
    let ids: Vec<&str> = old.api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "getGroupEvent",
            "getOrgEvent",
            "getOrgGroups",
            "listEventTypes",
            "listGroupEvents",
            "listOrgEvents"
        ]
    );
    assert!(
        old.output
            .files
            .keys()
            .any(|p| p == Path::new("generated/src/lib.rs"))
    );
}

#[test]
fn identical_models_change_nothing() {
    let report = changelog::diff(&NEW.api, &NEW.api);
    assert_eq!(report.verdict, Verdict::None);
    assert_eq!(report.verdict.exit_code(), 0);
    assert!(report.entries.is_empty());
    assert!(
        report
            .to_markdown("0.1.0")
            .contains("No change to the generated API.")
    );
}

fn operation<'a>(api: &'a mut Api, id: &str) -> &'a mut xtask::model::Operation {
    api.operations
        .iter_mut()
        .find(|o| o.id == id)
        .expect("operation")
}

/// The rules of what breaks, on edited copies of the vendored model.
#[test]
fn rules_of_what_breaks() {
    // Same method and path, new operationId: a rename, which renames the client method.
    let renamed = edited(&|api| {
        let op = operation(api, "listGroupEvents");
        op.id = "listProjectEvents".into();
        op.method_name = "list_project_events".into();
    });
    assert!(
        renamed
            .entries
            .contains(&Entry::Operation(OperationChange::Renamed {
                old: "listGroupEvents".into(),
                new: "listProjectEvents".into(),
                endpoint: Endpoint {
                    method: HttpMethod::Get,
                    path: "/api/atlas/v2/groups/{groupId}/events".into(),
                },
                old_method: "list_group_events".into(),
                new_method: "list_project_events".into(),
                old_builder: "ListGroupEvents".into(),
                new_builder: "ListGroupEvents".into(),
            }))
    );
    assert!(!renamed.entries.iter().any(|e| matches!(
        e,
        Entry::Operation(OperationChange::Added { .. })
            | Entry::Operation(OperationChange::Removed { .. })
    )));
    assert_eq!(renamed.verdict, Verdict::Major);

    let media = edited(&|api| {
        operation(api, "listGroupEvents").accept = "application/vnd.atlas.2099-01-01+json".into();
    });
    assert_eq!(media.verdict, Verdict::Major);
    let entry = only_entry(&media);
    assert!(
        matches!(entry, Entry::Operation(OperationChange::MediaTypeChanged { operation, new, .. })
            if operation == "listGroupEvents" && new == "application/vnd.atlas.2099-01-01+json"),
        "{entry:?}"
    );
    assert_eq!(entry.section(), Section::MediaTypes);

    let param = |required: bool| Param {
        wire_name: "newFilter".into(),
        rust_name: "new_filter".into(),
        location: ParamLocation::Query,
        doc: None,
        required,
        ty: TypeRef::String,
        default: None,
        constraints: Default::default(),
    };
    let new_filter = ParamId {
        operation: "listGroupEvents".into(),
        location: ParamLocation::Query,
        wire: "newFilter".into(),
    };
    let optional = edited(&|api| operation(api, "listGroupEvents").params.push(param(false)));
    assert_eq!(
        optional.entries,
        [Entry::Param(ParamChange::Added {
            param: new_filter.clone(),
            ty: "string".into(),
            required: false,
        })]
    );
    assert_eq!(optional.verdict, Verdict::Minor);
    assert_eq!(optional.verdict.exit_code(), 10);
    let required = edited(&|api| operation(api, "listGroupEvents").params.push(param(true)));
    assert!(matches!(
        only_entry(&required),
        Entry::Param(ParamChange::Added { param, required: true, .. }) if *param == new_filter
    ));
    assert_eq!(required.verdict, Verdict::Major);

    let maximum = |change: i64| {
        edited(&move |api| {
            let op = operation(api, "listGroupEvents");
            let p = op
                .params
                .iter_mut()
                .find(|p| p.constraints.maximum.is_some())
                .expect("a parameter with a maximum");
            p.constraints.maximum = p.constraints.maximum.map(|m| m + change);
        })
    };
    let tightened = maximum(-1);
    assert!(matches!(
        only_entry(&tightened),
        Entry::Param(ParamChange::ConstraintTightened {
            constraint: Constraint::Maximum,
            ..
        })
    ));
    assert_eq!(tightened.verdict, Verdict::Major);
    let loosened = maximum(1);
    assert!(matches!(
        only_entry(&loosened),
        Entry::Param(ParamChange::ConstraintLoosened {
            constraint: Constraint::Maximum,
            ..
        })
    ));
    assert_eq!(loosened.verdict, Verdict::Patch);
    assert_eq!(loosened.verdict.exit_code(), 0);

    // A new value of an open enum is additive; removing one breaks `match`es.
    let units = "HostMetricValue.units";
    let added_value = edited(&|api| {
        let e = an_enum(api, units);
        let mut value = e.values[0].clone();
        value.wire = "ZETTABYTES".into();
        value.rust_name = "Zettabytes".into();
        e.values.push(value);
    });
    assert!(matches!(
        only_entry(&added_value),
        Entry::Enum(EnumChange::ValuesAdded { enum_name, values })
            if enum_name.key == units && !enum_name.event_types && values == &["ZETTABYTES"]
    ));
    assert_eq!(added_value.verdict, Verdict::Minor);
    let last_value = an_enum(&mut NEW.api.clone(), units)
        .values
        .last()
        .expect("a value")
        .wire
        .clone();
    let removed_value = edited(&|api| {
        an_enum(api, units).values.pop();
    });
    assert!(matches!(
        only_entry(&removed_value),
        Entry::Enum(EnumChange::ValuesRemoved { enum_name, values })
            if enum_name.key == units && values == std::slice::from_ref(&last_value)
    ));
    assert_eq!(removed_value.verdict, Verdict::Major);

    // Only documentation changed: patch, exit code 0; the bot script of SPEC-UPDATES.md reads which of
    // none and patch it is from the last line.
    let docs = edited(&|api| operation(api, "listGroupEvents").summary = Some("Edited".into()));
    assert_eq!(docs.entries, [Entry::DocumentationOnly]);
    assert_eq!(docs.verdict, Verdict::Patch);
    assert_eq!(docs.verdict.exit_code(), 0);
    let last = |report: &changelog::Changelog| {
        let markdown = report.to_markdown("0.1.0");
        markdown.lines().last().unwrap_or_default().to_string()
    };
    assert!(
        last(&docs).starts_with("**Semver: patch**"),
        "{}",
        last(&docs)
    );
    let same = changelog::diff(&NEW.api, &NEW.api);
    assert!(
        last(&same).starts_with("**Semver: none**"),
        "{}",
        last(&same)
    );

    // A new required field is additive (structs are `#[non_exhaustive]`, without a
    // constructor), and the entry says that events without it now decode as non-conforming.
    let required_field = edited(&|api| {
        let s = a_struct(api, "AlertAudit");
        let mut field = s.fields[0].clone();
        field.wire_name = "brandNew".into();
        field.rust_name = "brand_new".into();
        field.ty = TypeRef::String;
        field.required = true;
        field.nullable = false;
        // A view's required field is plain in Rust (lowering decides; see `Field::optional`).
        field.optional = false;
        field.pattern = None;
        s.fields.push(field);
    });
    assert_eq!(required_field.verdict, Verdict::Minor);
    let entry = only_entry(&required_field);
    assert_eq!(
        *entry,
        Entry::Field(FieldChange::Added {
            schema: "AlertAudit".into(),
            field: "brandNew".into(),
            ty: FieldType {
                ty: "string".into(),
                optional: false,
            },
        })
    );
    assert_eq!(
        (entry.section(), entry.impact()),
        (Section::Schemas, Impact::Minor)
    );
    assert!(
        entry
            .to_string()
            .contains("required: events without it now decode as non-conforming"),
        "{entry}"
    );
}

fn only_entry(report: &changelog::Changelog) -> &changelog::Entry {
    assert_eq!(report.entries.len(), 1, "{:#?}", report.entries);
    &report.entries[0]
}

fn a_struct<'a>(api: &'a mut Api, key: &str) -> &'a mut xtask::model::StructDef {
    match api.types.get_mut(key) {
        Some(TypeDef::Struct(s)) => s,
        _ => panic!("no struct {key}"),
    }
}

fn an_enum<'a>(api: &'a mut Api, key: &str) -> &'a mut xtask::model::EnumDef {
    match api.types.get_mut(key) {
        Some(TypeDef::Enum(e)) => e,
        _ => panic!("no enum {key}"),
    }
}

/// The type key of the enum whose values carry kinds (`kind()`).
fn kind_enum_key() -> String {
    NEW.api
        .types
        .iter()
        .find_map(|(key, t)| match t {
            TypeDef::Enum(e) if matches!(e.labels, Some(LabelKind::Kind { .. })) => {
                Some(key.clone())
            }
            _ => None,
        })
        .expect("an enum with kinds")
}

fn edited(edit: &dyn Fn(&mut Api)) -> changelog::Changelog {
    let mut api = NEW.api.clone();
    edit(&mut api);
    changelog::diff(&NEW.api, &api)
}

/// A path or HTTP method that changes under the same `operationId` is reported as such, not as
/// a documentation change.
#[test]
fn changed_endpoints_are_reported() {
    let old_path = operation(&mut NEW.api.clone(), "listGroupEvents")
        .path
        .clone();
    assert_eq!(old_path, "/api/atlas/v2/groups/{groupId}/events");

    // Same path parameters: the client method and its arguments stay, requests go elsewhere.
    let moved = edited(&|api| {
        operation(api, "listGroupEvents").path = "/api/atlas/v2/projects/{groupId}/events".into();
    });
    let entry = only_entry(&moved);
    assert_eq!(
        *entry,
        Entry::Operation(OperationChange::PathChanged {
            operation: "listGroupEvents".into(),
            method: "list_group_events".into(),
            old: old_path.clone(),
            new: "/api/atlas/v2/projects/{groupId}/events".into(),
        })
    );
    assert_eq!(
        (entry.section(), entry.impact()),
        (Section::Operations, Impact::Minor)
    );
    assert_eq!(moved.verdict, Verdict::Minor);
    assert_eq!(moved.verdict.exit_code(), 10);

    // Another path parameter: the client method's arguments change.
    let reparented = edited(&|api| {
        let op = operation(api, "listGroupEvents");
        op.path = "/api/atlas/v2/orgs/{orgId}/events".into();
        let p = op
            .params
            .iter_mut()
            .find(|p| p.wire_name == "groupId")
            .expect("groupId");
        p.wire_name = "orgId".into();
        p.rust_name = "org_id".into();
    });
    assert_eq!(reparented.verdict, Verdict::Major);
    let path_entry = reparented
        .entries
        .iter()
        .find(|e| matches!(e, Entry::Operation(OperationChange::PathChanged { .. })))
        .expect("a path entry");
    assert_eq!(path_entry.impact(), Impact::Major);
    let group_id = ParamId {
        operation: "listGroupEvents".into(),
        location: ParamLocation::Path,
        wire: "groupId".into(),
    };
    assert!(
        reparented
            .entries
            .contains(&Entry::Param(ParamChange::Removed { param: group_id })),
        "{:#?}",
        reparented.entries
    );
    assert!(reparented.entries.iter().any(|e| matches!(
        e,
        Entry::Param(ParamChange::Added { param, required: true, .. }) if param.wire == "orgId"
    )));

    // Another HTTP method: another HTTP operation, which the client (always `GET`) cannot send.
    let method = edited(&|api| operation(api, "listGroupEvents").http_method = HttpMethod::Post);
    let entry = only_entry(&method);
    assert!(
        matches!(entry, Entry::Operation(OperationChange::HttpMethodChanged { operation, old, new })
            if operation == "listGroupEvents"
                && old.method == HttpMethod::Get
                && new.method == HttpMethod::Post
                && old.path == new.path),
        "{entry:?}"
    );
    assert_eq!(
        (entry.section(), entry.impact()),
        (Section::Operations, Impact::Major)
    );
    // (Spelling alone cannot differ: the model holds the method as `HttpMethod`.)

    // Required parameters swapped: positional arguments, so calls send the wrong values.
    let swapped = edited(&|api| {
        let op = operation(api, "getGroupEvent");
        let required: Vec<usize> = (0..op.params.len())
            .filter(|&i| op.params[i].required)
            .collect();
        assert!(required.len() >= 2, "getGroupEvent has two arguments");
        op.params.swap(required[0], required[1]);
    });
    let entry = only_entry(&swapped);
    assert!(
        matches!(entry, Entry::Param(ParamChange::ArgumentsReordered { operation, method, old, new })
            if operation == "getGroupEvent"
                && method == "get_group_event"
                && old.len() == 2
                && new.iter().rev().eq(old.iter())),
        "{entry:?}"
    );
    assert_eq!(
        (entry.section(), entry.impact()),
        (Section::Parameters, Impact::Major)
    );
}

/// `emit::structs` writes `pub const <FIELD>_PATTERN` for each field with a pattern.
#[test]
fn pattern_constants_are_api() {
    let has_pattern = |api: &mut Api| -> usize {
        a_struct(api, "AlertAudit")
            .fields
            .iter()
            .position(|f| f.wire_name == "remoteAddress" && f.pattern.is_some())
            .expect("AlertAudit.remoteAddress has a pattern")
    };
    let remote_address = (
        "AlertAudit",
        "remoteAddress",
        "AlertAudit::REMOTE_ADDRESS_PATTERN",
    );
    let removed = edited(&|api| {
        let i = has_pattern(api);
        a_struct(api, "AlertAudit").fields[i].pattern = None;
    });
    let entry = only_entry(&removed);
    assert!(
        matches!(entry, Entry::Field(FieldChange::PatternRemoved { schema, field, constant })
            if (schema.as_str(), field.as_str(), constant.as_str())
                == remote_address),
        "{entry:?}"
    );
    assert_eq!(entry.impact(), Impact::Major);
    assert_eq!(removed.verdict, Verdict::Major);

    let added = edited(&|api| {
        let s = a_struct(api, "AlertAudit");
        let f = s
            .fields
            .iter_mut()
            .find(|f| f.pattern.is_none() && f.ty == TypeRef::String)
            .expect("a string field without a pattern");
        f.pattern = Some("^x$".into());
    });
    let entry = only_entry(&added);
    assert!(
        matches!(entry, Entry::Field(FieldChange::PatternAdded { schema, constant, .. })
            if schema == "AlertAudit" && constant.ends_with("_PATTERN")),
        "{entry:?}"
    );
    assert_eq!(
        (entry.section(), entry.impact()),
        (Section::Schemas, Impact::Minor)
    );

    let changed = edited(&|api| {
        let i = has_pattern(api);
        a_struct(api, "AlertAudit").fields[i].pattern = Some("^.*$".into());
    });
    let entry = only_entry(&changed);
    assert!(
        matches!(entry, Entry::Field(FieldChange::PatternChanged { schema, field, constant })
            if (schema.as_str(), field.as_str(), constant.as_str())
                == remote_address),
        "{entry:?}"
    );
    assert_eq!(entry.impact(), Impact::Patch);
    assert_eq!(changed.verdict.exit_code(), 0);
}

/// `category()` and `kind()` (and the category and kind enums) are API; which label a value
/// carries is metadata.
#[test]
fn label_methods_are_api() {
    let categories = "EventTypeForNdsGroup";
    let labelled = |api: &mut Api| {
        matches!(
            &an_enum(api, categories).labels,
            Some(LabelKind::Category { rust_name, .. }) if rust_name == "GroupEventCategory"
        )
    };
    assert!(labelled(&mut NEW.api.clone()));
    let group_event_type = EnumName {
        key: categories.into(),
        rust: "GroupEventType".into(),
        event_types: true,
    };

    // Labels dropped: `category()` and its enum go.
    let dropped = edited(&|api| {
        let e = an_enum(api, categories);
        e.labels = None;
        for v in &mut e.values {
            v.label = None;
        }
    });
    let entry = only_entry(&dropped);
    assert_eq!(
        *entry,
        Entry::Label(LabelChange::Removed {
            enum_name: group_event_type.clone(),
            method: LabelMethod::Category("GroupEventCategory".into()),
        })
    );
    assert_eq!(
        (entry.section(), entry.impact()),
        (Section::EventTypes, Impact::Major)
    );

    // Labels added to an enum without them: a new method.
    let added = edited(&|api| {
        let e = an_enum(api, "HostMetricValue.units");
        assert!(e.labels.is_none());
        e.labels = Some(LabelKind::Category {
            rust_name: "HostMetricValueUnitsCategory".into(),
            categories: vec![Category {
                title: "Units".into(),
                rust_name: "Units".into(),
                slug: "units".into(),
                pointer: "/x".into(),
            }],
        });
        for v in &mut e.values {
            v.label = Some("Units".into());
        }
    });
    let entry = only_entry(&added);
    assert!(
        matches!(entry, Entry::Label(LabelChange::Added { enum_name, method: LabelMethod::Category(name) })
            if enum_name.key == "HostMetricValue.units" && name == "HostMetricValueUnitsCategory"),
        "{entry:?}"
    );
    assert_eq!(
        (entry.section(), entry.impact()),
        (Section::Enums, Impact::Minor)
    );

    // One value loses its label: `category()` returns `None` for it, as it does for every
    // unlabeled and unknown value; the signature stays. Patch.
    let one = edited(&|api| {
        let e = an_enum(api, categories);
        let v = e
            .values
            .iter_mut()
            .find(|v| v.label.is_some())
            .expect("a label");
        v.label = None;
    });
    assert_eq!(one.verdict, Verdict::Patch);
    assert!(
        matches!(only_entry(&one), Entry::Label(LabelChange::ValuesRelabeled { enum_name, method, changes })
            if *enum_name == group_event_type
                && *method == LabelMethod::Category("GroupEventCategory".into())
                && changes.len() == 1
                && changes[0].old.is_some()
                && changes[0].new.is_none()),
        "{:?}",
        one.entries
    );

    // Kinds: the kind enum's variants are the distinct labels.
    let kinds = kind_enum_key();
    let kind_name = |api: &mut Api| match &an_enum(api, &kinds).labels {
        Some(LabelKind::Kind { rust_name, .. }) => rust_name.clone(),
        _ => unreachable!(),
    };
    let kind = kind_name(&mut NEW.api.clone());
    let renamed = edited(&|api| {
        if let Some(LabelKind::Kind { rust_name, .. }) = &mut an_enum(api, &kinds).labels {
            *rust_name = "MetricKind".into();
        }
    });
    let entry = only_entry(&renamed);
    assert!(
        matches!(entry, Entry::Label(LabelChange::ChangedMeaning { enum_name, old, new })
            if enum_name.key == kinds
                && *old == LabelMethod::Kind(kind.clone())
                && *new == LabelMethod::Kind("MetricKind".into())),
        "{entry:?}"
    );
    assert_eq!(entry.impact(), Impact::Major);

    // Every value of one kind moved to another: that kind's variant goes.
    let mut labels: Vec<String> = an_enum(&mut NEW.api.clone(), &kinds)
        .values
        .iter()
        .filter_map(|v| v.label.clone())
        .collect();
    labels.sort();
    labels.dedup();
    assert!(labels.len() >= 2, "at least two kinds");
    let merged = edited(&|api| {
        for v in &mut an_enum(api, &kinds).values {
            if v.label.as_deref() == Some(labels[0].as_str()) {
                v.label = Some(labels[1].clone());
            }
        }
    });
    assert_eq!(merged.verdict, Verdict::Major);
    assert!(
        merged.entries.iter().any(|e| matches!(
            e,
            Entry::Label(LabelChange::KindsRemoved { kind_enum, kinds, .. })
                if *kind_enum == kind && kinds == std::slice::from_ref(&labels[0])
        )),
        "{:#?}",
        merged.entries
    );

    // Category <-> kind: `category()` goes, `kind()` comes.
    let switched = edited(&|api| {
        an_enum(api, categories).labels = Some(LabelKind::Kind {
            rust_name: "EventKind".into(),
            doc: String::new(),
        });
    });
    let entry = only_entry(&switched);
    assert_eq!(
        *entry,
        Entry::Label(LabelChange::ChangedMeaning {
            enum_name: group_event_type,
            old: LabelMethod::Category("GroupEventCategory".into()),
            new: LabelMethod::Kind("EventKind".into()),
        })
    );
    assert_eq!(entry.impact(), Impact::Major);
}

/// The categories of an event-type enum are the variants of a `#[non_exhaustive]` enum: a new
/// one is additive, one that goes (or whose slug changes) breaks, a name that moves to another
/// category and a title that changes without changing the variant are patch-level.
#[test]
fn category_changes_follow_the_enum_rules() {
    let key = "EventTypeForNdsGroup";
    let categories = |api: &mut Api| match &an_enum(api, key).labels {
        Some(LabelKind::Category { categories, .. }) => categories.clone(),
        _ => panic!("`{key}` has no categories"),
    };
    let current = categories(&mut NEW.api.clone());
    let host = current
        .iter()
        .find(|c| c.rust_name == "HostEvent")
        .expect("HostEvent")
        .clone();
    let cluster = current
        .iter()
        .find(|c| c.rust_name == "ClusterEvent")
        .expect("ClusterEvent")
        .clone();
    let set_categories = |api: &mut Api, edit: &dyn Fn(&mut Vec<Category>)| {
        if let Some(LabelKind::Category { categories, .. }) = &mut an_enum(api, key).labels {
            edit(categories);
        }
    };
    let relabel = |api: &mut Api, from: &str, to: &str, how_many: usize| {
        let e = an_enum(api, key);
        for v in e
            .values
            .iter_mut()
            .filter(|v| v.label.as_deref() == Some(from))
            .take(how_many)
        {
            v.label = Some(to.to_string());
        }
    };
    let variants =
        |list: &[Category]| -> Vec<String> { list.iter().map(|c| c.rust_name.clone()).collect() };

    // Upstream splits one host name off into a new titled enum: a new category (additive), and
    // the name moves to it (patch).
    let lifecycle = Category {
        title: "Host Lifecycle Event Types".into(),
        rust_name: "HostLifecycleEvent".into(),
        slug: "host-lifecycle-event".into(),
        pointer: "/x/title".into(),
    };
    let split = edited(&|api| {
        set_categories(api, &|c| c.push(lifecycle.clone()));
        relabel(api, &host.title, &lifecycle.title, 1);
    });
    assert_eq!(split.verdict, Verdict::Minor);
    let [added, moved] = &split.entries[..] else {
        panic!("two entries: {:#?}", split.entries);
    };
    assert!(
        matches!(added, Entry::Label(LabelChange::CategoriesAdded { enum_name, category_enum, categories })
            if enum_name.key == key
                && category_enum == "GroupEventCategory"
                && *categories == [lifecycle.clone()]),
        "{added:?}"
    );
    assert_eq!(
        (added.section(), added.impact()),
        (Section::EventTypes, Impact::Minor)
    );
    assert!(
        matches!(moved, Entry::Label(LabelChange::ValuesRelabeled { changes, .. })
            if changes.len() == 1
                && changes[0].old.as_deref() == Some("HostEvent")
                && changes[0].new.as_deref() == Some("HostLifecycleEvent")),
        "{moved:?}"
    );
    assert_eq!(moved.impact(), Impact::Patch);

    // Upstream merges the host names into the cluster enum: the host category goes (its
    // variant of `GroupEventCategory` with it), which breaks code that names it.
    let merged = edited(&|api| {
        set_categories(api, &|c| c.retain(|c| c.rust_name != "HostEvent"));
        relabel(api, &host.title, &cluster.title, usize::MAX);
    });
    assert_eq!(merged.verdict, Verdict::Major);
    let removed = merged
        .entries
        .iter()
        .find_map(|e| match e {
            Entry::Label(LabelChange::CategoriesRemoved { categories, .. }) => {
                Some(variants(categories))
            }
            _ => None,
        })
        .expect("categories removed");
    assert_eq!(removed, ["HostEvent"]);

    // A title that changes only in case keeps its variant and slug: only `title()` changes.
    let upper = host.title.to_uppercase();
    let retitled = edited(&|api| {
        set_categories(api, &|c| {
            for c in c.iter_mut().filter(|c| c.rust_name == "HostEvent") {
                c.title = upper.clone();
            }
        });
        relabel(api, &host.title, &upper, usize::MAX);
    });
    let entry = only_entry(&retitled);
    assert!(
        matches!(entry, Entry::Label(LabelChange::CategoryTitlesChanged { changes, .. })
            if *changes == [Rename { name: "HostEvent".into(), old: host.title.clone(), new: upper.clone() }]),
        "{entry:?}"
    );
    assert_eq!(entry.impact(), Impact::Patch);

    // A changed slug changes what `Display`, serde and `FromStr` use: breaking.
    let reslugged = edited(&|api| {
        set_categories(api, &|c| {
            for c in c.iter_mut().filter(|c| c.rust_name == "HostEvent") {
                c.slug = "hosts".into();
            }
        })
    });
    let entry = only_entry(&reslugged);
    assert!(
        matches!(entry, Entry::Label(LabelChange::CategorySlugsChanged { changes, .. })
            if *changes == [Rename { name: "HostEvent".into(), old: host.slug.clone(), new: "hosts".into() }]),
        "{entry:?}"
    );
    assert_eq!(entry.impact(), Impact::Major);

    // The category enum renamed: every path that names it breaks.
    let renamed = edited(&|api| {
        if let Some(LabelKind::Category { rust_name, .. }) = &mut an_enum(api, key).labels {
            *rust_name = "ProjectEventCategory".into();
        }
    });
    let entry = only_entry(&renamed);
    assert!(
        matches!(entry, Entry::Label(LabelChange::ChangedMeaning { old, new, .. })
            if *old == LabelMethod::Category("GroupEventCategory".into())
                && *new == LabelMethod::Category("ProjectEventCategory".into())),
        "{entry:?}"
    );
    assert_eq!(entry.impact(), Impact::Major);
}

/// The bot script of SPEC-UPDATES.md ("As a bot") is valid bash and handles every exit code
/// of `cargo xtask changelog`.
#[test]
fn the_bot_script_handles_every_exit_code() {
    let readme = std::fs::read_to_string(root().join("SPEC-UPDATES.md")).expect("SPEC-UPDATES.md");
    let section = readme
        .split_once("### As a bot\n")
        .expect("the bot section")
        .1;
    let script = section
        .split_once("```sh\n")
        .and_then(|(_, rest)| rest.split_once("\n```"))
        .expect("the bot script")
        .0;
    for verdict in [
        Verdict::None,
        Verdict::Patch,
        Verdict::Minor,
        Verdict::Major,
    ] {
        let arm = format!("\n  {})", verdict.exit_code());
        assert!(script.contains(&arm), "no `{arm}` arm");
    }
    assert!(script.contains("\n  *)  exit 1"), "no arm for errors (2)");
    assert!(script.contains("'^\\*\\*Semver: patch\\*\\*'"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("changelog-readme-bot");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("bot.sh");
    std::fs::write(&file, script).expect("write the script");
    let status = std::process::Command::new("bash")
        .arg("-n")
        .arg(&file)
        .status()
        .expect("bash");
    assert!(
        status.success(),
        "the bot script of SPEC-UPDATES.md is not valid bash"
    );
}

#[test]
fn next_crate_version_follows_cargo_semver() {
    assert_eq!(
        Verdict::Major.next_version("0.1.0").as_deref(),
        Some("0.2.0")
    );
    assert_eq!(
        Verdict::Minor.next_version("0.1.0").as_deref(),
        Some("0.1.1")
    );
    assert_eq!(
        Verdict::Patch.next_version("0.1.3").as_deref(),
        Some("0.1.4")
    );
    assert_eq!(
        Verdict::None.next_version("0.1.3").as_deref(),
        Some("0.1.3")
    );
    assert_eq!(
        Verdict::Major.next_version("1.2.3").as_deref(),
        Some("2.0.0")
    );
    assert_eq!(
        Verdict::Minor.next_version("1.2.3").as_deref(),
        Some("1.3.0")
    );
}

const UNRELATED_PATH: &str = "    /api/atlas/v2/unrelated/widgets:
        get:
            operationId: listUnrelatedWidgets
            summary: Return all unrelated widgets.
            tags:
                - Unrelated Widgets
            responses:
                \"200\":
                    description: OK
                    content:
                        application/vnd.atlas.2023-01-01+json:
                            schema:
                                $ref: '#/components/schemas/UnrelatedWidget'
";

const UNRELATED_SCHEMA: &str = "        UnrelatedWidget:
            type: object
            properties:
                name:
                    type: string
";

/// A spec change outside the Events subset (another upstream build id, an unrelated path and
/// schema) leaves every file under generated/ byte-identical.
#[test]
fn changes_outside_the_subset_leave_generated_identical() {
    let spec = std::fs::read_to_string(root().join("spec/atlas-api.yaml")).expect("spec");
    let mut edited = String::with_capacity(spec.len() + 1024);
    let (mut sha, mut path, mut schema) = (false, false, false);
    for line in spec.lines() {
        if let Some(rest) = line.strip_prefix("    x-xgen-sha: ") {
            assert_ne!(rest, "feedfacefeedfacefeedfacefeedfacefeedface");
            edited.push_str("    x-xgen-sha: feedfacefeedfacefeedfacefeedfacefeedface\n");
            sha = true;
            continue;
        }
        edited.push_str(line);
        edited.push('\n');
        if line == "paths:" {
            edited.push_str(UNRELATED_PATH);
            path = true;
        } else if line == "    schemas:" {
            edited.push_str(UNRELATED_SCHEMA);
            schema = true;
        }
    }
    assert!(sha && path && schema, "the spec's layout changed");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("changelog-unrelated-change");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let copy = dir.join("atlas-api.yaml");
    std::fs::write(&copy, edited).expect("write the edited spec");

    let changed = generation(&copy);
    assert_eq!(
        changed.api.info.upstream_sha.as_deref(),
        Some("feedfacefeedfacefeedfacefeedfacefeedface")
    );
    let generated = |g: &Generation| {
        g.output
            .files
            .iter()
            .filter(|(p, _)| p.starts_with("generated"))
            .map(|(p, c)| (p.clone(), c.clone()))
            .collect::<Vec<_>>()
    };
    let (before, after) = (generated(&NEW), generated(&changed));
    assert!(!before.is_empty());
    assert_eq!(before.len(), after.len());
    for ((p, a), (q, b)) in before.iter().zip(&after) {
        assert_eq!(p, q);
        assert!(a == b, "{} differs", p.display());
    }
    let report = changelog::diff(&NEW.api, &changed.api);
    assert_eq!(report.verdict, Verdict::None);
    assert!(report.entries.is_empty());
}

/// The crate generated from the previous upstream spec compiles without warnings. It builds a
/// whole crate in its own target directory (about 3 minutes cold, seconds warm).
#[test]
fn crate_from_the_previous_upstream_spec_compiles() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("changelog-previous-crate");
    generated_crate::write_workspace(&dir, [("previous-spec", &OLD.output.files)]);
    if let Err(compiler) = generated_crate::build_workspace(&dir) {
        panic!(
            "the crate generated from the previous spec does not build without warnings:\n{compiler}"
        );
    }
}

fn a_union<'a>(api: &'a mut Api, key: &str) -> &'a mut xtask::model::UnionDef {
    match api.types.get_mut(key) {
        Some(TypeDef::Union(u)) => u,
        _ => panic!("no union {key}"),
    }
}

/// The union of project events (`GroupEvent`).
const GROUP_EVENT: &str = "EventViewForNdsGroup";

/// The change `edit` makes, seen the other way round (from the edited model to the vendored
/// one): what it removes, added.
fn undone(edit: &dyn Fn(&mut Api)) -> changelog::Changelog {
    let mut api = NEW.api.clone();
    edit(&mut api);
    changelog::diff(&api, &NEW.api)
}

/// The entry `found` picks, with the impact it must have.
fn expect(report: &changelog::Changelog, impact: Impact, found: impl Fn(&Entry) -> bool) {
    let entry = report
        .entries
        .iter()
        .find(|e| found(e))
        .unwrap_or_else(|| panic!("no such entry in {:#?}", report.entries));
    assert_eq!(entry.impact(), impact, "{entry:?}");
}

/// Each other kind of change, made on the vendored model, is reported as its entry.
#[test]
fn each_change_is_its_entry() {
    use Impact::{Major, Minor, Patch};
    let list = "listGroupEvents";
    let of = |operation: &String| operation == list;

    // Operations.
    let response = |api: &mut Api| operation(api, list).response = TypeRef::Json;
    expect(
        &edited(&response),
        Major,
        |e| matches!(e, Entry::Operation(OperationChange::ResponseRetyped { operation, new, .. }) if of(operation) && new == "any JSON"),
    );
    let unpaged = |api: &mut Api| operation(api, list).paging = None;
    expect(
        &edited(&unpaged),
        Major,
        |e| matches!(e, Entry::Operation(OperationChange::PagingRemoved { operation }) if of(operation)),
    );
    expect(
        &undone(&unpaged),
        Minor,
        |e| matches!(e, Entry::Operation(OperationChange::PagingAdded { operation }) if of(operation)),
    );
    let items = |api: &mut Api| {
        if let Some(p) = &mut operation(api, list).paging {
            p.item = TypeRef::Json;
        }
    };
    expect(
        &edited(&items),
        Major,
        |e| matches!(e, Entry::Operation(OperationChange::PageItemsRetyped { operation, new, .. }) if of(operation) && new == "any JSON"),
    );
    let deprecated = |api: &mut Api| operation(api, list).deprecated = true;
    expect(
        &edited(&deprecated),
        Patch,
        |e| matches!(e, Entry::Operation(OperationChange::DeprecationChanged { operation, deprecated: true }) if of(operation)),
    );
    let teapot = |api: &mut Api| operation(api, list).error_statuses.push(418);
    expect(
        &edited(&teapot),
        Patch,
        |e| matches!(e, Entry::Operation(OperationChange::ErrorStatusesChanged { operation, new, .. }) if of(operation) && new.last() == Some(&418)),
    );
    let gone = |api: &mut Api| api.operations.retain(|o| o.id != "getOrgEvent");
    expect(&edited(&gone), Major, |e| {
        matches!(e, Entry::Operation(OperationChange::Removed { operation, method, .. })
            if operation == "getOrgEvent" && method == "get_org_event")
    });

    // Parameters.
    let group_id = |api: &mut Api| {
        let op = operation(api, list);
        let p = op
            .params
            .iter_mut()
            .find(|p| p.wire_name == "groupId")
            .expect("groupId");
        p.ty = TypeRef::I64;
        p.rust_name = "project_id".into();
    };
    let report = edited(&group_id);
    expect(&report, Major, |e| {
        matches!(e, Entry::Param(ParamChange::Retyped { param, old, new })
            if param.wire == "groupId" && old == "string" && new == "i64")
    });
    expect(&report, Major, |e| {
        matches!(e, Entry::Param(ParamChange::RenamedInRust { param, new, .. })
            if param.wire == "groupId" && new == "project_id")
    });
    let constrained = |api: &mut Api| {
        let op = operation(api, list);
        let p = op
            .params
            .iter_mut()
            .find(|p| !p.required)
            .expect("an optional parameter");
        p.required = true;
        p.default = Some(serde_json::json!(7));
        p.constraints.pattern = Some("^x$".into());
        p.constraints.minimum = Some(1);
        p.constraints.max_items = Some(3);
    };
    let report = edited(&constrained);
    expect(&report, Major, |e| {
        matches!(
            e,
            Entry::Param(ParamChange::RequirednessChanged { required: true, .. })
        )
    });
    expect(
        &report,
        Patch,
        |e| matches!(e, Entry::Param(ParamChange::DefaultChanged { new, .. }) if new.as_deref() == Some("7")),
    );
    for constraint in [
        Constraint::Pattern,
        Constraint::Minimum,
        Constraint::MaxItems,
    ] {
        expect(
            &report,
            Major,
            |e| matches!(e, Entry::Param(ParamChange::ConstraintTightened { constraint: c, old: None, .. }) if *c == constraint),
        );
    }

    // Types.
    let principal = |api: &mut Api| {
        api.types.remove("Principal");
    };
    expect(
        &edited(&principal),
        Major,
        |e| matches!(e, Entry::Type(TypeChange::Removed { key, kind: TypeKind::Schema, .. }) if key == "Principal"),
    );
    expect(
        &undone(&principal),
        Minor,
        |e| matches!(e, Entry::Type(TypeChange::Added { key, kind: TypeKind::Schema, members: 3, .. }) if key == "Principal"),
    );
    let reshaped = |api: &mut Api| {
        let units = api.types["HostMetricValue.units"].clone();
        api.types.insert("Principal".into(), units);
        a_struct(api, "AlertAudit").rust_name = "AlertAuditView".into();
    };
    let report = edited(&reshaped);
    expect(&report, Major, |e| {
        *e == Entry::Type(TypeChange::KindChanged {
            key: "Principal".into(),
            old: TypeKind::Schema,
            new: TypeKind::Enum,
        })
    });
    expect(&report, Major, |e| {
        matches!(e, Entry::Type(TypeChange::RenamedInRust { key, old, new, .. })
            if key == "AlertAudit" && old == "AlertAudit" && new == "AlertAuditView")
    });

    // Fields.
    let fields = |api: &mut Api| {
        let s = a_struct(api, "AlertAudit");
        s.fields[0].ty = TypeRef::Json;
        let g = &mut s.fields[1];
        g.rust_name = "renamed".into();
        g.nullable = !g.nullable;
        g.required = !g.required;
    };
    let report = edited(&fields);
    expect(
        &report,
        Major,
        |e| matches!(e, Entry::Field(FieldChange::Retyped { schema, new, .. }) if schema == "AlertAudit" && new.ty == "any JSON"),
    );
    expect(
        &report,
        Major,
        |e| matches!(e, Entry::Field(FieldChange::RenamedInRust { new, .. }) if new == "renamed"),
    );
    expect(&report, Patch, |e| {
        matches!(
            e,
            Entry::Field(FieldChange::NullHandlingChanged {
                required: Some(_),
                nullable: Some(_),
                ..
            })
        )
    });
    let delegate = |api: &mut Api| {
        let s = a_struct(api, "AlertAudit");
        s.fields.retain(|f| f.wire_name != "delegatePrincipal");
    };
    expect(&edited(&delegate), Major, |e| {
        matches!(e, Entry::Field(FieldChange::Removed { schema, field, ty })
            if schema == "AlertAudit" && field == "delegatePrincipal" && ty.optional)
    });

    // Enum variants: reported with the enum, under Event types for an event type enum.
    let variants = |api: &mut Api| {
        an_enum(api, "HostMetricValue.units").values[0].rust_name = "Renamed".into();
        an_enum(api, "EventTypeForNdsGroup").values[0].rust_name = "Renamed".into();
    };
    let report = edited(&variants);
    let renamed: Vec<(Section, &str)> = report
        .entries
        .iter()
        .filter_map(|e| match e {
            Entry::Enum(EnumChange::VariantsRenamed { enum_name, renames })
                if renames.len() == 1 =>
            {
                Some((e.section(), enum_name.key.as_str()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        renamed,
        [
            (Section::EventTypes, "EventTypeForNdsGroup"),
            (Section::Enums, "HostMetricValue.units")
        ]
    );

    // Event views.
    let last_view = |api: &mut Api| {
        let u = a_union(api, GROUP_EVENT);
        let last = u.variants.len() - 1;
        assert_ne!(last, u.fallback);
        u.variants.remove(last);
    };
    expect(&edited(&last_view), Major, |e| {
        matches!(e, Entry::View(ViewChange::Removed { union, scope, variant, .. })
            if union == GROUP_EVENT && scope == "project" && variant.starts_with("GroupEvent::"))
    });
    expect(
        &undone(&last_view),
        Minor,
        |e| matches!(e, Entry::View(ViewChange::Added { union, names, .. }) if union == GROUP_EVENT && !names.is_empty()),
    );
    let routing = |api: &mut Api| {
        let u = a_union(api, GROUP_EVENT);
        u.variants[0].rust_name = "Renamed".into();
        u.property = "eventType".into();
        let name = u.variants[0].names.remove(0);
        u.variants[1].names.push(name);
    };
    let report = edited(&routing);
    expect(
        &report,
        Major,
        |e| matches!(e, Entry::View(ViewChange::VariantRenamed { new, .. }) if new == "Renamed"),
    );
    expect(
        &report,
        Major,
        |e| matches!(e, Entry::View(ViewChange::PropertyChanged { old, new, .. }) if old == "eventTypeName" && new == "eventType"),
    );
    expect(
        &report,
        Major,
        |e| matches!(e, Entry::View(ViewChange::EventTypesRerouted { moves, .. }) if moves.len() == 1),
    );
    let accessors = |api: &mut Api| {
        let u = a_union(api, GROUP_EVENT);
        u.accessors.remove(0);
        u.accessors[0].ty = TypeRef::Json;
    };
    let report = edited(&accessors);
    expect(
        &report,
        Major,
        |e| matches!(e, Entry::View(ViewChange::AccessorRemoved { accessor, .. }) if accessor.starts_with("GroupEvent::")),
    );
    expect(
        &report,
        Major,
        |e| matches!(e, Entry::View(ViewChange::AccessorRetyped { new, .. }) if new == "any JSON"),
    );
    let types_gone = |api: &mut Api| {
        api.types.remove(GROUP_EVENT);
    };
    let removed = edited(&types_gone);
    expect(&removed, Major, |e| {
        matches!(
            e,
            Entry::Type(TypeChange::Removed {
                kind: TypeKind::Union,
                ..
            })
        ) && e.section() == Section::EventViews
    });
}

/// The model of `tests/fixtures/changelog/decisions/<spec>.yaml`.
fn decisions_fixture(spec: &str) -> Api {
    let dir = root().join("tests/fixtures/changelog/decisions");
    let layout = Layout {
        spec: dir.join(format!("{spec}.yaml")),
        config: dir.join("generator.toml"),
        ..Layout::repository(&root(), None)
    };
    generate(&layout)
        .unwrap_or_else(|e| panic!("generating the decisions fixture {spec}: {e}"))
        .api
}

/// Decisions that shape the public API but are not in the spec's words (a field boxed by a new
/// cycle, the typed fields of a non-conforming struct, the examples a crate gets) are in the
/// model, so the changelog reports them, from a spec change that makes each.
#[test]
fn decisions_of_the_model_are_reported() {
    use Impact::{Major, Minor, Patch};
    let (old, new) = (decisions_fixture("old"), decisions_fixture("new"));
    let report = changelog::diff(&old, &new);

    // `Member` now contains a `Group`, which contains a `Member`: both fields are boxed.
    expect(&report, Major, |e| {
        *e == Entry::Field(FieldChange::BoxingChanged {
            schema: "Group".into(),
            field: "lead".into(),
            boxed: true,
            ty: FieldType {
                ty: "Member".into(),
                optional: true,
            },
        })
    });
    expect(&changelog::diff(&new, &old), Major, |e| {
        matches!(e, Entry::Field(FieldChange::BoxingChanged { schema, field, boxed: false, .. })
            if schema == "Group" && field == "lead")
    });

    // The views disagree on `groupId`; both list `orgId`.
    expect(&report, Major, |e| {
        *e == Entry::View(ViewChange::NonConformingFieldRemoved {
            scope: "project".into(),
            field: "NonConformingGroupEvent::group_id".into(),
            wire: "groupId".into(),
        })
    });
    expect(&report, Minor, |e| {
        *e == Entry::View(ViewChange::NonConformingFieldAdded {
            scope: "project".into(),
            field: "NonConformingGroupEvent::org_id".into(),
            wire: "orgId".into(),
            ty: "string".into(),
        })
    });

    // `listOrgEvents` no longer pages: no examples, no `Client::follow_organization`.
    use xtask::changelog::ExampleChange;
    use xtask::model::Example;
    assert_eq!(
        old.examples,
        [Example::EventLists, Example::OrganizationFollow]
    );
    assert!(new.examples.is_empty());
    expect(&report, Major, |e| {
        *e == Entry::Example(ExampleChange::Removed {
            example: Example::OrganizationFollow,
        })
    });
    expect(&report, Patch, |e| {
        *e == Entry::Example(ExampleChange::Removed {
            example: Example::EventLists,
        })
    });
    expect(&changelog::diff(&new, &old), Minor, |e| {
        *e == Entry::Example(ExampleChange::Added {
            example: Example::OrganizationFollow,
        })
    });
    let markdown = report.to_markdown(&crate_version());
    for text in [
        "`Group`: field `lead` (`optional Member`) is now boxed",
        "`NonConformingGroupEvent::group_id` (project): typed field removed",
        "### Examples and hand-written API",
        "no longer gets `Client::follow_organization`",
    ] {
        assert!(markdown.contains(text), "`{text}` in:\n{markdown}");
    }

    // Each spec against itself: nothing.
    assert!(changelog::diff(&new, &new).entries.is_empty());
}
