"""Scheduled posts through Mastodon.py: a post scheduled with `scheduled_at`
(the library answers with a ScheduledStatus), listed, moved to another time and
called off, with nothing published meanwhile."""

from datetime import datetime, timedelta, timezone

import pytest
from mastodon import MastodonAPIError


def test_mastodon_py_schedules_moves_and_calls_off_a_post(alpha, login):
    author = login(alpha.create_user("scheduler"))
    at = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=2)
    scheduled = author.status_post("Reminder: governors' training tonight", scheduled_at=at)
    assert scheduled.scheduled_at == at
    assert scheduled.params.text == "Reminder: governors' training tonight"

    [listed] = author.scheduled_statuses()
    assert listed.id == scheduled.id
    later = at + timedelta(days=1)
    moved = author.scheduled_status_update(scheduled.id, later)
    assert moved.scheduled_at == later
    assert author.scheduled_status(scheduled.id).scheduled_at == later

    with pytest.raises(MastodonAPIError):
        author.status_post("Too soon", scheduled_at=datetime.now(timezone.utc) + timedelta(minutes=1))

    author.scheduled_status_delete(scheduled.id)
    assert author.scheduled_statuses() == []
    assert author.account_statuses(author.me().id) == []
