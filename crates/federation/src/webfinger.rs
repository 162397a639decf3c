//! WebFinger (RFC 7033): how another server or an app turns `@user@domain` into the
//! URL of an actor.

use serde::{Deserialize, Serialize};

use staffroom_domain::accounts::account::{Account, AccountKind};

use crate::LocalUrls;
use crate::objects::actor::actor_id;

/// The media type of a WebFinger answer.
pub const CONTENT_TYPE: &str = "application/jrd+json; charset=utf-8";

/// A WebFinger answer (a JSON Resource Descriptor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webfinger {
    pub subject: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub links: Vec<WebfingerLink>,
}

/// One link of a WebFinger answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebfingerLink {
    pub rel: String,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

/// What a `resource` parameter asks about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// A local account, by username (in the case it was asked); when no account
    /// has that name, the feed of the hashtag of that name.
    Local(String),
    /// The feed of a hashtag, asked for by its URL.
    Feed(String),
    /// An account or URL of another server: not ours to answer.
    Elsewhere,
}

/// Why a `resource` parameter cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MalformedResource(pub &'static str);

/// Reads a `resource` parameter: `acct:user@domain`, `user@domain`, `@user@domain`, or
/// the URL of a local actor or profile page.
pub fn parse_resource(resource: &str, urls: &LocalUrls) -> Result<Resource, MalformedResource> {
    let resource = resource.trim();
    if resource.is_empty() {
        return Err(MalformedResource("the resource parameter is empty"));
    }
    if resource.starts_with("https://") || resource.starts_with("http://") {
        if let Some(tag) = urls.local_tag(resource) {
            return Ok(Resource::Feed(tag));
        }
        return Ok(match urls.local_username(resource) {
            Some(name) => Resource::Local(name),
            None => Resource::Elsewhere,
        });
    }
    let acct = resource.strip_prefix("acct:").unwrap_or(resource);
    let acct = acct.strip_prefix('@').unwrap_or(acct);
    let Some((user, domain)) = acct.split_once('@') else {
        return Err(MalformedResource(
            "the resource must be acct:user@domain or an actor URL",
        ));
    };
    if user.is_empty()
        || domain.is_empty()
        || domain.contains('@')
        || acct.contains(char::is_whitespace)
    {
        return Err(MalformedResource(
            "the resource must be acct:user@domain or an actor URL",
        ));
    }
    if domain.eq_ignore_ascii_case(urls.domain()) {
        Ok(Resource::Local(user.to_owned()))
    } else {
        Ok(Resource::Elsewhere)
    }
}

/// The WebFinger answer for the local `account`.
pub fn for_local_account(urls: &LocalUrls, account: &Account) -> Webfinger {
    let username = &account.username;
    let actor = actor_id(urls, account);
    let profile = match account.kind {
        AccountKind::Instance => urls.origin(),
        AccountKind::Person | AccountKind::Organization => urls.profile(username),
        AccountKind::HashtagFeed => urls.tag(username),
        AccountKind::Group => urls.profile(username),
    };
    answer(urls, username, actor, profile)
}

/// The WebFinger answer for the feed of the tag `tag` (normalised), made or not.
pub fn for_feed(urls: &LocalUrls, tag: &str) -> Webfinger {
    answer(urls, tag, urls.tag(tag), urls.tag(tag))
}

/// The WebFinger answer for `username`, whose actor is `actor` and page `profile`.
fn answer(urls: &LocalUrls, username: &str, actor: String, profile: String) -> Webfinger {
    Webfinger {
        subject: format!("acct:{username}@{}", urls.domain()),
        aliases: vec![actor.clone(), profile.clone()],
        links: vec![
            WebfingerLink {
                rel: "http://webfinger.net/rel/profile-page".into(),
                kind: Some("text/html".into()),
                href: Some(profile),
            },
            WebfingerLink {
                rel: "self".into(),
                kind: Some("application/activity+json".into()),
                href: Some(actor),
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls() -> LocalUrls {
        LocalUrls::new("staff.example.org", true).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn every_accepted_form_names_the_local_user() {
        let urls = urls();
        for resource in [
            "acct:alice@staff.example.org",
            "acct:alice@STAFF.example.org",
            "alice@staff.example.org",
            "@alice@staff.example.org",
            "https://staff.example.org/users/alice",
            "https://staff.example.org/@alice",
        ] {
            assert_eq!(
                parse_resource(resource, &urls),
                Ok(Resource::Local("alice".into())),
                "{resource}"
            );
        }
    }

    #[test]
    fn other_servers_are_not_ours_and_nonsense_is_malformed() {
        let urls = urls();
        assert_eq!(
            parse_resource("acct:alice@other.org", &urls),
            Ok(Resource::Elsewhere)
        );
        assert_eq!(
            parse_resource("https://other.org/users/alice", &urls),
            Ok(Resource::Elsewhere)
        );
        for bad in [
            "",
            "acct:",
            "acct:alice",
            "acct:@staff.example.org",
            "acct:alice@",
            "a@b@c",
            "acct:al ice@staff.example.org",
        ] {
            assert!(parse_resource(bad, &urls).is_err(), "{bad:?}");
        }
    }

    fn account(username: &str, kind: AccountKind) -> Account {
        let now = chrono::Utc::now();
        Account {
            id: 1,
            kind,
            username: username.into(),
            domain: None,
            display_name: String::new(),
            note: String::new(),
            locked: false,
            bot: false,
            discoverable: true,
            uri: None,
            public_key_pem: String::new(),
            created_at: now,
            updated_at: now,
            remote: None,
            fields: Vec::new(),
            avatar: None,
            header: None,
            moved_to_id: None,
            silenced: false,
            suspended: false,
        }
    }

    #[test]
    fn the_instance_actor_is_found_at_its_own_url() {
        let wf = for_local_account(&urls(), &account("instance.actor", AccountKind::Instance));
        let actor = wf
            .links
            .iter()
            .find(|l| l.rel == "self")
            .and_then(|l| l.href.clone());
        assert_eq!(actor.as_deref(), Some("https://staff.example.org/actor"));
    }

    #[test]
    fn the_answer_links_the_actor_and_the_profile_page() {
        let wf = for_local_account(&urls(), &account("alice", AccountKind::Person));
        assert_eq!(wf.subject, "acct:alice@staff.example.org");
        let actor = wf
            .links
            .iter()
            .find(|l| l.rel == "self")
            .and_then(|l| l.href.clone());
        assert_eq!(
            actor.as_deref(),
            Some("https://staff.example.org/users/alice")
        );
    }
}
