//! One event per line, exactly as Atlas sent it: JSONL output of `list --json`, `export` and
//! `tail`.

use std::borrow::Cow;
use std::io::{self, Write};

/// Writes one event's JSON text as one line.
pub fn write_line(out: &mut impl Write, json: &str) -> io::Result<()> {
    out.write_all(one_line(json).as_bytes())?;
    out.write_all(b"\n")
}

/// The JSON text unchanged when it is on one line already (whatever its spacing, key order or
/// number spelling: that is what Atlas sent). Text spread over several lines (a server that
/// pretty-prints) loses the whitespace outside strings, and nothing else: no key is moved, no
/// number or escape spelled again. (JSON strings cannot hold a raw line break, so every line
/// break is outside a string.)
pub fn one_line(json: &str) -> Cow<'_, str> {
    if !json.contains(['\n', '\r']) {
        return Cow::Borrowed(json);
    }
    let mut compact = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
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
    Cow::Owned(compact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_text_is_kept_byte_for_byte() {
        let odd = r#"{ "id" : "a",  "n": 1.50e0, "s": "x  y" }"#;
        assert!(matches!(one_line(odd), Cow::Borrowed(text) if text == odd));
    }

    #[test]
    fn pretty_printed_text_loses_only_whitespace_outside_strings() {
        let pretty = "{\n  \"b\" : 1.50,\n\t\"a\": \"x \\\" \\n y\",\r\n  \"c\": [ 1 , 2 ],\n  \"d\": \"\\\\\"\n}";
        assert_eq!(
            one_line(pretty),
            r#"{"b":1.50,"a":"x \" \n y","c":[1,2],"d":"\\"}"#
        );
        let mut out = Vec::new();
        write_line(&mut out, pretty).unwrap();
        write_line(&mut out, "{}").unwrap();
        assert_eq!(
            out,
            b"{\"b\":1.50,\"a\":\"x \\\" \\n y\",\"c\":[1,2],\"d\":\"\\\\\"}\n{}\n"
        );
    }
}
