//! Edge cases of the generator, each a tiny spec under `tests/fixtures/specs/<case>/`.
//!
//! Cases that generate are snapshotted (only `src/models/` and `src/operations/`, not the copied
//! runtime). Broken cases must fail with the JSON pointer of the problem and a clear reason,
//! without panicking and without writing anything.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use atlas_events_tests::generated_crate;
use xtask::model::{TypeDef, TypeRef};
use xtask::{Generation, Layout, generate};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/specs")
}

fn layout_with(case: &str, config: &str) -> Layout {
    let dir = fixtures().join(case);
    Layout {
        spec: dir.join("spec.yaml"),
        config: dir.join(config),
        templates: xtask::repository_root().join("templates"),
        subset: PathBuf::from("spec/events-subset.json"),
        generated: PathBuf::from("generated"),
    }
}

fn layout(case: &str) -> Layout {
    layout_with(case, "generator.toml")
}

/// Writes a generator configuration under the test's temporary directory, for `Layout::config`.
fn written_config(name: &str, text: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generator-configs");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

/// `keywords-and-digits` with `extra` (`[names]` tables) appended to its configuration.
fn fixture_with_config(name: &str, extra: &str) -> Layout {
    let case = layout("keywords-and-digits");
    let config = std::fs::read_to_string(&case.config).unwrap() + extra;
    Layout {
        config: written_config(name, &config),
        ..case
    }
}

/// The vendored spec cut by other `tags`, with no unions, fixups or name overrides (those name
/// the Events schemas).
fn vendored_spec_with_tags(tags: &str) -> Layout {
    let name = tags.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
    let config = format!("crate_version = \"0.0.1\"\nfixups = []\n[subset]\ntags = [{tags}]\n");
    Layout {
        config: written_config(&format!("tags-{name}"), &config),
        ..Layout::repository(&xtask::repository_root(), None)
    }
}

/// The crate of another tag of the vendored spec (README: "Another tag in `[subset] tags`"),
/// generated once for the tests that read it and the one that builds it.
static ROOT_TAG: LazyLock<Generation> = LazyLock::new(|| {
    generate(&vendored_spec_with_tags("\"Root\""))
        .expect("the Root tag of the vendored spec generates")
});

/// Generates a case that must succeed.
fn generated(case: &str) -> Generation {
    match generate(&layout(case)) {
        Ok(generation) => generation,
        Err(e) => panic!("fixture `{case}` should generate, got: {e}"),
    }
}

/// The error message of a case that must fail (a panic fails the test too).
fn failure(layout: &Layout) -> String {
    match generate(layout) {
        Ok(_) => panic!("{} should not generate", layout.spec.display()),
        Err(e) => e.to_string(),
    }
}

fn assert_contains(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(
            message.contains(part),
            "expected `{part}` in the error:\n{message}"
        );
    }
}

/// The generated models and operations, each file behind a `=== path ===` header.
fn models_and_operations(generation: &Generation) -> String {
    let mut text = String::new();
    for (path, contents) in &generation.output.files {
        let path = path.to_string_lossy().replace('\\', "/");
        let Some(relative) = path.strip_prefix("generated/") else {
            continue;
        };
        if relative.starts_with("src/models/") || relative.starts_with("src/operations/") {
            text.push_str(&format!("=== {relative} ===\n{contents}\n"));
        }
    }
    text
}

fn snapshot(case: &str) -> Generation {
    let generation = generated(case);
    insta::assert_snapshot!(case, models_and_operations(&generation));
    generation
}

fn enum_def<'a>(generation: &'a Generation, key: &str) -> &'a xtask::model::EnumDef {
    match generation.api.types.get(key) {
        Some(TypeDef::Enum(e)) => e,
        other => panic!("`{key}` should be an enum, is {other:?}"),
    }
}

fn struct_def<'a>(generation: &'a Generation, key: &str) -> &'a xtask::model::StructDef {
    match generation.api.types.get(key) {
        Some(TypeDef::Struct(s)) => s,
        other => panic!("`{key}` should be a struct, is {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Cases that generate.

#[test]
fn huge_enum() {
    let generation = snapshot("huge-enum");
    let e = enum_def(&generation, "EventTypeForNdsGroup");
    assert_eq!(e.values.len(), 300);
    assert_eq!(e.rust_name, "GroupEventType");
    let categories: BTreeMap<&str, usize> =
        e.values.iter().fold(BTreeMap::new(), |mut counts, v| {
            *counts.entry(v.label.as_deref().unwrap_or("")).or_default() += 1;
            counts
        });
    assert_eq!(
        categories,
        BTreeMap::from([
            ("Cluster Event Types", 100),
            ("Host Event Types", 110),
            ("User Event Types", 90),
        ])
    );
    // Each title is a variant of the category enum, sorted by slug, with the title's pointer.
    let Some(xtask::model::LabelKind::Category {
        rust_name,
        categories,
    }) = &e.labels
    else {
        panic!("`EventTypeForNdsGroup` has no categories: {:?}", e.labels);
    };
    assert_eq!(rust_name, "GroupEventCategory");
    let named: Vec<(&str, &str, &str)> = categories
        .iter()
        .map(|c| (c.rust_name.as_str(), c.slug.as_str(), c.pointer.as_str()))
        .collect();
    assert_eq!(
        named,
        [
            (
                "ClusterEvent",
                "cluster-event",
                "/components/schemas/EventTypeForNdsGroup/oneOf/1/title"
            ),
            (
                "HostEvent",
                "host-event",
                "/components/schemas/EventTypeForNdsGroup/oneOf/0/title"
            ),
            (
                "UserEvent",
                "user-event",
                "/components/schemas/EventTypeForNdsGroup/oneOf/2/title"
            ),
        ]
    );
    assert!(generation.warnings.is_empty(), "{:?}", generation.warnings);
}

#[test]
fn view_union_overlap() {
    let generation = snapshot("view-union-overlap");
    let Some(TypeDef::Union(union)) = generation.api.types.get("EventViewForNdsGroup") else {
        panic!("EventViewForNdsGroup should be a union");
    };
    assert_eq!(union.rust_name, "GroupEvent");
    let owners: Vec<(&str, Vec<&str>)> = union
        .variants
        .iter()
        .map(|v| {
            (
                v.type_key.as_str(),
                v.names.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    // HOST_DOWN is listed by both views: the specific one wins.
    assert_eq!(
        owners,
        vec![
            ("DefaultEventViewForNdsGroup", vec!["PROJECT_CREATED"]),
            ("HostEventViewForNdsGroup", vec!["HOST_DOWN", "HOST_UP"]),
        ]
    );
    assert_eq!(
        union.variants[union.fallback].type_key,
        "DefaultEventViewForNdsGroup"
    );
    let warning = generation
        .warnings
        .iter()
        .find(|w| w.contains("the specific view wins"))
        .unwrap_or_else(|| panic!("no overlap warning in {:?}", generation.warnings));
    assert_contains(
        warning,
        &[
            "/components/schemas/EventViewForNdsGroup",
            "DefaultEventViewForNdsGroup",
            "HOST_DOWN -> HostEventViewForNdsGroup",
        ],
    );
}

#[test]
fn discriminator_without_one_of_with_fixups() {
    let generation = snapshot("discriminator-without-one-of");
    let e = enum_def(&generation, "HostMetricEvent.metricName");
    let kinds: Vec<(&str, &str)> = e
        .values
        .iter()
        .map(|v| (v.wire.as_str(), v.label.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("ASSERT_REGULAR", "Number"),
            ("CACHE_BYTES_READ_INTO", "Data"),
            ("OPCOUNTER_CMD", "Number"),
            ("QUERY_TARGETING", "Raw"),
        ]
    );
    let field = struct_def(&generation, "HostMetricEvent")
        .fields
        .iter()
        .find(|f| f.wire_name == "metricName")
        .expect("metricName field");
    assert_eq!(
        field.ty,
        TypeRef::Named("HostMetricEvent.metricName".into())
    );
    // The views the mapping names are reached through it alone, and still generated.
    for view in [
        "DataMetricEventView",
        "NumberMetricEventView",
        "RawMetricEventView",
    ] {
        struct_def(&generation, view);
    }
    // The units enum learns the spellings of the views' units enums, each once, after its own.
    let units: Vec<(&str, &str)> = enum_def(&generation, "HostMetricValue.units")
        .values
        .iter()
        .map(|v| (v.wire.as_str(), v.rust_name.as_str()))
        .collect();
    assert_eq!(
        units,
        vec![
            ("bytes", "Bytes"),
            ("MB", "Mb"),
            ("BYTES", "BytesV1"),
            ("MEGABYTES", "Megabytes"),
            ("COUNT", "Count"),
            ("RAW", "Raw"),
        ]
    );
    let models = models_and_operations(&generation);
    assert!(
        models.contains("pub fn kind(&self)"),
        "no kind() in\n{models}"
    );
    for fixup in [
        "host_metric_discriminator_without_one_of",
        "metric_units_server_spellings",
    ] {
        assert!(
            generation.warnings.iter().any(|w| w.contains(fixup)),
            "{fixup} does not report itself: {:?}",
            generation.warnings
        );
    }
}

#[test]
fn discriminator_without_one_of_without_fixup() {
    let message = failure(&layout_with(
        "discriminator-without-one-of",
        "generator-no-fixup.toml",
    ));
    assert_contains(
        &message,
        &[
            "spec error at /components/schemas/HostMetricEvent/discriminator:",
            "unsupported construct: a discriminator outside a oneOf",
        ],
    );
}

#[test]
fn discriminator_mapping_to_a_missing_schema() {
    assert_contains(
        &failure(&layout("broken-mapping-target")),
        &[
            "spec error at /components/schemas/HostMetricEvent/discriminator/mapping/QUERY_TARGETING:",
            "#/components/schemas/RawMetricEventView` points at nothing",
        ],
    );
}

#[test]
fn keywords_and_digits() {
    let generation = snapshot("keywords-and-digits");
    let fields: Vec<(&str, &str)> = struct_def(&generation, "Thing")
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f.rust_name.as_str()))
        .collect();
    // Fields come in the order of the subset document, which sorts properties by name.
    assert_eq!(
        fields,
        vec![
            ("2fa", "n2fa"),
            ("example", "example"),
            ("limit", "limit"),
            ("self", "self_"),
            ("type", "type_"),
        ]
    );
    let variants: Vec<(&str, &str)> = enum_def(&generation, "Thing.limit")
        .values
        .iter()
        .map(|v| (v.wire.as_str(), v.rust_name.as_str()))
        .collect();
    assert_eq!(
        variants,
        vec![
            ("1000 requests", "N1000Requests"),
            ("self", "Self_"),
            ("UNKNOWN", "Unknown_"),
        ]
    );
}

#[test]
fn nested_inline_enums() {
    let generation = snapshot("nested-inline-enums");
    let item = struct_def(&generation, "Thing.checks");
    assert_eq!(item.rust_name, "ThingChecks");
    assert_eq!(
        enum_def(&generation, "Thing.checks.status").rust_name,
        "ThingChecksStatus"
    );
    assert_eq!(
        enum_def(&generation, "Thing.checks.tags").rust_name,
        "ThingChecksTags"
    );
    let checks = &struct_def(&generation, "Thing").fields[0];
    assert_eq!(
        checks.ty,
        TypeRef::List(Box::new(TypeRef::Named("Thing.checks".into())))
    );
}

#[test]
fn vendor_media_type() {
    let generation = snapshot("vendor-media-type");
    let op = &generation.api.operations[0];
    assert_eq!(op.accept, "application/vnd.atlas.2024-08-05+json");
    assert_eq!(op.response, TypeRef::Named("ThingV2".into()));
    assert!(
        generation
            .warnings
            .iter()
            .any(|w| w.contains("several media types")
                && w.contains(
                    "/paths/~1api~1atlas~1v2~1groups~1{groupId}~1events/get/responses/200"
                )),
        "{:?}",
        generation.warnings
    );
}

/// `enum: []` admits no value at all: an error with its pointer, not a type nothing can hold.
#[test]
fn empty_enum_is_an_error() {
    assert_contains(
        &failure(&layout("broken-empty-enum")),
        &[
            "spec error at /components/schemas/Thing/properties/state/enum:",
            "an enum must list at least one value",
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Broken specs: an error with the pointer and the reason, no panic, nothing written.

#[test]
fn missing_ref_target() {
    assert_contains(
        &failure(&layout("broken-missing-ref")),
        &[
            "spec error at /components/schemas/Thing/properties/owner:",
            "`$ref: #/components/schemas/Owner` points at nothing",
        ],
    );
}

#[test]
fn reference_cycle() {
    assert_contains(
        &failure(&layout("broken-ref-cycle")),
        &[
            "spec error at /components/schemas/Alias:",
            "reference cycle: Alias -> Thing -> Alias",
        ],
    );
}

#[test]
fn all_of_is_unsupported() {
    assert_contains(
        &failure(&layout("broken-all-of")),
        &[
            "spec error at /components/schemas/Thing/properties/base:",
            "unsupported construct: `allOf`",
        ],
    );
}

/// What the client cannot send or decode is refused with its pointer: before this, a request
/// body was dropped, a POST became a GET and a `default` response was ignored, silently.
#[test]
fn operations_the_client_cannot_send_are_refused() {
    let operation = "/paths/~1api~1atlas~1v2~1groups~1{groupId}~1events";
    for (case, parts) in [
        (
            "broken-request-body",
            [
                format!("spec error at {operation}/get/requestBody:"),
                "unsupported construct: a request body".to_string(),
            ],
        ),
        (
            "broken-post",
            [
                format!("spec error at {operation}/post:"),
                "unsupported construct: HTTP method POST".to_string(),
            ],
        ),
        (
            "broken-default-response",
            [
                format!("spec error at {operation}/get/responses/default:"),
                "unsupported construct: a `default` response".to_string(),
            ],
        ),
    ] {
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        assert_contains(&failure(&layout(case)), &parts);
    }
}

#[test]
fn number_values_in_a_string_enum() {
    assert_contains(
        &failure(&layout("broken-number-enum")),
        &[
            "spec error at /components/schemas/Thing/properties/level/enum/0:",
            "enum values must be strings (found `1`)",
        ],
    );
}

#[test]
fn null_in_a_string_enum() {
    assert_contains(
        &failure(&layout("broken-null-enum")),
        &[
            "spec error at /components/schemas/Thing/properties/level/enum/1:",
            "enum values must be strings (null is not supported)",
        ],
    );
}

#[test]
fn integer_enum() {
    assert_contains(
        &failure(&layout("broken-integer-enum")),
        &[
            "spec error at /components/schemas/Thing/properties/level:",
            "integer enums are not supported",
        ],
    );
}

#[test]
fn fields_colliding_after_conversion() {
    assert_contains(
        &failure(&layout("broken-field-collision")),
        &[
            "spec error at /components/schemas/Thing/properties/foo_bar:",
            "`foo_bar` and `fooBar` (at /components/schemas/Thing/properties/fooBar) both convert to the Rust name `foo_bar`",
            "generator.toml [names]",
        ],
    );
}

#[test]
fn variants_colliding_after_conversion() {
    assert_contains(
        &failure(&layout("broken-variant-collision")),
        &[
            "spec error at /components/schemas/Thing/properties/mode/enum/1:",
            "`a_b` and `a-b` (at /components/schemas/Thing/properties/mode/enum/0) both convert to the Rust name `AB`",
        ],
    );
}

/// Category titles become variants and slugs of a closed enum: two titles that differ only in
/// case, spacing or punctuation cannot be told apart there.
#[test]
fn categories_colliding_after_conversion() {
    assert_contains(
        &failure(&layout("broken-category-collision")),
        &[
            "spec error at /components/schemas/EventTypeForNdsGroup/oneOf/2/title:",
            "the category titles `CLUSTER-EVENT types` and `Cluster Event Types` (at /components/schemas/ClusterEventTypeViewForNdsGroup/title) both convert to the variant `GroupEventCategory::ClusterEvent`",
        ],
    );
}

#[test]
fn operation_in_config_missing_from_spec() {
    assert_contains(
        &failure(&layout("broken-missing-operation")),
        &[
            "spec error at /paths:",
            "operation `listGhosts` named in generator.toml [subset].operations does not exist",
        ],
    );
}

/// The `keywords-and-digits` fixture with one edit, written under the target directory.
fn edited_fixture(name: &str, from: &str, to: &str) -> Layout {
    let source = layout("keywords-and-digits");
    let spec = std::fs::read_to_string(&source.spec).unwrap();
    assert!(spec.contains(from), "`{from}` is not in the fixture");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("generator-edited-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("spec.yaml"), spec.replacen(from, to, 1)).unwrap();
    Layout {
        spec: dir.join("spec.yaml"),
        ..source
    }
}

/// The runtime reads error answers into its own `ErrorBody`, not into a schema of the spec, so no
/// subset needs an `ApiError`: the fixtures have none, and their crates build
/// (`fixture_crates_compile`). One whose `ApiError` has other types generates too, as a model
/// like any other (an earlier runtime named `crate::models::ApiError`: a subset without it was
/// refused, and one with other field types emitted a crate that did not build).
#[test]
fn no_subset_needs_an_api_error_schema() {
    for case in generating_fixtures() {
        let generation = generated(&case);
        assert!(
            !generation
                .output
                .files
                .keys()
                .any(|path| path.ends_with("api_error.rs")),
            "{case}: an ApiError model"
        );
    }
    let source = layout("keywords-and-digits");
    let spec = std::fs::read_to_string(&source.spec)
        .unwrap()
        .replacen(
            "      responses:\n",
            "      responses:\n        \"400\":\n          description: Bad Request\n          \
             content:\n            application/json:\n              schema:\n                \
             $ref: '#/components/schemas/ApiError'\n",
            1,
        )
        .replacen(
            "  schemas:\n",
            "  schemas:\n    ApiError:\n      type: object\n      properties:\n        \
             errorCode:\n          type: integer\n        detail:\n          type: array\n          \
             items:\n            type: string\n",
            1,
        );
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generator-api-error-of-other-types");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("spec.yaml"), spec).unwrap();
    let other_types = Layout {
        spec: dir.join("spec.yaml"),
        ..source
    };
    let generation = generate(&other_types).expect("generates with an ApiError of other types");
    assert!(
        generation
            .output
            .files
            .contains_key(Path::new("generated/src/models/api_error.rs")),
        "the ApiError model"
    );
}

/// Operations the emitted client could not express are refused with their pointer, instead of
/// a panic or a crate that does not compile.
#[test]
fn operations_the_client_cannot_express() {
    let operation = "/paths/~1api~1atlas~1v2~1groups~1{groupId}~1events/get";
    let parameter = "/paths/~1api~1atlas~1v2~1groups~1{groupId}~1events/get/parameters/0";
    let query = "        - name: groupId\n          in: path\n";
    for (name, from, to, parts) in [
        (
            "digit-operation-id",
            "operationId: getThing",
            "operationId: 2faThing",
            vec![
                operation,
                "operationId `2faThing` converts to `2fa_thing`, which is not a Rust identifier",
            ],
        ),
        (
            "segment-with-text",
            "/groups/{groupId}/events:",
            "/groups/v{groupId}/events:",
            vec![
                "/paths/~1api~1atlas~1v2~1groups~1v{groupId}~1events/get",
                "path segment `v{groupId}` mixes a template parameter with text",
            ],
        ),
        (
            "optional-path-parameter",
            "required: true",
            "required: false",
            vec![parameter, "a path parameter must be `required: true`"],
        ),
        (
            "integer-path-parameter",
            "type: string",
            "type: integer",
            vec![parameter, "path parameters must be strings"],
        ),
        (
            "object-query-parameter",
            query,
            "        - name: filter\n          in: query\n          schema:\n            type: object\n        - name: groupId\n          in: path\n",
            vec![
                parameter,
                "a query parameter must be a string, boolean, number, timestamp or string enum",
            ],
        ),
    ] {
        let message = failure(&edited_fixture(name, from, to));
        assert_contains(&message, &parts);
    }
}

/// A success body the client cannot decode, and parameters it cannot send as the spec says.
#[test]
fn media_types_and_parameter_styles_the_client_cannot_express() {
    let operation = "/paths/~1api~1atlas~1v2~1groups~1{groupId}~1events/get";
    for (name, from, to, parts) in [
        (
            "text-success",
            "application/vnd.atlas.2023-01-01+json:",
            "text/csv:",
            vec![
                "/responses/200/content/text~1csv:",
                "unsupported construct: media type `text/csv`",
            ],
        ),
        (
            "header-parameter",
            "          in: path\n",
            "          in: header\n",
            vec![
                "/parameters/0:",
                "header and cookie parameters are not supported",
            ],
        ),
        (
            "unexploded-list",
            "          in: path\n",
            "          in: path\n          explode: false\n",
            vec!["/parameters/0:", "`explode: false`"],
        ),
    ] {
        let message = failure(&edited_fixture(name, from, to));
        assert_contains(&message, &[operation]);
        assert_contains(&message, &parts);
    }
}

/// `type: object` beside a `oneOf` of string enums is an upstream bug: an error naming its
/// pointer unless the named fixup is enabled, and the fixup fails once no schema has the bug.
#[test]
fn one_of_string_enums_typed_object_is_a_named_fixup() {
    let source = layout("huge-enum");
    let spec = std::fs::read_to_string(&source.spec).unwrap();
    let from = "      description: Every event type name, by category.\n";
    assert!(spec.contains(from));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generator-typed-object");
    std::fs::create_dir_all(&dir).unwrap();
    let buggy = dir.join("buggy.yaml");
    std::fs::write(
        &buggy,
        spec.replacen(from, &format!("{from}      type: object\n"), 1),
    )
    .unwrap();
    let config = std::fs::read_to_string(&source.config).unwrap();
    let with_fixup = dir.join("with-fixup.toml");
    std::fs::write(
        &with_fixup,
        config.replacen(
            "fixups = []",
            "fixups = [\"one_of_string_enums_typed_object\"]",
            1,
        ),
    )
    .unwrap();
    let case = |spec: &Path, config: &Path| Layout {
        spec: spec.to_path_buf(),
        config: config.to_path_buf(),
        ..layout("huge-enum")
    };

    assert_contains(
        &failure(&case(&buggy, &source.config)),
        &[
            "spec error at /components/schemas/EventTypeForNdsGroup/type:",
            "enable fixup `one_of_string_enums_typed_object`",
        ],
    );
    let fixed = generate(&case(&buggy, &with_fixup)).expect("the fixup reads it as an enum");
    assert!(fixed.warnings.iter().any(|w| w.contains(
        "fixup one_of_string_enums_typed_object: /components/schemas/EventTypeForNdsGroup:"
    )));
    assert_eq!(enum_def(&fixed, "EventTypeForNdsGroup").values.len(), 300);
    assert_contains(
        &failure(&case(&source.spec, &with_fixup)),
        &["fixup `one_of_string_enums_typed_object` no longer applies"],
    );
}

/// A schema name with a `/` is referenced as `~1` (JSON pointer escaping) and still found.
#[test]
fn escaped_reference_tokens_are_resolved() {
    let source = edited_fixture(
        "escaped-ref",
        "$ref: '#/components/schemas/Sample'",
        "$ref: '#/components/schemas/Sam~1ple'",
    );
    let spec = std::fs::read_to_string(&source.spec).unwrap();
    std::fs::write(
        &source.spec,
        spec.replacen("    Sample:\n", "    Sam/ple:\n", 1),
    )
    .unwrap();
    let generation = generate(&source).expect("generates");
    assert!(
        struct_def(&generation, "Sam/ple")
            .fields
            .iter()
            .any(|f| f.wire_name == "text")
    );
}

/// A map with a schema for its values is kept whole as JSON, and regen says so.
#[test]
fn typed_maps_are_kept_as_json_with_a_warning() {
    let layout = edited_fixture(
        "typed-map",
        "        2fa:\n          type: boolean\n",
        "        2fa:\n          type: boolean\n        labels:\n          type: object\n          additionalProperties:\n            type: string\n",
    );
    let generation = generate(&layout).expect("generates");
    let labels = struct_def(&generation, "Thing")
        .fields
        .iter()
        .find(|f| f.wire_name == "labels")
        .expect("labels field");
    assert_eq!(labels.ty, TypeRef::JsonObject);
    assert!(
        generation.warnings.iter().any(|w| w
            == "/components/schemas/Thing/properties/labels/additionalProperties: the values' schema is not modelled; the object is kept as a JSON map"),
        "{:?}",
        generation.warnings
    );
}

/// What `openapiv3` refuses is reported at the pointer of the offending part.
#[test]
fn invalid_openapi_names_the_pointer() {
    let message = failure(&edited_fixture(
        "not-openapi",
        "required: true",
        "required: yes-please",
    ));
    assert_contains(
        &message,
        &[
            "spec error at /paths/~1api~1atlas~1v2~1groups~1{groupId}~1events/get/parameters/0",
            "not valid OpenAPI 3.0",
        ],
    );
}

#[test]
fn yaml_syntax_error_names_file_and_line() {
    let layout = layout("broken-yaml-syntax");
    let message = failure(&layout);
    assert_contains(
        &message,
        &[
            "cannot parse spec",
            &layout.spec.display().to_string(),
            // The unclosed `[` opens on line 8; the parser notices on line 9.
            "line 9 column 18",
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// A failed regen leaves `generated/` untouched.

/// Every file under `dir`, by relative path, with its contents.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let contents = std::fs::read(&path).expect("read");
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), contents);
            }
        }
    }
    files
}

/// `cargo xtask regen` in miniature: generate in memory, write only on success.
fn regen(root: &Path, layout: &Layout) -> Result<(), xtask::Error> {
    let generation = generate(layout)?;
    generation.output.write(root)?;
    Ok(())
}

#[test]
fn failed_regen_changes_nothing() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generator-failed-regen");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();

    regen(&root, &layout("keywords-and-digits")).expect("the good fixture regenerates");
    // A hand-made file in generated/ would be removed as stale by a successful regen.
    std::fs::write(root.join("generated/src/models/hand_made.rs"), "// kept\n").unwrap();
    let before = tree(&root);
    assert!(before.contains_key(Path::new("generated/src/models/thing.rs")));
    assert!(before.contains_key(Path::new("spec/events-subset.json")));

    for broken in [
        "broken-missing-ref",
        "broken-ref-cycle",
        "broken-all-of",
        "broken-field-collision",
        "broken-yaml-syntax",
        "broken-request-body",
        "broken-post",
        "broken-default-response",
    ] {
        let result = regen(&root, &layout(broken));
        assert!(result.is_err(), "`{broken}` should fail");
        assert!(
            tree(&root) == before,
            "a failed regen of `{broken}` changed files under {}",
            root.display()
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_directory_in_the_way_fails_the_regen_before_any_file_changes() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generator-directory-in-the-way");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    regen(&root, &layout("keywords-and-digits")).expect("the good fixture regenerates");

    // Changed, stale and blocked files at once: lib.rs edited, a stale file, a directory
    // standing where a generated file goes.
    std::fs::write(root.join("generated/src/lib.rs"), "// edited\n").unwrap();
    std::fs::write(root.join("generated/src/models/hand_made.rs"), "// stale\n").unwrap();
    let blocked = root.join("generated/src/models/thing.rs");
    std::fs::remove_file(&blocked).unwrap();
    std::fs::create_dir(&blocked).unwrap();
    std::fs::write(blocked.join("inside.txt"), "x").unwrap();
    let before = tree(&root);

    let error = regen(&root, &layout("keywords-and-digits")).unwrap_err();
    assert!(
        error.to_string().contains("thing.rs"),
        "the error names the blocked path: {error}"
    );
    assert!(tree(&root) == before, "a failed regen changed files");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_symlink_in_generated_is_removed_as_stale_and_never_followed() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generator-symlink");
    let outside = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generator-symlink-outside");
    for dir in [&root, &outside] {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(outside.join("notes.txt"), "not the generator's").unwrap();
    regen(&root, &layout("keywords-and-digits")).expect("the good fixture regenerates");
    let link = root.join("generated/src/models/elsewhere");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, &link).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&link, root.join("generated/src/models/loop")).unwrap();

    regen(&root, &layout("keywords-and-digits")).expect("regen removes stale links");
    assert!(
        std::fs::symlink_metadata(&link).is_err(),
        "the stale link is gone"
    );
    assert_eq!(
        std::fs::read_to_string(outside.join("notes.txt")).unwrap(),
        "not the generator's"
    );
    for dir in [&root, &outside] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// The generator fixtures that must generate: every case not named `broken-*`.
fn generating_fixtures() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(fixtures())
        .expect("the fixtures directory")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|case| !case.starts_with("broken-"))
        .collect();
    cases.sort();
    cases
}

/// The crate every generating fixture emits builds, client and default features included, without
/// warnings: as progenitor compiles its expected outputs, so that a snapshot of code that does
/// not compile cannot be accepted. All of them are members of one workspace built at once, in
/// the target directory the changelog's build of a generated crate shares.
#[test]
fn fixture_crates_compile() {
    let cases = generating_fixtures();
    assert!(cases.len() >= 5, "fixtures: {cases:?}");
    let generations: Vec<(String, Generation)> = cases
        .iter()
        .map(|case| (format!("fixture-{case}"), generated(case)))
        .collect();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates");
    // Beside the fixtures, another tag of the vendored spec: its crate has no event lists, so
    // the copied helpers it does not use must not warn.
    generated_crate::write_workspace(
        &dir,
        generations
            .iter()
            .map(|(name, generation)| (name.as_str(), &generation.output.files))
            .chain([("tag-root", &ROOT_TAG.output.files)]),
    );
    if let Err(compiler) = generated_crate::build_workspace(&dir) {
        panic!("a fixture's generated crate does not build without warnings:\n{compiler}");
    }
}

/// The spec's text is CC BY-NC-SA 3.0 US: `spec_prose = false` generates a crate whose docs copy
/// none of it, and whose manifest, README and LICENSE say which licence applies.
#[test]
fn spec_prose_false_generates_docs_without_the_specs_text() {
    let root = xtask::repository_root();
    let config = std::fs::read_to_string(root.join("spec/generator.toml")).unwrap();
    assert!(!config.contains("spec_prose = false"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("spec-prose-false");
    std::fs::create_dir_all(&dir).unwrap();
    let without = dir.join("generator.toml");
    std::fs::write(
        &without,
        config.replace("spec_prose = true", "spec_prose = false"),
    )
    .unwrap();

    let with_prose = generate(&Layout::repository(&root, None)).unwrap();
    let mut layout = Layout::repository(&root, None);
    layout.config = without;
    let without_prose = generate(&layout).unwrap();

    // Descriptions from the spec, as they stand in its text.
    let spec_sentences = [
        "Unique 24-hexadecimal digit string that identifies the event.",
        "Date and time when this event occurred.",
        "Returns one event for the specified project.",
    ];
    let text = |g: &Generation, path: &str| -> String {
        g.output
            .files
            .iter()
            .find(|(p, _)| p.ends_with(path))
            .map(|(_, c)| c.clone())
            .unwrap_or_else(|| panic!("no {path}"))
    };
    let all = |g: &Generation| -> String {
        g.output
            .files
            .iter()
            .filter(|(p, _)| p.starts_with("generated"))
            .map(|(_, c)| c.as_str())
            .collect()
    };
    let (prose, bare) = (all(&with_prose), all(&without_prose));
    for sentence in spec_sentences {
        assert!(prose.contains(sentence), "default docs copy `{sentence}`");
        assert!(
            !bare.contains(sentence),
            "`{sentence}` left in the prose-free crate"
        );
    }
    // The same API either way: only docs differ.
    assert_eq!(with_prose.api.types.len(), without_prose.api.types.len());
    assert_eq!(
        with_prose.output.files.len(),
        without_prose.output.files.len()
    );

    assert!(text(&with_prose, "generated/Cargo.toml").contains("license-file = \"LICENSE\""));
    assert!(text(&with_prose, "generated/LICENSE").contains("CC BY-NC-SA 3.0 US"));
    assert!(text(&without_prose, "generated/Cargo.toml").contains("license = \"Apache-2.0\""));
    let license = text(&without_prose, "generated/LICENSE");
    assert!(
        license.contains("copies\nno text") || license.contains("copies no text"),
        "{license}"
    );
    assert!(!license.contains("CC BY-NC-SA"), "{license}");
}

/// The published crate carries what crates.io and docs.rs read: the manifest's links, readme and
/// docs.rs settings (with `docsrs` declared, so `cargo check` does not warn about it), and a
/// `doc(cfg)` label on every item that needs the `client` feature.
#[test]
fn the_crate_is_ready_for_crates_io_and_docs_rs() {
    let root = xtask::repository_root();
    let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
    let manifest = read("generated/Cargo.toml");
    let config = read("spec/generator.toml");
    assert!(
        config.contains("\nrepository = \"https://github.com/atlas-events-rs/atlas-events\"\n")
    );
    for line in [
        "repository = \"https://github.com/atlas-events-rs/atlas-events\"",
        "documentation = \"https://docs.rs/mongodb-atlas-events\"",
        "readme = \"README.md\"",
        "[package.metadata.docs.rs]\nall-features = true\nrustdoc-args = [\"--cfg\", \"docsrs\"]",
        "unexpected_cfgs = { level = \"warn\", check-cfg = ['cfg(docsrs)'] }",
    ] {
        assert!(manifest.contains(line), "no `{line}` in\n{manifest}");
    }

    let lib = read("generated/src/lib.rs");
    assert!(lib.contains("#![cfg_attr(docsrs, feature(doc_cfg))]"));
    let lines: Vec<&str> = lib.lines().collect();
    let gated: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i] == "#[cfg(feature = \"client\")]")
        .collect();
    assert!(gated.len() >= 8, "{lib}");
    for i in gated {
        assert_eq!(
            lines.get(i + 1).copied(),
            Some("#[cfg_attr(docsrs, doc(cfg(feature = \"client\")))]"),
            "line {} of lib.rs is client-only without a docs label",
            i + 1
        );
    }
}

/// crates.io renders the README without rustdoc, so an intra-doc link such as [`Client`] would
/// show as raw brackets there: every such link is a reference link whose definition points at
/// docs.rs (rustdoc, which includes the README as the crate's docs, follows it too).
#[test]
fn readme_links_render_on_crates_io() {
    let readme = std::fs::read_to_string(xtask::repository_root().join("generated/README.md"))
        .expect("generated/README.md");
    let prefix = "https://docs.rs/mongodb-atlas-events/";
    let mut defined = BTreeMap::new();
    let mut used = Vec::new();
    let mut in_code = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        if let Some((label, target)) = line.split_once("]: ")
            && label.starts_with('[')
        {
            defined.insert(format!("{label}]"), target.to_string());
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find("[`") {
            let tail = &rest[start..];
            let end = tail.find("`]").expect("a closed link label") + 2;
            if !tail[end..].starts_with('(') {
                used.push(tail[..end].to_string());
            }
            rest = &tail[end..];
        }
    }
    assert!(used.len() >= 4, "{used:?}");
    for label in &used {
        let target = defined
            .get(label)
            .unwrap_or_else(|| panic!("{label} has no link definition in the README"));
        assert!(target.starts_with(prefix), "{label}: {target}");
    }
    for (label, target) in &defined {
        assert!(used.contains(label), "{label} is defined but not used");
        assert!(target.starts_with(prefix), "{label}: {target}");
    }
}

#[test]
fn another_tag_generates_a_crate_without_the_event_examples() {
    let files: Vec<String> = ROOT_TAG
        .output
        .files
        .keys()
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        files
            .iter()
            .any(|f| f.ends_with("src/operations/get_system_status.rs")),
        "{files:#?}"
    );
    // The README's and examples/' code calls the event lists, which this crate does not have.
    assert!(
        !files.iter().any(|f| f.contains("/examples/")),
        "{files:#?}"
    );
    let readme = ROOT_TAG
        .output
        .files
        .iter()
        .find(|(path, _)| path.ends_with("README.md"))
        .map(|(_, text)| text)
        .unwrap();
    assert!(!readme.contains("list_group_events"), "{readme}");
    assert!(readme.contains("`get_system_status`"), "{readme}");
}

/// Other tags either generate or stop with the JSON pointer of what the client cannot express:
/// never a crate that silently drops input.
#[test]
fn tags_the_client_cannot_express_stop_with_a_pointer() {
    for (tags, pointer) in [
        (
            "\"Alerts\"",
            "/components/schemas/AlertViewForNdsGroup/oneOf/0",
        ),
        (
            "\"Access Tracking\"",
            "/paths/~1api~1atlas~1v2~1groups~1{groupId}~1dbAccessHistory~1clusters~1{clusterName}/get/parameters/5/schema",
        ),
        (
            "\"Limit Description\"",
            "/paths/~1api~1atlas~1v2~1defaultGroupLimits~1{limitName}/get/parameters/2",
        ),
    ] {
        let error = failure(&vendored_spec_with_tags(tags));
        assert!(error.contains(pointer), "tags {tags}: {error}");
    }
}

/// `[names]` overrides that no longer match anything are reported: after an upstream rename
/// such an override silently stops applying and the Rust name changes.
#[test]
fn overrides_that_match_nothing_are_reported_and_the_others_apply() {
    let layout = fixture_with_config(
        "stale-overrides",
        "\n[names.types]\nSample = \"Specimen\"\nThingView = \"Gone\"\n\
         [names.fields]\n\"Thing.self\" = \"self_flag\"\n\"Thing.removed\" = \"removed\"\n\
         [names.variants]\n\"Thing.limit.self\" = \"Itself\"\n\"Thing.limit.NEVER\" = \"Never\"\n",
    );
    let generation = generate(&layout).expect("the fixture generates");
    let stale: Vec<&String> = generation
        .warnings
        .iter()
        .filter(|w| w.contains("matches nothing"))
        .collect();
    assert_eq!(stale.len(), 3, "{:#?}", generation.warnings);
    for key in [
        "names.types.\"ThingView\"",
        "names.fields.\"Thing.removed\"",
        "names.variants.\"Thing.limit.NEVER\"",
    ] {
        assert!(
            stale.iter().any(|w| w.contains(key)),
            "no warning names {key}: {stale:#?}"
        );
    }
    let models: String = generation.output.files.values().cloned().collect();
    for applied in ["pub struct Specimen", "pub self_flag:", "Itself"] {
        assert!(models.contains(applied), "`{applied}` not generated");
    }
}

/// The runtime crate's `src/` is the generated `runtime` module as it is, behind the header: no
/// file left out, none added, nothing stripped (its root and tests sit outside `src/`).
#[test]
fn the_runtime_is_copied_as_it_is() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let names = |dir: &Path| -> std::collections::BTreeSet<String> {
        let entries = std::fs::read_dir(dir).unwrap();
        entries
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect()
    };
    let source = root.join("templates/runtime/src");
    let copy = root.join("generated/src/runtime");
    assert_eq!(names(&source), names(&copy));
    for name in names(&source) {
        let original = std::fs::read_to_string(source.join(&name)).unwrap();
        let copied = std::fs::read_to_string(copy.join(&name)).unwrap();
        assert!(
            copied.ends_with(&original),
            "generated/src/runtime/{name} is not templates/runtime/src/{name} as it is"
        );
        let header = &copied[..copied.len() - original.len()];
        assert!(
            header.lines().all(|l| l.starts_with("//") || l.is_empty()),
            "{name}: more than a header before the copy: {header}"
        );
    }
}

/// The crate's page on crates.io opens with one sentence naming the API, once.
#[test]
fn the_crate_readme_names_the_api_once() {
    let readme = std::fs::read_to_string(xtask::repository_root().join("generated/README.md"))
        .expect("generated/README.md");
    let opening = readme
        .split("\n\n")
        .find(|paragraph| paragraph.starts_with("Typed models"))
        .expect("the opening paragraph");
    assert_eq!(
        opening.matches("Atlas Administration API").count(),
        1,
        "{opening}"
    );
}
