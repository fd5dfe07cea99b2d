//! Decode time of every input page (`atlas_events_bench::inputs`), ours against
//! `serde_json::Value` and `IgnoredAny`, measured alternately so that a machine that slows down
//! slows all three alike (see BENCHMARKS.md).
//!
//! `decode_pages table [ROUNDS]` prints the medians as Markdown; `decode_pages count INPUT
//! DECODER [TIMES]` decodes one page once (or TIMES times, for a sampling profiler) inside
//! `measured`, for an instruction count:
//! `valgrind --tool=callgrind --toggle-collect='*measured*' decode_pages count group/atlas-p1 ours`.

use std::hint::black_box;
use std::time::Instant;

use atlas_events_bench::inputs::{Input, inputs};
use atlas_events_bench::pages::Scope;
use mongodb_atlas_events::models::{GroupEventPage, OrgEventPage};
use serde::de::IgnoredAny;

#[derive(Clone, Copy)]
enum Decoder {
    Ours,
    Value,
    IgnoredAny,
}

const DECODERS: [Decoder; 3] = [Decoder::Ours, Decoder::Value, Decoder::IgnoredAny];

impl Decoder {
    fn parse(name: &str) -> Decoder {
        match name {
            "ours" => Decoder::Ours,
            "value" => Decoder::Value,
            "ignored-any" => Decoder::IgnoredAny,
            other => panic!("unknown decoder `{other}` (ours, value, ignored-any)"),
        }
    }
}

/// Decodes `json` once with `decoder`; never inlined, so callgrind can count it alone.
#[inline(never)]
fn measured(scope: Scope, decoder: Decoder, json: &str) {
    let json = black_box(json);
    match (decoder, scope) {
        (Decoder::Ours, Scope::Group) => {
            black_box(serde_json::from_str::<GroupEventPage>(json).expect("ours decodes"));
        }
        (Decoder::Ours, Scope::Org) => {
            black_box(serde_json::from_str::<OrgEventPage>(json).expect("ours decodes"));
        }
        (Decoder::Value, _) => {
            black_box(serde_json::from_str::<serde_json::Value>(json).expect("JSON"));
        }
        (Decoder::IgnoredAny, _) => {
            black_box(serde_json::from_str::<IgnoredAny>(json).expect("JSON"));
        }
    }
}

/// Seconds per decode of `reps` decodes in a row.
fn sample(input: &Input, decoder: Decoder, reps: u32) -> f64 {
    let start = Instant::now();
    for _ in 0..reps {
        measured(input.scope, decoder, &input.json);
    }
    start.elapsed().as_secs_f64() / f64::from(reps)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn table(rounds: usize) {
    println!(
        "| scope | page | events | KiB | ours | `Value` | `IgnoredAny` | ours / `Value` | ours / `IgnoredAny` |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for input in inputs() {
        // About 10 ms a sample, after a warm-up that also sets how many decodes that is.
        let once = sample(&input, Decoder::Value, 3);
        let reps = ((0.01 / once) as u32).clamp(1, 1000);
        let mut times: [Vec<f64>; 3] = Default::default();
        let mut pair_ratios = (Vec::new(), Vec::new());
        for round in 0..rounds {
            let mut this = [0.0; 3];
            for k in 0..3 {
                // A different decoder goes first each round.
                let d = (round + k) % 3;
                this[d] = sample(&input, DECODERS[d], reps);
                times[d].push(this[d]);
            }
            pair_ratios.0.push(this[0] / this[1]);
            pair_ratios.1.push(this[0] / this[2]);
        }
        let [ours, value, ignored] = times.map(|mut t| median(&mut t));
        println!(
            "| {} | {}{} | {} | {:.0} | {:.0} µs | {:.0} µs | {:.0} µs | **{:.2}** | {:.2} |",
            input.scope.name(),
            input.name,
            if input.main { "" } else { " (secondary)" },
            input.events,
            input.json.len() as f64 / 1024.0,
            ours * 1e6,
            value * 1e6,
            ignored * 1e6,
            median(&mut pair_ratios.0),
            median(&mut pair_ratios.1),
        );
    }
    println!();
    println!("(ratios: medians of the per-round ratios; {rounds} rounds, decoders alternated)");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("table") | None => {
            let rounds = args.get(1).map_or(21, |r| r.parse().expect("ROUNDS"));
            table(rounds);
        }
        Some("count") => {
            let (Some(which), Some(decoder)) = (args.get(1), args.get(2)) else {
                panic!("usage: decode_pages count SCOPE/PAGE DECODER [TIMES]");
            };
            let times: usize = args.get(3).map_or(1, |t| t.parse().expect("TIMES"));
            let input = inputs()
                .into_iter()
                .find(|i| format!("{}/{}", i.scope.name(), i.name) == *which)
                .unwrap_or_else(|| panic!("no input `{which}`"));
            for _ in 0..times {
                measured(input.scope, Decoder::parse(decoder), &input.json);
            }
        }
        Some(other) => panic!("unknown mode `{other}` (table, count)"),
    }
}
