//! Streams every event of an organization since a date, page by page.
//!
//! ```sh
//! MONGODB_ATLAS_CLIENT_ID=... MONGODB_ATLAS_CLIENT_SECRET=... \
//!     cargo run --example stream_org_events_since -- <org id> 2026-01-01T00:00:00Z
//! ```

use futures_util::TryStreamExt;
use mongodb_atlas_events::Client;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let org = args
        .next()
        .ok_or("usage: stream_org_events_since <org id> <RFC 3339 date>")?;
    let since = OffsetDateTime::parse(&args.next().ok_or("missing date")?, &Rfc3339)?;
    let client = Client::from_env()?;
    let events = client
        .list_org_events(org)
        .min_date(since)
        .items_per_page(500)
        .prefetch(true)
        .stream();
    let mut events = std::pin::pin!(events);
    let mut count = 0;
    while let Some(event) = events.try_next().await? {
        count += 1;
        let created = event.created().map_or("-", |at| at.as_str());
        println!("{created} {}", event.event_type_name().unwrap_or("-"));
    }
    eprintln!("{count} events");
    Ok(())
}
