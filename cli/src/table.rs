//! The readable table of `list`, `export --format table` and `tail --format table`: one line per
//! event (created, event type, id, and a short detail such as the cluster or the user), in
//! fixed-width columns so it can be printed while the events stream in.

use std::borrow::Cow;
use std::io::{self, Write};

use mongodb_atlas_events::{GroupEvent, OrgEvent};
use serde::Deserialize;

use crate::for_people::escape;

/// Width of the `CREATED` column: an RFC 3339 time with milliseconds.
const CREATED_WIDTH: usize = 24;
/// Width of the `EVENT TYPE` column: most names fit; longer ones push the line on.
const TYPE_WIDTH: usize = 40;
/// Width of the `ID` column: Atlas ids are 24 hex digits.
const ID_WIDTH: usize = 24;
/// The most characters of detail shown.
const DETAIL_MAX: usize = 80;

/// What the table reads of a decoded event (organization and project events alike).
pub trait EventRow {
    /// `created` as Atlas sent it.
    fn created_text(&self) -> Option<&str>;
    /// `eventTypeName`.
    fn type_name(&self) -> Option<&str>;
    /// `id`.
    fn event_id(&self) -> Option<&str>;
}

macro_rules! event_row {
    ($event:ty) => {
        impl EventRow for $event {
            fn created_text(&self) -> Option<&str> {
                self.created().map(|at| at.as_str())
            }
            fn type_name(&self) -> Option<&str> {
                self.event_type_name()
            }
            fn event_id(&self) -> Option<&str> {
                self.id()
            }
        }
    };
}

event_row!(OrgEvent);
event_row!(GroupEvent);

/// Writes the header line.
pub fn write_header(out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "{:<CREATED_WIDTH$} {:<TYPE_WIDTH$} {:<ID_WIDTH$} DETAIL",
        "CREATED", "EVENT TYPE", "ID"
    )
}

/// Writes one event's line: `json` is the event's JSON text, from which the detail is read.
pub fn write_row(out: &mut impl Write, event: &impl EventRow, json: &str) -> io::Result<()> {
    // Whatever Atlas sent, it is shown, not obeyed by the terminal.
    let line = format!(
        "{:<CREATED_WIDTH$} {:<TYPE_WIDTH$} {:<ID_WIDTH$} {}",
        escape(event.created_text().unwrap_or("-")),
        escape(event.type_name().unwrap_or("-")),
        escape(event.event_id().unwrap_or("-")),
        detail(json),
    );
    writeln!(out, "{}", line.trim_end())
}

/// The fields the detail is made of; any other field, or one of another type, is ignored.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct DetailFields<'a> {
    #[serde(borrow)]
    cluster_name: Option<Lenient<'a>>,
    #[serde(borrow)]
    replica_set_name: Option<Lenient<'a>>,
    #[serde(borrow)]
    shard_name: Option<Lenient<'a>>,
    #[serde(borrow)]
    hostname: Option<Lenient<'a>>,
    #[serde(borrow)]
    port: Option<Lenient<'a>>,
    #[serde(borrow)]
    instance_name: Option<Lenient<'a>>,
    #[serde(borrow)]
    processor_name: Option<Lenient<'a>>,
    #[serde(borrow)]
    metric_name: Option<Lenient<'a>>,
    #[serde(borrow)]
    target_username: Option<Lenient<'a>>,
    #[serde(borrow)]
    target_public_key: Option<Lenient<'a>>,
    #[serde(borrow)]
    db_user_username: Option<Lenient<'a>>,
    #[serde(borrow)]
    team_id: Option<Lenient<'a>>,
    #[serde(borrow)]
    invoice_id: Option<Lenient<'a>>,
    #[serde(borrow)]
    alert_id: Option<Lenient<'a>>,
    #[serde(borrow)]
    resource_type: Option<Lenient<'a>>,
    #[serde(borrow)]
    group_id: Option<Lenient<'a>>,
    #[serde(borrow)]
    username: Option<Lenient<'a>>,
    #[serde(borrow)]
    public_key: Option<Lenient<'a>>,
}

/// A field's value shown as text: a string as it is, a number as written; anything else
/// (objects, lists, `null`) is not shown.
#[derive(Default)]
struct Lenient<'a>(Option<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for Lenient<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shown<'a> {
            Text(#[serde(borrow)] Cow<'a, str>),
            Number(serde_json::Number),
            Other(serde::de::IgnoredAny),
        }
        Ok(Lenient(match Shown::deserialize(deserializer)? {
            Shown::Text(text) => Some(text),
            Shown::Number(number) => Some(Cow::Owned(number.to_string())),
            Shown::Other(_) => None,
        }))
    }
}

/// A short detail of an event from its JSON text: what it is about (cluster, host, processor,
/// metric, target user...) and who did it (user, API key), at most three parts, or `-`.
pub fn detail(json: &str) -> String {
    let fields: DetailFields<'_> = serde_json::from_str(json).unwrap_or_default();
    let text = |value: &Option<Lenient<'_>>| -> Option<String> {
        value
            .as_ref()
            .and_then(|v| v.0.as_deref())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let host = text(&fields.hostname).map(|host| match text(&fields.port) {
        Some(port) => format!("{host}:{port}"),
        None => host,
    });
    let parts = [
        ("cluster", text(&fields.cluster_name)),
        ("replica set", text(&fields.replica_set_name)),
        ("shard", text(&fields.shard_name)),
        ("host", host),
        ("instance", text(&fields.instance_name)),
        ("processor", text(&fields.processor_name)),
        ("metric", text(&fields.metric_name)),
        ("target user", text(&fields.target_username)),
        ("target key", text(&fields.target_public_key)),
        ("database user", text(&fields.db_user_username)),
        ("team", text(&fields.team_id)),
        ("invoice", text(&fields.invoice_id)),
        ("alert", text(&fields.alert_id)),
        ("resource", text(&fields.resource_type)),
        ("by", text(&fields.username)),
        ("by key", text(&fields.public_key)),
        ("project", text(&fields.group_id)),
    ];
    let shown: Vec<String> = parts
        .into_iter()
        .filter_map(|(label, value)| value.map(|value| format!("{label} {value}")))
        .take(3)
        .collect();
    if shown.is_empty() {
        return "-".to_owned();
    }
    let joined = shown.join(", ");
    let joined: String = joined.chars().filter(|c| !c.is_control()).collect();
    match joined.char_indices().nth(DETAIL_MAX) {
        Some((end, _)) => format!("{}…", &joined[..end]),
        None => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detail_names_the_subject_then_who() {
        assert_eq!(
            detail(r#"{"clusterName":"c1","username":"ann@example.com","groupId":"g"}"#),
            "cluster c1, by ann@example.com, project g"
        );
        assert_eq!(
            detail(r#"{"hostname":"h.example.com","port":27017,"publicKey":"abc"}"#),
            "host h.example.com:27017, by key abc"
        );
        assert_eq!(
            detail(r#"{"clusterName":{"odd":1},"raw":{"clusterName":"x"}}"#),
            "-"
        );
        assert_eq!(detail("not json"), "-");
        assert_eq!(detail(r#"{"username":"a\nb"}"#), "by ab");
        let long = format!(r#"{{"clusterName":"{}"}}"#, "x".repeat(200));
        assert_eq!(detail(&long).chars().count(), DETAIL_MAX + 1);
    }

    #[test]
    fn rows_line_up_and_missing_fields_show_a_dash() {
        let event: OrgEvent = serde_json::from_str(
            r#"{"id":"5e8d7c6b5a4f3e2d1c0b9a87","created":"2026-01-02T03:04:05Z",
                "eventTypeName":"ORG_CREATED","username":"ann"}"#,
        )
        .unwrap();
        let mut out = Vec::new();
        write_header(&mut out).unwrap();
        write_row(&mut out, &event, r#"{"username":"ann"}"#).unwrap();
        let broken: OrgEvent = serde_json::from_str(r#"{"eventTypeName":"X"}"#).unwrap();
        write_row(&mut out, &broken, "{}").unwrap();
        let hostile: OrgEvent = serde_json::from_str(
            r#"{"id":"a\u001b[2Jb","created":"2026-01-02T03:04:05Z","eventTypeName":"X\u0007"}"#,
        )
        .unwrap();
        write_row(&mut out, &hostile, "{}").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!(
                "{:<24} {:<40} {:<24} DETAIL\n{:<24} {:<40} {} by ann\n{:<24} {:<40} {:<24} -\n\
                 {:<24} {:<40} {:<24} -\n",
                "CREATED",
                "EVENT TYPE",
                "ID",
                "2026-01-02T03:04:05Z",
                "ORG_CREATED",
                "5e8d7c6b5a4f3e2d1c0b9a87",
                "-",
                "X",
                "-",
                "2026-01-02T03:04:05Z",
                r"X\u{7}",
                r"a\u{1b}[2Jb",
            )
        );
    }
}
