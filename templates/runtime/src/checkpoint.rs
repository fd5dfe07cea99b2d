//! Where a follow stream stands, saved and restored by its user: the
//! checkpoint of one scope (an organization's events, or a project's).

use std::time::Duration;

use time::OffsetDateTime;

use super::clock::earlier;

/// Where a follow stream stands: every event created before its `from`
/// time has been yielded, and so have the listed recent ones.
///
/// Serialize it (it is small: two times and the ids of the few events
/// yielded at or after `from`) and pass it back with `.from_checkpoint()`
/// to go on where a stream stopped.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    /// The end of the last window read completely.
    #[serde(with = "rfc3339")]
    pub(crate) until: OffsetDateTime,
    /// Where the next window starts: every event created before it has been
    /// yielded. Absent in checkpoints of earlier versions, whose next window
    /// started at `until` less the overlap.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rfc3339::option"
    )]
    pub(crate) from: Option<OffsetDateTime>,
    /// Events yielded whose `created` is at or after `from`.
    #[serde(default)]
    pub(crate) recent: Vec<Seen>,
}

/// One yielded event the checkpoint remembers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Seen {
    /// The event's id (or `#` and a fingerprint of its JSON, for an event without one).
    pub(crate) id: String,
    /// The event's `created` (or the end of its window, for an event without one).
    #[serde(with = "rfc3339")]
    pub(crate) created: OffsetDateTime,
}

pub(crate) mod rfc3339 {
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    pub fn serialize<S: serde::Serializer>(
        value: &OffsetDateTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::super::validate::format_datetime(value))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<OffsetDateTime, D::Error> {
        let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
        OffsetDateTime::parse(&text, &Rfc3339).map_err(serde::de::Error::custom)
    }

    pub mod option {
        use time::OffsetDateTime;

        pub fn serialize<S: serde::Serializer>(
            value: &Option<OffsetDateTime>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => super::serialize(value, serializer),
                None => serializer.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: serde::Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<OffsetDateTime>, D::Error> {
            super::deserialize(deserializer).map(Some)
        }
    }
}

impl Checkpoint {
    /// A checkpoint from which a stream yields the events created at or
    /// after `since`.
    pub fn starting_at(since: OffsetDateTime) -> Checkpoint {
        Checkpoint {
            until: since,
            from: Some(since),
            recent: Vec::new(),
        }
    }

    /// The end of the last window read completely.
    pub fn until(&self) -> OffsetDateTime {
        self.until
    }

    /// How many recent event ids the checkpoint holds.
    pub fn recent_len(&self) -> usize {
        self.recent.len()
    }

    /// Where the next window starts (for a checkpoint of an earlier
    /// version, which does not say: `until` less `overlap`).
    pub(crate) fn from(&self, overlap: Duration) -> OffsetDateTime {
        self.from.unwrap_or_else(|| earlier(self.until, overlap))
    }
}
