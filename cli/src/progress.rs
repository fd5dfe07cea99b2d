//! The progress bar of `export`: on stderr, only when stderr is a terminal (never in a log or a
//! pipe), with the events written and Atlas's `totalCount` estimate once known.

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
