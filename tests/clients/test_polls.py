"""Polls through Mastodon.py: one asked with a status (a form body, as the
library sends it), voted in by someone else, and a second vote refused."""

import pytest
from mastodon import MastodonAPIError


def test_mastodon_py_asks_a_poll_and_another_person_votes(alpha, login):
    author = login(alpha.create_user("asker"))
    voter = login(alpha.create_user("voter"))
    poll = author.make_poll(["Monday", "Wednesday", "Friday"], expires_in=3600, multiple=True)
    posted = author.status_post("When should the cluster meet?", poll=poll)
    assert [o.title for o in posted.poll.options] == ["Monday", "Wednesday", "Friday"]
    assert posted.poll.multiple is True
    assert posted.poll.expired is False

    voted = voter.poll_vote(posted.poll.id, [0, 2])
    assert voted.voted is True
    assert voted.own_votes == [0, 2]
    assert voted.votes_count == 2
    assert voted.voters_count == 1
    assert author.poll(posted.poll.id).options[2].votes_count == 1
    with pytest.raises(MastodonAPIError):
        voter.poll_vote(posted.poll.id, [1])
