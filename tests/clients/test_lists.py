"""Lists with Mastodon.py: making, renaming and deleting them, adding and removing
followed accounts, the lists an account is in, and a list's timeline."""

import pytest
from mastodon import MastodonAPIError, MastodonNotFoundError

from clients import ids


@pytest.mark.needs("lists", "follow")
def test_every_list_method_of_mastodon_py(alpha, login):
    owner_user = alpha.create_user("owner")
    owner = login(owner_user)
    member = login(alpha.create_user("member"))
    other = login(alpha.create_user("other"))
    stranger = login(alpha.create_user("stranger"))
    member_id = member.account_verify_credentials().id
    other_id = other.account_verify_credentials().id
    stranger_id = stranger.account_verify_credentials().id
    owner.account_follow(member_id)
    owner.account_follow(other_id)

    assert owner.lists() == []
    made = owner.list_create("Heads of maths", replies_policy="none", exclusive=True)
    assert made.title == "Heads of maths"
    assert made.replies_policy == "none"
    assert made.exclusive is True
    assert [l.id for l in owner.lists()] == [made.id]
    assert owner.list(made.id).title == "Heads of maths"

    renamed = owner.list_update(made.id, "Maths leads", replies_policy="list", exclusive=False)
    assert renamed.title == "Maths leads"
    assert renamed.replies_policy == "list"
    assert renamed.exclusive is False

    # Only followed accounts may join: Mastodon answers 422.
    with pytest.raises(MastodonAPIError) as refused:
        owner.list_accounts_add(made.id, [stranger_id])
    assert refused.value.args[1] == 422
    owner.list_accounts_add(made.id, [member_id, other_id])
    assert sorted(a.id for a in owner.list_accounts(made.id)) == sorted([member_id, other_id])
    assert [l.id for l in owner.account_lists(member_id)] == [made.id]

    owner.list_accounts_delete(made.id, [other_id])
    assert [a.id for a in owner.list_accounts(made.id)] == [member_id]
    assert owner.account_lists(other_id) == []

    posted = member.status_post("For the maths leads")
    other.status_post("Not in the list")
    assert ids(owner.timeline_list(made.id)) == [str(posted.id)]
    assert ids(owner.timeline_list(made.id, max_id=posted.id)) == []
    assert ids(owner.timeline(f"list/{made.id}")) == [str(posted.id)]

    # Someone else's list is not found.
    with pytest.raises(MastodonNotFoundError):
        stranger.list(made.id)
    with pytest.raises(MastodonNotFoundError):
        stranger.timeline_list(made.id)

    owner.list_delete(made.id)
    assert owner.lists() == []
    with pytest.raises(MastodonNotFoundError):
        owner.list(made.id)
