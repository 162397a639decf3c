"""Events through Staffroom's own API (apps have no screen to organise one),
seen in Mastodon.py as the status it is, answered by a second person, and
edited by its organiser."""

from datetime import datetime, timedelta, timezone

import requests

EVENTS = "/api/staffroom/v1/events"


def call(client, method: str, path: str, body: dict | None = None) -> dict:
    """`method path` on `client`'s instance with its token; the JSON answer."""
    answer = requests.request(
        method,
        f"{client.api_base_url}{path}",
        json=body,
        headers={"Authorization": f"Bearer {client.access_token}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def residential(days_ahead: int, **extra) -> dict:
    start = datetime.now(timezone.utc) + timedelta(days=days_ahead)
    body = {
        "title": "Residential for new heads",
        "description": "Two days on curriculum and culture.",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(days=1)).isoformat(),
        "timezone": "Europe/London",
        "place_name": "Kenn Centre",
        "address": "Exeter EX6 7TW",
        "capacity": 2,
    }
    body.update(extra)
    return body


def test_an_event_is_organised_answered_and_edited(alpha, login):
    organiser = login(alpha.create_user("organiser"))
    colleague = login(alpha.create_user("colleague"))

    made = call(organiser, "POST", EVENTS, residential(10))
    assert made["title"] == "Residential for new heads"
    assert made["local"] is True

    # In Mastodon apps it is a status with its date and place.
    status = colleague.status(made["id"])
    assert "Kenn Centre" in status.content
    assert "When: " in status.content

    answered = call(colleague, "POST", f"{EVENTS}/{made['id']}/rsvp", {"status": "going"})
    assert answered["rsvp"] == "going"
    seen = call(organiser, "GET", f"{EVENTS}/{made['id']}")
    assert seen["counts"]["going"] == 1
    [going] = call(organiser, "GET", f"{EVENTS}/{made['id']}/participants")
    assert going["account"]["acct"] == colleague.me().acct

    moved = call(
        organiser,
        "PUT",
        f"{EVENTS}/{made['id']}",
        residential(12, title="Residential, moved", place_name="Dartington Hall"),
    )
    assert moved["title"] == "Residential, moved"
    assert moved["counts"]["going"] == 1
    assert "Dartington Hall" in colleague.status(made["id"]).content
