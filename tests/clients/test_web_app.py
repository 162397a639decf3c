"""The web app in a real browser: Debian's chromium, driven through chromium-driver
by Selenium, with JavaScript on (the character counter) and the pages checked by
axe-core for accessibility faults. A person signs in, writes a post with a content
warning and an image described for people who cannot see it, favourites it and
finds it in the timelines; staff work on the admin pages; a leader asks a question
in a poll that a colleague votes in, and a leader moves to another instance.

Set CLIENTS_SCREENSHOTS to a directory to keep a screenshot of each page checked."""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")


def png(width: int = 8, height: int = 8) -> bytes:
    """A small grey PNG image, for the upload."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


# The faults axe-core reports that fail a page.
FAILING_IMPACTS = {"serious", "critical"}

if not (CHROMIUM and DRIVER):
    if os.environ.get("CLIENTS_REQUIRE_BROWSER") == "1":
        raise RuntimeError("chromium and chromium-driver are needed (Debian: apt-get install chromium chromium-driver)")
    pytest.skip("chromium and chromium-driver are not installed", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(argument)
    # The browser's console, to find what the pages' content security policy refused.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    try:
        refused = [
            entry["message"] for entry in driver.get_log("browser") if "Content Security Policy" in entry["message"]
        ]
    finally:
        driver.quit()
    assert not refused, f"the pages' content security policy refused: {refused}"


def gone(element):
    """A wait condition: `element` is no longer in the page shown (the driver says
    so either as a stale element or, in newer versions, as a node that does not
    belong to the document)."""

    def check(_browser):
        try:
            element.is_enabled()
            return False
        except WebDriverException:
            return True

    return check


def sign_in(browser, user):
    browser.get(f"{user.instance.base_url}/home")
    # Sent to sign in, and back home after.
    assert "/auth/sign_in" in browser.current_url
    browser.find_element(By.NAME, "username").send_keys(user.username)
    browser.find_element(By.NAME, "password").send_keys(user.password)
    browser.find_element(By.CSS_SELECTOR, "form[action='/auth/sign_in'] button[type=submit]").click()
    arrive_at(browser, "/home")


def arrive_at(browser, path: str):
    """Waits for the form just sent to lead to `path`."""
    WebDriverWait(browser, 10).until(lambda b: b.current_url.endswith(path), f"never reached {path}")


def accessibility_faults(browser) -> list[str]:
    """The serious and critical faults axe-core finds on the page shown."""
    browser.execute_script(AXE.read_text())
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations));"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in result
        if v["impact"] in FAILING_IMPACTS
    ]


def check_page(browser, name: str):
    faults = accessibility_faults(browser)
    assert not faults, f"{name}: {faults}"
    shots = os.environ.get("CLIENTS_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(shots) / f"{name}.png"))


def test_a_leader_writes_a_post_with_a_described_image_and_finds_it(alpha, browser, tmp_path):
    assert AXE.exists(), "tests/clients/run installs axe-core"
    user = alpha.create_user("web")
    sign_in(browser, user)
    check_page(browser, "home")

    text = browser.find_element(By.ID, "compose-text")
    text.send_keys("Our #ambitionfeed residential: photos from day one")
    counter = browser.find_element(By.ID, "compose-counter").text
    limit = int(text.get_attribute("data-limit"))
    assert counter == f"{limit - 50} characters left", counter
    browser.find_element(By.ID, "compose-warning").send_keys("Residential photos")
    browser.find_element(By.CSS_SELECTOR, "form.compose details summary").click()
    image = tmp_path / "day-one.png"
    image.write_bytes(png())
    browser.find_element(By.ID, "compose-image-1").send_keys(str(image))
    browser.find_element(By.ID, "compose-alt-1").send_keys("Pupils around a campfire")
    send = browser.find_element(By.CSS_SELECTOR, "form.compose button[type=submit]")
    send.click()
    WebDriverWait(browser, 10).until(gone(send), "the post was never answered")
    arrive_at(browser, "/home")

    post = browser.find_element(By.CSS_SELECTOR, "article.post")
    warning = post.find_element(By.TAG_NAME, "summary")
    assert "Residential photos" in warning.text
    content = post.find_element(By.CSS_SELECTOR, ".content")
    picture = post.find_element(By.CSS_SELECTOR, ".media img")
    assert not content.is_displayed(), "behind its content warning until opened"
    assert not picture.is_displayed(), "behind its content warning until opened"
    warning.click()
    assert "photos from day one" in content.text
    assert picture.is_displayed()
    assert picture.get_attribute("alt") == "Pupils around a campfire"
    hashtag = content.find_element(By.PARTIAL_LINK_TEXT, "ambitionfeed")
    assert "/tags/ambitionfeed" in hashtag.get_attribute("href")

    post.find_element(By.XPATH, ".//button[normalize-space()='Favourite']").click()
    WebDriverWait(browser, 10).until(gone(post), "the page never came back")
    post = browser.find_element(By.CSS_SELECTOR, "article.post")
    favourite = post.find_element(By.XPATH, ".//button[normalize-space()='Favourite']")
    assert favourite.get_attribute("aria-pressed") == "true"
    assert "1 favourite" in post.text

    # The post's own page, with the reply box, and the public timelines.
    post.find_element(By.CSS_SELECTOR, ".meta a time").click()
    WebDriverWait(browser, 10).until(gone(post), "the post's page never came")
    assert browser.find_element(By.ID, "compose-text").get_attribute("value") == ""
    check_page(browser, "post")
    browser.get(f"{alpha.base_url}/public/local")
    assert "Residential photos" in browser.page_source
    check_page(browser, "local")
    browser.get(f"{alpha.base_url}/@{user.username}")
    check_page(browser, "profile")
    browser.get(f"{alpha.base_url}/notifications")
    check_page(browser, "notifications")
    browser.get(f"{alpha.base_url}/settings/profile")
    check_page(browser, "settings-profile")


def test_the_pages_for_visitors_pass_the_accessibility_check(alpha, browser):
    for name, path in [("front", "/"), ("sign-in", "/auth/sign_in"), ("local-visitor", "/public/local"), ("search", "/search?q=web")]:
        browser.get(f"{alpha.base_url}{path}")
        check_page(browser, name)


def test_a_refused_post_keeps_its_text_in_the_browser(alpha, browser):
    user = alpha.create_user("web")
    sign_in(browser, user)
    long_text = "A long reflection " + "x" * 6000
    # Past the form's own limit, as a browser without the limit would send it.
    browser.execute_script(
        "const t = document.getElementById('compose-text'); t.removeAttribute('maxlength'); t.value = arguments[0];",
        long_text,
    )
    browser.find_element(By.CSS_SELECTOR, "form.compose button[type=submit]").click()
    alert = browser.find_element(By.ID, "compose-error")
    assert alert.get_attribute("role") == "alert"
    assert browser.find_element(By.ID, "compose-text").get_attribute("value") == long_text


def sign_out(browser):
    browser.find_element(By.CSS_SELECTOR, "form[action='/auth/sign_out'] button").click()
    WebDriverWait(browser, 10).until(lambda b: "/auth/sign_out" not in b.current_url)
    browser.delete_all_cookies()


def press(browser, action: str):
    """Presses the button of the form that posts to `action`, and waits for the
    page that answers. A button the driver lost between finding and clicking it
    (the page still settling) is found again."""
    for attempt in range(3):
        button = browser.find_element(By.CSS_SELECTOR, f"form[action='{action}'] button[type=submit]")
        try:
            button.click()
            break
        except WebDriverException:
            if attempt == 2:
                raise
    WebDriverWait(browser, 10).until(gone(button), f"{action} never answered")


def test_a_leader_joins_a_closed_group_is_approved_and_writes_to_it(alpha, browser):
    moderator = alpha.create_user("mod")
    member = alpha.create_user("member")
    handle = f"peers{moderator.username[-6:]}"

    # The moderator starts a closed group from the page.
    sign_in(browser, moderator)
    browser.get(f"{alpha.base_url}/groups")
    check_page(browser, "groups")
    browser.find_element(By.LINK_TEXT, "Start a group").click()
    check_page(browser, "group-new")
    browser.find_element(By.ID, "group-handle").send_keys(handle)
    browser.find_element(By.ID, "group-name").send_keys("Peer heads")
    browser.find_element(By.ID, "group-description").send_keys("Candid talk between heads")
    browser.find_element(By.ID, "group-rules").send_keys("What is said here stays here.")
    browser.find_element(By.ID, "group-closed").click()
    browser.find_element(By.CSS_SELECTOR, "form[action='/groups'] button[type=submit]").click()
    arrive_at(browser, f"/groups/{handle}")
    sign_out(browser)

    # A leader asks to join.
    sign_in(browser, member)
    browser.get(f"{alpha.base_url}/groups/{handle}")
    press(browser, f"/groups/{handle}/join")
    assert "Asked to join" in browser.page_source
    check_page(browser, "group-asked")
    sign_out(browser)

    # The moderator approves them on the group's page.
    sign_in(browser, moderator)
    browser.get(f"{alpha.base_url}/groups/{handle}")
    assert "Asking to join" in browser.page_source
    check_page(browser, "group-moderator")
    approve = browser.find_element(
        By.CSS_SELECTOR, f"form[action^='/groups/{handle}/requests/'][action$='/approve'] button"
    )
    assert member.username in browser.find_element(By.CSS_SELECTOR, "section.requests").text
    approve.click()
    WebDriverWait(browser, 10).until(gone(approve), "the approval never answered")
    assert "Asking to join" not in browser.page_source
    sign_out(browser)

    # The member writes to the group from its page; the post is shown there.
    sign_in(browser, member)
    browser.get(f"{alpha.base_url}/groups/{handle}")
    text = browser.find_element(By.ID, "compose-text")
    assert text.get_attribute("value") == f"@{handle} "
    assert browser.find_element(By.ID, "compose-visibility").get_attribute("value") == "direct"
    text.send_keys("How do you handle a hard governors' meeting?")
    send = browser.find_element(By.CSS_SELECTOR, "form.compose button[type=submit]")
    send.click()
    WebDriverWait(browser, 10).until(gone(send), "the post was never answered")
    arrive_at(browser, f"/groups/{handle}")
    post = browser.find_element(By.CSS_SELECTOR, "article.post")
    assert "hard governors' meeting" in post.text
    check_page(browser, "group")
    browser.get(f"{alpha.base_url}/groups/{handle}/members")
    check_page(browser, "group-members")
    sign_out(browser)

    # Nobody else sees it.
    browser.get(f"{alpha.base_url}/groups/{handle}")
    assert "hard governors' meeting" not in browser.page_source


def test_a_leader_reports_a_post_and_an_administrator_resolves_it_on_the_admin_pages(alpha, browser, login):
    spammer = login(alpha.create_user("spammer"))
    spammer.status_post("Essays written for you, cheap: visit our site")
    reporter = alpha.create_user("reporter")
    staff = alpha.create_user("staff", role="admin")

    # The reporter reports the post from the local timeline.
    sign_in(browser, reporter)
    browser.get(f"{alpha.base_url}/public/local")
    post = next(p for p in browser.find_elements(By.CSS_SELECTOR, "article.post") if "Essays written" in p.text)
    post.find_element(By.PARTIAL_LINK_TEXT, "Report").click()
    WebDriverWait(browser, 10).until(lambda b: b.current_url.endswith("/report"), "the report form never came")
    check_page(browser, "report")
    browser.find_element(By.ID, "report-spam").click()
    browser.find_element(By.ID, "report-comment").send_keys("An essay mill, again")
    browser.find_element(By.CSS_SELECTOR, "form.panel button[type=submit]").click()
    WebDriverWait(browser, 10).until(
        lambda b: "the report is sent" in b.page_source, "the report was never confirmed"
    )
    sign_out(browser)

    # An administrator finds it on the admin pages and resolves it.
    sign_in(browser, staff)
    browser.find_element(By.LINK_TEXT, "Admin").click()
    WebDriverWait(browser, 10).until(lambda b: b.current_url.endswith("/admin"), "no admin page")
    check_page(browser, "admin")
    browser.get(f"{alpha.base_url}/admin/reports")
    check_page(browser, "admin-reports")
    report = next(
        item for item in browser.find_elements(By.CSS_SELECTOR, "ul.list > li") if "An essay mill, again" in item.text
    )
    report.find_element(By.TAG_NAME, "a").click()
    WebDriverWait(browser, 10).until(lambda b: "/admin/reports/" in b.current_url, "the report's page never came")
    assert "Essays written for you" in browser.page_source
    check_page(browser, "admin-report")
    press(browser, browser.current_url.removeprefix(alpha.base_url) + "/resolve")
    assert f"resolved by {staff.username}" in browser.page_source
    for name in ["sign_ups", "users", "suspensions", "invites", "domains", "audit"]:
        browser.get(f"{alpha.base_url}/admin/{name}")
        check_page(browser, f"admin-{name.replace('_', '-')}")
    assert "resolved report" in browser.page_source


def test_staff_silence_a_leader_subscribe_to_a_feed_and_feature_a_challenge_on_the_admin_pages(
    alpha, beta, browser, login
):
    loud = alpha.create_user("loud")
    login(loud).status_post("Our #belonging assembly, in full, again")
    host = beta.create_user("host")
    login(host).status_post("Belonging across our trust #belonging")
    staff = alpha.create_user("boss", role="admin")
    sign_in(browser, staff)

    # Silenced from the people page: out of the local timeline of those who do
    # not follow them.
    browser.get(f"{alpha.base_url}/public/local")
    assert "in full, again" in browser.page_source
    browser.get(f"{alpha.base_url}/admin/users?q={loud.username}")
    press(browser, f"/admin/users/{loud.username}/silence")
    row = browser.find_element(By.ID, f"user-{loud.username}")
    assert "silenced" in row.text
    assert row.find_element(By.CSS_SELECTOR, f"form[action='/admin/users/{loud.username}/unsilence']")
    check_page(browser, "admin-users-silenced")
    browser.get(f"{alpha.base_url}/public/local")
    assert "in full, again" not in browser.page_source
    browser.get(f"{alpha.base_url}/admin/suspensions")
    check_page(browser, "admin-suspensions")

    # A feed whose server cannot be reached: the form says why and keeps what was
    # typed; then the other instance's feed.
    browser.find_element(By.CSS_SELECTOR, "nav[aria-label=Administration] a[href='/admin/feeds']").click()
    arrive_at(browser, "/admin/feeds")
    check_page(browser, "admin-feeds")
    browser.find_element(By.ID, "feed-name").send_keys("belonging@unreachable.invalid")
    press(browser, "/admin/feeds")
    error = browser.find_element(By.CSS_SELECTOR, "p.error")
    assert "could not be reached" in error.text
    field = browser.find_element(By.ID, "feed-name")
    assert field.get_attribute("value") == "belonging@unreachable.invalid"
    check_page(browser, "admin-feeds-error")
    field.clear()
    field.send_keys(f"belonging@{beta.domain}")
    press(browser, "/admin/feeds")
    arrive_at(browser, "/admin/feeds")
    assert f"{beta.base_url}/tags/belonging" in browser.page_source

    # A challenge featured from its form (the days come filled in), then its page.
    browser.find_element(By.CSS_SELECTOR, "nav[aria-label=Administration] a[href='/admin/challenges']").click()
    arrive_at(browser, "/admin/challenges")
    check_page(browser, "admin-challenges")
    browser.find_element(By.ID, "challenge-title").send_keys("Belonging month")
    browser.find_element(By.ID, "challenge-hashtag").send_keys("#belonging")
    browser.find_element(By.ID, "challenge-run-by").send_keys("Hill Trust")
    browser.find_element(By.ID, "challenge-description").send_keys("How does **your** school build belonging?")
    press(browser, "/admin/challenges")
    WebDriverWait(browser, 10).until(
        lambda b: "/admin/challenges/" in b.current_url, "the challenge's page never came"
    )
    assert browser.find_element(By.TAG_NAME, "h1").text == "Challenge #belonging"
    assert browser.find_element(By.ID, "challenge-title").get_attribute("value") == "Belonging month"
    check_page(browser, "admin-challenge")
    browser.get(f"{alpha.base_url}/admin/audit")
    log = browser.page_source
    assert f"silenced {loud.username}" in log
    assert "subscribed to the hashtag feed" in log
    assert "featured the challenge" in log


def test_a_leader_finds_and_follows_someone_on_another_instance_and_reads_their_posts(alpha, beta, browser, login):
    from clients import eventually

    writer = beta.create_user("writer")
    login(writer).status_post("Notes from our #ambitionfeed visit to a partner school")
    reader = alpha.create_user("reader")
    sign_in(browser, reader)

    # Found by address from the search page, followed from their profile here.
    browser.get(f"{alpha.base_url}/search")
    browser.find_element(By.ID, "search-q").send_keys(f"@{writer.handle}")
    browser.find_element(By.CSS_SELECTOR, "form.search button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "/search?" in b.current_url, "no search answer")
    browser.find_element(By.PARTIAL_LINK_TEXT, writer.username).click()
    WebDriverWait(browser, 10).until(lambda b: f"/@{writer.username}@" in b.current_url, "no profile")
    check_page(browser, "profile-remote")
    press(browser, f"/@{writer.handle}/follow")
    assert browser.find_element(By.CSS_SELECTOR, f"form[action='/@{writer.handle}/unfollow']")

    # Their new post reaches the reader's home timeline.
    login(writer).status_post("Day two: the partner school's reading corners")

    def at_home():
        browser.get(f"{alpha.base_url}/home")
        return "reading corners" in browser.page_source

    eventually(at_home, "the post from the other instance at home")


def test_a_leader_replies_to_a_post_from_its_page_and_the_thread_shows_both(alpha, browser, login):
    asker = alpha.create_user("asker")
    question = login(asker).status_post("How do you run a staff wellbeing survey?")
    replier = alpha.create_user("replier")
    sign_in(browser, replier)
    browser.get(f"{alpha.base_url}/@{asker.username}/{question.id}")
    check_page(browser, "thread")
    text = browser.find_element(By.ID, "compose-text")
    assert text.get_attribute("value") == f"@{asker.username} "
    text.send_keys("Anonymous, termly, and we share the results")
    browser.find_element(By.CSS_SELECTOR, "form.compose button[type=submit]").click()
    WebDriverWait(browser, 10).until(
        lambda b: "we share the results" in b.page_source, "the reply never showed in the thread"
    )
    posts = browser.find_elements(By.CSS_SELECTOR, "article.post")
    assert "staff wellbeing survey" in posts[0].text
    assert any("we share the results" in p.text for p in posts[1:])
    [reply] = login(asker).notifications(types=["mention"])
    assert str(reply.status.in_reply_to_id) == str(question.id)


def test_a_leader_makes_a_list_fills_it_and_reads_it(alpha, browser, login):
    leader = alpha.create_user("lister")
    colleague_user = alpha.create_user("colleague")
    colleague = login(colleague_user)
    login(leader).account_follow(colleague.account_verify_credentials().id)
    colleague.status_post("Notes from the maths network meeting")

    sign_in(browser, leader)
    browser.find_element(By.LINK_TEXT, "Lists").click()
    arrive_at(browser, "/lists")
    check_page(browser, "lists")
    browser.find_element(By.ID, "list-title").send_keys("Maths leads")
    browser.find_element(By.CSS_SELECTOR, "form[action='/lists'] button[type=submit]").click()
    WebDriverWait(browser, 10).until(
        lambda b: "/lists/" in b.current_url, "the list's page never came"
    )
    path = "/lists/" + browser.current_url.rsplit("/lists/", 1)[1]
    assert browser.find_element(By.TAG_NAME, "h1").text == "Maths leads"

    browser.find_element(By.CSS_SELECTOR, "details summary").click()
    options = [o.text for o in browser.find_elements(By.CSS_SELECTOR, "#list-add option")]
    assert f"@{colleague_user.username}" in options
    press(browser, f"{path}/accounts")
    post = browser.find_element(By.CSS_SELECTOR, "article.post")
    assert "maths network meeting" in post.text
    browser.find_element(By.CSS_SELECTOR, "details summary").click()
    check_page(browser, "list")

    browser.get(f"{alpha.base_url}/lists")
    press(browser, f"{path}/delete")
    arrive_at(browser, "/lists")
    assert "No lists yet." in browser.page_source


def test_a_leader_moves_to_another_instance_and_their_follower_follows_along(alpha, beta, browser, login):
    from clients import eventually

    old = alpha.create_user("leaving")
    new = beta.create_user("arriving")
    follower = alpha.create_user("loyal")
    reader = login(follower)
    reader.account_follow(login(old).me().id)

    # The new account names the old one as an alias first.
    sign_in(browser, new)
    browser.get(f"{beta.base_url}/settings/aliases")
    check_page(browser, "settings-aliases")
    browser.find_element(By.ID, "alias").send_keys(old.handle)
    press(browser, "/settings/aliases")
    assert "Your aliases are saved" in browser.page_source
    assert old.username in browser.find_element(By.CSS_SELECTOR, "ul.aliases").text
    sign_out(browser)

    # Then the old account moves, with its password; it is left read-only.
    sign_in(browser, old)
    browser.get(f"{alpha.base_url}/settings/move")
    check_page(browser, "settings-move")
    browser.find_element(By.ID, "move-target").send_keys(new.handle)
    browser.find_element(By.ID, "move-password").send_keys(old.password)
    press(browser, "/settings/move")
    assert new.username in browser.find_element(By.ID, "moved-notice").text
    check_page(browser, "settings-moved")
    browser.get(f"{alpha.base_url}/@{old.username}")
    assert new.username in browser.page_source, "the profile points to the new account"

    def follows_new():
        return any(a.acct == new.handle for a in reader.account_following(reader.me().id))

    eventually(follows_new, "the follower following the new account")


def test_a_leader_asks_a_question_in_a_poll_and_a_colleague_votes_in_the_browser(alpha, browser, login):
    asker = alpha.create_user("pollster")
    voter = alpha.create_user("voter")
    sign_in(browser, asker)
    browser.find_element(By.ID, "compose-text").send_keys("Which day suits the next network meeting?")
    browser.find_element(By.XPATH, "//summary[normalize-space()='Add a poll']").click()
    browser.find_element(By.ID, "compose-poll-1").send_keys("Tuesday")
    browser.find_element(By.ID, "compose-poll-2").send_keys("Thursday")
    send = browser.find_element(By.CSS_SELECTOR, "form.compose button[type=submit]")
    send.click()
    WebDriverWait(browser, 10).until(gone(send), "the post was never answered")
    check_page(browser, "home-poll")
    [asked] = login(asker).account_statuses(login(asker).me().id, limit=1)
    assert [option.title for option in asked.poll.options] == ["Tuesday", "Thursday"]
    sign_out(browser)

    sign_in(browser, voter)
    browser.get(f"{alpha.base_url}/@{asker.username}/{asked.id}")
    browser.find_element(By.XPATH, "//div[@class='poll']//label[normalize-space()='Thursday']/input").click()
    press(browser, f"/statuses/{asked.id}/vote")
    check_page(browser, "poll-voted")
    results = browser.find_element(By.CSS_SELECTOR, "ul.poll-results").text
    assert "Thursday (your choice)" in results, results
    assert login(asker).poll(asked.poll.id).votes_count == 1


def test_a_leader_schedules_a_post_for_tomorrow_and_calls_it_off_in_the_browser(alpha, browser, login):
    from datetime import datetime, timedelta

    leader = alpha.create_user("planner")
    sign_in(browser, leader)
    browser.find_element(By.ID, "compose-text").send_keys("Reminder: moderation meeting at 4pm")
    browser.find_element(By.XPATH, "//summary[normalize-space()='Publish later']").click()
    when = (datetime.now() + timedelta(days=1)).replace(hour=9, minute=30)
    field = browser.find_element(By.ID, "compose-scheduled-at")
    browser.execute_script("arguments[0].value = arguments[1]", field, when.strftime("%Y-%m-%dT%H:%M"))
    check_page(browser, "compose-scheduled")
    send = browser.find_element(By.CSS_SELECTOR, "form.compose button[type=submit]")
    send.click()
    WebDriverWait(browser, 10).until(gone(send), "the post was never answered")
    arrive_at(browser, "/scheduled")
    check_page(browser, "scheduled")
    assert "moderation meeting" in browser.find_element(By.CSS_SELECTOR, "ul.scheduled").text
    [waiting] = login(leader).scheduled_statuses()
    # The browser's own clock's time, told to the server by the page's script.
    assert waiting.scheduled_at.timestamp() == when.replace(second=0, microsecond=0).timestamp()
    assert login(leader).account_statuses(login(leader).me().id) == []

    press(browser, f"/scheduled/{waiting.id}/cancel")
    assert browser.find_element(By.ID, "no-scheduled")
    assert login(leader).scheduled_statuses() == []


def test_a_leader_writes_an_article_a_colleague_comments_and_the_author_hides_it(alpha, browser, login, tmp_path):
    author = alpha.create_user("essayist")
    reader = alpha.create_user("commenter")
    sign_in(browser, author)
    browser.get(f"{alpha.base_url}/publish")
    browser.find_element(By.LINK_TEXT, "Write an article").click()
    arrive_at(browser, "/articles/new")
    check_page(browser, "article-new")
    browser.find_element(By.ID, "article-title").send_keys("What a residential teaches")
    browser.find_element(By.ID, "article-summary").send_keys("Three lessons from Year 6.")
    browser.find_element(By.ID, "article-body").send_keys("## Lesson one\n\nPlan the *quiet* time too.")
    cover = tmp_path / "cover.png"
    cover.write_bytes(png(32, 24))
    browser.find_element(By.ID, "article-cover").send_keys(str(cover))
    browser.find_element(By.ID, "article-cover-alt").send_keys("Tents by a lake")
    send = browser.find_element(By.CSS_SELECTOR, "form[action='/articles/new'] button[type=submit]")
    send.click()
    WebDriverWait(browser, 10).until(lambda b: "/articles/" in b.current_url and "new" not in b.current_url)
    page = browser.current_url
    assert browser.find_element(By.ID, "article-title").text == "What a residential teaches"
    assert "Plan the quiet time too." in browser.find_element(By.CSS_SELECTOR, ".article-body").text
    check_page(browser, "article")
    sign_out(browser)

    sign_in(browser, reader)
    browser.get(page)
    browser.find_element(By.ID, "compose-text").send_keys("We do the same with Year 5")
    browser.find_element(By.CSS_SELECTOR, "form.compose button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "same with Year 5" in b.page_source, "the comment never showed")
    sign_out(browser)

    sign_in(browser, author)
    browser.get(page)
    check_page(browser, "article-with-comments")
    browser.find_element(By.XPATH, "//div[contains(@class,'comment')]//form//button[starts-with(normalize-space(), 'Hide')]").click()
    WebDriverWait(browser, 10).until(lambda b: "Hidden by the article" in b.page_source, "never hidden")
    sign_out(browser)
    browser.get(page)
    assert "same with Year 5" not in browser.page_source
