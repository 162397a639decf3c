"""Signs in through the instance's HTML pages as a person in a browser would: open
the authorisation URL an app gives, fill in the sign-in form, approve the app, and
read the code the page shows for an app without a redirect
(`<code id="oob-code">`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import requests

# Words on the button that grants an app access, as opposed to the one that denies it.
APPROVE = re.compile(r"authori[sz]e|allow|approve|accept|confirm|sign in|log in|continue", re.I)
DENY = re.compile(r"deny|reject|cancel", re.I)
# Names of the field that takes the email address or username.
LOGIN_FIELD = re.compile(r"email|username|login|acct|user", re.I)

# More pages than this between the first and the code means something loops.
MAX_PAGES = 5


@dataclass
class Submit:
    name: str | None
    value: str
    label: str = ""

    def words(self) -> str:
        return f"{self.name or ''} {self.value} {self.label}"


@dataclass
class Form:
    action: str
    method: str
    # (name, type, value) of every input that would be sent.
    fields: list[tuple[str, str, str]] = field(default_factory=list)
    submits: list[Submit] = field(default_factory=list)

    def has_password(self) -> bool:
        return any(kind == "password" for _, kind, _ in self.fields)


class Page(HTMLParser):
    """The forms of a page, and the code it shows, if any."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.code: str | None = None
        self._in_code = False
        self._button: Submit | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
        elif tag == "code" and a.get("id") == "oob-code":
            self._in_code = True
            self.code = ""
        elif tag == "input" and self.forms:
            kind = a.get("type", "text").lower()
            name = a.get("name")
            if kind == "submit":
                self.forms[-1].submits.append(Submit(name, a.get("value", "")))
            elif name and (kind not in ("checkbox", "radio") or "checked" in a):
                self.forms[-1].fields.append((name, kind, a.get("value", "")))
        elif tag == "button" and self.forms and a.get("type", "submit").lower() == "submit":
            self._button = Submit(a.get("name"), a.get("value", ""))
            self.forms[-1].submits.append(self._button)

    def handle_endtag(self, tag):
        if tag == "code":
            self._in_code = False
        elif tag == "button":
            self._button = None

    def handle_data(self, data):
        if self._in_code:
            self.code += data
        if self._button is not None:
            self._button.label += data


def choose_form(page: Page) -> Form:
    """The sign-in form if the page has one, otherwise the one that approves."""
    for form in page.forms:
        if form.has_password():
            return form
    for form in page.forms:
        if any(APPROVE.search(s.words()) and not DENY.search(s.words()) for s in form.submits):
            return form
    if len(page.forms) == 1:
        return page.forms[0]
    raise AssertionError(f"no sign-in or approval form among {len(page.forms)} forms")


def fill(form: Form, login: str, password: str) -> dict[str, str]:
    """The values a person would send: the defaults, their login and password, and
    the approving button's own name and value if it has them."""
    data: dict[str, str] = {}
    for name, kind, value in form.fields:
        if kind == "password":
            value = password
        elif kind == "email" or (kind == "text" and LOGIN_FIELD.search(name)):
            value = login
        data[name] = value
    approving = [s for s in form.submits if not DENY.search(s.words())]
    if approving and approving[0].name:
        data[approving[0].name] = approving[0].value
    return data


def sign_in_for_code(authorize_url: str, login: str, password: str) -> str:
    """Follows the sign-in pages from `authorize_url` and returns the code shown."""
    session = requests.Session()
    response = session.get(authorize_url, timeout=30)
    for _ in range(MAX_PAGES):
        assert response.status_code == 200, (
            f"{response.request.method} {response.url} answered {response.status_code}: "
            f"{response.text[:500]}"
        )
        page = Page(response.text)
        if page.code is not None:
            return page.code.strip()
        form = choose_form(page)
        target = urljoin(response.url, form.action or response.url)
        data = fill(form, login, password)
        if form.method == "post":
            response = session.post(target, data=data, timeout=30)
        else:
            response = session.get(target, params=data, timeout=30)
    raise AssertionError(
        f'no <code id="oob-code"> after {MAX_PAGES} pages: {response.text[:500]}'
    )
