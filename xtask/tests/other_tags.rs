//! A `generator.toml` that cuts other tags of the vendored spec either generates a crate (without
//! the Events examples, which call operations it does not have) or stops with the JSON pointer of
//! what the client cannot express: never a crate that silently drops input.

use std::path::PathBuf;

use xtask::{Layout, generate, repository_root};

/// The vendored spec cut by `tags`, with no unions, fixups or name overrides (those name the
/// Events schemas).
fn layout_for_tags(tags: &str) -> Layout {
    let root = repository_root();
    let dir = std::env::temp_dir().join(format!(
        "xtask-tags-{}-{}",
        tags.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let config = format!("crate_version = \"0.0.1\"\nfixups = []\n[subset]\ntags = [{tags}]\n");
    std::fs::write(dir.join("generator.toml"), config).unwrap();
    Layout {
        spec: root.join("spec/atlas-api.yaml"),
        config: dir.join("generator.toml"),
        templates: root.join("templates"),
        subset: PathBuf::from("spec/events-subset.json"),
        generated: PathBuf::from("generated"),
    }
}

#[test]
fn another_tag_generates_a_crate_without_the_event_examples() {
    let generation = generate(&layout_for_tags("\"Root\"")).expect("the Root tag generates");
    let files: Vec<String> = generation
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
    let readme = generation
        .output
        .files
        .iter()
        .find(|(path, _)| path.ends_with("README.md"))
        .map(|(_, text)| text)
        .unwrap();
    assert!(!readme.contains("list_group_events"), "{readme}");
    assert!(readme.contains("`get_system_status`"), "{readme}");
}

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
        let error = match generate(&layout_for_tags(tags)) {
            Ok(_) => panic!("tags {tags} should not generate"),
            Err(error) => error.to_string(),
        };
        assert!(error.contains(pointer), "tags {tags}: {error}");
    }
}
