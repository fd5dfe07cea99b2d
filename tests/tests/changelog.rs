//! `cargo xtask changelog`: the report between two pinned upstream specs
//! (`tests/fixtures/upstream/atlas-api-2026-01-20.yaml` and `-2026-08-21.yaml`), the rules of
//! what breaks, and that spec changes outside the Events subset leave `generated/` untouched.
//!
//! Both specs are pinned so that updating `spec/atlas-api.yaml` does not change these tests.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use xtask::changelog::{self, Impact, Section, Verdict};
use xtask::model::{Api, Param, ParamLocation, TypeDef, TypeRef};
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
    assert_eq!(
        report.added_operations,
        ["getGroupActivityFeed", "getOrgActivityFeed"]
    );
    assert!(report.removed_operations.is_empty());
    assert!(report.renamed_operations.is_empty());
    let scope = |name: &str| {
        report
            .event_types
            .iter()
            .find(|s| s.scope == name)
            .unwrap_or_else(|| panic!("no {name} scope"))
    };
    let project = scope("project");
    assert_eq!(project.names_enum, "EventTypeForNdsGroup");
    assert_eq!((project.added.len(), project.removed.len()), (84, 22));
    let org = scope("organization");
    assert_eq!(org.names_enum, "EventTypeForOrg");
    assert_eq!((org.added.len(), org.removed.len()), (36, 2));
    assert_eq!(org.removed, ["CREDIT_MOVED", "ORG_SFDC_ACCOUNT_ID_CHANGED"]);

    // Removed event types (and the `results` fields that became required) break users.
    assert_eq!(report.verdict, Verdict::Major);
    assert_eq!(report.verdict.exit_code(), 20);
    assert!(
        report
            .entries
            .iter()
            .any(|e| e.section == Section::EventTypes
                && e.impact == Impact::Major
                && e.text.starts_with("22 project event types removed"))
    );
    assert!(
        report
            .entries
            .iter()
            .any(|e| e.section == Section::EventTypes
                && e.impact == Impact::Minor
                && e.text.starts_with("84 project event types added"))
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
    let verdict = |edit: &dyn Fn(&mut Api)| {
        let mut api = NEW.api.clone();
        edit(&mut api);
        changelog::diff(&NEW.api, &api)
    };

    // Same method and path, new operationId: a rename, which renames the client method.
    let renamed = verdict(&|api| {
        let op = operation(api, "listGroupEvents");
        op.id = "listProjectEvents".into();
        op.method_name = "list_project_events".into();
    });
    assert_eq!(
        renamed.renamed_operations,
        [(
            "listGroupEvents".to_string(),
            "listProjectEvents".to_string()
        )]
    );
    assert!(renamed.added_operations.is_empty() && renamed.removed_operations.is_empty());
    assert_eq!(renamed.verdict, Verdict::Major);

    let media = verdict(&|api| {
        operation(api, "listGroupEvents").accept = "application/vnd.atlas.2099-01-01+json".into();
    });
    assert_eq!(media.verdict, Verdict::Major);
    assert!(
        media
            .entries
            .iter()
            .any(|e| e.section == Section::MediaTypes)
    );

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
    let optional = verdict(&|api| operation(api, "listGroupEvents").params.push(param(false)));
    assert_eq!(optional.verdict, Verdict::Minor);
    assert_eq!(optional.verdict.exit_code(), 10);
    let required = verdict(&|api| operation(api, "listGroupEvents").params.push(param(true)));
    assert_eq!(required.verdict, Verdict::Major);

    let tightened = verdict(&|api| {
        let op = operation(api, "listGroupEvents");
        let p = op
            .params
            .iter_mut()
            .find(|p| p.constraints.maximum.is_some())
            .expect("a parameter with a maximum");
        p.constraints.maximum = p.constraints.maximum.map(|m| m - 1);
    });
    assert_eq!(tightened.verdict, Verdict::Major);
    let loosened = verdict(&|api| {
        let op = operation(api, "listGroupEvents");
        let p = op
            .params
            .iter_mut()
            .find(|p| p.constraints.maximum.is_some())
            .expect("a parameter with a maximum");
        p.constraints.maximum = p.constraints.maximum.map(|m| m + 1);
    });
    assert_eq!(loosened.verdict, Verdict::Patch);
    assert_eq!(loosened.verdict.exit_code(), 0);

    // A new value of an open enum is additive; removing one breaks `match`es.
    let added_value = verdict(&|api| {
        let Some(TypeDef::Enum(e)) = api.types.get_mut("HostMetricValue.units") else {
            panic!("HostMetricValue.units");
        };
        let mut value = e.values[0].clone();
        value.wire = "ZETTABYTES".into();
        value.rust_name = "Zettabytes".into();
        e.values.push(value);
    });
    assert_eq!(added_value.verdict, Verdict::Minor);
    let removed_value = verdict(&|api| {
        let Some(TypeDef::Enum(e)) = api.types.get_mut("HostMetricValue.units") else {
            panic!("HostMetricValue.units");
        };
        e.values.pop();
    });
    assert_eq!(removed_value.verdict, Verdict::Major);

    // Only documentation changed: patch, exit code 0.
    let docs = verdict(&|api| operation(api, "listGroupEvents").summary = Some("Edited".into()));
    assert_eq!(docs.verdict, Verdict::Patch);
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
    let _ = std::fs::remove_dir_all(&dir);
    for (path, contents) in &OLD.output.files {
        if let Ok(rest) = path.strip_prefix("generated") {
            let target = dir.join(rest);
            std::fs::create_dir_all(target.parent().expect("parent")).expect("dir");
            std::fs::write(&target, contents).expect("write");
        }
    }
    // Its own workspace, sharing this workspace's lock file and target directory.
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("Cargo.toml");
    std::fs::write(dir.join("Cargo.toml"), format!("{manifest}\n[workspace]\n")).expect("write");
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["build", "--offline", "--all-features", "--lib"])
        .current_dir(&dir)
        .env(
            "CARGO_TARGET_DIR",
            root().join("target/changelog-previous-crate"),
        )
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo");
    assert!(
        output.status.success(),
        "the crate generated from the previous spec does not build without warnings:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
