"""Reporting, as apps do it: a person reports a post with Mastodon.py, and a
moderator reads and resolves the report with Mastodon.py's admin calls."""

from clients import SCOPES, eventually


def test_mastodon_py_reports_a_post_and_a_moderator_resolves_it(alpha, beta, login):
    reporter = login(alpha.create_user("reporter"))
    spammer = login(beta.create_user("spammer"))
    moderator = login(
        alpha.create_user("moderator", role="moderator"),
        scopes=SCOPES + ["admin:read", "admin:write"],
    )
    spam = spammer.status_post("Essays written for you, cheap")
    [found] = reporter.search_v2(spam.uri, resolve=True, result_type="statuses").statuses

    report = reporter.report(
        found.account.id,
        status_ids=[found.id],
        comment="An essay mill",
        forward=True,
        category="spam",
    )
    assert report.category == "spam"
    assert report.forwarded is True
    assert report.action_taken is False
    assert [str(i) for i in report.status_ids] == [str(found.id)]

    [listed] = moderator.admin_reports()
    assert listed.comment == "An essay mill"
    assert listed.account.username == reporter.me().username
    assert listed.target_account.account.acct == found.account.acct
    assert [s.uri for s in listed.statuses] == [spam.uri]
    [told] = moderator.notifications(types=["admin.report"])
    assert told.type == "admin.report"
    assert str(told.report.id) == str(listed.id)
    resolved = moderator.admin_report_resolve(listed.id)
    assert resolved.action_taken is True
    assert moderator.admin_reports() == []

    # The spammer's server got it too, from alpha's instance actor.
    beta_moderator = login(
        beta.create_user("moderator", role="admin"),
        scopes=SCOPES + ["admin:read", "admin:write"],
    )
    [forwarded] = eventually(beta_moderator.admin_reports, "the report to reach beta")
    assert forwarded.target_account.username == spam.account.username
    assert forwarded.account.domain == alpha.domain
