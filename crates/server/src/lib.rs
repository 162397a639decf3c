//! The Staffroom server: reads configuration, opens the database, applies migrations,
//! starts the HTTP listener and the background workers, and offers the admin commands.
//!
//! Only this crate reads the process environment (in `main`, which hands it over as
//! a map) and only it knows the command line.

pub mod admin;
pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod failure;
pub mod logging;
mod mail;
pub mod migrate;
mod push;
mod workers;

pub use app::{RunningInstance, StartError};
pub use config::{Config, ConfigError, Env};
