//! `/api/v1/...`

pub mod accounts;
pub mod admin;
pub mod announcements;
pub mod apps;
pub mod conversations;
pub mod defaults;
pub mod directory;
pub mod domain_blocks;
pub mod endorsements;
pub mod featured_tags;
pub mod filters;
pub mod follow_requests;
pub mod hidden_accounts;
pub mod instance;
pub mod lists;
pub mod markers;
pub mod media;
pub mod moves;
pub mod notifications;
pub mod polls;
pub mod push;
pub mod reports;
pub mod scheduled_statuses;
pub mod sign_up;
pub mod status_actions;
pub mod statuses;
pub mod streaming;
pub mod suggestions;
pub mod tags;
pub mod timelines;
pub mod trends;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, patch, post, put};

use crate::AppState;

/// Every route under `/api/v1/`.
pub fn routes() -> Router<AppState> {
    let uploads = Router::new()
        .route("/api/v1/media", post(media::create))
        .layer(DefaultBodyLimit::max(media::MAX_UPLOAD_BODY_BYTES));
    // An avatar and a header may come together.
    let profile = Router::new()
        .route(
            "/api/v1/accounts/update_credentials",
            patch(accounts::update_credentials),
        )
        .layer(DefaultBodyLimit::max(2 * media::MAX_PICTURE_BODY_BYTES));
    // Server-Sent Events, one route per stream Mastodon names.
    let event_streams = streaming::EVENT_STREAM_PATHS
        .iter()
        .fold(Router::new(), |router, path| {
            router.route(
                &format!("/api/v1/streaming/{path}"),
                get(streaming::event_stream),
            )
        });
    Router::new()
        .merge(uploads)
        .merge(profile)
        .merge(event_streams)
        .route("/api/v1/instance", get(instance::show))
        .route("/api/v1/instance/peers", get(instance::peers))
        .route("/api/v1/instance/activity", get(instance::activity))
        .route("/api/v1/instance/rules", get(instance::rules))
        .route(
            "/api/v1/instance/extended_description",
            get(instance::extended_description),
        )
        .route(
            "/api/v1/instance/privacy_policy",
            get(instance::privacy_policy),
        )
        .route(
            "/api/v1/instance/domain_blocks",
            get(instance::domain_blocks),
        )
        .route("/api/v1/apps", post(apps::create))
        .route(
            "/api/v1/apps/verify_credentials",
            get(apps::verify_credentials),
        )
        .merge(account_routes())
        .merge(status_routes())
        .route("/api/v1/profile/avatar", delete(accounts::remove_avatar))
        .route("/api/v1/profile/header", delete(accounts::remove_header))
        .route("/api/v1/preferences", get(defaults::preferences))
        .route("/api/v1/custom_emojis", get(defaults::custom_emojis))
        .route("/api/v1/filters", get(filters::index).post(filters::create))
        .route(
            "/api/v1/filters/{id}",
            get(filters::show)
                .put(filters::update)
                .delete(filters::delete),
        )
        .route("/api/v1/lists", get(lists::index).post(lists::create))
        .route(
            "/api/v1/lists/{id}",
            get(lists::show).put(lists::update).delete(lists::delete),
        )
        .route(
            "/api/v1/lists/{id}/accounts",
            get(lists::accounts)
                .post(lists::add_accounts)
                .delete(lists::remove_accounts),
        )
        .route("/api/v1/conversations", get(conversations::list))
        .route("/api/v1/conversations/{id}", delete(conversations::delete))
        .route("/api/v1/conversations/{id}/read", post(conversations::read))
        .route("/api/v1/announcements", get(announcements::list))
        .route(
            "/api/v1/announcements/{id}/dismiss",
            post(announcements::dismiss),
        )
        .route(
            "/api/v1/announcements/{id}/reactions/{name}",
            put(announcements::reaction).delete(announcements::reaction),
        )
        .route("/api/v1/markers", get(markers::show).post(markers::save))
        .route("/api/v1/followed_tags", get(tags::followed))
        .route("/api/v1/tags/{name}", get(tags::show))
        .route("/api/v1/tags/{name}/follow", post(tags::follow))
        .route("/api/v1/tags/{name}/unfollow", post(tags::unfollow))
        .route(
            "/api/v1/push/subscription",
            post(push::create)
                .get(push::show)
                .put(push::update)
                .delete(push::remove),
        )
        .route("/api/v1/streaming", get(streaming::connect))
        .route("/api/v1/streaming/health", get(streaming::health))
        .route("/api/v1/notifications", get(notifications::list))
        .route(
            "/api/v1/notifications/unread_count",
            get(notifications::unread_count),
        )
        .route("/api/v1/notifications/clear", post(notifications::clear))
        .route("/api/v1/notifications/{id}", get(notifications::show))
        .route(
            "/api/v1/notifications/{id}/dismiss",
            post(notifications::dismiss),
        )
        .route("/api/v1/follow_requests", get(follow_requests::list))
        .route(
            "/api/v1/follow_requests/{id}/authorize",
            post(follow_requests::authorize),
        )
        .route(
            "/api/v1/follow_requests/{id}/reject",
            post(follow_requests::reject),
        )
        .route("/api/v1/reports", post(reports::create))
        .route("/api/v1/admin/accounts/{id}", get(admin::accounts::show))
        .route(
            "/api/v1/admin/accounts/{id}/action",
            post(admin::accounts::action),
        )
        .route(
            "/api/v1/admin/accounts/{id}/unsilence",
            post(admin::accounts::unsilence),
        )
        .route(
            "/api/v1/admin/accounts/{id}/unsuspend",
            post(admin::accounts::unsuspend),
        )
        .route("/api/v1/admin/reports", get(admin::reports::list))
        .route("/api/v1/admin/reports/{id}", get(admin::reports::show))
        .route(
            "/api/v1/admin/reports/{id}/resolve",
            post(admin::reports::resolve),
        )
        .route(
            "/api/v1/admin/reports/{id}/reopen",
            post(admin::reports::reopen),
        )
        .route("/api/v1/directory", get(directory::list))
        .route("/api/v1/blocks", get(hidden_accounts::blocks))
        .route(
            "/api/v1/domain_blocks",
            get(domain_blocks::list)
                .post(domain_blocks::block)
                .delete(domain_blocks::unblock),
        )
        .route("/api/v1/mutes", get(hidden_accounts::mutes))
        .route("/api/v1/bookmarks", get(status_actions::bookmarks))
        .route("/api/v1/favourites", get(status_actions::favourites))
        .route("/api/v1/trends", get(trends::tags))
        .route("/api/v1/trends/tags", get(trends::tags))
        .route("/api/v1/trends/statuses", get(trends::statuses))
        .route("/api/v1/trends/links", get(trends::empty))
        .route("/api/v1/timelines/public", get(timelines::public))
        .route("/api/v1/timelines/home", get(timelines::home))
        .route("/api/v1/timelines/tag/{hashtag}", get(timelines::tag))
        .route("/api/v1/timelines/list/{list_id}", get(timelines::list))
        .route(
            "/api/v1/media/{id}",
            get(media::show).put(media::update).delete(media::delete),
        )
}

/// `/api/v1/accounts/...`: signing up, accounts and what one does to another.
fn account_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/accounts", post(sign_up::create))
        .route(
            "/api/v1/accounts/verify_credentials",
            get(accounts::verify_credentials),
        )
        .route("/api/v1/accounts/lookup", get(accounts::lookup))
        .route("/api/v1/accounts/alias", post(moves::alias))
        .route("/api/v1/accounts/move", post(moves::move_account))
        .route("/api/v1/accounts/search", get(accounts::search))
        .route(
            "/api/v1/accounts/relationships",
            get(accounts::relationships),
        )
        .route("/api/v1/accounts/{id}", get(accounts::show))
        .route("/api/v1/accounts/{id}/statuses", get(accounts::statuses))
        .route("/api/v1/accounts/{id}/followers", get(accounts::followers))
        .route("/api/v1/accounts/{id}/following", get(accounts::following))
        .route(
            "/api/v1/accounts/{id}/follow",
            post(accounts::follow_account),
        )
        .route(
            "/api/v1/accounts/{id}/unfollow",
            post(accounts::unfollow_account),
        )
        .route("/api/v1/accounts/{id}/note", post(accounts::set_note))
        .route("/api/v1/accounts/{id}/block", post(accounts::block_account))
        .route(
            "/api/v1/accounts/{id}/unblock",
            post(accounts::unblock_account),
        )
        .route("/api/v1/accounts/{id}/mute", post(accounts::mute_account))
        .route(
            "/api/v1/accounts/{id}/unmute",
            post(accounts::unmute_account),
        )
        .route("/api/v1/accounts/{id}/lists", get(lists::of_account))
        .route(
            "/api/v1/accounts/familiar_followers",
            get(accounts::familiar_followers),
        )
        .route("/api/v1/accounts/{id}/pin", post(endorsements::endorse))
        .route("/api/v1/accounts/{id}/unpin", post(endorsements::withdraw))
        .route("/api/v1/accounts/{id}/endorse", post(endorsements::endorse))
        .route(
            "/api/v1/accounts/{id}/unendorse",
            post(endorsements::withdraw),
        )
        .route(
            "/api/v1/accounts/{id}/endorsements",
            get(endorsements::of_account),
        )
        .route("/api/v1/endorsements", get(endorsements::mine))
        .route("/api/v1/suggestions", get(suggestions::v1))
        .route(
            "/api/v1/suggestions/{account_id}",
            delete(suggestions::dismiss),
        )
        .route(
            "/api/v1/accounts/{id}/featured_tags",
            get(featured_tags::of_account),
        )
        .route(
            "/api/v1/featured_tags",
            get(featured_tags::list).post(featured_tags::create),
        )
        .route(
            "/api/v1/featured_tags/suggestions",
            get(featured_tags::suggestions),
        )
        .route("/api/v1/featured_tags/{id}", delete(featured_tags::delete))
}

/// `/api/v1/statuses/...`: posting, reading and editing statuses, and what people
/// do to them.
fn status_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/statuses", post(statuses::create))
        .route("/api/v1/scheduled_statuses", get(scheduled_statuses::index))
        .route(
            "/api/v1/scheduled_statuses/{id}",
            get(scheduled_statuses::show)
                .put(scheduled_statuses::update)
                .delete(scheduled_statuses::delete),
        )
        .route("/api/v1/polls/{id}", get(polls::show))
        .route("/api/v1/polls/{id}/votes", post(polls::vote))
        .route(
            "/api/v1/statuses/{id}",
            get(statuses::show)
                .put(statuses::edit)
                .delete(statuses::delete),
        )
        .route("/api/v1/statuses/{id}/context", get(statuses::context))
        .route("/api/v1/statuses/{id}/history", get(statuses::history))
        .route("/api/v1/statuses/{id}/source", get(statuses::source))
        .route(
            "/api/v1/statuses/{id}/favourite",
            post(status_actions::favourite),
        )
        .route(
            "/api/v1/statuses/{id}/unfavourite",
            post(status_actions::unfavourite),
        )
        .route("/api/v1/statuses/{id}/reblog", post(status_actions::reblog))
        .route(
            "/api/v1/statuses/{id}/unreblog",
            post(status_actions::unreblog),
        )
        .route(
            "/api/v1/statuses/{id}/bookmark",
            post(status_actions::bookmark),
        )
        .route(
            "/api/v1/statuses/{id}/unbookmark",
            post(status_actions::unbookmark),
        )
        .route("/api/v1/statuses/{id}/pin", post(status_actions::pin))
        .route("/api/v1/statuses/{id}/unpin", post(status_actions::unpin))
        .route(
            "/api/v1/statuses/{id}/favourited_by",
            get(status_actions::favourited_by),
        )
        .route(
            "/api/v1/statuses/{id}/reblogged_by",
            get(status_actions::reblogged_by),
        )
}
