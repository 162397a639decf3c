"""Conversations and filters with Mastodon.py: direct posts between two people
filed as one conversation, read and put away; filters made with their keywords,
hiding and warning in the home timeline, and deleted."""

import pytest
from mastodon import MastodonNotFoundError

from clients import ids


@pytest.mark.needs("conversations")
def test_conversations_of_mastodon_py(alpha, login):
    writer = login(alpha.create_user("writer"))
    reader = login(alpha.create_user("reader"))
    outsider = login(alpha.create_user("outsider"))
    reader_name = reader.account_verify_credentials().username

    first = writer.status_post(f"@{reader_name} a word in private", visibility="direct")
    found = reader.conversations()
    assert len(found) == 1
    assert found[0].unread is True
    assert found[0].last_status.id == first.id
    assert [a.username for a in found[0].accounts] == [writer.account_verify_credentials().username]
    assert outsider.conversations() == []

    read = reader.conversations_read(found[0].id)
    assert read.unread is False
    answer = reader.status_post(
        f"@{writer.account_verify_credentials().username} thanks", visibility="direct",
        in_reply_to_id=first.id,
    )
    mine = writer.conversations()
    assert len(mine) == 1 and mine[0].unread is True
    assert mine[0].last_status.id == answer.id
    assert reader.conversations(limit=1)[0].id == found[0].id

    with pytest.raises(MastodonNotFoundError):
        outsider.conversations_read(found[0].id)


@pytest.mark.needs("filters")
def test_filters_v2_of_mastodon_py(alpha, login):
    reader = login(alpha.create_user("filterer"))
    made = reader.create_filter_v2(
        "Inspections", ["home", "public"], filter_action="hide",
        keywords_attributes=[{"keyword": "ofsted", "whole_word": True}],
    )
    assert made.title == "Inspections"
    assert made.filter_action == "hide"
    assert [k.keyword for k in made.keywords] == ["ofsted"]
    warned = reader.create_filter_v2("Money", ["home"], filter_action="warn")
    reader.add_filter_keyword_v2(warned.id, "deficit", whole_word=False)
    assert [f.id for f in reader.filters_v2()] == [made.id, warned.id]
    assert [k.keyword for k in reader.filter_keywords_v2(warned.id)] == ["deficit"]

    hidden = reader.status_post("Ofsted call today")
    flagged = reader.status_post("The deficit again")
    plain = reader.status_post("A calm day")
    home = reader.timeline_home()
    assert str(hidden.id) not in ids(home)
    assert ids(home)[:2] == [str(plain.id), str(flagged.id)]
    shown = [s for s in home if s.id == flagged.id][0]
    assert shown.filtered[0].filter.title == "Money"
    assert shown.filtered[0].keyword_matches == ["deficit"]

    reader.delete_filter_v2(made.id)
    assert str(hidden.id) in ids(reader.timeline_home())
    assert [f.id for f in reader.filters_v2()] == [warned.id]
    assert [f.phrase for f in reader.filters()] == ["deficit"]
