//! [`Extra`]: the fields a model does not type, each kept as the JSON text it arrived as.

use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use super::Key;

/// Fields a model does not type, each kept as the JSON text it arrived as, so that encoding
/// gives back what was decoded.
///
/// It holds the fields the spec does not list for the model, and fields that arrived as
/// `null` or with another type than the spec declares: the typed field stays `None` and the
/// value is kept here, so that re-encoding writes it back (and
/// [`Conformance::disagreements`](crate::Conformance::disagreements) reports it).
///
/// Decoding does not build these values: it keeps each one's text (a
/// [`RawValue`]), which costs a copy of its bytes, and decodes it only when asked
/// ([`get_value`](Extra::get_value), [`get_as`](Extra::get_as)). Encoding with `serde_json`
/// writes the text back as it came, number spellings included; other serde formats get the
/// decoded value. Keys iterate in sorted order.
///
/// ```
/// use mongodb_atlas_events::GroupEvent;
///
/// let event: GroupEvent = serde_json::from_str(
///     r#"{"id": "32b6e34b3d91647abb20e7b8", "created": "2026-01-02T03:04:05Z",
///         "eventTypeName": "CLUSTER_CREATED", "clusterName": "c1",
///         "diffs": [{"id": 1.50, "status": "NEW"}]}"#,
/// )?;
/// let extra = event.extra();
/// assert_eq!(extra.get_str("clusterName"), Some("c1"));
/// // As received, with its number spelling:
/// assert_eq!(extra.get("diffs").map(|raw| raw.get()), Some(r#"[{"id": 1.50, "status": "NEW"}]"#));
/// // Decoded on demand, as a `serde_json::Value` or a type of your own:
/// assert_eq!(extra.get_value("diffs"), Some(serde_json::json!([{"id": 1.5, "status": "NEW"}])));
/// #[derive(serde::Deserialize)]
/// struct Diff { status: String }
/// let diffs: Vec<Diff> = extra.get_as("diffs").unwrap()?;
/// assert_eq!(diffs[0].status, "NEW");
/// assert_eq!(extra.keys().collect::<Vec<_>>(), ["clusterName", "diffs"]);
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// Two maps are equal when they have the same keys with equal JSON values (`1.50` equals
/// `1.5`, `{"a": 1, "b": 2}` equals `{"b":2,"a":1}`), as two `serde_json::Map`s would be.
#[derive(Clone, Default)]
pub struct Extra {
    fields: Fields,
    /// Whether decoding kept a value of a typed field here (`null`, or of another type): only
    /// then can a typed field that arrives again have a stale value here to remove.
    typed_keys: bool,
}

/// One kept value.
#[derive(Clone)]
struct Kept {
    /// The JSON text: as received, except that text spread over several lines (a server that
    /// pretty-prints) loses the white space outside strings, so that it encodes on one line.
    json: Box<RawValue>,
    /// A JSON string's value when its text has escapes; without escapes the value is the text
    /// between the quotes. Kept so that [`Extra::get_str`] can lend it.
    unescaped: Option<Box<str>>,
}

impl Kept {
    fn new(json: Box<RawValue>) -> Kept {
        let json = on_one_line(json);
        let text = json.get();
        let unescaped = if text.starts_with('"') && text.contains('\\') {
            serde_json::from_str::<String>(text)
                .ok()
                .map(String::into_boxed_str)
        } else {
            None
        };
        Kept { json, unescaped }
    }

    /// A decoded value, as the JSON text it encodes to.
    fn from_value(value: Value) -> Kept {
        let literal = match &value {
            Value::Null => "null",
            Value::Bool(true) => "true",
            Value::Bool(false) => "false",
            Value::String(text) if !text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') => {
                // Nothing to escape: the text between quotes, in one allocation of its size.
                let mut json = String::with_capacity(text.len() + 2);
                json.push('"');
                json.push_str(text);
                json.push('"');
                return Kept::literal(json);
            }
            Value::String(_) => {
                let json = serde_json::value::to_raw_value(&value).expect("a string encodes");
                let Value::String(text) = value else {
                    unreachable!()
                };
                return Kept {
                    json,
                    unescaped: Some(text.into_boxed_str()),
                };
            }
            // Writing a `serde_json::Value` as JSON cannot fail (its keys are strings, its
            // numbers finite).
            _ => {
                return Kept::new(
                    serde_json::value::to_raw_value(&value).expect("a JSON value encodes"),
                );
            }
        };
        Kept::literal(literal.to_owned())
    }

    /// JSON text made here: valid, on one line, and no string with escapes.
    fn literal(json: String) -> Kept {
        let json = RawValue::from_string(json).expect("valid JSON");
        Kept {
            json,
            unescaped: None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        let text = self.json.get();
        match &self.unescaped {
            Some(value) => Some(value),
            None if text.len() >= 2 && text.starts_with('"') => Some(&text[1..text.len() - 1]),
            None => None,
        }
    }

    /// The value as a `serde_json::Value`; `None` for text no `Value` can hold (a number
    /// beyond `f64`, nesting deeper than 128).
    fn to_value(&self) -> Option<Value> {
        serde_json::from_str(self.json.get()).ok()
    }
}

/// The text without white space outside strings, when it is spread over several lines or has
/// white space around it (only a value put in by hand can); otherwise unchanged.
fn on_one_line(json: Box<RawValue>) -> Box<RawValue> {
    let text = json.get();
    let bytes = text.as_bytes();
    let padded = bytes.first().is_some_and(u8::is_ascii_whitespace)
        || bytes.last().is_some_and(u8::is_ascii_whitespace);
    // Only an array or an object can hold a line break (a string cannot hold a raw one); the
    // two searches are `memchr`s, a word at a time.
    let broken = matches!(bytes.first(), Some(b'[' | b'{'))
        && (bytes.contains(&b'\n') || bytes.contains(&b'\r'));
    if !padded && !broken {
        return json;
    }
    let mut compact = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            compact.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            compact.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            compact.push(c);
        }
    }
    // Removing white space outside strings leaves valid JSON.
    RawValue::from_string(compact).unwrap_or(json)
}

impl Extra {
    /// An empty map.
    pub fn new() -> Extra {
        Extra::default()
    }

    /// How many fields it holds.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether it holds no field.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Whether it holds `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.fields.contains_key(key)
    }

    /// The JSON text of `key`'s value, as received (`raw.get()` is the text).
    pub fn get(&self, key: &str) -> Option<&RawValue> {
        self.fields.get(key).map(|kept| &*kept.json)
    }

    /// `key`'s value when it is a JSON string.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.fields.get(key)?.as_str()
    }

    /// `key`'s value when it is a JSON boolean.
    pub fn get_bool(&self, key: &str) -> Option<bool> {
        match self.fields.get(key)?.json.get() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// `key`'s value decoded as a `serde_json::Value`.
    ///
    /// `None` when the key is absent, and for text no `Value` can hold (a number beyond
    /// `f64`'s range, nesting deeper than 128), which is kept all the same: [`get`](Extra::get)
    /// has its text, [`get_as`](Extra::get_as) says why it does not decode.
    pub fn get_value(&self, key: &str) -> Option<Value> {
        self.fields.get(key)?.to_value()
    }

    /// `key`'s value decoded as `T`: `None` when the key is absent, an error when the value
    /// is not a `T`.
    pub fn get_as<T: DeserializeOwned>(&self, key: &str) -> Option<Result<T, serde_json::Error>> {
        let kept = self.fields.get(key)?;
        Some(serde_json::from_str(kept.json.get()))
    }

    /// The keys, sorted.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator + '_ {
        self.fields.0.iter().map(|(key, _)| key.as_str())
    }

    /// The fields, sorted by key, each with its JSON text.
    pub fn iter(&self) -> ExtraIter<'_> {
        ExtraIter(self.fields.0.iter())
    }

    /// Puts a value given as JSON text under `key`, giving back the value it replaces.
    ///
    /// ```
    /// use mongodb_atlas_events::Extra;
    ///
    /// let mut extra = Extra::new();
    /// extra.insert("tier", serde_json::value::RawValue::from_string("\"M10\"".into())?);
    /// assert_eq!(extra.get_str("tier"), Some("M10"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn insert(&mut self, key: impl Into<String>, json: Box<RawValue>) -> Option<Box<RawValue>> {
        self.fields
            .insert(key.into(), Kept::new(json))
            .map(|kept| kept.json)
    }

    /// Puts any serializable value under `key`, encoded as JSON, giving back the value it
    /// replaces; an error when the value does not encode as JSON (a map with keys that are
    /// not strings).
    ///
    /// ```
    /// use mongodb_atlas_events::Extra;
    ///
    /// let mut extra = Extra::new();
    /// extra.insert_value("ports", &[27017, 27018])?;
    /// assert_eq!(extra.get("ports").map(|raw| raw.get()), Some("[27017,27018]"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn insert_value<T: Serialize + ?Sized>(
        &mut self,
        key: impl Into<String>,
        value: &T,
    ) -> Result<Option<Box<RawValue>>, serde_json::Error> {
        let json = serde_json::value::to_raw_value(value)?;
        Ok(self.insert(key, json))
    }

    /// Takes `key`'s value out, as JSON text.
    pub fn remove(&mut self, key: &str) -> Option<Box<RawValue>> {
        self.fields.remove(key).map(|kept| kept.json)
    }

    /// Removes every field.
    pub fn clear(&mut self) {
        self.fields.clear();
    }

    /// Keeps a value read from the input under `key` (decoding's path, without `into`).
    pub(crate) fn keep(&mut self, key: String, json: Box<RawValue>) {
        self.fields.insert(key, Kept::new(json));
    }

    /// Keeps a value that was decoded (one that did not fit its field) under `key`.
    pub(crate) fn keep_value(&mut self, key: &str, value: Value) {
        self.typed_keys = true;
        self.fields.insert(key.to_owned(), Kept::from_value(value));
    }

    /// Removes `key`, a typed field that arrived again with a value that fits, if decoding
    /// kept a value of it before (the key repeats: the last value wins).
    pub(crate) fn forget(&mut self, key: &str) {
        if self.typed_keys {
            self.fields.remove(key);
        }
    }

    /// Takes `key`'s value out with what was kept of it, to be put back unchanged.
    pub(crate) fn take(&mut self, key: &str) -> Option<(String, KeptValue)> {
        self.fields
            .remove_entry(key)
            .map(|(key, kept)| (key, KeptValue(kept)))
    }

    /// Puts back what [`take`](Extra::take) took.
    pub(crate) fn put_back(&mut self, key: String, value: KeptValue) {
        self.fields.insert(key, value.0);
    }
}

/// A value taken out of an [`Extra`], to be put back as it was.
pub(crate) struct KeptValue(Kept);

impl KeptValue {
    /// The JSON text.
    pub(crate) fn json(&self) -> &str {
        self.0.json.get()
    }
}

/// The fields of an [`Extra`], sorted by key: each key with its value's JSON text.
pub struct ExtraIter<'a>(std::slice::Iter<'a, (String, Kept)>);

impl<'a> Iterator for ExtraIter<'a> {
    type Item = (&'a str, &'a RawValue);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(key, kept)| (key.as_str(), &*kept.json))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for ExtraIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0
            .next_back()
            .map(|(key, kept)| (key.as_str(), &*kept.json))
    }
}

impl ExactSizeIterator for ExtraIter<'_> {}

impl std::iter::FusedIterator for ExtraIter<'_> {}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a str, &'a RawValue);
    type IntoIter = ExtraIter<'a>;

    fn into_iter(self) -> ExtraIter<'a> {
        self.iter()
    }
}

impl From<serde_json::Map<String, Value>> for Extra {
    /// Each value encoded as JSON.
    fn from(map: serde_json::Map<String, Value>) -> Extra {
        let fields = map
            .into_iter()
            .map(|(key, value)| (key, Kept::from_value(value)))
            .collect();
        Extra {
            fields,
            typed_keys: false,
        }
    }
}

impl FromIterator<(String, Box<RawValue>)> for Extra {
    fn from_iter<I: IntoIterator<Item = (String, Box<RawValue>)>>(iter: I) -> Extra {
        let mut extra = Extra::new();
        extra.extend(iter);
        extra
    }
}

impl Extend<(String, Box<RawValue>)> for Extra {
    fn extend<I: IntoIterator<Item = (String, Box<RawValue>)>>(&mut self, iter: I) {
        for (key, json) in iter {
            self.fields.insert(key, Kept::new(json));
        }
    }
}

impl PartialEq for Extra {
    /// The same keys with equal JSON values: equal texts, or texts that decode to equal
    /// `serde_json::Value`s (texts no `Value` can hold are equal only as text).
    fn eq(&self, other: &Extra) -> bool {
        self.fields.len() == other.fields.len()
            && self
                .fields
                .0
                .iter()
                .zip(&other.fields.0)
                .all(|((key, a), (other_key, b))| key == other_key && a.json_eq(b))
    }
}

impl Eq for Extra {}

impl Kept {
    fn json_eq(&self, other: &Kept) -> bool {
        let (a, b) = (self.json.get(), other.json.get());
        a == b
            || match (self.to_value(), other.to_value()) {
                (Some(a), Some(b)) => a == b,
                _ => false,
            }
    }
}

impl fmt::Debug for Extra {
    /// Each key with its JSON text: `{"clusterName": "c1", "port": 27017}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Text<'a>(&'a str);
        impl fmt::Debug for Text<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0)
            }
        }
        f.debug_map()
            .entries(self.iter().map(|(key, json)| (key, Text(json.get()))))
            .finish()
    }
}

/// Whether `S` is `serde_json`'s serializer of text (`to_string`, `to_writer`, ...) or of a
/// `serde_json::Value` (`to_value`): those write a [`RawValue`] as JSON text; any other
/// serializer would see `serde_json`'s private representation of it, so the value goes through
/// `serde_json::Value` there instead. Checked by the type's name, as a prefix, so that a
/// serializer of another format that only mentions `serde_json` in a type parameter is not
/// taken for one.
fn is_serde_json_serializer<S: ?Sized>() -> bool {
    let name = std::any::type_name::<S>();
    name.starts_with("&mut serde_json::ser::Serializer<")
        || name.starts_with("serde_json::value::ser::Serializer")
}

/// A kept value as `Serialize`: its text verbatim to `serde_json`, decoded for other formats.
#[doc(hidden)]
pub struct KeptJson<'a>(pub &'a RawValue);

impl Serialize for KeptJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if is_serde_json_serializer::<S>() {
            return self.0.serialize(serializer);
        }
        serde_json::from_str::<Value>(self.0.get())
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, json) in self {
            map.serialize_entry(key, &KeptJson(json))?;
        }
        map.end()
    }
}

/// The name of `serde_json`'s [`RawValue`] newtype. Asked for a newtype struct of this name,
/// `serde_json`'s deserializers (of text, of a reader, of a `serde_json::Value` or a
/// `&serde_json::Value`, and wrappers that pass the request on, as `serde_path_to_error` does)
/// hand over the value's JSON text as a map of one entry under this key; any other deserializer
/// visits the value itself.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// Reads one value as JSON text: borrowed from `serde_json`'s input (one copy of its bytes,
/// nothing built), or, from any other deserializer (another format, serde's buffered content
/// of an untagged enum or a flattened field), built as a `serde_json::Value` and encoded.
pub(crate) fn read_json<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Box<RawValue>, D::Error> {
    deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, JsonVisitor)
}

/// A `serde_json::Value` as JSON text.
fn encode<E: de::Error>(value: Value) -> Result<Box<RawValue>, E> {
    serde_json::value::to_raw_value(&value).map_err(E::custom)
}

/// [`read_json`]'s visitor: the text `serde_json` hands over, or any value built and encoded.
struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Box<RawValue>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Box<RawValue>, A::Error> {
        let Some(first) = map.next_key::<Key<'de>>()? else {
            return encode(Value::Object(serde_json::Map::new()));
        };
        if first.0 == RAW_VALUE_TOKEN {
            // `serde_json` handing over the text: `RawValue` takes it from here, unchecked.
            return Box::<RawValue>::deserialize(MapAccessDeserializer::new(Resumed {
                token: true,
                map,
            }));
        }
        let mut object = serde_json::Map::new();
        object.insert(first.into_string(), map.next_value()?);
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            object.insert(key, value);
        }
        encode(Value::Object(object))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Box<RawValue>, D::Error> {
        encode(Value::deserialize(deserializer)?)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Box<RawValue>, A::Error> {
        let items = Vec::<Value>::deserialize(SeqAccessDeserializer::new(seq))?;
        encode(Value::Array(items))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Box<RawValue>, D::Error> {
        read_json(deserializer)
    }

    fn visit_none<E: de::Error>(self) -> Result<Box<RawValue>, E> {
        encode(Value::Null)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Box<RawValue>, E> {
        encode(Value::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Box<RawValue>, E> {
        encode(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Box<RawValue>, E> {
        encode(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Box<RawValue>, E> {
        encode(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Box<RawValue>, E> {
        // As `serde_json::Value` reads it: a number that is not finite is `null`.
        encode(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Box<RawValue>, E> {
        encode(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Box<RawValue>, E> {
        encode(Value::String(v))
    }
}

/// The one-entry map `serde_json` hands its text over in, with its key already read.
struct Resumed<A> {
    token: bool,
    map: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Resumed<A> {
    type Error = A::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        if std::mem::take(&mut self.token) {
            let key = de::value::StrDeserializer::<A::Error>::new(RAW_VALUE_TOKEN);
            return seed.deserialize(key).map(Some);
        }
        self.map.next_key_seed(seed)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// [`read_json`] as a seed, for `MapAccess::next_value_seed`.
pub(crate) struct JsonSeed;

impl<'de> de::DeserializeSeed<'de> for JsonSeed {
    type Value = Box<RawValue>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Box<RawValue>, D::Error> {
        read_json(deserializer)
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Extra, D::Error> {
        struct ExtraVisitor;
        impl<'de> Visitor<'de> for ExtraVisitor {
            type Value = Extra;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Extra, A::Error> {
                let mut extra = Extra::new();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    let json = map.next_value_seed(JsonSeed)?;
                    extra.keep(key.into_string(), json);
                }
                Ok(extra)
            }
        }
        deserializer.deserialize_map(ExtraVisitor)
    }
}

/// The kept fields, sorted by key. A few at most in an object, so a sorted list: one small
/// allocation for the first, a search of a few keys for each lookup.
#[derive(Clone, Default)]
struct Fields(Vec<(String, Kept)>);

impl Fields {
    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }
    fn get(&self, key: &str) -> Option<&Kept> {
        self.find(key).ok().map(|at| &self.0[at].1)
    }
    fn insert(&mut self, key: String, kept: Kept) -> Option<Kept> {
        // Keys usually arrive in order: the end first.
        match self.0.last() {
            Some((last, _)) if last.as_str() < key.as_str() => {
                self.0.push((key, kept));
                return None;
            }
            None => {
                self.0.push((key, kept));
                return None;
            }
            _ => {}
        }
        match self.find(&key) {
            Ok(at) => Some(std::mem::replace(&mut self.0[at].1, kept)),
            Err(at) => {
                self.0.insert(at, (key, kept));
                None
            }
        }
    }
    fn remove(&mut self, key: &str) -> Option<Kept> {
        self.remove_entry(key).map(|(_, kept)| kept)
    }
    fn remove_entry(&mut self, key: &str) -> Option<(String, Kept)> {
        let at = self.find(key).ok()?;
        Some(self.0.remove(at))
    }
    fn clear(&mut self) {
        self.0.clear();
    }
}

impl FromIterator<(String, Kept)> for Fields {
    fn from_iter<I: IntoIterator<Item = (String, Kept)>>(iter: I) -> Fields {
        let mut fields = Fields::default();
        for (key, kept) in iter {
            fields.insert(key, kept);
        }
        fields
    }
}
