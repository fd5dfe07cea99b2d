//! Medians of 5 runs: YAML parse alone of the full spec (serde-saphyr, the parser regen uses,
//! into `serde_json::Value`), and progenitor's generation of the Events subset
//! (relabel + openapiv3 + generate_tokens + prettyplease, as in build.rs).

use std::time::{Duration, Instant};

#[path = "../spec_prep.rs"]
mod spec_prep;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Vec<Duration>) {
    let all: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    (median(all.clone()), all)
}

fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec");
    let yaml = std::fs::read_to_string(format!("{root}/atlas-api.yaml")).expect("read spec");
    let subset = std::fs::read_to_string(format!("{root}/events-subset.json")).expect("read");
    let (m, all) = time(5, || {
        serde_saphyr::from_str::<serde_json::Value>(&yaml).expect("parse YAML")
    });
    println!(
        "yaml parse alone ({} bytes): median {m:?} of {all:?}",
        yaml.len()
    );
    let (m, all) = time(5, || {
        spec_prep::progenitor_generate(&subset).expect("progenitor")
    });
    println!("progenitor generate (subset): median {m:?} of {all:?}");
    let code = spec_prep::progenitor_generate(&subset).expect("progenitor");
    println!("progenitor output: {} lines", code.lines().count());
}
