//! Web pages: what a browser sees at the front page, a profile, post or tag URL, and
//! the sign-in and sign-up forms. Plain HTML that works without JavaScript, rendered
//! from the askama templates in `crates/http/templates/`, which all extend
//! `base.html` and escape every value unless it is marked safe; only HTML the domain
//! has already sanitised is. What went wrong is shown by [`PageError`].

pub mod admin;
pub mod articles;
pub mod challenges;
pub mod compose;
pub mod delete_settings;
pub mod directory;
pub mod directory_settings;
pub mod email_settings;
pub mod escaping;
pub mod events;
pub mod export_settings;
pub mod front;
pub mod groups;
pub mod layout;
pub mod lists;
pub mod move_settings;
pub mod notifications;
pub mod password;
pub mod password_settings;
mod podcast;
pub mod post;
pub mod post_actions;
pub mod post_view;
pub mod preferences_settings;
pub mod profile;
pub mod relationship_actions;
pub mod report;
pub mod scheduled;
pub mod search;
pub mod session;
pub mod sessions_settings;
pub mod settings;
pub mod sign_in;
pub mod sign_in_code;
pub mod sign_up;
pub mod suspended;
pub mod tag;
pub mod timeline;
pub mod two_factor_settings;

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

pub use layout::Layout;

use crate::AppState;
use crate::entities::timestamp;
use crate::error::{PageError, PageResult};

/// A form of one button: only its CSRF field.
#[derive(Debug, serde::Deserialize)]
pub struct ButtonForm {
    pub authenticity_token: Option<String>,
}

/// `page` rendered as an HTML answer.
pub fn render(page: &impl Template) -> PageResult<Html<String>> {
    Ok(Html(page.render()?))
}

/// A form's `page` shown again because of `error`, with its status.
pub fn render_again(state: &AppState, page: &impl Template, error: &PageError) -> Response {
    match render(page) {
        Ok(html) => (error.status(), html).into_response(),
        Err(failure) => failure.page(state),
    }
}

/// One post in a list of posts (`templates/partials/post_summary.html`).
pub struct PostSummary<'a> {
    /// Who wrote it, where the list has several authors.
    pub author: Option<String>,
    /// Its HTML, as the domain keeps it sanitised.
    pub content: &'a str,
    /// Where it is read.
    pub url: String,
    pub published: String,
}

impl<'a> PostSummary<'a> {
    /// `post`, read at `url`.
    pub fn new(post: &'a staffroom_domain::posts::post::Post, url: String) -> Self {
        Self {
            author: None,
            content: &post.content,
            url,
            published: timestamp(post.created_at),
        }
    }
}

/// The signed-in person's home timeline, where signing in leads.
pub const HOME: &str = "/home";

/// The buttons a signed-in person has on each post of a page
/// (`templates/partials/post.html`): small forms that come back to `here`.
#[derive(Debug, Clone, Copy)]
pub struct Actions<'a> {
    /// The CSRF token of the forms.
    pub csrf: &'a str,
    /// The page to come back to (path and query).
    pub here: &'a str,
}

/// The most characters of a path to return to after signing in.
const MAX_RETURN_PATH_CHARS: usize = 4096;

/// `path` if it is a path on this instance, safe to send a browser back to after a
/// form (never another site: no `//host`, no scheme, no backslash).
pub fn local_path(path: Option<&str>) -> Option<&str> {
    path.filter(|p| {
        p.starts_with('/')
            && !p.starts_with("//")
            && p.len() <= MAX_RETURN_PATH_CHARS
            && !p
                .chars()
                .any(|c| c == '\\' || c.is_control() || c.is_whitespace())
    })
}

/// `303 See Other` to `location` (a path on this instance), the answer to a form.
pub fn see_other(location: &str) -> Response {
    axum::response::Redirect::to(location).into_response()
}

/// The directory's pages and the challenges'.
fn directory_and_challenges() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/directory", get(directory::leaders))
        .route("/directory/trusts", get(directory::trusts))
        .route("/directory/trusts/{trust}", get(directory::trust_page))
        .route(
            "/directory/trusts/{trust}/leaders/{id}/confirm",
            post(directory::confirm),
        )
        .route("/directory/schools", get(directory::schools))
        .route("/directory/schools/{id}", get(directory::school_page))
        .route("/challenges", get(challenges::list))
        .route("/challenges/{id}", get(challenges::show))
        .route("/events", get(events::list).post(events::create))
        .route("/events.ics", get(events::instance_calendar))
        .route("/events/new", get(events::new_form))
        .route("/events/{id}", get(events::show))
        .route("/events/{id}/rsvp", post(events::rsvp))
        .route(
            "/events/{id}/participants/{account_id}",
            post(events::decide),
        )
        .route("/@{username}/events.ics", get(events::person_calendar))
        .route("/@{username}/podcast.rss", get(podcast::feed))
        .route(
            articles::NEW_ARTICLE,
            get(articles::new_form)
                .post(articles::create)
                .layer(compose::body_limit()),
        )
        .route("/@{username}/articles", get(articles::list))
        .route("/@{username}/articles/{id}", get(articles::show))
        .route(
            "/@{username}/articles/{id}/edit",
            get(articles::edit_form).post(articles::edit),
        )
        .route(
            "/@{username}/articles/{id}/comments/{comment}/{action}",
            post(articles::moderate),
        )
}

/// Every page: the front page, profiles, posts, tags, and signing in and up.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/", get(front::show))
        .route("/@{username}", get(profile::show))
        .route("/@{username}/followers", get(profile::followers))
        .route("/@{username}/following", get(profile::following))
        .route("/@{username}/follow", post(relationship_actions::follow))
        .route(
            "/@{username}/unfollow",
            post(relationship_actions::unfollow),
        )
        .route("/@{username}/block", post(relationship_actions::block))
        .route("/@{username}/unblock", post(relationship_actions::unblock))
        .route("/@{username}/mute", post(relationship_actions::mute))
        .route("/@{username}/unmute", post(relationship_actions::unmute))
        .route(
            "/@{username}/report",
            get(report::account_form).post(report::report_account),
        )
        .route("/@{username}/{id}", get(post::show))
        .route("/tags/{name}", get(tag::show))
        .route("/groups", get(groups::index).post(groups::create))
        .route(groups::NEW_GROUP, get(groups::new_form))
        .route("/groups/{handle}", get(groups::show))
        .route("/groups/{handle}/members", get(groups::members))
        .route("/groups/{handle}/podcast.rss", get(podcast::group_feed))
        .route("/groups/{handle}/join", post(groups::join))
        .route("/groups/{handle}/leave", post(groups::leave))
        .route(
            "/groups/{handle}/requests/{id}/approve",
            post(groups::approve),
        )
        .route(
            "/groups/{handle}/requests/{id}/reject",
            post(groups::reject),
        )
        .route("/groups/{handle}/members/{id}/remove", post(groups::remove))
        .route("/groups/{handle}/members/{id}/ban", post(groups::ban))
        .route("/groups/{handle}/posts/{id}/remove", post(groups::take_out))
        .route("/auth/sign_in", get(sign_in::show).post(sign_in::sign_in))
        .route("/auth/two_factor", post(sign_in_code::finish))
        .route("/auth/sign_out", post(sign_in::sign_out))
        .route(suspended::SUSPENDED_PAGE, get(suspended::show))
        .route("/auth/sign_up", get(sign_up::show).post(sign_up::sign_up))
        .route(crate::mail::CONFIRMATION, get(sign_up::confirm))
        .route(
            crate::mail::NEW_PASSWORD,
            get(password::new).post(password::request),
        )
        .route(
            crate::mail::EDIT_PASSWORD,
            get(password::edit).post(password::update),
        )
        .route(
            session::TWO_FACTOR_SETTINGS,
            get(two_factor_settings::show).post(two_factor_settings::enable),
        )
        .route(
            two_factor_settings::DISABLE_TWO_FACTOR,
            post(two_factor_settings::disable),
        )
        .route(
            "/settings/two_factor/recovery_codes",
            post(two_factor_settings::regenerate_recovery_codes),
        )
        .route(
            sessions_settings::SESSIONS_SETTINGS,
            get(sessions_settings::show),
        )
        .route("/settings/sessions/{id}/end", post(sessions_settings::end))
        .route(
            "/settings/apps/{id}/revoke",
            post(sessions_settings::revoke_app),
        )
        .route(
            export_settings::EXPORT_SETTINGS,
            get(export_settings::show_export),
        )
        .route("/settings/export/{file}", get(export_settings::download))
        .route(
            export_settings::ARCHIVE_REQUEST,
            post(export_settings::request_archive),
        )
        .route(
            export_settings::IMPORT_SETTINGS,
            get(export_settings::show_import)
                .post(export_settings::import)
                .layer(export_settings::body_limit()),
        )
        .route(
            delete_settings::DELETE_SETTINGS,
            get(delete_settings::show).post(delete_settings::delete),
        )
        .route(
            email_settings::EMAIL_SETTINGS,
            get(email_settings::show).post(email_settings::change),
        )
        .route(
            email_settings::CANCEL_EMAIL_CHANGE,
            post(email_settings::cancel),
        )
        .route(crate::mail::CONFIRM_NEW_EMAIL, get(email_settings::confirm))
        .route(
            move_settings::ALIASES_SETTINGS,
            get(move_settings::show_aliases).post(move_settings::add_alias),
        )
        .route(
            move_settings::REMOVE_ALIAS,
            post(move_settings::remove_alias),
        )
        .route(
            move_settings::MOVE_SETTINGS,
            get(move_settings::show_move).post(move_settings::move_account),
        )
        .route(move_settings::CANCEL_MOVE, post(move_settings::cancel_move))
        .route(
            password_settings::PASSWORD_SETTINGS,
            get(password_settings::show).post(password_settings::change),
        )
        .route("/scheduled", get(scheduled::index))
        .route("/scheduled/{id}/cancel", post(scheduled::cancel))
        .route(
            "/publish",
            get(compose::show)
                .post(compose::publish)
                .layer(compose::body_limit()),
        )
        .route("/home", get(timeline::home))
        .route("/lists", get(lists::index).post(lists::create))
        .route("/lists/{id}", get(lists::show))
        .route("/lists/{id}/update", post(lists::update))
        .route("/lists/{id}/delete", post(lists::delete))
        .route("/lists/{id}/accounts", post(lists::add))
        .route(
            "/lists/{id}/accounts/{account_id}/remove",
            post(lists::remove),
        )
        .route("/notifications", get(notifications::show))
        .route("/search", get(search::show))
        .merge(directory_and_challenges())
        .merge(admin::routes())
        .route(
            directory_settings::DIRECTORY_SETTINGS,
            get(directory_settings::show).post(directory_settings::save),
        )
        .route(
            preferences_settings::PREFERENCES_SETTINGS,
            get(preferences_settings::show).post(preferences_settings::save),
        )
        .route(
            settings::PROFILE_SETTINGS,
            get(settings::show)
                .post(settings::save)
                .layer(settings::body_limit()),
        )
        .route(
            "/follow_requests/{id}/authorize",
            post(notifications::authorize),
        )
        .route("/follow_requests/{id}/reject", post(notifications::reject))
        .route("/public/local", get(timeline::local))
        .route("/public", get(timeline::federated))
        .route("/statuses/{id}", get(post_actions::show))
        .route("/statuses/{id}/reblog", post(post_actions::boost))
        .route("/statuses/{id}/unreblog", post(post_actions::unboost))
        .route("/statuses/{id}/favourite", post(post_actions::favourite))
        .route(
            "/statuses/{id}/unfavourite",
            post(post_actions::unfavourite),
        )
        .route(
            "/statuses/{id}/report",
            get(report::post_form).post(report::report_post),
        )
        .route("/statuses/{id}/bookmark", post(post_actions::bookmark))
        .route("/statuses/{id}/vote", post(post_actions::vote))
        .route("/statuses/{id}/unbookmark", post(post_actions::unbookmark))
        .route(
            "/statuses/{id}/edit",
            get(compose::edit_form).post(compose::edit),
        )
        .route(
            "/statuses/{id}/delete",
            get(compose::delete_form).post(compose::delete),
        )
}
