"""The directory and challenge pages of the web app in a real browser: a trust's
admin finds the trust in the directory, confirms a member from its page, reads a
school's details and joins in a challenge from its page; every page is checked by
axe-core (the browser tests of test_web_app.py, whose fixtures and helpers these
share, skip when chromium is not installed)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

import requests

from clients import fresh_tag, mastodon_login
from test_web_app import gone, arrive_at, browser, check_page, sign_in  # noqa: F401 (browser is a fixture)

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

V1 = "/api/staffroom/v1"
_urns = count(980001)


def arrive_within(browser, part: str):  # noqa: F811
    """Waits for the link or form just followed to reach an address holding `part`."""
    WebDriverWait(browser, 10).until(lambda b: part in b.current_url, f"never reached {part}")


def api(user, method: str, path: str, body: dict) -> dict:
    """`body` sent to Staffroom's own API as `user`; the answer."""
    token = mastodon_login(user).access_token
    answer = requests.request(
        method,
        f"{user.instance.base_url}{V1}{path}",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_trust_admin_confirms_a_member_and_joins_a_challenge_in_the_browser(alpha, browser):  # noqa: F811
    admin = alpha.create_user("diradmin", role="admin")
    head = alpha.create_user("dirhead")
    member = alpha.create_user("dirmember")
    name = f"Brookfield {fresh_tag('trust')}"
    trust = api(admin, "POST", "/trusts", {"name": name, "kind": "multi_academy_trust", "region": "north_west"})
    api(admin, "POST", f"/trusts/{trust['id']}/admins", {"account_id": mastodon_login(head).me().id})
    school = api(admin, "POST", "/schools", {
        "urn": str(next(_urns)), "name": f"{name} Primary", "phase": "primary", "region": "north_west",
        "local_authority": "Lowmoor", "trust_id": trust["id"], "inspection_grade": "good",
        "inspection_date": "2024-01-20",
    })
    for user, role in [(head, "headteacher"), (member, "senior_leader")]:
        account_id = mastodon_login(user).me().id
        api(user, "PUT", f"/leaders/{account_id}", {"role": role, "school_id": school["id"]})
    # A challenge that ended, so that the instance's announcements stay as they were.
    hashtag = fresh_tag("readingweek")
    today = date.today()
    alpha.admin(
        "create-challenge",
        "--title", "Reading week",
        "--hashtag", hashtag,
        "--starts", (today - timedelta(days=40)).isoformat(),
        "--ends", (today - timedelta(days=10)).isoformat(),
        "--run-by", "Lowmoor Leaders",
        "--description", "**Share** what your school read.",
    )

    sign_in(browser, head)
    browser.find_element(By.CSS_SELECTOR, "nav.site-nav a[href='/directory']").click()
    arrive_at(browser, "/directory")
    check_page(browser, "directory-leaders")
    Select(browser.find_element(By.ID, "leaders-role")).select_by_value("senior_leader")
    browser.find_element(By.ID, "leaders-name").send_keys(member.username)
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    arrive_within(browser, "role=senior_leader")
    found = browser.find_element(By.CSS_SELECTOR, "ul.leaders").get_attribute("innerHTML")
    assert f"/@{member.username}\"" in found
    assert f"/@{head.username}\"" not in found

    browser.get(f"{alpha.base_url}/directory/trusts?region=north_west")
    check_page(browser, "directory-trusts")
    browser.find_element(By.LINK_TEXT, name).click()
    arrive_at(browser, f"/directory/trusts/{trust['slug']}")
    check_page(browser, "directory-trust")
    confirm = browser.find_element(
        By.CSS_SELECTOR, f"form[action$='/leaders/{mastodon_login(member).me().id}/confirm'] button"
    )
    confirm.click()
    WebDriverWait(browser, 10).until(gone(confirm), "the confirmation was never answered")
    arrive_at(browser, f"/directory/trusts/{trust['slug']}")
    assert "confirmed member" in browser.page_source

    browser.find_element(By.LINK_TEXT, f"{name} Primary").click()
    arrive_at(browser, f"/directory/schools/{school['id']}")
    assert "Lowmoor" in browser.page_source
    assert "20 January 2024" in browser.page_source
    check_page(browser, "directory-school")
    browser.get(f"{alpha.base_url}/directory/schools?phase=primary")
    check_page(browser, "directory-schools")

    browser.find_element(By.CSS_SELECTOR, "nav.site-nav a[href='/challenges']").click()
    arrive_at(browser, "/challenges")
    check_page(browser, "challenges")
    browser.find_element(By.LINK_TEXT, "Reading week").click()
    arrive_within(browser, "/challenges/")
    page = browser.current_url.split(alpha.base_url, 1)[1]
    check_page(browser, "challenge")
    text = browser.find_element(By.ID, "compose-text")
    assert text.get_attribute("value") == f"#{hashtag} "
    text.send_keys("Our library bus")
    button = browser.find_element(By.CSS_SELECTOR, "form.compose button[type=submit]")
    button.click()
    WebDriverWait(browser, 10).until(gone(button), "the post was never answered")
    arrive_at(browser, page)
    assert "Our library bus" in browser.page_source
