"""Posting and reading: hashtags, the home, tag and public timelines, pagination by
`Link`, replies, idempotent posts, deletion and pins, through Mastodon.py and toot."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from mastodon import Mastodon, MastodonNotFoundError

from clients import eventually, fresh_tag, ids


def test_a_post_with_a_hashtag_reaches_the_public_timeline(alpha, login):
    author = login(alpha.create_user("poster"))
    tag = fresh_tag("staffmeeting")
    posted = author.status_post(f"Agenda for Monday is up #{tag}")
    assert [t.name for t in posted.tags] == [tag]
    assert f"/tags/{tag}" in posted.tags[0].url
    assert f"#<span>{tag}</span>" in posted.content
    assert posted.visibility == "public"
    assert posted.account.username == author.me().username

    reader = login(alpha.create_user("reader"))
    assert str(posted.id) in ids(reader.timeline_public())
    assert str(posted.id) in ids(reader.timeline_public(local=True))
    assert reader.status(posted.id).content == posted.content
    # The public timeline is public: an app without a token reads it too.
    anonymous = Mastodon(api_base_url=alpha.base_url, request_timeout=30)
    assert str(posted.id) in ids(anonymous.timeline_public())


@pytest.mark.needs("home_timeline")
def test_own_posts_reach_the_home_timeline(alpha, login):
    author = login(alpha.create_user("homer"))
    posted = author.status_post("Notes from the governors' meeting")
    eventually(lambda: str(posted.id) in ids(author.timeline_home()), "the post in home")
    assert ids(author.timeline_home())[0] == str(posted.id)


@pytest.mark.needs("tag_timeline")
def test_a_post_with_a_hashtag_reaches_the_tag_timeline(alpha, login):
    author = login(alpha.create_user("tagger"))
    tag = fresh_tag("inset")
    posted = author.status_post(f"INSET day ideas #{tag}")
    author.status_post("No tag in this one")
    reader = login(alpha.create_user("reader"))
    assert ids(reader.timeline_hashtag(tag)) == [str(posted.id)]
    assert ids(reader.timeline_hashtag(tag.upper())) == [str(posted.id)]


def test_the_public_timeline_pages_by_link(alpha, login):
    author = login(alpha.create_user("pager"))
    mine = [str(author.status_post(f"Page test {n}").id) for n in range(5)]
    # Newest first, two a page: walk back with the `next` links until the oldest.
    page = author.timeline_public(local=True, limit=2)
    seen = []
    pages = [page]
    while page and mine[0] not in seen:
        assert len(page) <= 2
        seen += ids(page)
        page = author.fetch_next(page)
        pages.append(page)
    assert seen == sorted(seen, key=lambda i: (len(i), i), reverse=True), "not newest first"
    assert len(seen) == len(set(seen)), "a status on two pages"
    assert [i for i in seen if i in mine] == mine[::-1]
    assert ids(pages[0])[:2] == [mine[4], mine[3]]

    # The `prev` link of the second page leads back to the first.
    assert ids(author.fetch_previous(pages[1])) == ids(pages[0])
    # min_id: the statuses just newer than the cursor, still newest first.
    assert ids(author.timeline_public(local=True, min_id=mine[0], limit=2)) == [
        mine[2],
        mine[1],
    ]
    assert ids(author.timeline_public(local=True, max_id=mine[2], since_id=mine[0])) == [
        mine[1]
    ]

    # The links are absolute and keep the other parameters of the request.
    response = requests.get(
        f"{alpha.base_url}/api/v1/timelines/public", params={"local": "true", "limit": "2"}
    )
    links = {rel: urlsplit(link["url"]) for rel, link in response.links.items()}
    assert set(links) == {"next", "prev"}
    assert all(f"{u.scheme}://{u.netloc}" == alpha.base_url for u in links.values())
    assert parse_qs(links["next"].query) == {"local": ["true"], "limit": ["2"], "max_id": [mine[3]]}
    assert parse_qs(links["prev"].query) == {"local": ["true"], "limit": ["2"], "min_id": [mine[4]]}


def test_a_reply_names_its_parent(alpha, login):
    asker = login(alpha.create_user("asker"))
    answerer = login(alpha.create_user("answerer"))
    question = asker.status_post("Who has a good behaviour policy to share?")
    answer = answerer.status_post(
        f"@{asker.me().username} ours is on the trust website", in_reply_to_id=question.id
    )
    assert str(answer.in_reply_to_id) == str(question.id)
    assert str(answer.in_reply_to_account_id) == str(question.account.id)
    assert [m.acct for m in answer.mentions] == [asker.me().acct]
    assert str(asker.status(answer.id).in_reply_to_id) == str(question.id)


@pytest.mark.needs("status_context")
def test_the_context_of_a_thread(alpha, login):
    asker = login(alpha.create_user("asker"))
    answerer = login(alpha.create_user("answerer"))
    question = asker.status_post("Exam season: how do you staff invigilation?")
    answer = answerer.status_post("Cover supervisors, mostly", in_reply_to_id=question.id)
    follow_up = asker.status_post("Thanks!", in_reply_to_id=answer.id)
    context = asker.status_context(answer.id)
    assert ids(context.ancestors) == [str(question.id)]
    assert ids(context.descendants) == [str(follow_up.id)]
    assert ids(asker.status_context(question.id).descendants) == [
        str(answer.id),
        str(follow_up.id),
    ]


def test_the_same_idempotency_key_gives_the_same_status(alpha, login):
    author = login(alpha.create_user("retry"))
    first = author.status_post("Sent twice on a bad connection", idempotency_key="attempt-1")
    again = author.status_post("Sent twice on a bad connection", idempotency_key="attempt-1")
    other = author.status_post("Sent twice on a bad connection", idempotency_key="attempt-2")
    assert str(again.id) == str(first.id)
    assert str(other.id) != str(first.id)
    mine = [i for i in ids(author.timeline_public(local=True, limit=40)) if i in
            {str(first.id), str(other.id)}]
    assert sorted(mine) == sorted([str(first.id), str(other.id)])


def test_a_deleted_status_is_gone(alpha, login):
    author = login(alpha.create_user("deleter"))
    posted = author.status_post("Posted in the wrong place")
    deleted = author.status_delete(posted.id)
    assert deleted.text == "Posted in the wrong place"
    with pytest.raises(MastodonNotFoundError):
        author.status(posted.id)
    assert str(posted.id) not in ids(author.timeline_public(local=True))


def test_toot_posts_and_reads_the_public_timeline(alpha, toot):
    user = alpha.create_user("tooter")
    toot.login(user)
    tag = fresh_tag("fromtoot")
    posted = toot.json("post", f"Posted from the terminal #{tag}")
    assert posted["account"]["username"] == user.username
    assert [t["name"] for t in posted["tags"]] == [tag]
    timeline = toot.json("timelines", "public", "--local", "--limit", "5")
    assert posted["id"] in [s["id"] for s in timeline]
    shown = toot.json("status", posted["id"])
    assert shown["content"] == posted["content"]
    # Without --json, toot prints the status's address, and timelines as text.
    printed = toot.run("post", "And a plain one")
    assert f"{user.instance.base_url}/@{user.username}/" in printed
    shown = toot.run("timeline", "--public", "--once", "--count", "2")
    assert "And a plain one" in shown
    assert f"ID {posted['id']}" in shown


@pytest.mark.needs("home_timeline", "tag_timeline")
def test_toot_reads_the_home_and_tag_timelines(alpha, toot):
    user = alpha.create_user("tooter")
    toot.login(user)
    tag = fresh_tag("tootags")
    posted = toot.json("post", f"Home and tag #{tag}")
    eventually(
        lambda: posted["id"] in [s["id"] for s in toot.json("timelines", "home")],
        "the post in home",
    )
    assert [s["id"] for s in toot.json("timelines", "tag", tag)] == [posted["id"]]


def test_mastodon_py_pins_a_post_to_the_profile(alpha, login):
    author = login(alpha.create_user("pinner"))
    me = author.me()
    kept = author.status_post("Our vision statement")
    author.status_post("Something else")
    assert author.status_pin(kept).pinned is True
    assert ids(author.account_statuses(me, pinned=True)) == [str(kept.id)]
    assert author.status_unpin(kept).pinned is False
    assert author.account_statuses(me, pinned=True) == []
