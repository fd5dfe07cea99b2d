//! The progress shown on stderr, only when stderr is a terminal (never in a log or a pipe): the
//! bar of `export` (events written, of Atlas's `totalCount` estimate once known), and how far
//! the follow of an organization and its projects has come (`--all-projects`: scopes caught up
//! of all, events so far).

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar, or nothing when stderr is not a terminal.
#[derive(Clone)]
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// A bar when stderr is a terminal.
    pub fn on_terminal() -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {human_pos} events written ({elapsed})")
                .expect("a valid template"),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress(Some(bar))
    }

    /// A line with how far the follow of an organization and its projects has come, when
    /// stderr is a terminal.
    pub fn scopes_on_terminal() -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("a valid template"),
        );
        bar.set_message(scopes_line(0, 0, 0));
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress(Some(bar))
    }

    /// Shows how far the follow has come.
    pub fn set_scopes(&self, caught_up: usize, scopes: usize, events: u64) {
        if let Some(bar) = &self.0 {
            bar.set_message(scopes_line(caught_up, scopes, events));
        }
    }

    /// Writes `line` to stderr (above the bar, when one is shown).
    pub fn note(&self, line: &str) {
        match &self.0 {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Whether a bar is shown.
    pub fn is_shown(&self) -> bool {
        self.0.is_some()
    }

    /// Atlas's estimate of the events to come (`totalCount`).
    pub fn set_estimate(&self, total: u64) {
        if let Some(bar) = &self.0 {
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:30} {human_pos} of about {human_len} events written ({elapsed}, {eta} left)",
                )
                .expect("a valid template"),
            );
            bar.set_length(total);
        }
    }

    /// One more event written.
    pub fn inc(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// `3 of 12 scopes caught up, 1,234 events`.
pub fn scopes_line(caught_up: usize, scopes: usize, events: u64) -> String {
    format!(
        "{caught_up} of {scopes} scopes caught up, {} events",
        indicatif::HumanCount(events)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scopes_line_says_how_far_the_catch_up_is() {
        assert_eq!(
            scopes_line(3, 12, 1_234_567),
            "3 of 12 scopes caught up, 1,234,567 events"
        );
    }
}
