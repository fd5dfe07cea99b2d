//! SIGINT and SIGTERM (Ctrl-C on other systems) as a future, so `tail` and `export` stop
//! cleanly instead of being killed mid-write. Installed before the first request: from then on
//! the signals no longer end the process by themselves.
//!
//! The first stop signal starts the clean stop, which may take a while (`tail` finishes the line
//! it is writing, which waits for whoever reads stdout, then saves its checkpoint). A SIGINT
//! after it (a second Ctrl-C) ends the process at once with [`INTERRUPTED`], saving nothing:
//! `tail` restarted from its checkpoint then prints at least once, from the last checkpoint
//! saved, as after SIGKILL.

use std::io;

use tokio::sync::watch;

use crate::exit_code::INTERRUPTED;

/// The stop signals, listened to from [`StopSignals::install`] on, on a task of their own: a
/// signal that arrives while nobody awaits [`StopSignals::recv`] is kept, not lost, and a second
/// SIGINT is obeyed even while the command is blocked.
pub struct StopSignals {
    /// The first stop signal's name, once one came.
    stopping: watch::Receiver<Option<&'static str>>,
}

impl StopSignals {
    /// Starts listening (needs the tokio runtime).
    pub fn install() -> io::Result<StopSignals> {
        let (tell, stopping) = watch::channel(None);
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let mut interrupt = signal(SignalKind::interrupt())?;
            let mut terminate = signal(SignalKind::terminate())?;
            tokio::spawn(async move {
                let first = tokio::select! {
                    _ = interrupt.recv() => "SIGINT",
                    _ = terminate.recv() => "SIGTERM",
                };
                let _ = tell.send(Some(first));
                interrupt.recv().await;
                quit_at_once();
            });
        }
        #[cfg(not(unix))]
        tokio::spawn(async move {
            let _ = tokio::signal::ctrl_c().await;
            let _ = tell.send(Some("Ctrl-C"));
            let _ = tokio::signal::ctrl_c().await;
            quit_at_once();
        });
        Ok(StopSignals { stopping })
    }

    /// Waits for a stop signal; returns its name.
    pub async fn recv(&mut self) -> &'static str {
        match self.stopping.wait_for(Option::is_some).await {
            Ok(signal) => signal.unwrap_or("a signal"),
            // The listener is gone (the runtime is shutting down): no signal will come.
            Err(_) => std::future::pending().await,
        }
    }
}

/// Ends the process now, from the listener's task: no destructor runs, no line is finished, no
/// checkpoint saved (one being saved stays as it was: it is replaced by a rename). Writes
/// nothing, not even to stderr, which the blocked command may hold.
fn quit_at_once() -> ! {
    std::process::exit(i32::from(INTERRUPTED))
}
