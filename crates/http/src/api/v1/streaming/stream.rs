//! The streams a connection can subscribe to, by the names Mastodon gives them, and
//! which of them an event belongs to. Whether a post belongs to a stream is the
//! domain's timeline rule (`timelines::home::in_home`, `in_public`, `in_tag`,
//! `timelines::list::in_list`), the same one
//! the REST timelines use.

use staffroom_domain::Database;
use staffroom_domain::filters::filter::Context;
use staffroom_domain::posts::compose::normalize_tag;
use staffroom_domain::timelines;
use staffroom_domain::timelines::{public::Scope, removed::Removed};

/// The longest hashtag a stream may name.
pub const MAX_TAG_CHARS: usize = 200;

/// One stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stream {
    /// The signed-in person's home timeline and notifications.
    User,
    /// The signed-in person's notifications.
    UserNotification,
    /// Public posts (`public`, `public:local`, `public:remote`).
    Public(Scope),
    /// Public posts with a hashtag (`hashtag`, `hashtag:local`).
    Hashtag {
        /// The tag as the app named it, echoed in frames.
        given: String,
        /// The tag normalised, as posts store it.
        name: String,
        local: bool,
    },
    /// The posts of one of the signed-in person's lists (`list`, with its id).
    List(i64),
    /// The signed-in person's conversations (`direct`): each direct post they are
    /// in, as the conversation it brings up.
    Direct,
}

/// Why a stream cannot be subscribed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamError {
    Unknown,
    MissingTag,
    TagTooLong,
    MissingList,
}

impl StreamError {
    /// What the app is told.
    pub fn message(&self) -> &'static str {
        match self {
            Self::Unknown => "Unknown stream type",
            Self::MissingTag => "A hashtag stream needs a tag",
            Self::TagTooLong => "The tag is too long",
            Self::MissingList => "A list stream needs the id of a list",
        }
    }
}

impl Stream {
    /// The stream Mastodon calls `name` (with its `tag` for hashtag streams, its
    /// `list` id for list streams).
    pub fn parse(name: &str, tag: Option<&str>, list: Option<&str>) -> Result<Self, StreamError> {
        let hashtag = |local: bool| {
            let given = tag
                .map(|t| t.trim().trim_start_matches('#'))
                .filter(|t| !t.is_empty())
                .ok_or(StreamError::MissingTag)?;
            if given.chars().count() > MAX_TAG_CHARS {
                return Err(StreamError::TagTooLong);
            }
            Ok(Self::Hashtag {
                given: given.to_owned(),
                name: normalize_tag(given),
                local,
            })
        };
        match name {
            "user" => Ok(Self::User),
            "user:notification" => Ok(Self::UserNotification),
            "direct" => Ok(Self::Direct),
            "public" => Ok(Self::Public(Scope::All)),
            "public:local" => Ok(Self::Public(Scope::Local)),
            "public:remote" => Ok(Self::Public(Scope::Remote)),
            "hashtag" => hashtag(false),
            "hashtag:local" => hashtag(true),
            "list" => list
                .and_then(|id| id.trim().parse().ok())
                .map(Self::List)
                .ok_or(StreamError::MissingList),
            _ => Err(StreamError::Unknown),
        }
    }

    /// The `stream` array of its frames: `["user"]`, `["hashtag", "tag"]` ...
    pub fn names(&self) -> Vec<String> {
        let name = match self {
            Self::User => "user",
            Self::UserNotification => "user:notification",
            Self::Public(Scope::All) => "public",
            Self::Public(Scope::Local) => "public:local",
            Self::Public(Scope::Remote) => "public:remote",
            Self::Hashtag { local: false, .. } => "hashtag",
            Self::Hashtag { local: true, .. } => "hashtag:local",
            Self::List(_) => "list",
            Self::Direct => "direct",
        };
        match self {
            Self::Hashtag { given, .. } => vec![name.to_owned(), given.clone()],
            Self::List(id) => vec![name.to_owned(), id.to_string()],
            _ => vec![name.to_owned()],
        }
    }

    /// Whether only a signed-in person may listen.
    pub fn needs_account(&self) -> bool {
        matches!(
            self,
            Self::User | Self::UserNotification | Self::List(_) | Self::Direct
        )
    }

    /// The scope the token must grant (`read` covers both).
    pub fn scope(&self) -> &'static str {
        match self {
            Self::UserNotification => "read:notifications",
            Self::List(_) => "read:lists",
            _ => "read:statuses",
        }
    }

    /// The filters' context of the posts it tells of (none for a stream of no posts).
    pub fn filter_context(&self) -> Option<Context> {
        match self {
            Self::User | Self::List(_) => Some(Context::Home),
            Self::Public(_) | Self::Hashtag { .. } => Some(Context::Public),
            Self::UserNotification | Self::Direct => None,
        }
    }

    /// Whether notifications go to this stream.
    pub fn hears_notifications(&self) -> bool {
        matches!(self, Self::User | Self::UserNotification)
    }

    /// Whether the stored post `post_id` belongs to this stream as `viewer` sees it.
    pub async fn holds(
        &self,
        db: &Database,
        viewer: Option<i64>,
        post_id: i64,
    ) -> staffroom_domain::Result<bool> {
        match self {
            Self::User => match viewer {
                Some(account_id) => timelines::home::in_home(db, account_id, post_id).await,
                None => Ok(false),
            },
            // Conversations are told as such, not as posts (see `connection`).
            Self::UserNotification | Self::Direct => Ok(false),
            Self::Public(scope) => timelines::public::in_public(db, *scope, viewer, post_id).await,
            Self::Hashtag { name, local, .. } => {
                timelines::public::in_tag(db, name, tag_scope(*local), viewer, post_id).await
            }
            Self::List(list_id) => match viewer {
                Some(account_id) => {
                    timelines::list::in_list(db, account_id, *list_id, post_id).await
                }
                None => Ok(false),
            },
        }
    }

    /// Whether the deleted post `removed` belonged to this stream for `viewer`.
    pub async fn held(
        &self,
        db: &Database,
        viewer: Option<i64>,
        removed: &Removed,
    ) -> staffroom_domain::Result<bool> {
        match self {
            Self::User => match viewer {
                Some(account_id) => timelines::removed::was_in_home(db, account_id, removed).await,
                None => Ok(false),
            },
            Self::UserNotification | Self::Direct => Ok(false),
            Self::Public(scope) => Ok(removed.was_in_public(*scope)),
            Self::Hashtag { name, local, .. } => Ok(removed.was_in_tag(name, tag_scope(*local))),
            Self::List(list_id) => match viewer {
                Some(account_id) => {
                    timelines::list::was_in_list(db, account_id, *list_id, removed).await
                }
                None => Ok(false),
            },
        }
    }
}

fn tag_scope(local: bool) -> Scope {
    if local { Scope::Local } else { Scope::All }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mastodon_names_round_trip() {
        for name in [
            "user",
            "user:notification",
            "public",
            "public:local",
            "public:remote",
            "direct",
        ] {
            assert_eq!(
                Stream::parse(name, None, None).map(|s| s.names()),
                Ok(vec![name.to_owned()])
            );
        }
    }

    #[test]
    fn a_hashtag_stream_keeps_the_tag_as_given_and_matches_it_normalised() {
        let stream = Stream::parse("hashtag", Some("#AmbitionFeed"), None).ok();
        assert_eq!(
            stream,
            Some(Stream::Hashtag {
                given: "AmbitionFeed".into(),
                name: "ambitionfeed".into(),
                local: false,
            })
        );
        assert_eq!(
            stream.map(|s| s.names()),
            Some(vec!["hashtag".to_owned(), "AmbitionFeed".to_owned()])
        );
    }

    #[test]
    fn bad_streams_are_refused() {
        assert_eq!(
            Stream::parse("hashtag", None, None),
            Err(StreamError::MissingTag)
        );
        assert_eq!(
            Stream::parse("hashtag", Some(" "), None),
            Err(StreamError::MissingTag)
        );
        assert_eq!(
            Stream::parse("hashtag:local", Some(&"a".repeat(MAX_TAG_CHARS + 1)), None),
            Err(StreamError::TagTooLong)
        );
        assert_eq!(
            Stream::parse("list", None, None),
            Err(StreamError::MissingList)
        );
        assert_eq!(
            Stream::parse("list", None, Some("x")),
            Err(StreamError::MissingList)
        );
        assert_eq!(
            Stream::parse("directly", None, None),
            Err(StreamError::Unknown)
        );
    }

    #[test]
    fn only_user_streams_need_a_person_and_hear_notifications() {
        let user = Stream::User;
        let public = Stream::Public(Scope::Local);
        assert!(user.needs_account() && user.hears_notifications());
        assert!(!public.needs_account() && !public.hears_notifications());
        assert_eq!(Stream::UserNotification.scope(), "read:notifications");
        assert_eq!(public.scope(), "read:statuses");
    }

    #[test]
    fn a_list_stream_names_its_list_and_needs_its_owner() {
        let stream = Stream::parse("list", None, Some("42"));
        assert_eq!(stream, Ok(Stream::List(42)));
        let stream = Stream::List(42);
        assert_eq!(stream.names(), vec!["list".to_owned(), "42".to_owned()]);
        assert!(stream.needs_account() && !stream.hears_notifications());
        assert_eq!(stream.scope(), "read:lists");
    }
}
