//! The crate's fake Atlas (`mongodb_atlas_events::test_util::FakeAtlas`, the `test-util`
//! feature) served over HTTP on 127.0.0.1, for the follow tests and the command line's
//! end-to-end tests: one fake Atlas for every test, in process or on loopback. What it serves
//! (organizations, projects and their events, filtered, paged and rate limited as Atlas does)
//! is the crate's fake; this file only puts it behind the shared `atlas-events-test-server`,
//! on a thread and runtime of its own, so synchronous tests (which start the `atlas-events`
//! binary) and async tests use it alike. Its clock is the system's.

use std::ops::Deref;

use atlas_events_test_server::{Reply, Seen, TestServer};
use mongodb_atlas_events::test_util;
pub use mongodb_atlas_events::test_util::{EVENTS_MEDIA, Request, TOKEN, event_json};

/// The token endpoint's path (its requests are not counted by [`FakeAtlas::asked`]).
const TOKEN_PATH: &str = "/api/oauth/token";

/// A running fake; stops when dropped. Everything the crate's fake offers (`add`,
/// `add_project`, `fail_next`, `requests`, ...) is reached through it.
pub struct FakeAtlas {
    atlas: test_util::FakeAtlas,
    base_url: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeAtlas {
    /// Starts a fake on a free loopback port.
    pub fn start() -> FakeAtlas {
        // Made outside any runtime: its clock reads the system's time and moves in real time.
        let atlas = test_util::FakeAtlas::new();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
        let served = atlas.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("a runtime for the fake Atlas");
            runtime.block_on(async move {
                let server = TestServer::start(move |seen, _| serve(&served, seen)).await;
                addr_tx
                    .send(server.base.clone())
                    .expect("the test waits for the address");
                let _ = stop.await;
            });
        });
        let base_url = addr_rx.recv().expect("the fake Atlas started");
        FakeAtlas {
            atlas,
            base_url,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Every request so far but those of the token endpoint.
    pub fn asked(&self) -> Vec<Request> {
        self.atlas
            .requests()
            .into_iter()
            .filter(|request| request.path != TOKEN_PATH)
            .collect()
    }
}

impl Deref for FakeAtlas {
    type Target = test_util::FakeAtlas;

    fn deref(&self) -> &test_util::FakeAtlas {
        &self.atlas
    }
}

impl Drop for FakeAtlas {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One request, answered by the crate's fake.
fn serve(atlas: &test_util::FakeAtlas, request: &Seen) -> Reply {
    let path_and_query = if request.query.is_empty() {
        request.path.clone()
    } else {
        format!("{}?{}", request.path, request.query)
    };
    let answer = atlas.handle(
        &request.method,
        &path_and_query,
        request.header("authorization"),
    );
    answer.headers.into_iter().fold(
        Reply::json(answer.status, answer.body),
        |reply, (name, value)| reply.header(name, value),
    )
}
