//! What can make `list`, `export`, `tail` and `types` fail, the exit code each failure gives
//! (one mapping, [`exit_code`]) and the message that says what to do about it.

use std::fmt;
use std::io;

use mongodb_atlas_events::Error;

use crate::for_people::escape;

/// Everything went well.
pub const OK: u8 = 0;
/// Atlas refused the request (an HTTP 4xx other than 401, 403 and 429).
pub const REFUSED: u8 = 1;
/// Bad arguments or configuration (clap's own usage errors exit 2 too).
pub const USAGE: u8 = 2;
/// Authentication or authorization failed (401, 403).
pub const AUTH: u8 = 3;
/// Rate limited (429) after the client's retries.
pub const RATE_LIMITED: u8 = 4;
/// Network, timeout or server error (5xx) after the client's retries.
pub const UNAVAILABLE: u8 = 5;
/// Atlas's answer could not be read (not JSON, paging that makes no progress, too large).
pub const UNREADABLE: u8 = 6;
/// Local I/O: the output or the checkpoint file could not be read or written.
pub const LOCAL_IO: u8 = 7;
/// `export` stopped by SIGINT or SIGTERM before it finished (128 + SIGINT's number, as shells
/// report a process a Ctrl-C ended).
pub const INTERRUPTED: u8 = 130;

/// The exit status table, as `--help` and the README show it.
pub const EXIT_STATUS_HELP: &str = "Exit status:
  0  ok (also after SIGINT/SIGTERM stopped `tail`)
  1  Atlas refused the request (HTTP 4xx other than 401, 403, 429)
  2  bad arguments or configuration (no credentials, no --org/--project, a checkpoint of
     another scope or shard, an invalid id or time, --all-projects without --org)
  3  authentication or authorization failed (401, 403): check the credentials, their roles
     and the organization's API access list
  4  rate limited (429) after retries: wait and retry later
  5  network, timeout or server error (5xx) after retries
  6  Atlas's answer could not be read (not JSON, paging that stopped making progress, an
     answer larger than the client accepts)
  7  local I/O: the output or checkpoint file could not be read or written
  130  `export` interrupted by SIGINT/SIGTERM: the --output file was not written";

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// Bad arguments or configuration noticed by the command line itself.
    Usage(String),
    /// What the client returned.
    Atlas {
        /// The client's error.
        error: Error,
        /// Which credentials were used and where they came from
        /// (`EnvSettings::credentials_from`), to name them when Atlas refuses them.
        credentials_from: Option<String>,
    },
    /// A failure of one scope of an organization's follow (`--all-projects`).
    InScope {
        /// Which, as a person reads it (`project 5f2a...`).
        scope: String,
        /// The failure there.
        failure: Box<Failure>,
    },
    /// A stop signal ended a command that cannot stop halfway (`export`).
    Interrupted {
        /// `SIGINT` or `SIGTERM`.
        signal: &'static str,
        /// What was left, e.g. `out.jsonl was not written`.
        unfinished: String,
    },
    /// A local file or stream could not be read or written.
    Io {
        /// What was being done, e.g. `cannot write events.jsonl`.
        what: String,
        /// The error.
        source: io::Error,
    },
}

impl Failure {
    /// A local I/O failure while doing `what`.
    pub fn io(what: impl Into<String>, source: io::Error) -> Failure {
        Failure::Io {
            what: what.into(),
            source,
        }
    }

    /// The exit code of this failure.
    pub fn exit_code(&self) -> u8 {
        exit_code(self)
    }
}

/// The exit code of every failure: the one place that maps them (an error of the client through
/// [`atlas_exit_code`]).
pub fn exit_code(failure: &Failure) -> u8 {
    match failure {
        Failure::Usage(_) => USAGE,
        Failure::Io { .. } => LOCAL_IO,
        Failure::Interrupted { .. } => INTERRUPTED,
        Failure::Atlas { error, .. } => atlas_exit_code(error),
        Failure::InScope { failure, .. } => exit_code(failure),
    }
}

/// The exit code of an error of the client.
pub fn atlas_exit_code(error: &Error) -> u8 {
    match error {
        Error::Api { status, .. } => match status {
            401 | 403 => AUTH,
            429 => RATE_LIMITED,
            500..=599 => UNAVAILABLE,
            _ => REFUSED,
        },
        // The OAuth token endpoint: unreachable (no status), rate limited or failing count as
        // the network or the server; everything else it says is a refusal of the credentials.
        Error::Auth { status, .. } => match status {
            None | Some(500..=599) => UNAVAILABLE,
            Some(429) => RATE_LIMITED,
            Some(_) => AUTH,
        },
        Error::Transport { .. } | Error::Deadline { .. } => UNAVAILABLE,
        Error::Decode { .. } | Error::Paging { .. } | Error::TooLarge { .. } => UNREADABLE,
        Error::Config { .. } | Error::InvalidParameter { .. } => USAGE,
        // A kind of error this version does not know: Atlas did not do what was asked.
        _ => REFUSED,
    }
}

/// Whether `tail` goes on after this error of a poll (the follow stream tries the same window
/// again after the interval): rate limits, the network and the server may recover; refusals,
/// bad configuration and unreadable answers will not.
pub fn is_transient(error: &Error) -> bool {
    matches!(atlas_exit_code(error), RATE_LIMITED | UNAVAILABLE)
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(message) => f.write_str(message),
            Failure::Io { what, source } => write!(f, "{what}: {source}"),
            Failure::Interrupted { signal, unfinished } => {
                write!(
                    f,
                    "stopped by {signal} before the export was complete: {unfinished}"
                )
            }
            Failure::InScope { scope, failure } => write!(f, "{scope}: {failure}"),
            Failure::Atlas {
                error,
                credentials_from,
            } => {
                // The error may quote what the server said.
                f.write_str(&escape(&error.to_string()))?;
                let used = credentials_from
                    .as_deref()
                    .unwrap_or("the credentials from the environment");
                match atlas_exit_code(error) {
                    AUTH => {
                        let refused = if error.status() == Some(403) {
                            "Atlas accepted the credentials but refused access"
                        } else {
                            "Atlas did not accept the credentials"
                        };
                        write!(
                            f,
                            "\n{refused}; used: {used}.\nCheck that the API key or service \
                             account has a role on this organization or project (Organization \
                             Read Only or Project Read Only at least), and that this machine's \
                             IP address is on its API access list (the organization may require \
                             an IP access list for the Atlas Administration API)."
                        )
                    }
                    RATE_LIMITED => {
                        write!(
                            f,
                            "\nAtlas rate limited the requests and the retries ran out: wait \
                             and retry later"
                        )?;
                        match error.retry_after() {
                            Some(wait) => {
                                write!(f, " (Atlas asked to wait {} s).", wait.as_secs_f64().ceil())
                            }
                            None => f.write_str("."),
                        }
                    }
                    _ => Ok(()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! Real errors of the client (a unit test cannot build most of them by hand: their variants
    //! are non-exhaustive or hold a `reqwest::Error`), from the fake Atlas and from raw loopback
    //! servers, each mapped to its exit code.

    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::time::Duration;

    use atlas_events_tests::fake_atlas::{FakeAtlas, TOKEN};
    use futures_util::StreamExt;
    use mongodb_atlas_events::{Client, Credentials, RetryPolicy};

    use super::*;

    const ORG: &str = "5e8d7c6b5a4f3e2d1c0b9a87";

    fn client(base_url: &str, credentials: Credentials) -> Client {
        Client::builder(credentials)
            .base_url(base_url)
            .retry_policy(RetryPolicy::disabled().with_max_elapsed(Duration::from_millis(500)))
            .max_response_bytes(4096)
            .build()
            .unwrap()
    }

    /// The first error of listing the organization's events.
    async fn first_error(client: &Client) -> Error {
        let mut stream = std::pin::pin!(client.list_org_events(ORG).stream());
        loop {
            match stream.next().await {
                Some(Err(error)) => return error,
                Some(Ok(_)) => continue,
                None => panic!("the list ended without an error"),
            }
        }
    }

    /// A loopback server that answers every request with `response` (a whole HTTP/1.1
    /// answer), or never answers when `response` is `None`.
    fn raw_server(response: Option<&'static str>) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut buffer = [0u8; 4096];
                let _ = stream.read(&mut buffer);
                match response {
                    Some(response) => {
                        let _ = stream.write_all(response.as_bytes());
                    }
                    None => held.push(stream),
                }
            }
        });
        url
    }

    fn code_failure(error: Error) -> Failure {
        Failure::Atlas {
            error,
            credentials_from: None,
        }
    }

    fn code(error: Error) -> u8 {
        exit_code(&code_failure(error))
    }

    #[tokio::test]
    async fn every_kind_of_failure_has_its_exit_code() {
        let fake = FakeAtlas::start();
        let bearer = client(fake.base_url(), Credentials::bearer_token(TOKEN));
        for (status, expected) in [
            (400, REFUSED),
            (404, REFUSED),
            (409, REFUSED),
            (401, AUTH),
            (403, AUTH),
            (429, RATE_LIMITED),
            (500, UNAVAILABLE),
            (503, UNAVAILABLE),
        ] {
            fake.fail_next(status, &[], r#"{"error":1,"errorCode":"X"}"#);
            let error = first_error(&bearer).await;
            assert_eq!(error.status(), Some(status), "{error}");
            assert_eq!(code(error), expected, "HTTP {status}");
        }

        // Unreadable answers: not JSON, no list of items, larger than the client accepts.
        fake.fail_next(200, &[], "<html>");
        let error = first_error(&bearer).await;
        assert!(matches!(error, Error::Decode { .. }), "{error:?}");
        assert_eq!(code(error), UNREADABLE);
        fake.fail_next(200, &[], r#"{"totalCount":3}"#);
        let error = first_error(&bearer).await;
        assert!(matches!(error, Error::Paging { .. }), "{error:?}");
        assert_eq!(code(error), UNREADABLE);
        fake.fail_next(
            200,
            &[],
            &format!(r#"{{"results":[],"x":"{}"}}"#, "y".repeat(9000)),
        );
        let error = first_error(&bearer).await;
        assert!(matches!(error, Error::TooLarge { .. }), "{error:?}");
        assert_eq!(code(error), UNREADABLE);

        // Refused before sending, and a bad configuration: usage.
        let mut bad_id = std::pin::pin!(bearer.list_org_events("not-an-id").stream());
        let error = bad_id.next().await.unwrap().unwrap_err();
        assert!(matches!(error, Error::InvalidParameter { .. }), "{error:?}");
        assert_eq!(code(error), USAGE);
        let error = Client::builder(Credentials::bearer_token(TOKEN))
            .base_url("http://example.com")
            .build()
            .expect_err("plain http to a remote host is refused");
        assert!(matches!(error, Error::Config { .. }), "{error:?}");
        assert_eq!(code(error), USAGE);

        // The network: nothing listening, or an answer that never comes.
        let closed = {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            format!("http://{}", listener.local_addr().unwrap())
        };
        let error = first_error(&client(&closed, Credentials::bearer_token(TOKEN))).await;
        assert!(matches!(error, Error::Transport { .. }), "{error:?}");
        assert_eq!(code(error), UNAVAILABLE);
        let silent = raw_server(None);
        let error = first_error(&client(&silent, Credentials::bearer_token(TOKEN))).await;
        assert!(matches!(error, Error::Deadline { .. }), "{error:?}");
        assert_eq!(code(error), UNAVAILABLE);

        // The OAuth token endpoint: refusing the service account, failing, unreachable.
        let account = || Credentials::service_account("id", "secret");
        let refusing = raw_server(Some(
            "HTTP/1.1 401 Unauthorized\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
        ));
        let error = first_error(&client(&refusing, account())).await;
        assert!(matches!(error, Error::Auth { .. }), "{error:?}");
        assert_eq!(code(error), AUTH);
        let failing = raw_server(Some(
            "HTTP/1.1 503 Unavailable\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
        ));
        let error = first_error(&client(&failing, account())).await;
        assert!(matches!(error, Error::Auth { .. }), "{error:?}");
        assert_eq!(code(error), UNAVAILABLE);
        let error = first_error(&client(&closed, account())).await;
        assert!(
            matches!(error, Error::Auth { status: None, .. }),
            "{error:?}"
        );
        assert_eq!(code(error), UNAVAILABLE);

        // Local failures.
        assert_eq!(exit_code(&Failure::Usage("no --org".into())), USAGE);
        let io = Failure::io("cannot write out.jsonl", io::Error::other("disk full"));
        assert_eq!(io.exit_code(), LOCAL_IO);
        assert_eq!(io.to_string(), "cannot write out.jsonl: disk full");

        // One scope of an organization's follow: its own code, and where it happened.
        fake.fail_next(500, &[], r#"{"error":500}"#);
        let in_scope = Failure::InScope {
            scope: "project 5f2a9c1e7b3d4a6e8c0b1d2f".into(),
            failure: Box::new(code_failure(first_error(&bearer).await)),
        };
        assert_eq!(in_scope.exit_code(), UNAVAILABLE);
        assert!(
            in_scope
                .to_string()
                .starts_with("project 5f2a9c1e7b3d4a6e8c0b1d2f: listOrgEvents: "),
            "{in_scope}"
        );
    }

    #[tokio::test]
    async fn refusals_name_the_credentials_and_rate_limits_the_wait() {
        let fake = FakeAtlas::start();
        let bearer = client(fake.base_url(), Credentials::bearer_token(TOKEN));
        fake.fail_next(403, &[], r#"{"error":403,"errorCode":"FORBIDDEN"}"#);
        let failure = Failure::Atlas {
            error: first_error(&bearer).await,
            credentials_from: Some("access token (MONGODB_ATLAS_ACCESS_TOKEN)".into()),
        };
        let message = failure.to_string();
        assert!(
            message.contains("refused access; used: access token (MONGODB_ATLAS_ACCESS_TOKEN)"),
            "{message}"
        );
        assert!(
            message.contains("role") && message.contains("API access list"),
            "{message}"
        );
        fake.fail_next(429, &[("Retry-After", "30")], r#"{"error":429}"#);
        let error = first_error(&bearer).await;
        assert!(is_transient(&error));
        let message = Failure::Atlas {
            error,
            credentials_from: None,
        }
        .to_string();
        assert!(
            message.contains("wait and retry later (Atlas asked to wait 30 s)"),
            "{message}"
        );
        // What Atlas says is shown, never obeyed by the terminal.
        fake.fail_next(
            400,
            &[],
            r#"{"errorCode":"X","detail":"a\u001b[2Jb\u0007"}"#,
        );
        let message = code_failure(first_error(&bearer).await).to_string();
        assert!(message.contains(r"X: a\u{1b}[2Jb\u{7}"), "{message}");
        assert!(!message.contains(['\u{1b}', '\u{7}']), "{message:?}");
    }
}
