//! The Mastodon `Instance` entity, in its v1 and v2 shapes.

use serde::Serialize;
use staffroom_domain::media;
use staffroom_domain::posts::post::MAX_POST_CHARS;
use staffroom_domain::stats::InstanceStats;
use staffroom_federation::SOFTWARE_VERSION;

use super::Account;
use crate::{InstanceSettings, assets};

/// The Mastodon API version whose behaviour Staffroom follows.
pub const MASTODON_COMPATIBLE_VERSION: &str = "4.3.0";
/// `api_versions.mastodon`: the Mastodon API revision offered.
pub const MASTODON_API_VERSION: u32 = 2;

/// The version string apps parse: a Mastodon version they know, then our own.
pub fn version() -> String {
    format!("{MASTODON_COMPATIBLE_VERSION} (compatible; Staffroom {SOFTWARE_VERSION})")
}

/// `GET /api/v1/instance`.
#[derive(Debug, Clone, Serialize)]
pub struct InstanceV1 {
    pub uri: String,
    pub title: String,
    pub short_description: String,
    pub description: String,
    pub email: String,
    pub version: String,
    pub urls: UrlsV1,
    pub stats: StatsV1,
    pub thumbnail: String,
    pub languages: Vec<&'static str>,
    pub registrations: bool,
    pub approval_required: bool,
    pub invites_enabled: bool,
    pub configuration: ConfigurationV1,
    pub contact_account: Option<Account>,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UrlsV1 {
    pub streaming_api: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatsV1 {
    pub user_count: u64,
    pub status_count: u64,
    pub domain_count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConfigurationV1 {
    pub accounts: AccountsConfiguration,
    pub statuses: StatusesConfiguration,
    pub media_attachments: MediaConfiguration,
    pub polls: PollsConfiguration,
}

/// `GET /api/v2/instance`.
#[derive(Debug, Clone, Serialize)]
pub struct InstanceV2 {
    pub domain: String,
    pub title: String,
    pub version: String,
    pub source_url: String,
    pub description: String,
    pub usage: Usage,
    pub thumbnail: Thumbnail,
    pub icon: Vec<serde_json::Value>,
    pub languages: Vec<&'static str>,
    pub configuration: ConfigurationV2,
    pub registrations: Registrations,
    pub api_versions: ApiVersions,
    pub contact: Contact,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Usage {
    pub users: UsageUsers,
}

#[derive(Debug, Clone, Serialize)]
pub struct UsageUsers {
    pub active_month: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Thumbnail {
    pub url: String,
    pub blurhash: Option<String>,
    pub versions: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConfigurationV2 {
    pub urls: UrlsV2,
    pub vapid: Vapid,
    pub accounts: AccountsConfiguration,
    pub statuses: StatusesConfiguration,
    pub media_attachments: MediaConfiguration,
    pub polls: PollsConfiguration,
    pub translation: Translation,
}

#[derive(Debug, Clone, Serialize)]
pub struct UrlsV2 {
    pub streaming: String,
    pub status: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Vapid {
    pub public_key: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Translation {
    pub enabled: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Registrations {
    pub enabled: bool,
    pub approval_required: bool,
    pub message: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApiVersions {
    pub mastodon: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    pub email: String,
    pub account: Option<Account>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccountsConfiguration {
    pub max_featured_tags: u32,
    pub max_pinned_statuses: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusesConfiguration {
    pub max_characters: usize,
    pub max_media_attachments: u32,
    pub characters_reserved_per_url: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct MediaConfiguration {
    pub supported_mime_types: Vec<&'static str>,
    pub description_limit: u32,
    pub image_size_limit: u64,
    pub image_matrix_limit: u64,
    pub video_size_limit: u64,
    pub video_frame_rate_limit: u32,
    pub video_matrix_limit: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PollsConfiguration {
    pub max_options: u32,
    pub max_characters_per_option: u32,
    pub min_expiration: u64,
    pub max_expiration: u64,
}

fn accounts_configuration() -> AccountsConfiguration {
    AccountsConfiguration {
        max_featured_tags: 10,
        max_pinned_statuses: 5,
    }
}

fn statuses_configuration() -> StatusesConfiguration {
    StatusesConfiguration {
        max_characters: MAX_POST_CHARS,
        max_media_attachments: media::MAX_PER_POST as u32,
        characters_reserved_per_url: 23,
    }
}

fn media_configuration(limits: media::MediaLimits) -> MediaConfiguration {
    MediaConfiguration {
        supported_mime_types: media::ACCEPTED_TYPES
            .iter()
            .chain(media::OTHER_ACCEPTED_TYPES.iter())
            .copied()
            .collect(),
        description_limit: media::MAX_DESCRIPTION_CHARS as u32,
        image_size_limit: limits.image as u64,
        image_matrix_limit: media::MAX_PIXELS,
        video_size_limit: limits.video as u64,
        video_frame_rate_limit: 0,
        video_matrix_limit: 0,
    }
}

fn polls_configuration() -> PollsConfiguration {
    use staffroom_domain::posts::poll;
    PollsConfiguration {
        max_options: poll::MAX_OPTIONS as u32,
        max_characters_per_option: poll::MAX_OPTION_CHARS as u32,
        min_expiration: poll::MIN_EXPIRATION.unsigned_abs(),
        max_expiration: poll::MAX_EXPIRATION.unsigned_abs(),
    }
}

/// The v1 entity.
pub fn v1(
    settings: &InstanceSettings,
    stats: &InstanceStats,
    contact: Option<Account>,
) -> InstanceV1 {
    let urls = &settings.urls;
    InstanceV1 {
        uri: urls.domain().to_owned(),
        title: settings.title.clone(),
        short_description: settings.description.clone(),
        description: settings.description.clone(),
        email: settings.contact_email.clone(),
        version: version(),
        urls: UrlsV1 {
            streaming_api: urls.streaming(),
        },
        stats: StatsV1 {
            user_count: stats.users,
            status_count: stats.local_posts,
            domain_count: stats.known_domains,
        },
        thumbnail: urls.absolute(assets::THUMBNAIL),
        languages: vec!["en"],
        registrations: settings.registrations.accepts_sign_ups(),
        approval_required: settings.registrations.needs_approval(),
        invites_enabled: settings.registrations.needs_invite(),
        configuration: ConfigurationV1 {
            accounts: accounts_configuration(),
            statuses: statuses_configuration(),
            media_attachments: media_configuration(settings.media_limits),
            polls: polls_configuration(),
        },
        contact_account: contact,
        rules: Rule::all(&settings.rules),
    }
}

/// The v2 entity.
pub fn v2(
    settings: &InstanceSettings,
    stats: &InstanceStats,
    contact: Option<Account>,
) -> InstanceV2 {
    let urls = &settings.urls;
    InstanceV2 {
        domain: urls.domain().to_owned(),
        title: settings.title.clone(),
        version: version(),
        source_url: settings.source_url.clone(),
        description: settings.description.clone(),
        usage: Usage {
            users: UsageUsers {
                active_month: stats.active_month,
            },
        },
        thumbnail: Thumbnail {
            url: urls.absolute(assets::THUMBNAIL),
            blurhash: None,
            versions: serde_json::Map::new(),
        },
        icon: Vec::new(),
        languages: vec!["en"],
        configuration: ConfigurationV2 {
            urls: UrlsV2 {
                streaming: urls.streaming(),
                status: None,
            },
            vapid: Vapid {
                public_key: settings.vapid_public_key.clone(),
            },
            accounts: accounts_configuration(),
            statuses: statuses_configuration(),
            media_attachments: media_configuration(settings.media_limits),
            polls: polls_configuration(),
            translation: Translation { enabled: false },
        },
        registrations: Registrations {
            enabled: settings.registrations.accepts_sign_ups(),
            approval_required: settings.registrations.needs_approval(),
            message: None,
            url: None,
        },
        api_versions: ApiVersions {
            mastodon: MASTODON_API_VERSION,
        },
        contact: Contact {
            email: settings.contact_email.clone(),
            account: contact,
        },
        rules: Rule::all(&settings.rules),
    }
}

/// One of the instance's rules.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    /// Its place, from 1.
    pub id: String,
    pub text: String,
    /// A longer explanation (Staffroom's rules are one line each).
    pub hint: String,
}

impl Rule {
    /// The entities of `rules`, in order.
    pub fn all(rules: &[String]) -> Vec<Self> {
        rules
            .iter()
            .enumerate()
            .map(|(n, text)| Self {
                id: (n + 1).to_string(),
                text: text.clone(),
                hint: String::new(),
            })
            .collect()
    }
}
