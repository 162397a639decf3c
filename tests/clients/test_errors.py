"""Errors as clients expect them: the status code Mastodon uses, and a body of the
shape `{"error": "..."}` that Mastodon.py shows to its user."""

import pytest
import requests
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError, MastodonUnauthorizedError

from clients import mastodon_login

# What the instance allows in one post.
MAX_CHARACTERS = 5000

# The exception Mastodon.py raises for a status, where it has one of its own.
EXCEPTIONS = {401: MastodonUnauthorizedError, 404: MastodonNotFoundError}


def expect_error(statuses, call, *args) -> MastodonAPIError:
    """`call(*args)` fails with one of `statuses` (or that one status), and
    Mastodon.py's error carries the `error` text of the body."""
    allowed = (statuses,) if isinstance(statuses, int) else statuses
    with pytest.raises(MastodonAPIError) as raised:
        call(*args)
    _, code, _, message = raised.value.args
    assert code in allowed
    assert isinstance(raised.value, EXCEPTIONS.get(code, MastodonAPIError))
    assert isinstance(message, str) and message, "the body had no `error` text"
    return raised.value


def assert_error_body(response: requests.Response, status: int) -> None:
    assert response.status_code == status
    body = response.json()
    assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"]


def test_no_token_or_a_bad_one_is_401(alpha):
    anonymous = Mastodon(api_base_url=alpha.base_url, request_timeout=30)
    expect_error(401, anonymous.account_verify_credentials)
    forged = Mastodon(api_base_url=alpha.base_url, access_token="not-a-token", request_timeout=30)
    expect_error(401, forged.status_post, "Let me in")
    assert_error_body(requests.get(f"{alpha.base_url}/api/v1/accounts/verify_credentials"), 401)


def test_a_revoked_token_is_401(alpha, login):
    client = login(alpha.create_user("leaver"))
    client.revoke_access_token(allow_http=True)
    revoked = Mastodon(
        api_base_url=alpha.base_url, access_token=client.access_token, request_timeout=30
    )
    expect_error(401, revoked.account_verify_credentials)


def test_a_token_without_the_scope_is_403(alpha):
    reader = mastodon_login(alpha.create_user("readonly"), scopes=["read"])
    assert reader.account_verify_credentials().username
    expect_error(403, reader.status_post, "I can only read")


def test_an_unknown_id_is_404(alpha, login):
    client = login(alpha.create_user("seeker"))
    expect_error(404, client.status, "1")
    expect_error(404, client.account, "1")
    assert_error_body(requests.get(f"{alpha.base_url}/api/v1/statuses/not-an-id"), 404)


def test_someone_elses_status_cannot_be_deleted(alpha, login):
    author = login(alpha.create_user("author"))
    other = login(alpha.create_user("other"))
    posted = author.status_post("Mine")
    expect_error((403, 404), other.status_delete, posted.id)
    assert author.status(posted.id).content == posted.content


def test_a_post_over_the_limit_is_422_and_one_at_the_limit_is_fine(alpha, login):
    client = login(alpha.create_user("essayist"))
    expect_error(422, client.status_post, "x" * (MAX_CHARACTERS + 1))
    expect_error(422, client.status_post, "")
    at_limit = client.status_post("y" * MAX_CHARACTERS)
    assert "y" * MAX_CHARACTERS in at_limit.content
    assert client.instance().configuration.statuses.max_characters == MAX_CHARACTERS
