//! Staffroom's database schema: one migration per file, each runs forward and back on
//! SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;

mod m20261123_000001_create_accounts;
mod m20261123_000002_create_users;
mod m20261123_000003_create_invites;
mod m20261123_000004_create_posts;
mod m20261123_000005_create_federation;
mod m20261123_000006_add_remote_post_fields;
mod m20261123_000007_create_domain_policies;
mod m20261123_000008_create_interactions;
mod m20261123_000009_create_tags_and_mentions;
mod m20261123_000010_create_oauth;
mod m20261123_000011_create_idempotency_keys;
mod m20261123_000012_create_authorizations;
mod m20261123_000013_create_media_attachments;
mod m20261123_000014_create_personal_relations;
mod m20261123_000015_create_post_edits;
mod m20261123_000016_add_profile_fields;
mod m20261123_000017_create_markers;
mod m20261123_000018_create_feed_announcements;
mod m20261123_000019_create_challenges;
mod m20261123_000020_create_directory;
mod m20261123_000028_create_account_suspensions;
mod m20261123_000030_create_groups;
mod m20261123_000031_create_group_posts;
mod m20261123_000032_create_closed_group_posts;
mod m20261123_000033_create_reports;
mod m20261123_000034_add_notification_reports;
mod m20261123_000035_add_account_pictures;
mod m20261123_000036_add_account_moves;
mod m20261123_000037_create_pins;
mod m20261203_000038_create_id_nodes;
mod m20261207_000039_create_outgoing_mails;
mod m20261207_000040_create_account_tokens;
mod m20261207_000041_create_audit_log;
mod m20261207_000042_add_session_details;
mod m20261207_000043_add_two_factor;
mod m20261207_000044_create_preferences;
mod m20261207_000045_create_deleted_posts;
mod m20261207_000046_create_lists;
mod m20261207_000047_silenced_accounts;
mod m20261207_000048_deleted_accounts;
mod m20261207_000049_create_account_stats;
mod m20261207_000050_add_reblogs_by_account_index;
mod m20261207_000051_create_account_aliases;
mod m20261207_000055_create_account_domain_blocks;
mod m20261207_000056_create_account_archives;
mod m20261207_000059_create_home_feed;
mod m20261207_000063_create_polls;
mod m20261207_000067_add_unconfirmed_email;
mod m20261207_000068_create_sign_in_addresses;
mod m20261207_000069_suspended_accounts;
mod m20261207_000073_create_conversations;
mod m20261207_000074_create_filters;
mod m20261207_000075_create_post_search;
mod m20261207_000076_add_default_sensitive;
mod m20261207_000077_create_account_notes;
mod m20261207_000078_create_featured_tags;
mod m20261207_000079_create_push_subscriptions;
mod m20261207_000082_create_remote_media_cache;
mod m20261207_000083_create_scheduled_posts;
mod m20261207_000086_create_events;
mod m20261207_000087_create_articles;
mod m20261207_000090_add_media_duration;
mod m20261207_000091_add_local_only_posts;
mod m20261208_000095_add_refresh_tokens;
mod m20261208_000096_create_endorsements;
mod m20261208_000097_create_suggestion_dismissals;

pub use sea_orm_migration::{MigrationStatus, MigratorTrait};

/// Every migration of the schema, oldest first.
#[derive(Debug)]
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_accounts::Migration),
            Box::new(m20261123_000002_create_users::Migration),
            Box::new(m20261123_000003_create_invites::Migration),
            Box::new(m20261123_000004_create_posts::Migration),
            Box::new(m20261123_000005_create_federation::Migration),
            Box::new(m20261123_000006_add_remote_post_fields::Migration),
            Box::new(m20261123_000007_create_domain_policies::Migration),
            Box::new(m20261123_000008_create_interactions::Migration),
            Box::new(m20261123_000009_create_tags_and_mentions::Migration),
            Box::new(m20261123_000010_create_oauth::Migration),
            Box::new(m20261123_000011_create_idempotency_keys::Migration),
            Box::new(m20261123_000012_create_authorizations::Migration),
            Box::new(m20261123_000013_create_media_attachments::Migration),
            Box::new(m20261123_000014_create_personal_relations::Migration),
            Box::new(m20261123_000015_create_post_edits::Migration),
            Box::new(m20261123_000016_add_profile_fields::Migration),
            Box::new(m20261123_000017_create_markers::Migration),
            Box::new(m20261123_000018_create_feed_announcements::Migration),
            Box::new(m20261123_000019_create_challenges::Migration),
            Box::new(m20261123_000020_create_directory::Migration),
            Box::new(m20261123_000028_create_account_suspensions::Migration),
            Box::new(m20261123_000030_create_groups::Migration),
            Box::new(m20261123_000031_create_group_posts::Migration),
            Box::new(m20261123_000032_create_closed_group_posts::Migration),
            Box::new(m20261123_000033_create_reports::Migration),
            Box::new(m20261123_000034_add_notification_reports::Migration),
            Box::new(m20261123_000035_add_account_pictures::Migration),
            Box::new(m20261123_000036_add_account_moves::Migration),
            Box::new(m20261123_000037_create_pins::Migration),
            Box::new(m20261203_000038_create_id_nodes::Migration),
            Box::new(m20261207_000039_create_outgoing_mails::Migration),
            Box::new(m20261207_000040_create_account_tokens::Migration),
            Box::new(m20261207_000041_create_audit_log::Migration),
            Box::new(m20261207_000042_add_session_details::Migration),
            Box::new(m20261207_000043_add_two_factor::Migration),
            Box::new(m20261207_000044_create_preferences::Migration),
            Box::new(m20261207_000045_create_deleted_posts::Migration),
            Box::new(m20261207_000046_create_lists::Migration),
            Box::new(m20261207_000047_silenced_accounts::Migration),
            Box::new(m20261207_000048_deleted_accounts::Migration),
            Box::new(m20261207_000049_create_account_stats::Migration),
            Box::new(m20261207_000050_add_reblogs_by_account_index::Migration),
            Box::new(m20261207_000051_create_account_aliases::Migration),
            Box::new(m20261207_000055_create_account_domain_blocks::Migration),
            Box::new(m20261207_000056_create_account_archives::Migration),
            Box::new(m20261207_000059_create_home_feed::Migration),
            Box::new(m20261207_000063_create_polls::Migration),
            Box::new(m20261207_000067_add_unconfirmed_email::Migration),
            Box::new(m20261207_000068_create_sign_in_addresses::Migration),
            Box::new(m20261207_000069_suspended_accounts::Migration),
            Box::new(m20261207_000073_create_conversations::Migration),
            Box::new(m20261207_000074_create_filters::Migration),
            Box::new(m20261207_000075_create_post_search::Migration),
            Box::new(m20261207_000076_add_default_sensitive::Migration),
            Box::new(m20261207_000077_create_account_notes::Migration),
            Box::new(m20261207_000078_create_featured_tags::Migration),
            Box::new(m20261207_000079_create_push_subscriptions::Migration),
            Box::new(m20261207_000082_create_remote_media_cache::Migration),
            Box::new(m20261207_000083_create_scheduled_posts::Migration),
            Box::new(m20261207_000086_create_events::Migration),
            Box::new(m20261207_000087_create_articles::Migration),
            Box::new(m20261207_000090_add_media_duration::Migration),
            Box::new(m20261207_000091_add_local_only_posts::Migration),
            Box::new(m20261208_000095_add_refresh_tokens::Migration),
            Box::new(m20261208_000096_create_endorsements::Migration),
            Box::new(m20261208_000097_create_suggestion_dismissals::Migration),
        ]
    }
}
