//! Compile-cost probe: decodes a page from stdin with `mongodb_atlas_events`.

fn main() {
    let text = std::io::read_to_string(std::io::stdin()).expect("read stdin");
    let page: mongodb_atlas_events::models::GroupEventPage =
        serde_json::from_str(&text).expect("decode page");
    println!("{} events", page.results.map_or(0, |r| r.len()));
}
