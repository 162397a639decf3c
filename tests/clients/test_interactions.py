"""Favourites, boosts and the notifications they and mentions and follows bring,
through Mastodon.py and toot."""

import pytest

from clients import eventually, ids


def notification_of(client, kind: str, status_id=None, account_id=None):
    """The first notification of type `kind` about the status or from the account."""
    for n in client.notifications(types=[kind]):
        if n.type != kind:
            continue
        if status_id is not None and (n.status is None or str(n.status.id) != str(status_id)):
            continue
        if account_id is not None and str(n.account.id) != str(account_id):
            continue
        return n
    return None


def post_and_other(instance, login, text: str, stem: str):
    """An author's new post, the author's client and someone else's."""
    author = login(instance.create_user("author"))
    other = login(instance.create_user(stem))
    return author.status_post(text), author, other


@pytest.mark.needs("favourite")
def test_favourite_and_unfavourite(alpha, login):
    posted, author, fan = post_and_other(
        alpha, login, "Our new reading scheme starts in September", "fan"
    )
    assert posted.favourites_count == 0
    assert posted.favourited is False

    liked = fan.status_favourite(posted.id)
    assert str(liked.id) == str(posted.id)
    assert liked.favourited is True
    assert liked.favourites_count == 1
    seen_by_author = author.status(posted.id)
    assert seen_by_author.favourites_count == 1
    assert seen_by_author.favourited is False
    assert [a.acct for a in author.status_favourited_by(posted.id)] == [fan.me().acct]
    # Favouriting twice counts once.
    assert fan.status_favourite(posted.id).favourites_count == 1

    unliked = fan.status_unfavourite(posted.id)
    assert unliked.favourited is False
    assert unliked.favourites_count == 0
    assert author.status(posted.id).favourites_count == 0


@pytest.mark.needs("reblog")
def test_boost_and_unboost(alpha, login):
    posted, author, booster = post_and_other(
        alpha, login, "Open evening on Thursday, all welcome", "booster"
    )
    assert posted.reblogs_count == 0

    boost = booster.status_reblog(posted.id)
    assert str(boost.id) != str(posted.id)
    assert boost.account.acct == booster.me().acct
    assert str(boost.reblog.id) == str(posted.id)
    assert boost.reblog.reblogged is True
    assert boost.reblog.reblogs_count == 1
    assert author.status(posted.id).reblogs_count == 1
    assert [a.acct for a in author.status_reblogged_by(posted.id)] == [booster.me().acct]
    # The boost shows among the booster's statuses, wrapping the original (public
    # timelines leave boosts out, as Mastodon's do).
    shown = [s for s in booster.account_statuses(booster.me().id) if str(s.id) == str(boost.id)]
    assert shown and str(shown[0].reblog.id) == str(posted.id)
    assert str(boost.id) not in ids(booster.timeline_public(local=True))

    unboosted = booster.status_unreblog(posted.id)
    assert unboosted.reblogged is False
    assert author.status(posted.id).reblogs_count == 0


@pytest.mark.needs("favourite", "reblog")
def test_toot_favourites_and_boosts(alpha, login, toot):
    author = login(alpha.create_user("author"))
    user = alpha.create_user("tooter")
    toot.login(user)
    posted = author.status_post("Sports day is moved to Friday")
    toot.run("favourite", str(posted.id))
    toot.run("reblog", str(posted.id))
    seen = author.status(posted.id)
    assert (seen.favourites_count, seen.reblogs_count) == (1, 1)


@pytest.mark.needs("notifications")
def test_a_mention_notifies(alpha, login):
    mentioned = login(alpha.create_user("head"))
    other = login(alpha.create_user("deputy"))
    posted = other.status_post(f"@{mentioned.me().username} the minutes are ready")
    n = notification_of(mentioned, "mention", status_id=posted.id)
    assert n is not None, "no mention notification"
    assert n.account.acct == other.me().acct
    assert n.status.content == posted.content
    assert mentioned.notifications(id=n.id).type == "mention"


@pytest.mark.needs("notifications", "favourite", "reblog")
def test_favourites_and_boosts_notify(alpha, login):
    posted, author, fan = post_and_other(
        alpha, login, "Thank you to everyone who came to the open evening", "fan"
    )
    fan.status_favourite(posted.id)
    fan.status_reblog(posted.id)
    favourite = notification_of(author, "favourite", status_id=posted.id)
    reblog = notification_of(author, "reblog", status_id=posted.id)
    assert favourite is not None and favourite.account.acct == fan.me().acct
    assert reblog is not None and reblog.account.acct == fan.me().acct
    # Filters: only mentions asked for, none of these come back.
    assert all(n.type == "mention" for n in author.notifications(types=["mention"]))
    assert not [n for n in author.notifications(exclude_types=["favourite", "reblog"])
                if n.status is not None and str(n.status.id) == str(posted.id)]


@pytest.mark.needs("notifications", "follow")
def test_a_follow_notifies(alpha, login):
    followed = login(alpha.create_user("followed"))
    follower = login(alpha.create_user("follower"))
    relationship = follower.account_follow(followed.me().id)
    assert relationship.following is True
    n = eventually(
        lambda: notification_of(followed, "follow", account_id=follower.me().id),
        "the follow notification",
    )
    assert n.status is None


@pytest.mark.needs("notifications")
def test_toot_lists_notifications(alpha, login, toot):
    other = login(alpha.create_user("deputy"))
    user = alpha.create_user("tooter")
    toot.login(user)
    posted = other.status_post(f"@{user.username} can you cover period 3?")
    notifications = toot.json("notifications")
    assert [(n["type"], n["status"]["id"]) for n in notifications] == [
        ("mention", str(posted.id))
    ]
