"""Signing in: the password grant (Mastodon.py, toot) and the authorisation code
through the sign-in page (Mastodon.py and a browser's form posts)."""

import pytest
from mastodon import Mastodon, MastodonIllegalArgumentError

from clients import SCOPES, mastodon_app
from signin import sign_in_for_code


def test_mastodon_py_signs_in_with_the_password_grant(alpha, login):
    user = alpha.create_user("pw")
    client = login(user)
    me = client.account_verify_credentials()
    assert me.username == user.username
    assert me.acct == user.username
    assert me.source.privacy == "public"
    # The token carries the scopes asked for, and the app is the one registered.
    assert client.app_verify_credentials().name == "Client suite"


def test_mastodon_py_is_refused_a_wrong_password(alpha):
    user = alpha.create_user("pw")
    client = mastodon_app(user)
    with pytest.raises(MastodonIllegalArgumentError, match="invalid_grant"):
        client.log_in(user.email, "not the password at all", scopes=SCOPES, allow_http=True)


def test_toot_signs_in_and_knows_who_it_is(alpha, toot):
    user = alpha.create_user("toot")
    toot.login(user)
    me = toot.json("whoami")
    assert me["username"] == user.username
    assert me["acct"] == user.username


@pytest.mark.needs("authorize_page")
def test_mastodon_py_signs_in_through_the_sign_in_page(alpha):
    user = alpha.create_user("code")
    client = mastodon_app(user)
    url = client.auth_request_url(scopes=SCOPES, allow_http=True)
    code = sign_in_for_code(url, user.email, user.password)
    assert code
    client.log_in(code=code, scopes=SCOPES, allow_http=True)
    assert client.account_verify_credentials().username == user.username
    # A code is good once.
    again = Mastodon(
        client_id=client.client_id,
        client_secret=client.client_secret,
        api_base_url=alpha.base_url,
    )
    with pytest.raises(MastodonIllegalArgumentError):
        again.log_in(code=code, scopes=SCOPES, allow_http=True)
