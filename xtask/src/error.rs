//! Errors of the generator. Every problem in the spec names its JSON pointer.

use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec has a construct the generator cannot map, or a malformed one.
    #[error("spec error at {pointer}: {message}")]
    Spec { pointer: String, message: String },
    #[error("cannot parse spec {path}: {message}")]
    Parse { path: String, message: String },
    #[error("invalid generator config {path}: {message}")]
    Config { path: String, message: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot render template {name}: {message}")]
    Template { name: String, message: String },
    #[error("generated Rust for {file} does not parse: {message}")]
    Emit { file: String, message: String },
}

impl Error {
    pub fn spec(pointer: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Spec {
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// Escapes one JSON pointer token (RFC 6901): `~` becomes `~0`, `/` becomes `~1`.
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`pointer_token`]: `~1` becomes `/`, then `~0` becomes `~`.
pub fn unescape_pointer_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}
