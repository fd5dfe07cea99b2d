//! Types and helpers that the generated models use: lossless timestamps, the map of unknown
//! fields, the small pieces every generated `Deserialize` implementation shares, decoding that
//! never fails on disagreement with the spec (`lenient`), the report of it (`conformance`),
//! what the event-type enums share (`event_types`) and the value of every open enum's `Unknown`
//! (`unknown_value`).

mod conformance;
mod event_types;
mod lenient;
mod unknown_value;

use std::borrow::Cow;
use std::fmt;

pub use conformance::{Conformance, Disagreement, DisagreementKind};
#[doc(hidden)]
pub use conformance::{
    At, Checked, Checks, FieldSpec, Kind, Schema, Ty, Walk, checked, disagreements, plain,
    unlisted_fields, view_of,
};
pub use event_types::{EventTypeName, UnknownCategory};
pub use unknown_value::UnknownValue;
#[doc(hidden)]
pub use event_types::{deserialize_category, parse_category};
#[doc(hidden)]
pub use lenient::{Decoded, Lenient, field, fits, object, spill_scalar, take_typed};

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::{Serialize, Serializer};

/// Fields a model does not list, kept so that encoding gives back what was decoded.
///
/// It also holds fields that arrived as `null` or with another type than the spec declares:
/// the typed field stays `None` and the value is kept here, so that re-encoding writes it back
/// (and [`Conformance::disagreements`] reports it).
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// An RFC 3339 timestamp that re-encodes exactly as it was received.
///
/// Atlas writes `2026-01-02T03:04:05Z`, sometimes with fractional seconds or a `+00:00` offset;
/// a decoded timestamp keeps its original text so that encoding loses nothing.
#[derive(Clone)]
pub struct Timestamp {
    value: time::OffsetDateTime,
    text: Box<str>,
}

impl Timestamp {
    /// Parses strict RFC 3339 text.
    pub fn parse(text: &str) -> Result<Self, time::error::Parse> {
        let value =
            time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)?;
        Ok(Timestamp {
            value,
            text: text.into(),
        })
    }

    /// The point in time strict RFC 3339 text names, if it is such text.
    fn parse_time(text: &str) -> Option<time::OffsetDateTime> {
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
    }

    /// The point in time.
    pub fn to_offset_date_time(&self) -> time::OffsetDateTime {
        self.value
    }

    /// The text as received (or as formatted, for a timestamp made with [`Timestamp::from`]).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl From<time::OffsetDateTime> for Timestamp {
    /// `#[inline]`: RFC 3339 formatting is compiled where a timestamp is made, not in every
    /// build of the models.
    #[inline]
    fn from(value: time::OffsetDateTime) -> Self {
        let text = value
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_else(|_| value.to_string());
        Timestamp {
            value,
            text: text.into(),
        }
    }
}

impl PartialEq for Timestamp {
    /// Two timestamps are equal when they name the same instant, however they are written.
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.text, f)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Timestamp {
    type Err = time::error::Parse;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Timestamp::parse(text)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Key::deserialize(deserializer)?;
        Timestamp::parse(&text.0).map_err(|e| {
            de::Error::custom(format_args!(
                "`{}` is not an RFC 3339 timestamp: {e}",
                text.0
            ))
        })
    }
}

/// A map key or string, borrowed from the input when it can be.
#[doc(hidden)]
pub struct Key<'de>(pub Cow<'de, str>);

impl Key<'_> {
    /// The key as an owned string, for the map of unknown fields.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Reads an unknown field's value into `extra`.
#[doc(hidden)]
pub fn unknown<'de, A: MapAccess<'de>>(
    map: &mut A,
    extra: &mut Extra,
    key: Key<'de>,
) -> Result<(), A::Error> {
    let value = map.next_value::<serde_json::Value>()?;
    extra.insert(key.into_string(), value);
    Ok(())
}

/// Why fields read from an object do not make a value: the non-generic half of decoding
/// reports this, and the generic half turns it into the deserializer's error.
#[doc(hidden)]
#[derive(Debug)]
pub enum Invalid {
    /// A required field is absent (or `null`).
    Missing(&'static str),
}

impl Invalid {
    /// The deserializer's error for this problem.
    pub fn into_error<E: de::Error>(self) -> E {
        match self {
            Invalid::Missing(field) => E::missing_field(field),
        }
    }
}

/// FNV-1a (64-bit) of a name: the hash the generator places a table's names by.
#[doc(hidden)]
pub const fn name_hash(name: &str) -> u64 {
    let bytes = name.as_bytes();
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    let mut i = 0;
    while i < bytes.len() {
        hash = (hash ^ bytes[i] as u64).wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

/// The index of `value` in `names`, found through `slots`: a table (its length a power of two)
/// of indices into `names` plus one (0: no name), where the generator put each name at its hash
/// or at the next free slot after it. Most lookups compare the value with one name, where a
/// search of a sorted table compared it with ten; one function serves every enum and union.
#[doc(hidden)]
pub fn find_name(names: &[&str], slots: &[u16], value: &str) -> Option<usize> {
    let mask = slots.len() - 1;
    let mut at = name_hash(value) as usize & mask;
    loop {
        let index = usize::from(slots[at]).checked_sub(1)?;
        if names[index] == value {
            return Some(index);
        }
        at = (at + 1) & mask;
    }
}

/// The error for a required field that is absent (or `null`).
#[doc(hidden)]
pub fn missing<E: de::Error>(field: &'static str) -> E {
    E::missing_field(field)
}
