//! Who may come in and how: local users and their standing, passwords, sign-up and
//! its rules, invites, browser sessions, OAuth apps, tokens and codes, two-factor sign-in.

pub mod account_token;
pub mod authorization_code;
pub mod browser_session;
pub mod credentials;
pub mod email_change;
pub mod invite;
pub mod oauth;
pub mod password;
pub mod registration;
pub mod sign_in_address;
pub mod sign_up;
pub mod two_factor;
pub mod user;
