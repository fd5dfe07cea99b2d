//! Time to decode pages with each decoder (see BENCHMARKS.md): first the generated Atlas-like
//! corpus (`atlas-*`, the main input), then the synthetic pages of 100 and 500 mixed events.

use atlas_events_bench::inputs::inputs;
use atlas_events_bench::pages::{BenchEvent, Scope, events, non_conforming, page_json};

#[path = "../src/views.rs"]
mod views;
use atlas_events_bench::progenitor_client_gen::types::{
    GroupPaginatedEventView, OrgPaginatedEventView,
};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use mongodb_atlas_events::models::{GroupEventPage, OrgEventPage};
use serde::de::IgnoredAny;
use std::hint::black_box;
use std::time::Duration;
use views::progenitor_view;

fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str::<T>(black_box(json))
}

fn bench_scope(c: &mut Criterion, scope: Scope) {
    for n in [100, 500] {
        let all = events(scope, n);
        let accepted: Vec<BenchEvent> = all
            .iter()
            .filter(|e| progenitor_view(scope, &e.event).is_ok())
            .cloned()
            .collect();
        let broken = non_conforming(&all);
        for (kind, page) in [
            ("mixed", &all),
            ("progenitor-accepted", &accepted),
            ("10pct-non-conforming", &broken),
        ] {
            let json = page_json(scope, page);
            let mut group = c.benchmark_group(format!("{}/{kind}", scope.name()));
            group.throughput(Throughput::Elements(page.len() as u64));
            let id = |name: &str| BenchmarkId::new(name, n);
            match scope {
                Scope::Group => {
                    assert!(decode::<GroupEventPage>(&json).is_ok());
                    group
                        .bench_function(id("ours"), |b| b.iter(|| decode::<GroupEventPage>(&json)));
                    let label = if decode::<GroupPaginatedEventView>(&json).is_ok() {
                        "progenitor"
                    } else {
                        "progenitor-rejects"
                    };
                    group.bench_function(id(label), |b| {
                        b.iter(|| decode::<GroupPaginatedEventView>(&json))
                    });
                }
                Scope::Org => {
                    assert!(decode::<OrgEventPage>(&json).is_ok());
                    group.bench_function(id("ours"), |b| b.iter(|| decode::<OrgEventPage>(&json)));
                    let label = if decode::<OrgPaginatedEventView>(&json).is_ok() {
                        "progenitor"
                    } else {
                        "progenitor-rejects"
                    };
                    group.bench_function(id(label), |b| {
                        b.iter(|| decode::<OrgPaginatedEventView>(&json))
                    });
                }
            }
            group.bench_function(id("value"), |b| {
                b.iter(|| decode::<serde_json::Value>(&json))
            });
            group.bench_function(id("ignored-any"), |b| {
                b.iter(|| decode::<IgnoredAny>(&json))
            });
            group.finish();
        }
    }
}

/// The Atlas-like corpus: ours, `Value` and `IgnoredAny` on every page (progenitor is measured
/// on the synthetic pages below, where its rejections are counted).
fn bench_corpus(c: &mut Criterion) {
    for input in inputs().into_iter().filter(|i| i.main) {
        let json = input.json;
        let mut group = c.benchmark_group(format!("{}/{}", input.scope.name(), input.name));
        group.throughput(Throughput::Elements(input.events as u64));
        let id = |name: &str| BenchmarkId::new(name, input.events);
        match input.scope {
            Scope::Group => {
                assert!(decode::<GroupEventPage>(&json).is_ok());
                group.bench_function(id("ours"), |b| b.iter(|| decode::<GroupEventPage>(&json)));
            }
            Scope::Org => {
                assert!(decode::<OrgEventPage>(&json).is_ok());
                group.bench_function(id("ours"), |b| b.iter(|| decode::<OrgEventPage>(&json)));
            }
        }
        group.bench_function(id("value"), |b| {
            b.iter(|| decode::<serde_json::Value>(&json))
        });
        group.bench_function(id("ignored-any"), |b| {
            b.iter(|| decode::<IgnoredAny>(&json))
        });
        group.finish();
    }
}

fn benches(c: &mut Criterion) {
    bench_corpus(c);
    bench_scope(c, Scope::Group);
    bench_scope(c, Scope::Org);
}

criterion_group! {
    name = decode_pages;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    targets = benches
}
criterion_main!(decode_pages);
