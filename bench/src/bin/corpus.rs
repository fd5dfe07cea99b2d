//! What the generated Atlas-like corpus holds (`atlas_events_bench::corpus`): event types and
//! fields with their shares, bytes, the largest event. `--write DIR` also writes each page as
//! `DIR/SCOPE-pN.json`, to decode with `cargo conformance` or to look at.

use std::collections::BTreeMap;

use atlas_events_bench::corpus::PAGE_SIZE;
use atlas_events_bench::inputs::{CORPUS_PAGES, corpus_pages};
use atlas_events_bench::pages::{Scope, page_of};
use serde_json::Value;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let write_to = match args.as_slice() {
        [flag, dir] if flag == "--write" => Some(std::path::PathBuf::from(dir)),
        [] => None,
        _ => panic!("usage: corpus [--write DIR]"),
    };
    for scope in [Scope::Group, Scope::Org] {
        let pages = corpus_pages(scope);
        let events: Vec<&Value> = pages.iter().flatten().collect();
        let sizes: Vec<usize> = events
            .iter()
            .map(|e| serde_json::to_string(e).expect("encode").len())
            .collect();
        let bytes: usize = sizes.iter().sum();
        let mut types: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        let mut fields: BTreeMap<&str, usize> = BTreeMap::new();
        for (e, size) in events.iter().zip(&sizes) {
            let name = e["eventTypeName"].as_str().expect("eventTypeName");
            let entry = types.entry(name).or_default();
            entry.0 += 1;
            entry.1 += size;
            for key in e.as_object().expect("object").keys() {
                *fields.entry(key).or_default() += 1;
            }
        }
        let n = events.len() as f64;
        println!(
            "## {} ({} pages of {PAGE_SIZE}, {} events, {:.0} KiB of events, largest {} bytes)\n",
            scope.name(),
            pages.len(),
            events.len(),
            bytes as f64 / 1024.0,
            sizes.iter().max().expect("events")
        );
        println!("| event type | events | bytes |\n|---|---:|---:|");
        let mut by_count: Vec<_> = types.into_iter().collect();
        by_count.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
        for (name, (count, size)) in by_count {
            println!(
                "| `{name}` | {:.1} % | {:.1} % |",
                100.0 * count as f64 / n,
                100.0 * size as f64 / bytes as f64
            );
        }
        println!("\n| field | events carrying it |\n|---|---:|");
        let mut by_share: Vec<_> = fields.into_iter().collect();
        by_share.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        for (field, count) in by_share {
            println!("| `{field}` | {:.1} % |", 100.0 * count as f64 / n);
        }
        println!();
        if let Some(dir) = &write_to {
            std::fs::create_dir_all(dir).expect("create the output directory");
            for (i, page) in pages.iter().enumerate() {
                let refs: Vec<&Value> = page.iter().collect();
                let json = page_of(scope, &refs, i + 1, CORPUS_PAGES * PAGE_SIZE);
                let path = dir.join(format!("{}-p{}.json", scope.name(), i + 1));
                std::fs::write(&path, json).expect("write a page");
            }
        }
    }
}
