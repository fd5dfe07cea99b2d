//! How progenitor's client routes the benchmark's 500-event pages, compared with ours and with
//! `tests/fixtures/events/expected.json`.

use atlas_events_bench::pages::{Scope, events, normalize_view};

#[path = "../views.rs"]
mod views;
use std::collections::BTreeMap;
use views::{our_view, progenitor_view};

fn main() {
    for scope in [Scope::Group, Scope::Org] {
        let events = events(scope, 500);
        let (mut rejected, mut wrong_vs_ours, mut wrong_vs_expected, mut ours_wrong) = (0, 0, 0, 0);
        let mut ours_rejected = 0;
        let mut breakdown: BTreeMap<String, usize> = BTreeMap::new();
        for e in &events {
            let ours = our_view(scope, &e.event);
            match &ours {
                Ok(v) if normalize_view(v) != normalize_view(&e.expected_view) => ours_wrong += 1,
                Ok(_) => {}
                Err(_) => ours_rejected += 1,
            }
            match progenitor_view(scope, &e.event) {
                Err(_) => {
                    rejected += 1;
                    *breakdown
                        .entry(format!("{} ({}) -> rejected", e.expected_view, e.template))
                        .or_default() += 1;
                }
                Ok(p) => {
                    let p = normalize_view(&p);
                    if ours.as_ref().is_ok_and(|v| normalize_view(v) != p) {
                        wrong_vs_ours += 1;
                    }
                    if normalize_view(&e.expected_view) != p {
                        wrong_vs_expected += 1;
                        *breakdown
                            .entry(format!("{} ({}) -> {p}", e.expected_view, e.template))
                            .or_default() += 1;
                    }
                }
            }
        }
        println!("== {} scope, {} events ==", scope.name(), events.len());
        println!("ours: {ours_rejected} rejected, {ours_wrong} not the expected view");
        println!(
            "progenitor: {rejected} rejected, {wrong_vs_expected} accepted but not the expected \
             view ({wrong_vs_ours} differ from ours)"
        );
        for (k, n) in &breakdown {
            println!("  {n:4}  {k}");
        }
    }
}
