//! Streams 10,256 project events in pages of 500 from a loopback server that
//! waits 50 ms before each answer, three ways: a plain reqwest loop over the
//! pages (decoding each into the crate's page type), `.stream()`, and
//! `.stream()` with `.prefetch(true)`. Prints the median time of each and its
//! ratio to the plain loop, then the bytes the server sent per full
//! 500-event page with and without gzip.
//!
//! `cargo run --release -p atlas-events-stream-bench [-- REPS]` (default 5 repetitions).

use std::io::Write as _;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use futures_util::StreamExt as _;
use mongodb_atlas_events::models::GroupEventPage;
use mongodb_atlas_events::{Client, Credentials};
use serde_json::{Value, json};

const GROUP: &str = "5f2a9c1e7b3d4a6e8c0b1d2f";
const EVENTS: usize = 10_256;
const PER_PAGE: usize = 500;
const LATENCY: Duration = Duration::from_millis(50);
const MEDIA: &str = "application/vnd.atlas.2023-01-01+json";

/// Every page, as identity and gzip bytes.
struct Pages {
    plain: Vec<Vec<u8>>,
    gzip: Vec<Vec<u8>>,
}

#[derive(Clone)]
struct ServerState {
    pages: Arc<Pages>,
    /// `(gzip, bytes)` of every answer.
    sent: Arc<Mutex<Vec<(bool, usize)>>>,
}

/// The synthetic group-event fixtures cycled to `EVENTS` events, each with
/// its own id and `created`, newest first.
fn events() -> Vec<Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/events/synthetic");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with("group-") && n.ends_with(".json") && !n.contains("page")
            })
        })
        .collect();
    names.sort();
    let templates: Vec<Value> = names
        .iter()
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
        .filter(|v: &Value| v.is_object())
        .collect();
    (0..EVENTS)
        .map(|n| {
            let mut event = templates[n % templates.len()].clone();
            event["id"] = json!(format!("{:024x}", EVENTS - n));
            let seconds = 1_780_000_000 - n as i64 * 7;
            let created = time_text(seconds);
            event["created"] = json!(created);
            event
        })
        .collect()
}

/// `YYYY-MM-DDTHH:MM:SSZ` for Unix seconds (days from the civil calendar).
fn time_text(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

fn build_pages() -> Pages {
    let events = events();
    let count = events.len().div_ceil(PER_PAGE);
    let mut plain = Vec::new();
    let mut gzip = Vec::new();
    for (i, chunk) in events.chunks(PER_PAGE).enumerate() {
        let page = i + 1;
        let base = format!("https://cloud.mongodb.com/api/atlas/v2/groups/{GROUP}/events");
        let mut links = vec![
            json!({"href": format!("{base}?pageNum={page}&itemsPerPage={PER_PAGE}"), "rel": "self"}),
        ];
        if page < count {
            links.push(json!({"href": format!("{base}?pageNum={}&itemsPerPage={PER_PAGE}", page + 1), "rel": "next"}));
        }
        let body = serde_json::to_vec(
            &json!({"links": links, "results": chunk, "totalCount": events.len()}),
        )
        .unwrap();
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(&body).unwrap();
        gzip.push(encoder.finish().unwrap());
        plain.push(body);
    }
    Pages { plain, gzip }
}

async fn handle(
    State(state): State<ServerState>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    tokio::time::sleep(LATENCY).await;
    let param = |k: &str| {
        query
            .iter()
            .find(|(key, _)| key == k)
            .and_then(|(_, v)| v.parse::<usize>().ok())
    };
    assert_eq!(
        param("itemsPerPage"),
        Some(PER_PAGE),
        "the pages are built for 500 items"
    );
    let page = param("pageNum").unwrap_or(1);
    let gzip = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("gzip"));
    let empty = b"{\"links\":[],\"results\":[],\"totalCount\":10256}".to_vec();
    let body = match (gzip, state.pages.plain.get(page - 1)) {
        (true, Some(_)) => state.pages.gzip[page - 1].clone(),
        (false, Some(body)) => body.clone(),
        (_, None) => empty,
    };
    let gzip = gzip && page <= state.pages.plain.len();
    state.sent.lock().unwrap().push((gzip, body.len()));
    let mut response = Response::builder()
        .header(header::CONTENT_TYPE, MEDIA)
        .header(header::VARY, "accept-encoding");
    if gzip {
        response = response.header(header::CONTENT_ENCODING, "gzip");
    }
    response.body(Body::from(body)).unwrap()
}

async fn plain_loop(http: &reqwest::Client, url: &str) -> usize {
    let mut count = 0;
    for page in 1.. {
        let bytes = http
            .get(format!(
                "{url}/api/atlas/v2/groups/{GROUP}/events?itemsPerPage={PER_PAGE}&pageNum={page}"
            ))
            .header(header::ACCEPT, MEDIA)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let page: GroupEventPage = serde_json::from_slice(&bytes).unwrap();
        count += page.results.as_ref().map_or(0, Vec::len);
        let next = page
            .links
            .as_ref()
            .is_some_and(|links| links.iter().any(|l| l.rel.as_deref() == Some("next")));
        if !next {
            break;
        }
    }
    count
}

async fn stream(client: &Client, prefetch: bool) -> usize {
    let mut items = std::pin::pin!(
        client
            .list_group_events(GROUP)
            .items_per_page(PER_PAGE as i64)
            .prefetch(prefetch)
            .stream()
    );
    let mut count = 0;
    while let Some(item) = items.next().await {
        item.unwrap();
        count += 1;
    }
    count
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[tokio::main]
async fn main() {
    let reps: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    let state = ServerState {
        pages: Arc::new(build_pages()),
        sent: Arc::new(Mutex::new(Vec::new())),
    };
    let app = axum::Router::new()
        .fallback(handle)
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let http = reqwest::Client::builder().build().unwrap();
    let client = Client::builder(Credentials::bearer_token("bench"))
        .base_url(&url)
        .build()
        .unwrap();
    // Warm-up: connections, allocator.
    assert_eq!(plain_loop(&http, &url).await, EVENTS);
    assert_eq!(stream(&client, false).await, EVENTS);
    assert_eq!(stream(&client, true).await, EVENTS);

    let (mut plain, mut default, mut prefetch) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..reps {
        let t = Instant::now();
        assert_eq!(plain_loop(&http, &url).await, EVENTS);
        plain.push(t.elapsed());
        let t = Instant::now();
        assert_eq!(stream(&client, false).await, EVENTS);
        default.push(t.elapsed());
        let t = Instant::now();
        assert_eq!(stream(&client, true).await, EVENTS);
        prefetch.push(t.elapsed());
    }
    let base = median(plain.clone());
    println!(
        "{EVENTS} events, pages of {PER_PAGE}, {} ms per request, median of {reps}:",
        LATENCY.as_millis()
    );
    for (name, times) in [
        ("plain reqwest loop", plain),
        (".stream()", default),
        (".stream() with .prefetch(true)", prefetch),
    ] {
        let m = median(times);
        println!(
            "  {name:32} {:7.1} ms  {:.2}x",
            m.as_secs_f64() * 1e3,
            m.as_secs_f64() / base.as_secs_f64()
        );
    }

    // Bytes on the wire per full page, with and without gzip.
    let identity = reqwest::Client::builder().no_gzip().build().unwrap();
    state.sent.lock().unwrap().clear();
    assert_eq!(plain_loop(&identity, &url).await, EVENTS);
    assert_eq!(stream(&client, false).await, EVENTS);
    let sent = state.sent.lock().unwrap().clone();
    let full = |gzip: bool| {
        let sizes: Vec<usize> = sent
            .iter()
            .filter(|(g, _)| *g == gzip)
            .map(|(_, n)| *n)
            .collect();
        let full = &sizes[..sizes.len() - 1];
        full.iter().sum::<usize>() / full.len()
    };
    let (plain_bytes, gzip_bytes) = (full(false), full(true));
    println!("bytes per full {PER_PAGE}-event page:");
    println!("  without gzip (plain reqwest client)   {plain_bytes:9}");
    println!(
        "  with gzip (this crate's client)       {gzip_bytes:9}  ({:.1}% of the plain size)",
        gzip_bytes as f64 * 100.0 / plain_bytes as f64
    );
}
