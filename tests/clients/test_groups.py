"""A closed group, as Mastodon apps use it: a group is an account with `group`
set; joining is following it; its moderator answers the request from the
follow-request screen; a direct post mentioning the group is a post to it, and
reaches the members on the other instance and nobody else."""

import pytest
import requests
from mastodon import MastodonNotFoundError

from clients import eventually, fresh_tag


def make_group(client, handle: str, policy: str) -> dict:
    """Makes a group through Staffroom's own API (apps have no screen for it)."""
    answer = requests.post(
        f"{client.api_base_url}/api/staffroom/v1/groups",
        json={"handle": handle, "name": "Peer heads", "policy": policy},
        headers={"Authorization": f"Bearer {client.access_token}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def in_home(client, status_uri: str):
    """The status in `client`'s home timeline whose `uri` is `status_uri`, if any."""
    return next((s for s in client.timeline_home() if s.uri == status_uri), None)


def test_mastodon_py_joins_a_closed_group_and_posts_to_it(alpha, beta, login):
    moderator = login(alpha.create_user("moderator"))
    handle = fresh_tag("peers")
    make_group(moderator, handle, "closed")
    member_user = beta.create_user("member")
    member = login(member_user)
    outsider = login(beta.create_user("outsider"))

    [group] = member.search_v2(
        f"@{handle}@{alpha.domain}", resolve=True, result_type="accounts"
    ).accounts
    assert group.group is True
    assert group.locked is True
    assert member.account_follow(group.id).requested

    # The moderator answers from the follow-request screen.
    [asked] = eventually(moderator.follow_requests, "the request to reach the moderator")
    assert asked.acct == member_user.handle
    moderator.follow_request_authorize(asked.id)
    assert moderator.follow_requests() == []
    eventually(
        lambda: member.account_relationships(group.id)[0].following,
        "the member's instance to hear they are in",
    )

    # Posts to the group go both ways, as direct posts mentioning it.
    from_member = member.status_post(
        f"@{handle}@{alpha.domain} Candid about the deficit", visibility="direct"
    )
    eventually(lambda: in_home(moderator, from_member.uri), "the member's post to arrive")
    from_moderator = moderator.status_post(
        f"@{handle} Frank about governance", visibility="direct"
    )
    seen = eventually(
        lambda: in_home(member, from_moderator.uri), "the moderator's post to arrive"
    )
    assert seen.visibility == "direct"

    # Nobody else on the member's instance sees it.
    assert in_home(outsider, from_moderator.uri) is None
    assert outsider.search_v2("governance", result_type="statuses").statuses == []
    with pytest.raises(MastodonNotFoundError):
        outsider.status(seen.id)
