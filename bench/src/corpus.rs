//! A generated corpus of event pages shaped like what Atlas really sends (issue 19).
//!
//! The proportions come from shape statistics of recorded Atlas answers (no recorded event is
//! copied): which event types a page holds and how often, which fields each event carries, and
//! how large the `diffs` of `AUTOMATION_CONFIG_PUBLISHED_AUDIT` are. Pages hold 500 events,
//! newest first, compact JSON, as `listGroupEvents` / `listOrgEvents` answer by default (no
//! `includeRaw`). Everything is drawn from a seeded generator, so the corpus is the same on
//! every run and machine. BENCHMARKS.md lists the proportions this produces (`--bin corpus`).

use serde_json::{Map, Value, json};

use crate::pages::Scope;

/// Events per page, Atlas's largest page (`itemsPerPage=500`), which the client asks for.
pub const PAGE_SIZE: usize = 500;

/// SplitMix64: a few lines of well-known arithmetic, so the corpus depends on no crate's
/// version of a random generator (a new `rand` could otherwise change every benchmark input).
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// `true` with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn hex(&mut self, digits: usize) -> String {
        (0..digits)
            .map(|_| char::from_digit(self.below(16) as u32, 16).expect("hex digit"))
            .collect()
    }

    /// Lower-case letters, as Atlas spells an API key's public part.
    fn letters(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'a' + self.below(26) as u8))
            .collect()
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// How often each event type appears, in events per thousand.
///
/// Project: a quarter scheduled maintenance, about 3 % automation config publications with
/// `diffs`, then cluster updates and creations, database users, cloud provider IAM roles and
/// alert configuration changes. Organization: about 40 % `GROUP_CREATED`, then projects deleted,
/// tags modified, invitations, API keys created and deleted, settings updated, team joins and
/// removals.
fn type_weights(scope: Scope) -> &'static [(&'static str, u64)] {
    match scope {
        Scope::Group => &[
            ("PROJECT_SCHEDULED_MAINTENANCE", 250),
            ("AUTOMATION_CONFIG_PUBLISHED_AUDIT", 32),
            ("CLUSTER_UPDATE_SUBMITTED", 118),
            ("CLUSTER_UPDATE_STARTED", 80),
            ("CLUSTER_UPDATE_COMPLETED", 80),
            ("CLUSTER_CREATED", 40),
            ("CLUSTER_READY", 40),
            ("MONGODB_USER_ADDED", 70),
            ("MONGODB_USER_DELETED", 60),
            ("MONGODB_USER_UPDATED", 60),
            ("CLOUD_PROVIDER_ACCESS_AWS_IAM_ROLE_ADDED", 40),
            ("CLOUD_PROVIDER_ACCESS_AWS_IAM_ROLE_DELETED", 30),
            ("ALERT_CONFIG_CHANGED_AUDIT", 50),
            ("ALERT_CONFIG_ADDED_AUDIT", 30),
            ("ALERT_CONFIG_DELETED_AUDIT", 20),
        ],
        Scope::Org => &[
            ("GROUP_CREATED", 400),
            ("GROUP_DELETED", 120),
            ("GROUP_TAGS_MODIFIED", 100),
            ("INVITED_TO_ORG", 80),
            ("API_KEY_CREATED", 70),
            ("API_KEY_DELETED", 60),
            ("ORG_SETTINGS_UPDATED", 60),
            ("JOINED_TEAM", 60),
            ("REMOVED_FROM_TEAM", 50),
        ],
    }
}

const GROUP_ID: &str = "5f2a9c1e7b3d4a6e8c0b1d2f";
const ORG_ID: &str = "5e8d7c6b5a4f3e2d1c0b9a87";

/// `pages` pages of `scope`, newest first across the whole corpus (page 1 holds the newest
/// events), each a list of event objects.
pub fn corpus(scope: Scope, pages: usize) -> Vec<Vec<Value>> {
    let mut draw = Draw(match scope {
        Scope::Group => 0x19_6e0f,
        Scope::Org => 0x19_0a9,
    });
    let weights = type_weights(scope);
    let total: u64 = weights.iter().map(|(_, w)| w).sum();
    // 2026-12-01T00:00:00Z, walking back a few minutes per event.
    let mut seconds: u64 = 1_796_083_200;
    let keys: Vec<(String, String)> = (0..6).map(|_| (draw.hex(24), draw.letters(8))).collect();
    (0..pages)
        .map(|_| {
            (0..PAGE_SIZE)
                .map(|_| {
                    seconds -= 1 + draw.below(400);
                    let mut pick = draw.below(total);
                    let name = weights
                        .iter()
                        .find(|(_, w)| {
                            let hit = pick < *w;
                            pick = pick.saturating_sub(*w);
                            hit
                        })
                        .map(|(name, _)| *name)
                        .expect("a weight is drawn");
                    event(scope, name, seconds, &keys, &mut draw)
                })
                .collect()
        })
        .collect()
}

/// One event of type `name`, created at `seconds` (Unix time).
fn event(
    scope: Scope,
    name: &str,
    seconds: u64,
    keys: &[(String, String)],
    draw: &mut Draw,
) -> Value {
    // An ObjectId: four bytes of seconds, then eight of machine and counter.
    let id = format!("{seconds:08x}{}", draw.hex(16));
    let (scope_path, scope_id) = match scope {
        Scope::Group => ("groups", GROUP_ID),
        Scope::Org => ("orgs", ORG_ID),
    };
    let mut e = Map::new();
    e.insert("created".into(), json!(rfc3339(seconds)));
    e.insert("eventTypeName".into(), json!(name));
    if scope == Scope::Group {
        e.insert("groupId".into(), json!(GROUP_ID));
    }
    e.insert("id".into(), json!(id));
    if draw.chance(98) {
        e.insert("isGlobalAdmin".into(), json!(draw.chance(1)));
    }
    e.insert(
        "links".into(),
        json!([{
            "href": format!("https://cloud.mongodb.com/api/atlas/v2/{scope_path}/{scope_id}/events/{id}"),
            "rel": "self"
        }]),
    );
    match scope {
        Scope::Group => group_fields(name, &mut e, keys, draw),
        Scope::Org => org_fields(name, &mut e, keys, draw),
    }
    // Atlas sends keys sorted; `Map` (a BTreeMap without `preserve_order`) keeps them so.
    Value::Object(e)
}

fn api_key(e: &mut Map<String, Value>, keys: &[(String, String)], draw: &mut Draw) {
    let (id, public) = draw.pick(keys);
    e.insert("apiKeyId".into(), json!(id));
    e.insert("publicKey".into(), json!(public));
    e.insert("remoteAddress".into(), json!(address(draw)));
}

fn address(draw: &mut Draw) -> String {
    if draw.chance(10) {
        format!(
            "2600:1f18:{:x}::{:x}",
            draw.below(0xffff),
            draw.below(0xffff)
        )
    } else {
        format!(
            "{}.{}.{}.{}",
            3 + draw.below(200),
            draw.below(256),
            draw.below(256),
            1 + draw.below(254)
        )
    }
}

const CLUSTERS: [&str; 4] = ["Cluster0", "analytics-prod", "orders-eu", "search-staging"];

fn group_fields(
    name: &str,
    e: &mut Map<String, Value>,
    keys: &[(String, String)],
    draw: &mut Draw,
) {
    let maintenance = name == "PROJECT_SCHEDULED_MAINTENANCE";
    // Two thirds of what is not scheduled maintenance comes through an API key: half of all.
    if !maintenance && draw.chance(67) {
        api_key(e, keys, draw);
    }
    if name.starts_with("CLUSTER_") && draw.chance(70) {
        e.insert("clusterName".into(), json!(draw.pick(&CLUSTERS)));
    }
    if draw.chance(4) {
        let cluster = draw.pick(&CLUSTERS).to_lowercase();
        e.insert(
            "userAlias".into(),
            json!(format!(
                "{cluster}-shard-00-0{}.{}.mongodb.net",
                draw.below(3),
                draw.hex(5)
            )),
        );
    }
    if draw.chance(3) {
        e.insert(
            "hostname".into(),
            json!(format!(
                "atlas-{}-shard-00-0{}.{}.mongodb.net",
                draw.hex(6),
                draw.below(3),
                draw.hex(5)
            )),
        );
        e.insert("port".into(), json!(27017));
    }
    if draw.chance(3) {
        e.insert("resourceId".into(), json!(draw.hex(24)));
        e.insert("resourceType".into(), json!("cluster"));
    }
    if draw.chance(4) {
        e.insert("orgId".into(), json!(ORG_ID));
    }
    if name == "AUTOMATION_CONFIG_PUBLISHED_AUDIT" {
        let count = diff_count(draw);
        let diffs: Vec<Value> = (0..count).map(|i| diff(i, draw)).collect();
        e.insert("diffs".into(), Value::Array(diffs));
    }
}

/// 1 to 22 entries, most publications changing one or two things.
fn diff_count(draw: &mut Draw) -> usize {
    match draw.below(10) {
        0..=5 => 1,
        6..=7 => 2,
        8 => 3 + draw.below(8) as usize,
        _ => 12 + draw.below(11) as usize,
    }
}

/// One entry of `diffs`: what a publication changed in one process or replica set, each
/// parameter's `old` and `new` a JSON document written into a string, over several lines.
fn diff(i: usize, draw: &mut Draw) -> Value {
    let cluster = draw.pick(&CLUSTERS);
    let process = format!("{cluster}-shard-00-0{}", i % 3);
    let params: Vec<Value> = (0..1 + u64::from(draw.chance(20)))
        .map(|_| {
            let (param, old, new) = match draw.below(10) {
                0..=2 => (
                    "args2_6.net",
                    net_options(27017, false, draw),
                    net_options(27017, true, draw),
                ),
                3..=5 => (
                    "args2_6.setParameter",
                    set_parameters(draw),
                    set_parameters(draw),
                ),
                _ => ("version", json!("7.0.14").to_string(), json!("8.0.3").to_string()),
            };
            json!({"display": param.replace("args2_6.", ""), "new": new, "old": old, "param": param})
        })
        .collect();
    json!({
        "id": process,
        "name": process,
        "params": params,
        "priority": draw.below(3),
        "status": "MODIFIED",
        "type": "PROCESS",
    })
}

/// A process's `net` options as Atlas writes them into a diff: pretty-printed JSON text.
fn net_options(port: u16, tls: bool, draw: &mut Draw) -> String {
    let doc = json!({
        "bindIpAll": true,
        "compression": {"compressors": "snappy,zstd,zlib"},
        "maxIncomingConnections": 500 + draw.below(4) * 500,
        "port": port,
        "tls": {
            "allowConnectionsWithoutCertificates": true,
            "certificateKeyFile": "/etc/pki/tls/private/mongod.pem",
            "disabledProtocols": if tls { "TLS1_0,TLS1_1" } else { "TLS1_0" },
            "mode": "requireTLS"
        }
    });
    serde_json::to_string_pretty(&doc).expect("encode net options")
}

fn set_parameters(draw: &mut Draw) -> String {
    let doc = json!({
        "allowRolesFromX509Certificates": "true",
        "authenticationMechanisms": "SCRAM-SHA-1,SCRAM-SHA-256,MONGODB-X509",
        "diagnosticDataCollectionDirectorySizeMB": 200 + draw.below(200),
        "honorSystemUmask": "false",
        "suppressNoTLSPeerCertificateWarning": "true",
        "tlsWithholdClientCertificate": "true",
        "ttlMonitorEnabled": "true",
        "watchdogPeriodSeconds": 60,
    });
    serde_json::to_string_pretty(&doc).expect("encode parameters")
}

fn org_fields(name: &str, e: &mut Map<String, Value>, keys: &[(String, String)], draw: &mut Draw) {
    api_key(e, keys, draw);
    e.insert("orgId".into(), json!(ORG_ID));
    let project = matches!(
        name,
        "GROUP_CREATED" | "GROUP_DELETED" | "GROUP_TAGS_MODIFIED"
    );
    if project && draw.chance(80) {
        e.insert("groupId".into(), json!(draw.hex(24)));
    }
    if name.starts_with("API_KEY_") && draw.chance(70) {
        let (_, public) = draw.pick(keys);
        e.insert("targetPublicKey".into(), json!(public));
    }
    if matches!(name, "INVITED_TO_ORG" | "JOINED_TEAM" | "REMOVED_FROM_TEAM") && draw.chance(30) {
        e.insert(
            "targetUsername".into(),
            json!(format!("user{}@example.com", draw.below(1000))),
        );
    }
}

/// `seconds` (Unix time, UTC) as Atlas writes `created`: `2026-11-30T23:59:59Z`.
fn rfc3339(seconds: u64) -> String {
    let seconds = i64::try_from(seconds).expect("a time after 1970");
    chrono::DateTime::from_timestamp(seconds, 0)
        .expect("a time chrono can hold")
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn rfc3339_of_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_796_083_199), "2026-11-30T23:59:59Z");
    }
}
