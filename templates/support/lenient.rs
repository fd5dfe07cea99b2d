//! Decoding that never fails because the server disagrees with the spec.
//!
//! Every field of every model is read through [`Decoded`]: a value of the declared shape is
//! typed, `null` and a value of any other shape are kept as JSON (the generated code puts them
//! in the object's `extra`, so re-encoding writes them back). One pass, no buffering: each JSON
//! type reaches its own hook, and only a value that does not fit is built as
//! `serde_json::Value`. Only input that is not JSON at all is an error.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{Extra, Key, Timestamp};

/// What one JSON value decoded into.
#[doc(hidden)]
pub enum Decoded<T> {
    /// The value has the declared shape.
    Typed(T),
    /// `null`.
    Null,
    /// A value of another shape, kept as received.
    Other(Value),
}

impl<T> Decoded<T> {
    fn map<U>(self, f: impl FnOnce(T) -> U) -> Decoded<U> {
        match self {
            Decoded::Typed(value) => Decoded::Typed(f(value)),
            Decoded::Null => Decoded::Null,
            Decoded::Other(value) => Decoded::Other(value),
        }
    }
}

/// A type that decodes from any JSON value: each hook gets a value of one JSON type and returns
/// `None` (or the value back) when that value does not have the type's shape.
#[doc(hidden)]
pub trait Lenient<'de>: Sized {
    /// Whether a value of another shape (or `null`) is an error rather than kept as JSON: set
    /// for events, since a list of events with something else in it is not a list of events.
    const OBJECT_ONLY: bool = false;

    fn from_str(_value: &str) -> Option<Self> {
        None
    }
    fn from_borrowed_str(value: &'de str) -> Option<Self> {
        Self::from_str(value)
    }
    fn from_string(value: String) -> Result<Self, String> {
        Self::from_str(&value).ok_or(value)
    }
    fn from_bool(_value: bool) -> Option<Self> {
        None
    }
    fn from_i64(_value: i64) -> Option<Self> {
        None
    }
    fn from_u64(_value: u64) -> Option<Self> {
        None
    }
    fn from_f64(_value: f64) -> Option<Self> {
        None
    }
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Decoded<Self>, A::Error> {
        Extra::deserialize(MapAccessDeserializer::new(map)).map(|m| Decoded::Other(Value::Object(m)))
    }
    fn from_seq<A: SeqAccess<'de>>(seq: A) -> Result<Decoded<Self>, A::Error> {
        Vec::<Value>::deserialize(SeqAccessDeserializer::new(seq))
            .map(|items| Decoded::Other(Value::Array(items)))
    }
    /// A typed list item as the JSON it came from, when a later item of its list does not fit
    /// and the whole list is kept as JSON.
    fn item_json(&self) -> Result<Value, serde_json::Error>
    where
        Self: serde::Serialize,
    {
        serde_json::to_value(self)
    }
}

impl<'de, T: Lenient<'de>> Deserialize<'de> for Decoded<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor(PhantomData))
    }
}

struct LenientVisitor<T>(PhantomData<T>);

/// The typed value, or the JSON value kept as it is (an error where only objects are allowed).
fn typed_or<'de, T: Lenient<'de>, E: de::Error>(
    typed: Option<T>,
    other: impl FnOnce() -> Value,
) -> Result<Decoded<T>, E> {
    match typed {
        Some(value) => Ok(Decoded::Typed(value)),
        None => misfit(other()),
    }
}

fn misfit<'de, T: Lenient<'de>, E: de::Error>(value: Value) -> Result<Decoded<T>, E> {
    if T::OBJECT_ONLY {
        let unexpected = match &value {
            Value::Null => de::Unexpected::Unit,
            Value::Bool(b) => de::Unexpected::Bool(*b),
            Value::Number(_) => de::Unexpected::Other("number"),
            Value::String(s) => de::Unexpected::Str(s),
            Value::Array(_) => de::Unexpected::Seq,
            Value::Object(_) => de::Unexpected::Map,
        };
        return Err(de::Error::invalid_type(unexpected, &"an object"));
    }
    Ok(match value {
        Value::Null => Decoded::Null,
        value => Decoded::Other(value),
    })
}

impl<'de, T: Lenient<'de>> Visitor<'de> for LenientVisitor<T> {
    type Value = Decoded<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        misfit(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        misfit(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        typed_or(T::from_bool(v), || Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        typed_or(T::from_i64(v), || Value::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        typed_or(T::from_u64(v), || Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        typed_or(T::from_f64(v), || Value::from(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        typed_or(T::from_str(v), || Value::String(v.to_owned()))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        typed_or(T::from_borrowed_str(v), || Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        match T::from_string(v) {
            Ok(value) => Ok(Decoded::Typed(value)),
            Err(v) => misfit(Value::String(v)),
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::from_map(map)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        T::from_seq(seq)
    }
}

impl Lenient<'_> for String {
    fn from_str(value: &str) -> Option<Self> {
        Some(value.to_owned())
    }
    fn from_string(value: String) -> Result<Self, String> {
        Ok(value)
    }
}

impl<'de> Lenient<'de> for Key<'de> {
    fn from_str(value: &str) -> Option<Self> {
        Some(Key(Cow::Owned(value.to_owned())))
    }
    fn from_borrowed_str(value: &'de str) -> Option<Self> {
        Some(Key(Cow::Borrowed(value)))
    }
    fn from_string(value: String) -> Result<Self, String> {
        Ok(Key(Cow::Owned(value)))
    }
}

impl Lenient<'_> for bool {
    fn from_bool(value: bool) -> Option<Self> {
        Some(value)
    }
}

impl Lenient<'_> for i32 {
    fn from_i64(value: i64) -> Option<Self> {
        i32::try_from(value).ok()
    }
    fn from_u64(value: u64) -> Option<Self> {
        i32::try_from(value).ok()
    }
}

impl Lenient<'_> for i64 {
    fn from_i64(value: i64) -> Option<Self> {
        Some(value)
    }
    fn from_u64(value: u64) -> Option<Self> {
        i64::try_from(value).ok()
    }
}

impl Lenient<'_> for serde_json::Number {
    fn from_i64(value: i64) -> Option<Self> {
        Some(value.into())
    }
    fn from_u64(value: u64) -> Option<Self> {
        Some(value.into())
    }
    fn from_f64(value: f64) -> Option<Self> {
        serde_json::Number::from_f64(value)
    }
}

impl Lenient<'_> for Timestamp {
    fn from_str(value: &str) -> Option<Self> {
        Timestamp::parse(value).ok()
    }
    fn from_string(value: String) -> Result<Self, String> {
        match Timestamp::parse_time(&value) {
            Some(time) => Ok(Timestamp {
                value: time,
                text: value.into_boxed_str(),
            }),
            None => Err(value),
        }
    }
}

/// Any JSON: every value is typed but `null`.
impl<'de> Lenient<'de> for Value {
    fn from_str(value: &str) -> Option<Self> {
        Some(Value::String(value.to_owned()))
    }
    fn from_string(value: String) -> Result<Self, String> {
        Ok(Value::String(value))
    }
    fn from_bool(value: bool) -> Option<Self> {
        Some(Value::Bool(value))
    }
    fn from_i64(value: i64) -> Option<Self> {
        Some(value.into())
    }
    fn from_u64(value: u64) -> Option<Self> {
        Some(value.into())
    }
    fn from_f64(value: f64) -> Option<Self> {
        serde_json::Number::from_f64(value).map(Value::Number)
    }
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Decoded<Self>, A::Error> {
        Extra::deserialize(MapAccessDeserializer::new(map)).map(|m| Decoded::Typed(Value::Object(m)))
    }
    fn from_seq<A: SeqAccess<'de>>(seq: A) -> Result<Decoded<Self>, A::Error> {
        Vec::<Value>::deserialize(SeqAccessDeserializer::new(seq))
            .map(|items| Decoded::Typed(Value::Array(items)))
    }
}

/// Any JSON object.
impl<'de> Lenient<'de> for Extra {
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Decoded<Self>, A::Error> {
        Extra::deserialize(MapAccessDeserializer::new(map)).map(Decoded::Typed)
    }
}

impl<'de, T: Lenient<'de>> Lenient<'de> for Box<T> {
    fn from_str(value: &str) -> Option<Self> {
        T::from_str(value).map(Box::new)
    }
    fn from_borrowed_str(value: &'de str) -> Option<Self> {
        T::from_borrowed_str(value).map(Box::new)
    }
    fn from_string(value: String) -> Result<Self, String> {
        T::from_string(value).map(Box::new)
    }
    fn from_bool(value: bool) -> Option<Self> {
        T::from_bool(value).map(Box::new)
    }
    fn from_i64(value: i64) -> Option<Self> {
        T::from_i64(value).map(Box::new)
    }
    fn from_u64(value: u64) -> Option<Self> {
        T::from_u64(value).map(Box::new)
    }
    fn from_f64(value: f64) -> Option<Self> {
        T::from_f64(value).map(Box::new)
    }
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Decoded<Self>, A::Error> {
        T::from_map(map).map(|d| d.map(Box::new))
    }
    fn from_seq<A: SeqAccess<'de>>(seq: A) -> Result<Decoded<Self>, A::Error> {
        T::from_seq(seq).map(|d| d.map(Box::new))
    }
}

/// An array whose items all have the item type is typed; one item that does not makes the
/// whole array JSON (typed items are encoded back, which gives the JSON they came from).
impl<'de, T: Lenient<'de> + serde::Serialize> Lenient<'de> for Vec<T> {
    fn from_seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Decoded<Self>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        let first_misfit = loop {
            match seq.next_element::<Decoded<T>>()? {
                None => return Ok(Decoded::Typed(items)),
                Some(Decoded::Typed(item)) => items.push(item),
                Some(Decoded::Null) => break Value::Null,
                Some(Decoded::Other(value)) => break value,
            }
        };
        let mut json = Vec::with_capacity(items.len() + 1);
        for item in &items {
            json.push(item.item_json().map_err(de::Error::custom)?);
        }
        json.push(first_misfit);
        while let Some(value) = seq.next_element::<Value>()? {
            json.push(value);
        }
        Ok(Decoded::Other(Value::Array(json)))
    }
}

/// `Lenient::from_map` of a generated struct or union: its own decoding never fails on content.
#[doc(hidden)]
pub fn object<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    map: A,
) -> Result<Decoded<T>, A::Error> {
    T::deserialize(MapAccessDeserializer::new(map)).map(Decoded::Typed)
}

/// Reads a field's value into `slot`: `null` or a value of another shape leaves the slot empty
/// and is kept in `extra` under `key`, as received.
///
/// A key that repeats keeps its last value, as `serde_json::Value` does.
#[doc(hidden)]
pub fn field<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    extra: &mut Extra,
    key: &str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Lenient<'de>,
{
    match map.next_value::<Decoded<T>>()? {
        Decoded::Typed(value) => {
            *slot = Some(value);
            if !extra.is_empty() {
                extra.remove(key);
            }
        }
        Decoded::Null => {
            *slot = None;
            extra.insert(key.to_owned(), Value::Null);
        }
        Decoded::Other(value) => {
            *slot = None;
            extra.insert(key.to_owned(), value);
        }
    }
    Ok(())
}

/// Takes a field the chosen view lists out of `extra`, where it was read as JSON before the
/// view was known, and types it; what does not fit stays in `extra` under `key`, as received.
///
/// Never fails, so building a view has no error path for each of its fields.
#[doc(hidden)]
pub fn take_typed<T>(extra: &mut Extra, key: &str) -> Option<T>
where
    T: for<'a> Lenient<'a>,
{
    // Most events carry none of the fields only some views list: no lookup at all then.
    if extra.is_empty() {
        return None;
    }
    let value = extra.remove(key)?;
    // Decoded from a reference, so that the value is still at hand when it does not fit (or on
    // the error lenient decoding gives only for what is not JSON, which a `Value` never is).
    match Decoded::<T>::deserialize(&value) {
        Ok(Decoded::Typed(typed)) => Some(typed),
        Ok(Decoded::Null | Decoded::Other(_)) | Err(_) => {
            extra.insert(key.to_owned(), value);
            None
        }
    }
}

/// Puts a string or boolean read into a slot back into `extra`, as the JSON it was read from:
/// for the chosen view (or a non-conforming event) the field is an unknown field.
#[doc(hidden)]
pub fn spill_scalar<T: Into<Value>>(extra: &mut Extra, key: &str, slot: Option<T>) {
    if let Some(value) = slot {
        extra.insert(key.to_owned(), value.into());
    }
}

/// Whether a field read as JSON has the type `T`. Only the few required fields that not every
/// view lists are checked so, before their view is built, with the deserializer `take_typed`
/// uses.
#[doc(hidden)]
pub fn fits<T>(value: Option<&Value>) -> bool
where
    T: for<'a> Lenient<'a>,
{
    value.is_some_and(|value| matches!(Decoded::<T>::deserialize(value), Ok(Decoded::Typed(_))))
}
