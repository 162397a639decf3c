"""Server-Sent Events with Mastodon.py: `stream_user`, `stream_public` and
`stream_hashtag` read /api/v1/streaming/user, /public(/local) and /hashtag, as apps
built on Mastodon.py do. Each stream hears what its owner may see, and nothing else:
a followers-only post reaches the follower's home but no public or hashtag stream."""

import queue

import pytest
from mastodon.streaming import CallbackStreamListener

from clients import WAIT_LIMIT_SECONDS, eventually, fresh_tag


class Heard:
    """What one stream heard, in order: (event, entity or id)."""

    def __init__(self):
        self.events = queue.Queue()
        self.listener = CallbackStreamListener(
            update_handler=lambda status: self.events.put(("update", status)),
            notification_handler=lambda n: self.events.put(("notification", n)),
            delete_handler=lambda status_id: self.events.put(("delete", status_id)),
            status_update_handler=lambda status: self.events.put(("status.update", status)),
        )
        self.handle = None

    def next(self):
        """The next event, failing after the suite's wait limit."""
        return self.events.get(timeout=WAIT_LIMIT_SECONDS)


def listen(start, **kwargs) -> Heard:
    """Starts a stream with Mastodon.py's `start` (a `stream_*` method) in the
    background; the stream is open (the server has answered) when this returns."""
    heard = Heard()
    heard.handle = start(listener=heard.listener, run_async=True, **kwargs)
    eventually(lambda: heard.handle.connection is not None, "the stream to open")
    return heard


@pytest.mark.needs("streaming")
def test_mastodon_py_streams_over_server_sent_events(alpha, login):
    reader = login(alpha.create_user("reader"))
    writer = login(alpha.create_user("writer"))
    stranger = login(alpha.create_user("stranger"))
    writer_id = writer.account_verify_credentials().id
    reader.account_follow(writer_id)
    tag = fresh_tag("streamtag")

    home = listen(reader.stream_user)
    public = listen(stranger.stream_public, local=True)
    everywhere = listen(stranger.stream_public)
    tagged = listen(stranger.stream_hashtag, tag=tag)
    try:
        secret = writer.status_post(f"For my followers #{tag}", visibility="private")
        shared = writer.status_post(f"For everyone #{tag}")

        event, status = home.next()
        assert (event, status.id) == ("update", secret.id)
        event, status = home.next()
        assert (event, status.id) == ("update", shared.id)
        # The followers-only post came first, but the public streams' first is the
        # public post: they never heard the other.
        for stream in (public, everywhere, tagged):
            event, status = stream.next()
            assert (event, status.id) == ("update", shared.id)
            assert status.account.id == writer_id

        writer.status_update(shared.id, f"For everyone, edited #{tag}")
        for stream in (public, tagged):
            event, status = stream.next()
            assert event == "status.update" and "edited" in status.content

        writer_home = listen(writer.stream_user)
        reader.status_favourite(shared.id)
        event, notification = writer_home.next()
        assert event == "notification" and notification.type == "favourite"
        assert notification.account.id == reader.account_verify_credentials().id
        writer_home.handle.close()

        writer.status_delete(shared.id)
        for stream in (public, tagged):
            event, status_id = stream.next()
            assert (event, str(status_id)) == ("delete", str(shared.id))
    finally:
        for stream in (home, public, everywhere, tagged):
            stream.handle.close()
