//! Compile-cost probe: decodes a page from stdin with progenitor's generated types.

fn main() {
    let text = std::io::read_to_string(std::io::stdin()).expect("read stdin");
    let page: atlas_events_bench::progenitor_client_gen::types::GroupPaginatedEventView =
        serde_json::from_str(&text).expect("decode page");
    println!("{} events", page.results.len());
}
