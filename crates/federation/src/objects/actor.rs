//! Local accounts as actor documents.

use staffroom_domain::accounts::account::{Account, AccountKind};

use crate::LocalUrls;
use crate::protocol::actor::{Actor, Endpoints, Image, PublicKey, property_value};
use crate::protocol::context;

/// What a fetch of the actor `id`, whose account was deleted at `deleted_at`,
/// is answered with (with `410 Gone`): a `Tombstone`, so that other servers
/// drop their copy of the account.
pub fn tombstone(id: &str, deleted_at: chrono::DateTime<chrono::Utc>) -> serde_json::Value {
    serde_json::json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": id,
        "type": "Tombstone",
        "formerType": "Person",
        "deleted": crate::timestamp(deleted_at),
    })
}

/// The ActivityPub id of the local `account`.
pub fn actor_id(urls: &LocalUrls, account: &Account) -> String {
    match account.kind {
        AccountKind::Instance => urls.instance_actor(),
        AccountKind::Person | AccountKind::Organization => urls.actor(&account.username),
        AccountKind::HashtagFeed => urls.tag(&account.username),
        AccountKind::Group => urls.actor(&account.username),
    }
}

/// The featured collection (pinned posts) of the local `account`.
pub fn featured_id(urls: &LocalUrls, account: &Account) -> String {
    format!("{}/collections/featured", actor_id(urls, account))
}

/// The actor document of the local `account`, with its avatar and header if it
/// has them. While the account is suspended the document says
/// `suspended: true` and nothing of its profile, as Mastodon's does.
pub fn local_actor(
    urls: &LocalUrls,
    account: &Account,
    avatar: Option<&str>,
    header: Option<&str>,
) -> Actor {
    let id = actor_id(urls, account);
    let (kind, url) = match account.kind {
        AccountKind::Instance => ("Application", urls.origin()),
        AccountKind::Person => ("Person", urls.profile(&account.username)),
        AccountKind::Organization => ("Organization", urls.profile(&account.username)),
        // A feed is a service that announces what others wrote, as a relay is.
        AccountKind::HashtagFeed => ("Service", urls.tag(&account.username)),
        AccountKind::Group => ("Group", urls.profile(&account.username)),
    };
    // A group names its moderators (FEP-1b12, as Lemmy does) and takes posts from
    // every member.
    let group = account.kind == AccountKind::Group;
    let image = |url: &str| Image {
        kind: "Image".into(),
        media_type: staffroom_domain::media::content_type_of(url)
            .unwrap_or("image/png")
            .into(),
        url: url.to_owned(),
    };
    if account.suspended {
        let mut actor = local_actor(
            urls,
            &Account {
                display_name: String::new(),
                note: String::new(),
                fields: Vec::new(),
                suspended: false,
                ..account.clone()
            },
            None,
            None,
        );
        actor
            .extension
            .insert("suspended".into(), serde_json::Value::Bool(true));
        actor.discoverable = false;
        actor.indexable = false;
        return actor;
    }
    Actor {
        context: context(),
        kind: kind.into(),
        preferred_username: account.username.clone(),
        name: account.display_name.clone(),
        summary: account.note.clone(),
        url,
        inbox: format!("{id}/inbox"),
        // The instance actor has no collections; a feed has its outbox and
        // followers (its subscribers), and follows nobody.
        outbox: (account.kind != AccountKind::Instance).then(|| format!("{id}/outbox")),
        followers: (account.kind != AccountKind::Instance).then(|| format!("{id}/followers")),
        following: (!matches!(
            account.kind,
            AccountKind::Instance | AccountKind::HashtagFeed
        ))
        .then(|| format!("{id}/following")),
        endpoints: Endpoints {
            shared_inbox: urls.shared_inbox(),
        },
        public_key: PublicKey {
            id: format!("{id}#main-key"),
            owner: id.clone(),
            public_key_pem: account.public_key_pem.clone(),
        },
        manually_approves_followers: account.locked,
        discoverable: account.discoverable,
        indexable: account.discoverable,
        published: crate::timestamp(account.created_at),
        icon: avatar.map(image),
        image: header.map(image),
        attachment: account
            .fields
            .iter()
            .map(|field| property_value(&field.name, &field.value))
            .collect(),
        tag: Vec::new(),
        extension: serde_json::Map::new(),
        attributed_to: group.then(|| format!("{id}/moderators")),
        posting_restricted_to_mods: group.then_some(false),
        featured: (account.kind == AccountKind::Person).then(|| featured_id(urls, account)),
        also_known_as: Vec::new(),
        moved_to: None,
        id,
    }
}
