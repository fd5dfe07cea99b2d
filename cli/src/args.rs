//! The options of `list`, `export`, `tail` and `types`, as clap reads them.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};
use time::OffsetDateTime;

use crate::connect::Connection;
use crate::exit_code::Failure;
use crate::query::EventQuery;
use crate::scope::Scope;
use crate::shard::ShardArg;
use crate::time_arg;

/// `--since`/`--until` as given: parsed by clap against the time the program started.
fn time_value(text: &str) -> Result<OffsetDateTime, String> {
    time_arg::parse_time(text, OffsetDateTime::now_utc())
}

fn span_value(text: &str) -> Result<Duration, String> {
    time_arg::parse_span(text)
}

fn interval_value(text: &str) -> Result<Duration, String> {
    let span = time_arg::parse_span(text)?;
    if span < Duration::from_secs(1) {
        return Err("the interval is at least 1 second".to_owned());
    }
    Ok(span)
}

/// Options every command that reads events shares.
#[derive(Args, Debug, Clone)]
pub struct EventOptions {
    /// The organization whose events to read (default: MONGODB_ATLAS_ORG_ID or MCLI_ORG_ID
    /// when no project is set there).
    #[arg(long, value_name = "ID", conflicts_with = "project")]
    pub org: Option<String>,
    /// The project whose events to read (default: MONGODB_ATLAS_PROJECT_ID or
    /// MCLI_PROJECT_ID).
    #[arg(long, value_name = "ID")]
    pub project: Option<String>,
    /// Events created at or after TIME: RFC 3339 (2026-01-02T03:04:05Z) or how long ago
    /// (90s, 30m, 2h, 7d, 2w).
    #[arg(long, value_name = "TIME", value_parser = time_value)]
    pub since: Option<OffsetDateTime>,
    /// Events created at or before TIME (same forms as --since). `tail` stops once it has read
    /// up to it.
    #[arg(long, value_name = "TIME", value_parser = time_value)]
    pub until: Option<OffsetDateTime>,
    /// Only these event types (repeatable): a category by slug or title (host-event, "Host Event
    /// Types"; `atlas-events types` lists them), a prefix ending in `_` or `*` (CLUSTER_,
    /// CLUSTER_*) or an exact name (CLUSTER_CREATED). Exact names are filtered by Atlas; prefixes
    /// and categories here, keeping names newer than this program that they may match (with
    /// --all-projects every value is applied here, to the events of both kinds).
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<String>,
    /// Only events of this cluster (repeatable; projects only).
    #[arg(long = "cluster", value_name = "NAME")]
    pub clusters: Vec<String>,
    /// The longest one request may take with its retries (the client retries rate limits,
    /// server and network errors with backoff, honouring Retry-After): a span such as 30s or
    /// 2m.
    #[arg(long, value_name = "SPAN", default_value = "2m", value_parser = span_value)]
    pub max_retry_time: Duration,
}

impl EventOptions {
    /// Connects with the environment's credentials and checks the options against each other
    /// and the environment's defaults (`all_projects`: `--all-projects` was given).
    pub fn resolve(&self, all_projects: bool) -> Result<(Connection, EventQuery), Failure> {
        let connection = Connection::from_env(self.max_retry_time)?;
        let scope = Scope::resolve(
            self.org.clone(),
            self.project.clone(),
            connection.env_org.clone(),
            connection.env_project.clone(),
        )?;
        let query = EventQuery::new(
            scope,
            self.since,
            self.until,
            &self.types,
            self.clusters.clone(),
            all_projects,
        )?;
        Ok((connection, query))
    }
}

/// `--all-projects` and `--shard` (`export` and `tail`).
#[derive(Args, Debug, Clone)]
pub struct AllProjectsOptions {
    /// Also every project of the --org organization (needs --org): each line is an event
    /// exactly as Atlas sent it, whose groupId or orgId says where it came from; each
    /// organization's or project's events oldest first, interleaved. Projects are listed when it
    /// starts and every 5 minutes; a project that is gone or refused (403, 404) is dropped with
    /// a note on stderr. Quiet projects are polled less often, up to every 5 minutes.
    #[arg(long, requires = "org")]
    pub all_projects: bool,
    /// Only shard K of N (from 1) of the organization's projects (needs --all-projects): N
    /// instances, each with its own --shard and --checkpoint, follow the organization between
    /// them; a stable split by project id, and the organization's own events in shard 1. To
    /// change N, restart each shard K from its own checkpoint with K/N' (the projects that move
    /// to it are read from its start, repeating events another shard printed) and start new
    /// shards without a checkpoint, with the same --since as the others.
    #[arg(long, value_name = "K/N", requires = "all_projects")]
    pub shard: Option<ShardArg>,
}

impl AllProjectsOptions {
    /// The shard followed with `--all-projects` (the whole organization without `--shard`).
    pub fn shard(&self) -> ShardArg {
        self.shard.unwrap_or(ShardArg::WHOLE)
    }
}

/// How events are printed.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One event per line, its JSON exactly as Atlas sent it.
    Jsonl,
    /// A readable table: created, event type, id, detail.
    Table,
}

/// `list`.
#[derive(Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    pub events: EventOptions,
    /// JSONL (each event's JSON as Atlas sent it) instead of the table.
    #[arg(long)]
    pub json: bool,
    /// At most N events (the newest).
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
}

/// `export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub events: EventOptions,
    #[command(flatten)]
    pub all_projects: AllProjectsOptions,
    /// Write to FILE instead of stdout: it appears, whole, only once every event is written.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
}

/// `tail`.
#[derive(Args, Debug)]
pub struct TailArgs {
    #[command(flatten)]
    pub events: EventOptions,
    #[command(flatten)]
    pub all_projects: AllProjectsOptions,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
    /// Seconds between polls once up to date (or a span such as 2m).
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = interval_value)]
    pub interval: Duration,
    /// Resume from FILE when it exists, and save there where the output stands after each
    /// batch and on SIGINT/SIGTERM.
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,
}

/// `types`.
#[derive(Args, Debug)]
pub struct TypesArgs {
    /// The event types of organizations.
    #[arg(long, conflicts_with = "project")]
    pub org: bool,
    /// The event types of projects (the default).
    #[arg(long)]
    pub project: bool,
}
