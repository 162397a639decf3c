"""masto, the library behind web apps such as Elk and Phanpy: the password grant
with JSON bodies, and the WebSocket stream (`masto/check.mjs`)."""

import pytest

from clients import masto


def test_masto_signs_in_posts_and_reads_back(alpha):
    user = alpha.create_user("web")
    result = masto("post", user)
    assert result["username"] == user.username
    assert result["status"]


@pytest.mark.needs("streaming")
def test_masto_sees_its_post_on_the_websocket_stream(alpha):
    user = alpha.create_user("streamer")
    result = masto("stream", user)
    assert result["event"] == "update"
    assert "user" in result["stream"]
