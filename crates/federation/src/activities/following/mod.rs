//! Following: `Follow` and its answers `Accept` and `Reject`, and `Move`, which
//! takes an account's followers along. (`Undo` of a follow is in `undo`.)

pub mod accept_or_reject;
pub mod follow;
pub mod moves;
