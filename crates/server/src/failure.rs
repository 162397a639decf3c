//! How a command failed: its message and which exit code it ends in.

/// How a command failed.
#[derive(Debug)]
pub enum Failure {
    /// Bad arguments or configuration: exit code 2.
    Usage(String),
    /// The command could not do its work: exit code 1.
    Failed(String),
}

impl Failure {
    pub(crate) fn failed(message: impl std::fmt::Display) -> Self {
        Self::Failed(message.to_string())
    }
}
