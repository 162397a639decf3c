"""What apps read about an instance before and right after signing in."""

from mastodon import Mastodon


def test_mastodon_py_reads_the_instance(alpha, login):
    anonymous = Mastodon(api_base_url=alpha.base_url, request_timeout=30)
    assert anonymous.instance_health() is True
    v2 = anonymous.instance()
    assert v2.domain == alpha.domain
    assert v2.title == "Staffroom alpha"
    assert v2.version.startswith("4.")
    assert v2.configuration.urls.streaming == f"ws://{alpha.domain}"
    v1 = anonymous.instance_v1()
    assert v1.uri == alpha.domain
    assert v1.urls.streaming_api == f"ws://{alpha.domain}"
    assert anonymous.instance_nodeinfo().software.name == "staffroom"

    # What apps ask for on start-up answers, if only with empty lists.
    client = login(alpha.create_user("starter"))
    assert client.preferences()["posting:default:visibility"] == "public"
    assert client.custom_emojis() == []
    assert client.filters() == []
    assert client.lists() == []
    assert client.announcements() == []
    assert client.followed_tags() == []


def test_toot_shows_the_instance(alpha, toot):
    user = alpha.create_user("tooter")
    toot.login(user)
    shown = toot.run("instance")
    assert "Staffroom alpha" in shown
    assert alpha.domain in shown
