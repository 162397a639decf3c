"""Accounts in a real browser, with real mail: an instance that sends through a
real SMTP server on loopback (Python's aiosmtpd), a person who signs up, confirms
their address from the mailed link, changes their password on the settings page,
forgets it and sets a new one from the mailed reset link. Every page is checked by
axe-core."""

from __future__ import annotations

import email
import email.policy
import re
import threading
import time

import pytest
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
