//! Failures as the host reports them: a kind (the exit code), a stable code and a message.

use serde::Serialize;
use zkvm_executor::{ErrorKind, ExecError};

/// The four failure classes of docs/zkvm-host.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// Unreadable or malformed input, bad usage: exit 2.
    BadInput,
    /// The executor rejected the block: exit 3.
    InvalidBlock,
    /// The requested backend is not available in this build: exit 4.
    BackendUnavailable,
    /// A bug or an I/O error writing the result: exit 1.
    Internal,
}

/// A reportable failure.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// Class (selects the exit code).
    pub kind: FailureKind,
    /// Stable CamelCase name.
    pub code: String,
    /// One line for a person: what was wrong and what to do.
    pub message: String,
}

impl Failure {
    /// Builds a failure of `kind`.
    pub fn new(kind: FailureKind, code: &str, message: impl Into<String>) -> Self {
        Self {
            kind,
            code: code.to_string(),
            message: message.into(),
        }
    }
}

impl From<ExecError> for Failure {
    fn from(e: ExecError) -> Self {
        let kind = match e.kind() {
            ErrorKind::BadInput => FailureKind::BadInput,
            ErrorKind::InvalidBlock => FailureKind::InvalidBlock,
        };
        Self::new(kind, e.code(), e.to_string())
    }
}
