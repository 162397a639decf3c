"""Following: a person on the other instance found by search, and a hashtag; what
they post reaches the home timeline."""

import pytest

from clients import eventually, fresh_tag, ids


def in_home(client, status_uri: str):
    """The status in `client`'s home timeline whose `uri` is `status_uri`, if any."""
    return next((s for s in client.timeline_home() if s.uri == status_uri), None)


@pytest.mark.needs("search", "follow", "relationships", "home_timeline")
def test_follow_someone_on_another_instance_found_by_search(alpha, beta, login):
    reader = login(alpha.create_user("reader"))
    writer_user = beta.create_user("writer")
    writer = login(writer_user)

    found = reader.search_v2(f"@{writer_user.handle}", resolve=True, result_type="accounts")
    assert [a.acct for a in found.accounts] == [writer_user.handle]
    remote = found.accounts[0]
    assert remote.username == writer_user.username
    assert remote.url.startswith(beta.base_url)

    relationship = reader.account_follow(remote.id)
    assert relationship.following or relationship.requested
    eventually(
        lambda: reader.account_relationships(remote.id)[0].following,
        "the other instance to accept the follow",
    )
    eventually(
        lambda: writer.account_verify_credentials().followers_count == 1,
        "the follower to be counted on the other instance",
    )

    posted = writer.status_post("Hello from the other trust")
    seen = eventually(lambda: in_home(reader, posted.uri), "the post to reach home")
    assert seen.account.acct == writer_user.handle
    assert seen.content == posted.content


@pytest.mark.needs("search", "follow", "home_timeline")
def test_toot_follows_someone_on_another_instance(alpha, beta, login, toot):
    user = alpha.create_user("tooter")
    toot.login(user)
    writer_user = beta.create_user("writer")
    writer = login(writer_user)
    found = toot.json("search", "--resolve", "--type", "accounts", f"@{writer_user.handle}")
    assert [a["acct"] for a in found["accounts"]] == [writer_user.handle]
    toot.run("follow", writer_user.handle)
    # Posts reach home once the other instance's Accept has arrived: wait for it.
    eventually(
        lambda: writer_user.handle in [a["acct"] for a in toot.json("following")],
        "the other instance to accept the follow",
    )
    assert writer.account_verify_credentials().followers_count == 1
    posted = writer.status_post("Seen from a terminal?")
    eventually(
        lambda: posted.uri in [s["uri"] for s in toot.json("timelines", "home")],
        "the post to reach toot's home timeline",
    )


@pytest.mark.needs("followed_tags", "home_timeline")
def test_a_followed_tag_brings_posts_from_people_not_followed(alpha, login):
    reader = login(alpha.create_user("reader"))
    stranger = login(alpha.create_user("stranger"))
    tag = fresh_tag("safeguarding")
    followed = reader.tag_follow(tag)
    assert followed.name == tag
    assert followed.following is True
    assert tag in [t.name for t in reader.followed_tags()]

    untagged = stranger.status_post("Nothing to see here")
    tagged = stranger.status_post(f"Updated guidance is out #{tag.upper()}")
    home = eventually(
        lambda: (h := ids(reader.timeline_home())) and str(tagged.id) in h and h,
        "the tagged post in home",
    )
    assert str(untagged.id) not in home

    reader.tag_unfollow(tag)
    later = stranger.status_post(f"More on this #{tag}")
    assert str(later.id) not in ids(reader.timeline_home())
