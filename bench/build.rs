//! Generates progenitor's client for `spec/events-subset.json` into `OUT_DIR/progenitor.rs`.

include!("src/spec_prep.rs");

fn main() {
    let subset = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/events-subset.json");
    println!("cargo::rerun-if-changed={subset}");
    println!("cargo::rerun-if-changed=src/spec_prep.rs");
    let text = std::fs::read_to_string(subset).expect("read spec/events-subset.json");
    let code = match progenitor_generate(&text) {
        Ok(code) => code,
        Err(e) => panic!("progenitor failed on the Events subset: {e}"),
    };
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("progenitor.rs");
    std::fs::write(out, code).expect("write OUT_DIR/progenitor.rs");
}
