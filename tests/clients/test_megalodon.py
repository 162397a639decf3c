"""megalodon, the library behind desktop and web apps such as Whalebird and
Fedistar (`megalodon/check.mjs`): refreshing a token, suggestions, endorsements
and trends; and the same features through Mastodon.py, with familiar followers
and trending posts, which megalodon has no method for."""

from clients import megalodon


def test_megalodon_refreshes_its_token_and_endorses_whom_it_follows(alpha, login):
    user = alpha.create_user("whale")
    friend_user = alpha.create_user("friend")
    known_user = alpha.create_user("known")
    friend = login(friend_user)
    known = friend.account_lookup(known_user.username)
    friend.account_follow(known.id)
    friend_id = str(friend.me().id)

    result = megalodon("features", user, endorse=friend_id)

    assert result["username"] == user.username
    # The refresh gave a new token; the old one and the spent refresh token
    # are refused.
    assert result["old_token_status"] == 401
    assert result["spent_refresh_status"] == 400
    # Following the friend, their follows come first among the suggestions.
    assert result["suggestions"][0] == str(known.id)
    assert friend_id not in result["suggestions"]
    assert result["endorsed"] is True
    assert result["endorsements"] == [friend_id]
    assert result["relationship_endorsed"] is True
    assert result["withdrawn_endorsed"] is False
    assert result["endorsements_after"] == []
    assert isinstance(result["trends"], list)


def test_mastodon_py_reads_familiar_followers_suggestions_and_trending_posts(alpha, login):
    reader = login(alpha.create_user("reader"))
    friend = login(alpha.create_user("friend"))
    author_user = alpha.create_user("author")
    author = login(author_user)
    author_account = reader.account_lookup(author_user.username)
    friend_account = reader.account_lookup(friend.me().username)

    reader.account_follow(friend_account.id)
    friend.account_follow(author_account.id)
    familiar = reader.account_familiar_followers(author_account.id)
    assert [str(f.id) for f in familiar] == [str(author_account.id)]
    assert [a.username for a in familiar[0].accounts] == [friend.me().username]

    suggestions = reader.suggestions_v2()
    assert str(suggestions[0].account.id) == str(author_account.id)
    assert suggestions[0].sources == ["friends_of_friends"]
    reader.suggestion_delete(author_account.id)
    assert str(author_account.id) not in [str(s.account.id) for s in reader.suggestions_v2()]

    relationship = reader.account_pin(friend_account.id)
    assert relationship.endorsed
    assert [str(a.id) for a in reader.endorsements()] == [str(friend_account.id)]

    post = author.status_post("A post people liked")
    friend.status_favourite(post.id)
    reader.status_reblog(post.id)
    trending = reader.trending_statuses(limit=40)
    assert str(post.id) in [str(s.id) for s in trending]
