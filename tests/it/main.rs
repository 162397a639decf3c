//! Black-box tests of whole Staffroom instances: each test starts what it needs on
//! loopback with a database of its own and talks to it over HTTP or the command line.
//! Set `STAFFROOM_TEST_DATABASE_URL` to run them on PostgreSQL.

// A test that fails should stop where it failed, helpers included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod account_deletion;
mod account_mail;
mod account_numbers;
mod accounts;
mod activitypub;
mod admin;
mod api_across;
mod architecture;
mod authorize;
mod challenges;
mod closed_groups_across;
mod demo;
mod directory;
mod directory_across;
mod discovery;
mod domain_policy;
mod events;
mod export;
mod export_across;
mod federation;
mod groups;
mod hashtag_feeds;
mod health;
mod home;
mod home_feed;
mod import_schools;
mod instance_api;
mod interactions;
mod lemmy_community;
mod lemmy_members;
mod lists;
mod mail;
mod media;
mod migrations;
mod moves;
mod moving_away;
mod oauth;
mod pictures;
mod pins;
mod polls;
mod preferences;
mod profile;
mod queue;
mod rate_limits;
mod relationships;
mod reports;
mod sessions;
mod sign_up;
mod silences;
mod statuses;
mod streaming;
mod timelines;
mod two_factor;
mod two_instances;
mod web_admin;
mod web_app;
mod web_directory;
mod web_groups;
