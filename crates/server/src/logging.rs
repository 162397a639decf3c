//! Structured logs through `tracing`: text for people, JSON lines for collectors.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::{Config, LogFormat};

/// Installs the process-wide log subscriber for `config` (logs go to standard
/// error). `quiet` keeps the admin commands to warnings, so that their output stays
/// readable. Installing twice is harmless: the first one stays.
pub fn init(config: &Config, quiet: bool) {
    let filter = if quiet {
        EnvFilter::new("warn")
    } else {
        EnvFilter::try_new(format!("{},sqlx=warn,sea_orm=warn", config.log_level))
            .unwrap_or_else(|_| EnvFilter::new("info"))
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let _already_installed = match config.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}
