//! The pages every decode measurement reads: first the generated Atlas-like corpus (the main
//! input), then the synthetic pages of earlier measurements (secondary).

use serde_json::Value;

use crate::corpus::{PAGE_SIZE, corpus};
use crate::pages::{Scope, events, non_conforming, non_conforming_events, page_json, page_of};

/// Pages of the corpus per scope: 2,000 events each.
pub const CORPUS_PAGES: usize = 4;

/// One page to decode.
pub struct Input {
    pub scope: Scope,
    /// `atlas-p1`..`atlas-p4`, `atlas-p1-10pct-non-conforming`, or an earlier synthetic page
    /// (`synthetic-mixed`, `synthetic-10pct-non-conforming`).
    pub name: String,
    /// Whether it is a page of the generated Atlas-like corpus.
    pub main: bool,
    pub events: usize,
    pub json: String,
}

/// The corpus pages of `scope` as plain events, newest first.
pub fn corpus_pages(scope: Scope) -> Vec<Vec<Value>> {
    corpus(scope, CORPUS_PAGES)
}

/// Every input of both scopes, main inputs first.
pub fn inputs() -> Vec<Input> {
    let mut all = Vec::new();
    for scope in [Scope::Group, Scope::Org] {
        let pages = corpus_pages(scope);
        let total = CORPUS_PAGES * PAGE_SIZE;
        for (i, page) in pages.iter().enumerate() {
            let refs: Vec<&Value> = page.iter().collect();
            all.push(Input {
                scope,
                name: format!("atlas-p{}", i + 1),
                main: true,
                events: page.len(),
                json: page_of(scope, &refs, i + 1, total),
            });
        }
        let broken = non_conforming_events(&pages[0]);
        let refs: Vec<&Value> = broken.iter().collect();
        all.push(Input {
            scope,
            name: "atlas-p1-10pct-non-conforming".into(),
            main: true,
            events: broken.len(),
            json: page_of(scope, &refs, 1, total),
        });
    }
    for scope in [Scope::Group, Scope::Org] {
        let mixed = events(scope, 500);
        let broken = non_conforming(&mixed);
        for (name, page) in [
            ("synthetic-mixed", &mixed),
            ("synthetic-10pct-non-conforming", &broken),
        ] {
            all.push(Input {
                scope,
                name: name.into(),
                main: false,
                events: page.len(),
                json: page_json(scope, page),
            });
        }
    }
    all
}
