//! Text that reaches a terminal: what a server said (an error's detail, a project's id in a
//! notice, an event's fields in the table) never carries a control character there, which
//! could move the cursor, clear the screen, set the window title or hide the text around it.
//! Event JSON lines are not such text: they are written exactly as Atlas sent them (JSON
//! strings cannot hold a raw control character anyway).

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with every control character (C0, DEL and C1, line breaks too) written as a Rust
/// escape (`\u{1b}`), so it shows as what it is instead of acting on the terminal.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            let _ = write!(escaped, "{}", c.escape_unicode());
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert!(matches!(escape("plain é ✓"), Cow::Borrowed("plain é ✓")));
        assert_eq!(
            escape("a\u{1b}[2J\u{1b}]0;title\u{7}b\r\nc\u{7f}\u{9b}d\te"),
            r"a\u{1b}[2J\u{1b}]0;title\u{7}b\u{d}\u{a}c\u{7f}\u{9b}d\u{9}e"
        );
    }
}
