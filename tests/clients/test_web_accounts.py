"""Accounts in a real browser, with real mail: an instance that sends through a
real SMTP server on loopback (Python's aiosmtpd), a person who signs up, confirms
their address from the mailed link, changes their password on the settings page,
forgets it and sets a new one from the mailed reset link; a leader changes their
address through a link mailed to the new one, renews their two-factor recovery
codes and downloads their archive. Every page is checked by axe-core."""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import hmac
import io
import re
import struct
import threading
import time
import zipfile

import pytest
import requests
from aiosmtpd.controller import Controller

from conftest import _instance
from instances import free_port
from test_web_app import gone, arrive_at, browser, check_page, sign_out  # noqa: F401
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a quite different passphrase"
LATEST_PASSWORD = "the third passphrase of the day"


class Inbox:
    """What the SMTP server received, message by message."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def wait_for(self, to: str, subject_part: str, seconds: float = 30) -> email.message.EmailMessage:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self.lock:
                for message in self.messages:
                    if to in message["To"] and subject_part.lower() in message["Subject"].lower():
                        self.messages.remove(message)
                        return message
            time.sleep(0.2)
        raise AssertionError(f"no mail to {to} about '{subject_part}' within {seconds} s")


def link_in(message: email.message.EmailMessage, path: str) -> str:
    """The link to `path` in the plain-text part of `message`."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    found = re.search(r"https?://\S*" + re.escape(path) + r"\S*", text)
    assert found, f"no link to {path} in: {text}"
    return found.group(0)


@pytest.fixture(scope="module")
def inbox():
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield box, controller.port
    controller.stop()


@pytest.fixture(scope="module")
def mailing(work_dir, inbox):
    """An instance with open sign-ups that mails through the loopback SMTP server."""
    _, port = inbox
    settings = {
        "STAFFROOM_REGISTRATIONS": "open",
        "STAFFROOM_SMTP_HOST": "127.0.0.1",
        "STAFFROOM_SMTP_PORT": str(port),
        "STAFFROOM_SMTP_TLS": "none",
        "STAFFROOM_SMTP_FROM": "staffroom@example.org",
    }
    yield from _instance("mailing", work_dir, settings)


def submit(browser, action: str):
    """Sends the form that posts to `action`, and waits for the page that answers."""
    button = browser.find_element(By.CSS_SELECTOR, f"form[action='{action}'] button[type=submit]")
    button.click()
    WebDriverWait(browser, 10).until(gone(button), f"{action} was never answered")


def sign_in_as(browser, instance, username: str, password: str):
    """Sends the sign-in form, and waits for the page that answers it. A form the
    driver lost while the page settled is filled in again."""
    for attempt in range(3):
        try:
            browser.get(f"{instance.base_url}/auth/sign_in")
            for name, value in [("username", username), ("password", password)]:
                field = browser.find_element(By.NAME, name)
                field.clear()
                field.send_keys(value)
            submit(browser, "/auth/sign_in")
            return
        except WebDriverException:
            if attempt == 2:
                raise


def test_a_leader_signs_up_confirms_changes_and_resets_their_password(mailing, inbox, browser):
    box, _ = inbox
    username = "newhead"
    address = "newhead@example.org"

    # Signing up: the form, then the mailed link confirms the address.
    browser.get(f"{mailing.base_url}/auth/sign_up")
    check_page(browser, "sign-up")
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "email").send_keys(address)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.ID, "agreement").click()
    submit(browser, "/auth/sign_up")
    confirmation = box.wait_for(address, "confirm")
    assert confirmation.get_body(preferencelist=("html",)) is not None, "an HTML part too"
    sign_in_as(browser, mailing, username, PASSWORD)
    assert "/home" not in browser.current_url, "not before the address is confirmed"
    browser.get(link_in(confirmation, "/auth/confirmation"))
    check_page(browser, "confirmed")
    assert "sign in" in browser.page_source.lower()
    sign_in_as(browser, mailing, username, PASSWORD)
    arrive_at(browser, "/home")

    # Changing the password on the settings page; a notice is mailed.
    browser.get(f"{mailing.base_url}/settings/password")
    check_page(browser, "settings-password")
    browser.find_element(By.ID, "current-password").send_keys(PASSWORD)
    browser.find_element(By.ID, "new-password").send_keys(NEW_PASSWORD)
    browser.find_element(By.ID, "new-password-again").send_keys(NEW_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form[action='/settings/password'] button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "Your password is changed" in b.page_source, "never changed")
    box.wait_for(address, "changed")
    sign_out(browser)

    # Forgotten: the reset link sets a new one; the old one stops working.
    browser.get(f"{mailing.base_url}/auth/sign_in")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Forgot").click()
    check_page(browser, "password-new")
    browser.find_element(By.ID, "email").send_keys(address)
    browser.find_element(By.CSS_SELECTOR, "form[action='/auth/password/new'] button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "on its way" in b.page_source, "never asked")
    reset = box.wait_for(address, "reset")
    browser.get(link_in(reset, "/auth/password/edit"))
    check_page(browser, "password-edit")
    browser.find_element(By.ID, "password").send_keys(LATEST_PASSWORD)
    browser.find_element(By.ID, "password_confirmation").send_keys(LATEST_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form[action='/auth/password/edit'] button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "/auth/password/edit" not in b.current_url, "never set")
    sign_in_as(browser, mailing, username, NEW_PASSWORD)
    assert "/home" not in browser.current_url, "the old password no longer works"
    sign_in_as(browser, mailing, username, LATEST_PASSWORD)
    arrive_at(browser, "/home")


def totp(secret: str, at: float | None = None) -> str:
    """The six-digit code an authenticator app shows for `secret` (RFC 6238: SHA-1,
    thirty-second steps), as the person would type it."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    step = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def test_a_leader_changes_their_address_renews_recovery_codes_and_takes_their_archive(mailing, inbox, browser):
    box, _ = inbox
    leader = mailing.create_user("mover")
    sign_in_as(browser, mailing, leader.username, leader.password)
    arrive_at(browser, "/home")

    # A new address waits for the link mailed to it; the old one still signs in.
    new_address = f"{leader.username}@trust.example.org"
    browser.get(f"{mailing.base_url}/settings/email")
    check_page(browser, "settings-email")
    browser.find_element(By.ID, "new-email").send_keys(new_address)
    browser.find_element(By.ID, "current-password").send_keys(leader.password)
    submit(browser, "/settings/email")
    assert new_address in browser.find_element(By.ID, "waiting-email").text
    assert browser.find_element(By.ID, "current-email").text == leader.email
    check_page(browser, "settings-email-waiting")
    browser.get(link_in(box.wait_for(new_address, "confirm"), "/settings/email/confirm"))
    box.wait_for(leader.email, "changed")
    browser.get(f"{mailing.base_url}/settings/email")
    assert browser.find_element(By.ID, "current-email").text == new_address

    # Two-factor sign-in on, then ten new recovery codes in place of the first ten.
    browser.get(f"{mailing.base_url}/settings/two_factor")
    secret = browser.find_element(By.ID, "two-factor-secret").text
    browser.find_element(By.ID, "code").send_keys(totp(secret))
    submit(browser, "/settings/two_factor")
    first = [code.text for code in browser.find_elements(By.CSS_SELECTOR, "#recovery-codes code")]
    assert len(first) == 10
    browser.find_element(By.ID, "recovery-proof").send_keys(leader.password)
    submit(browser, "/settings/two_factor/recovery_codes")
    check_page(browser, "settings-recovery-codes")
    renewed = [code.text for code in browser.find_elements(By.CSS_SELECTOR, "#recovery-codes code")]
    assert len(renewed) == 10 and not set(renewed) & set(first)

    # The archive: asked for, built in the background, downloaded with the session.
    browser.get(f"{mailing.base_url}/settings/export")
    check_page(browser, "settings-export")
    submit(browser, "/settings/export/archive")

    def built():
        browser.get(f"{mailing.base_url}/settings/export")
        return "Download your archive" in browser.find_element(By.ID, "archive-state").text

    WebDriverWait(browser, 30, poll_frequency=0.5).until(lambda _: built(), "the archive was never built")
    link = browser.find_element(By.CSS_SELECTOR, "#archive-state a").get_attribute("href")
    cookies = {cookie["name"]: cookie["value"] for cookie in browser.get_cookies()}
    archive = requests.get(link, cookies=cookies, timeout=30)
    assert archive.status_code == 200, archive.status_code
    with zipfile.ZipFile(io.BytesIO(archive.content)) as files:
        assert "outbox.json" in files.namelist(), files.namelist()
    assert requests.get(link, timeout=30, allow_redirects=False).status_code in (302, 303, 401, 403), "not without it"
