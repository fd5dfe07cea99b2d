//! `[names]` overrides of generator.toml that no longer match anything are reported: after an
//! upstream rename such an override silently stops applying and the Rust name changes.

use std::path::PathBuf;

use xtask::{Layout, generate, repository_root};

/// A fixture spec with `names` appended to its generator.toml, in a directory of its own.
fn layout_with_names(test: &str, names: &str) -> Layout {
    let case = repository_root().join("tests/fixtures/specs/keywords-and-digits");
    let dir = std::env::temp_dir().join(format!("xtask-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = std::fs::read_to_string(case.join("generator.toml")).unwrap() + names;
    std::fs::write(dir.join("generator.toml"), config).unwrap();
    Layout {
        spec: case.join("spec.yaml"),
        config: dir.join("generator.toml"),
        templates: repository_root().join("templates"),
        subset: PathBuf::from("spec/events-subset.json"),
        generated: PathBuf::from("generated"),
    }
}

#[test]
fn overrides_that_match_nothing_are_reported_and_the_others_apply() {
    let layout = layout_with_names(
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
