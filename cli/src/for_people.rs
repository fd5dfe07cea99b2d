//! Text that reaches a terminal. What a server said (an error's detail, a project's id in a
//! notice, an event's fields in the table) never carries a control character or a bidirectional
//! control there: a control character could move the cursor, clear the screen, set the window
//! title or hide the text around it, and a right-to-left override reorders what is shown after
//! it. [`escape`] is the one function that makes text safe to show, as fd's `sanitize.rs` does
//! for file names. Server text is escaped where it is put into a message (so that its line
//! breaks are shown as `\u{a}`), and every line a command writes to stderr goes through
//! [`to_stderr`], which escapes each line again (escaping escaped text changes nothing), so that
//! no message can carry one to the terminal. Event JSON lines are not text for people: they are
//! written exactly as Atlas sent them (JSON strings cannot hold a raw control character, and a
//! consumer of JSONL must get the bytes Atlas sent).

use std::borrow::Cow;
use std::error::Error;
use std::fmt::Write;

/// Whether `c` acts on a terminal or on how the text around it is shown: a control character
/// (C0 with tabs and line breaks, DEL, C1) or a bidirectional control (the Arabic letter mark
/// U+061C, the marks U+200E and U+200F, the embeddings and overrides U+202A to U+202E, the
/// isolates U+2066 to U+2069).
fn acts_on_the_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every control character (C0, DEL and C1, line breaks too) and bidirectional
/// control written as a Rust escape (`\u{1b}`, `\u{202e}`), so it shows as what it is instead of
/// acting on the terminal.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts_on_the_terminal) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if acts_on_the_terminal(c) {
            let _ = write!(escaped, "{}", c.escape_unicode());
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

/// A message of this program for people: each of its lines escaped, its own line breaks kept.
pub fn escape_lines(message: &str) -> String {
    message
        .split('\n')
        .map(escape)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes `message` and a line break to stderr, each line escaped ([`escape_lines`]).
pub fn to_stderr(message: &str) {
    eprintln!("{}", escape_lines(message));
}

/// Writes `note: ` and `message` to stderr, as [`to_stderr`] does.
pub fn note(message: &str) {
    to_stderr(&format!("note: {message}"));
}

/// `error`, escaped, and after it each cause of its [`source`](Error::source) chain that says
/// something more, escaped and joined by `: ` as ripgrep prints an error (`could not connect to
/// Atlas ...: error sending request for url (...): client error (Connect): tcp connect error:
/// Connection refused (os error 111)`). A cause whose text the one before it already holds (a
/// wrapper that repeats its source) is left out.
pub fn with_causes(error: &(dyn Error + 'static)) -> String {
    let mut shown = error.to_string();
    let mut text = escape(&shown).into_owned();
    let mut cause = error.source();
    while let Some(next) = cause {
        let said = next.to_string();
        if !said.is_empty() && !shown.contains(&said) {
            text.push_str(": ");
            text.push_str(&escape(&said));
        }
        shown = said;
        cause = next.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use std::fmt;

    use super::*;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert!(matches!(escape("plain é ✓ שלום"), Cow::Borrowed(_)));
        assert_eq!(
            escape("a\u{1b}[2J\u{1b}]0;title\u{7}b\r\nc\u{7f}\u{9b}d\te\u{80}\u{9f}"),
            r"a\u{1b}[2J\u{1b}]0;title\u{7}b\u{d}\u{a}c\u{7f}\u{9b}d\u{9}e\u{80}\u{9f}"
        );
    }

    #[test]
    fn bidirectional_controls_are_shown_not_obeyed() {
        for c in ['\u{061c}', '\u{200e}', '\u{200f}']
            .into_iter()
            .chain('\u{202a}'..='\u{202e}')
            .chain('\u{2066}'..='\u{2069}')
        {
            let text = format!("cluster{c}x");
            assert_eq!(
                escape(&text),
                format!("cluster\\u{{{:x}}}x", u32::from(c)),
                "U+{:04X}",
                u32::from(c)
            );
        }
        // Their neighbours are ordinary text.
        for c in ['\u{061b}', '\u{200d}', '\u{2010}', '\u{2065}', '\u{206a}'] {
            assert!(matches!(escape(&c.to_string()), Cow::Borrowed(_)), "{c:?}");
        }
    }

    #[test]
    fn a_message_keeps_its_own_lines_and_escaping_twice_changes_nothing() {
        let server = escape("said\n\u{202e}this");
        let message = format!("atlas-events: {server}\nwait and retry\u{1b}[2J");
        let once = escape_lines(&message);
        assert_eq!(
            once,
            "atlas-events: said\\u{a}\\u{202e}this\nwait and retry\\u{1b}[2J"
        );
        assert_eq!(escape_lines(&once), once);
    }

    #[derive(Debug)]
    struct Layer(&'static str, Option<Box<Layer>>);

    impl fmt::Display for Layer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }

    impl Error for Layer {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            self.1
                .as_deref()
                .map(|layer| layer as &(dyn Error + 'static))
        }
    }

    #[test]
    fn causes_follow_the_message_each_once_and_escaped() {
        let error = Layer(
            "could not connect",
            Some(Box::new(Layer(
                "tcp connect error: refused\u{1b}[2J",
                Some(Box::new(Layer("refused\u{1b}[2J", None))),
            ))),
        );
        assert_eq!(
            with_causes(&error),
            r"could not connect: tcp connect error: refused\u{1b}[2J"
        );
        assert_eq!(with_causes(&Layer("alone", None)), "alone");
    }
}
