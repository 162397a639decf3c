"""A challenge, as Mastodon apps see it: an announcement at the top of the home
timeline, and its hashtag leading the trends."""

from datetime import date, timedelta

from clients import eventually


def test_mastodon_py_shows_the_current_challenge(gamma, login):
    today = date.today()
    gamma.admin(
        "create-challenge",
        "--title", "Raising aspirations",
        "--hashtag", "AmbitionFeed",
        "--starts", (today - timedelta(days=1)).isoformat(),
        "--ends", (today + timedelta(days=30)).isoformat(),
        "--run-by", "Northern Leaders Network",
        "--description", "**Share** one thing your school does.",
    )
    client = login(gamma.create_user("reader"))
    [announcement] = client.announcements()
    assert "Raising aspirations" in announcement.content
    assert "<strong>Share</strong>" in announcement.content
    assert [t["name"] for t in announcement.tags] == ["ambitionfeed"]
    assert announcement.read is False
    assert announcement.ends_at > announcement.starts_at

    client.announcement_dismiss(announcement)
    assert client.announcements()[0].read is True

    client.status_post("Our pupil panel #ambitionfeed and #careers")
    trends = eventually(lambda: client.trending_tags(), "trends are listed")
    assert trends[0]["name"] == "ambitionfeed"
    assert "careers" in [t["name"] for t in trends]
