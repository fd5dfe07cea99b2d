//! Where events go and how: stdout or a file that appears whole (see
//! [`crate::atomic_file`]), as JSONL exactly as Atlas sent each event or as the table.

use std::io::{self, BufWriter, Stdout, Write};
use std::path::{Path, PathBuf};

use mongodb_atlas_events::WithJson;

use crate::args::Format;
use crate::atomic_file::AtomicFile;
use crate::exit_code::Failure;
use crate::jsonl;
use crate::table::{self, EventRow};

/// stdout, or a file written under a temporary name until [`Sink::finish`].
pub enum Sink {
    /// stdout, buffered.
    Stdout(BufWriter<Stdout>),
    /// A file and the path it goes to.
    File(AtomicFile, PathBuf),
}

impl Sink {
    /// Buffered stdout.
    pub fn stdout() -> Sink {
        Sink::Stdout(BufWriter::with_capacity(64 * 1024, io::stdout()))
    }

    /// A file that appears at `path` only once [`Sink::finish`] succeeds.
    pub fn file(path: &Path) -> Result<Sink, Failure> {
        let file = AtomicFile::create(path).map_err(|error| {
            Failure::io(
                format!("cannot create a file beside {}", path.display()),
                error,
            )
        })?;
        Ok(Sink::File(file, path.to_owned()))
    }

    /// What the sink is, for messages.
    pub fn name(&self) -> String {
        match self {
            Sink::Stdout(_) => "stdout".to_owned(),
            Sink::File(_, path) => path.display().to_string(),
        }
    }

    /// The failure of writing to this sink.
    pub fn failure(&self, error: io::Error) -> Failure {
        Failure::io(format!("cannot write to {}", self.name()), error)
    }

    /// Flushes stdout, or puts the file in place.
    pub fn finish(self) -> Result<(), Failure> {
        let name = self.name();
        let result = match self {
            Sink::Stdout(mut out) => out.flush(),
            Sink::File(file, _) => file.commit(),
        };
        result.map_err(|error| Failure::io(format!("cannot write to {name}"), error))
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(out) => out.write(buf),
            Sink::File(file, _) => file.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Sink::Stdout(out) => out.write_all(buf),
            Sink::File(file, _) => file.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(out) => out.flush(),
            Sink::File(file, _) => file.flush(),
        }
    }
}

/// Writes events in one format (the table's header first).
pub struct EventWriter<W: Write> {
    out: W,
    format: Format,
}

impl<W: Write> EventWriter<W> {
    /// A writer of `format` to `out`; the table's header is written at once.
    pub fn new(mut out: W, format: Format) -> io::Result<EventWriter<W>> {
        if format == Format::Table {
            table::write_header(&mut out)?;
        }
        Ok(EventWriter { out, format })
    }

    /// Writes one event.
    pub fn write<E: EventRow>(&mut self, event: &WithJson<E>) -> io::Result<()> {
        match self.format {
            Format::Jsonl => jsonl::write_line(&mut self.out, event.json()),
            Format::Table => table::write_row(&mut self.out, event.value(), event.json()),
        }
    }

    /// The output.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// The output, back.
    pub fn into_inner(self) -> W {
        self.out
    }
}
