//! Lists the most recent events of one project.
//!
//! ```sh
//! MONGODB_ATLAS_CLIENT_ID=... MONGODB_ATLAS_CLIENT_SECRET=... \
//!     cargo run --example list_recent_project_events -- <project id>
//! ```

use mongodb_atlas_events::{Client, GroupEvent};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let project = std::env::args()
        .nth(1)
        .ok_or("usage: list_recent_project_events <project id>")?;
    let client = Client::from_env()?;
    let page = client
        .list_group_events(project)
        .items_per_page(20)
        .include_count(false)
        .send()
        .await?
        .into_body();
    for event in page.results.as_deref().unwrap_or_default() {
        print_event(event);
    }
    Ok(())
}

fn print_event(event: &GroupEvent) {
    // The slug of the typed category (`cluster-event`), or `-` for a name this crate does not know.
    let category = event
        .event_type()
        .and_then(|name| name.category())
        .map_or("-", |category| category.slug());
    let created = event.created().map_or("-", |at| at.as_str());
    let name = event.event_type_name().unwrap_or("-");
    println!("{created} {name:<45} {category}");
}
