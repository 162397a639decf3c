//! Posts as `Note` documents (a post with a poll as a `Question`), with their
//! addressing, hashtags and mentions: local posts as their author publishes them,
//! and posts from elsewhere as a group here passes them on.

use serde_json::{Value, json};
use staffroom_domain::accounts::account::Account;
use staffroom_domain::media::MediaAttachment;
use staffroom_domain::posts::article::{self, Article};
use staffroom_domain::posts::event::{self, Event};
use staffroom_domain::posts::poll::{self, Poll};
use staffroom_domain::posts::post::{self, Post, Visibility};
use staffroom_domain::{Database, Result, accounts::account, posts::tag};

use crate::LocalUrls;
use crate::objects::follows::any_actor_id;
use crate::objects::media;
use crate::protocol::PUBLIC;
use crate::protocol::note::{ArticleFields, EventFields, Note, QuestionOption, Source};

/// What a note says beyond the post row: whom it mentions, its tags, the id of the
/// post it answers, and its media.
#[derive(Debug, Clone, Default)]
pub struct NoteExtras {
    pub mentioned: Vec<Account>,
    pub tags: Vec<String>,
    pub in_reply_to: Option<String>,
    pub attachments: Vec<MediaAttachment>,
    /// Its poll, which makes it a `Question`.
    pub poll: Option<Poll>,
    /// Its event, which makes it an `Event`.
    pub event: Option<Event>,
    /// Its article, which makes it an `Article`.
    pub article: Option<Article>,
}

/// Loads the extras of `post` (for a post from elsewhere, the mentions of
/// accounts stored here).
pub async fn extras(db: &Database, urls: &LocalUrls, post: &Post) -> Result<NoteExtras> {
    let in_reply_to = match post.in_reply_to_id {
        Some(parent_id) => match post::get_for_federation(db, parent_id).await? {
            Some(parent) => match parent.uri {
                Some(uri) => Some(uri),
                None => {
                    let parent_author = account::get(db, parent.account_id).await?;
                    Some(urls.post(&parent_author.username, parent.id))
                }
            },
            None => None,
        },
        None => post.in_reply_to_uri.clone(),
    };
    Ok(NoteExtras {
        mentioned: post::mentioned_accounts(db, post.id).await?,
        tags: tag::of_post(db, post.id).await?,
        in_reply_to,
        attachments: staffroom_domain::media::of_post(db, post.id).await?,
        poll: poll::get(db, post.id).await?,
        event: event::get(db, post.id).await?,
        article: article::get(db, post.id).await?,
    })
}

/// Who a post is addressed to (`to`, `cc`): its visibility, with the accounts it
/// mentions.
pub fn audience(
    visibility: Visibility,
    followers: &str,
    mentioned: &[String],
) -> (Vec<String>, Vec<String>) {
    let with_mentions = |mut list: Vec<String>| {
        list.extend(mentioned.iter().cloned());
        list
    };
    match visibility {
        Visibility::Public => (
            vec![PUBLIC.to_owned()],
            with_mentions(vec![followers.to_owned()]),
        ),
        Visibility::Unlisted => (
            vec![followers.to_owned()],
            with_mentions(vec![PUBLIC.to_owned()]),
        ),
        Visibility::Private => (vec![followers.to_owned()], with_mentions(Vec::new())),
        Visibility::Direct => (with_mentions(Vec::new()), Vec::new()),
    }
}

/// The `Note` of `post` by `author` (local, or for a post stored from elsewhere
/// its own id, author and page).
pub fn note_of(urls: &LocalUrls, author: &Account, post: &Post, extras: &NoteExtras) -> Note {
    let actor = any_actor_id(urls, author);
    let followers = match &author.remote {
        Some(remote) => remote.followers.clone().unwrap_or_default(),
        None => format!("{actor}/followers"),
    };
    let mentioned: Vec<String> = extras
        .mentioned
        .iter()
        .map(|a| any_actor_id(urls, a))
        .collect();
    let (to, cc) = audience(post.visibility, &followers, &mentioned);
    let content_map = post.language.as_ref().map(|language| {
        let mut map = serde_json::Map::new();
        map.insert(language.clone(), post.content.clone().into());
        map
    });
    let mut tag: Vec<Value> = extras
        .tags
        .iter()
        .map(|name| json!({"type": "Hashtag", "href": urls.tag(name), "name": format!("#{name}")}))
        .collect();
    tag.extend(extras.mentioned.iter().map(|account| {
        let domain = account
            .domain
            .clone()
            .unwrap_or_else(|| urls.domain().to_owned());
        json!({
            "type": "Mention",
            "href": any_actor_id(urls, account),
            "name": format!("@{}@{domain}", account.username),
        })
    }));
    let mut note = Note {
        id: post
            .uri
            .clone()
            .unwrap_or_else(|| urls.post(&author.username, post.id)),
        kind: "Note".into(),
        attributed_to: actor,
        name: None,
        content: post.content.clone(),
        source: post.source.as_ref().map(|text| Source {
            content: text.clone(),
            media_type: "text/plain".into(),
        }),
        summary: (!post.spoiler_text.is_empty()).then(|| post.spoiler_text.clone()),
        sensitive: post.sensitive,
        in_reply_to: extras.in_reply_to.clone(),
        published: crate::timestamp(post.created_at),
        updated: post.edited_at.map(crate::timestamp),
        url: match (&author.remote, &post.url) {
            (None, _) => urls.post_page(&author.username, post.id),
            (Some(_), Some(page)) => page.clone(),
            (Some(_), None) => post.uri.clone().unwrap_or_default(),
        },
        to,
        cc,
        tag,
        attachment: extras
            .attachments
            .iter()
            .filter_map(|medium| media::document(urls, medium))
            .collect(),
        content_map,
        audience: None,
        one_of: None,
        any_of: None,
        end_time: None,
        closed: None,
        voters_count: None,
        event: None,
        article: None,
    };
    if let Some(poll) = &extras.poll {
        as_question(&mut note, poll, chrono::Utc::now());
    }
    if let Some(event) = &extras.event {
        as_event(&mut note, event);
        if author.is_local() {
            note.url = urls.event_page(post.id);
        }
    }
    if let Some(found) = &extras.article {
        as_article(&mut note, found, &extras.attachments, urls);
        if author.is_local() {
            note.url = urls.article_page(&author.username, post.id);
        }
    }
    note
}

/// Makes `note` the `Article` of `found`: its title as `name`, its summary, its
/// body as `content` (HTML) with the Markdown it was written in as `source`,
/// and its cover as `image`.
pub fn as_article(
    note: &mut Note,
    found: &Article,
    attachments: &[MediaAttachment],
    urls: &LocalUrls,
) {
    note.kind = "Article".into();
    note.name = Some(found.title.clone());
    note.summary = (!found.summary.is_empty()).then(|| found.summary.clone());
    note.sensitive = false;
    note.content = found.body_html.clone();
    note.content_map = None;
    note.source = found.markdown.as_ref().map(|markdown| Source {
        content: markdown.clone(),
        media_type: "text/markdown".into(),
    });
    let cover = found
        .cover_media_id
        .and_then(|id| attachments.iter().find(|m| m.id == id))
        .and_then(|medium| media::document(urls, medium))
        .map(|document| {
            json!({
                "type": "Image",
                "url": document.get("url").cloned().unwrap_or_default(),
                "mediaType": document.get("mediaType").cloned().unwrap_or_default(),
                "name": document.get("name").cloned().unwrap_or_default(),
            })
        })
        .or_else(|| {
            found
                .cover_url
                .as_ref()
                .map(|url| json!({"type": "Image", "url": url}))
        });
    note.article = Some(ArticleFields {
        media_type: "text/html".into(),
        image: cover,
    });
}

/// Makes `note` the `Event` of `event`, as Mobilizon writes one: its title as
/// `name`, its description as `content`, its times and time zone, its `Place`
/// (an online link as a `Link` attachment named `Website`), how people join,
/// its capacity and how many go.
pub fn as_event(note: &mut Note, event: &Event) {
    note.kind = "Event".into();
    note.name = Some(event.title.clone());
    note.content = event.description.clone();
    note.content_map = None;
    note.source = None;
    note.end_time = Some(crate::timestamp(event.ends_at));
    let location = (event.place_name.is_some() || event.address.is_some()).then(|| {
        let mut place = json!({
            "type": "Place",
            "name": event.place_name.clone().or_else(|| event.address.clone()),
        });
        if let Some(address) = &event.address {
            place["address"] = json!({"type": "PostalAddress", "streetAddress": address});
        }
        place
    });
    if let Some(online) = &event.online_url {
        note.attachment.push(json!({
            "type": "Link",
            "mediaType": "text/html",
            "name": "Website",
            "href": online,
        }));
    }
    note.event = Some(EventFields {
        start_time: crate::timestamp(event.starts_at),
        timezone: event.timezone.clone(),
        location,
        is_online: event.online_url.is_some(),
        join_mode: event.join_mode.name().to_owned(),
        external_participation_url: event.external_url.clone(),
        maximum_attendee_capacity: event.capacity,
        remaining_attendee_capacity: event.remaining(),
        participant_count: event.participant_count,
        actor: note.attributed_to.clone(),
    });
}

/// Makes `note` the `Question` of `poll` as it stands at `now`: its options with
/// their counts (none while the counts are hidden and the poll runs), its end,
/// and `closed` once it has ended.
pub fn as_question(note: &mut Note, poll: &Poll, now: chrono::DateTime<chrono::Utc>) {
    let shown = poll.totals_shown(now, false);
    let options = poll
        .options
        .iter()
        .map(|option| {
            QuestionOption::new(&option.title, if shown { option.votes_count } else { 0 })
        })
        .collect();
    note.kind = "Question".into();
    if poll.multiple {
        note.any_of = Some(options);
    } else {
        note.one_of = Some(options);
    }
    note.end_time = poll.expires_at.map(crate::timestamp);
    note.closed = poll
        .expires_at
        .filter(|_| poll.expired(now))
        .map(crate::timestamp);
    note.voters_count = if shown { poll.voters_count } else { Some(0) };
}

/// What a fetch of the post `id`, deleted at `deleted_at`, is answered with (as
/// Mastodon answers, with `410 Gone`): a `Tombstone`, so that other servers drop
/// their copies.
pub fn tombstone(id: &str, deleted_at: chrono::DateTime<chrono::Utc>) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": id,
        "type": "Tombstone",
        "formerType": "Note",
        "deleted": crate::timestamp(deleted_at),
    })
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, Utc};
    use serde_json::json;
    use staffroom_domain::posts::poll::PollOption;

    use super::*;
    use crate::protocol::note::sample;

    fn poll(multiple: bool, hide_totals: bool, ends_in: TimeDelta) -> Poll {
        Poll {
            post_id: 5,
            expires_at: Some(Utc::now() + ends_in),
            multiple,
            hide_totals,
            options: vec![
                PollOption {
                    title: "Mon".into(),
                    votes_count: 2,
                },
                PollOption {
                    title: "Tue".into(),
                    votes_count: 1,
                },
            ],
            votes_count: 3,
            voters_count: Some(3),
        }
    }

    #[test]
    fn a_post_with_a_poll_is_a_question_as_mastodon_writes_it() {
        let mut note = sample();
        let running = poll(false, false, TimeDelta::hours(1));
        as_question(&mut note, &running, Utc::now());
        let json = serde_json::to_value(&note).unwrap();
        assert_eq!(json["type"], "Question");
        assert_eq!(
            json["oneOf"],
            json!([
                {"type": "Note", "name": "Mon", "replies": {"type": "Collection", "totalItems": 2}},
                {"type": "Note", "name": "Tue", "replies": {"type": "Collection", "totalItems": 1}},
            ])
        );
        assert!(json.get("anyOf").is_none());
        assert!(json.get("closed").is_none());
        assert_eq!(json["votersCount"], 3);
        assert!(json["endTime"].is_string());

        let mut note = sample();
        as_question(
            &mut note,
            &poll(true, false, -TimeDelta::hours(1)),
            Utc::now(),
        );
        let json = serde_json::to_value(&note).unwrap();
        assert_eq!(json["anyOf"][0]["name"], "Mon");
        assert_eq!(json["closed"], json["endTime"]);
    }

    #[test]
    fn hidden_totals_are_not_sent_until_the_poll_ends() {
        let mut note = sample();
        as_question(
            &mut note,
            &poll(false, true, TimeDelta::hours(1)),
            Utc::now(),
        );
        let json = serde_json::to_value(&note).unwrap();
        assert_eq!(json["oneOf"][0]["replies"]["totalItems"], 0);
        assert_eq!(json["votersCount"], 0);
        let mut note = sample();
        as_question(
            &mut note,
            &poll(false, true, -TimeDelta::hours(1)),
            Utc::now(),
        );
        let json = serde_json::to_value(&note).unwrap();
        assert_eq!(json["oneOf"][0]["replies"]["totalItems"], 2);
    }
}
