"""The stub holds the client to Zoom's documented API: unknown fields, wrong types and unknown
query parameters are refused with Zoom's validation error, as are bad tokens and credentials."""

import pytest
import requests

from streaming.zoom.client import ZoomClient, ZoomRejected


@pytest.fixture
def api(zoom, settings):
    """Raw HTTP to the stub, with a valid token."""
    token = requests.post(
        settings.ZOOM_OAUTH_URL,
        data={"grant_type": "account_credentials", "account_id": settings.ZOOM_ACCOUNT_ID},
        auth=(settings.ZOOM_CLIENT_ID, settings.ZOOM_CLIENT_SECRET),
        timeout=5,
    ).json()["access_token"]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"

    def call(method, path, **kwargs):
        return session.request(method, settings.ZOOM_API_URL + path, timeout=5, **kwargs)

    return call


MEETING = {
    "topic": "Dialog",
    "type": 2,
    "start_time": "2030-05-04T16:00:00Z",
    "duration": 90,
    "timezone": "Europe/Berlin",
}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**MEETING, "topic_de": "Dialog"}, "topic_de"),
        ({**MEETING, "settings": {"waiting_room": True, "waitingroom": True}}, "settings.waitingroom"),
        (
            {**MEETING, "settings": {"breakout_room": {"enable": True, "rooms": [{"name": "A", "members": []}]}}},
            "settings.breakout_room.rooms[0].members",
        ),
        (
            {
                **MEETING,
                "settings": {
                    "language_interpretation": {
                        "enable": True,
                        "interpreters": [{"email": "i@example.org", "language": "DE,GR"}],
                    }
                },
            },
            "settings.language_interpretation.interpreters[0].language",
        ),
        ({**MEETING, "duration": "90"}, "duration"),
        ({**MEETING, "settings": {"waiting_room": 1}}, "settings.waiting_room"),
        ({**MEETING, "password": "far-too-long-passcode"}, "password"),
        ({**MEETING, "settings": {"approval_type": 3}}, "settings.approval_type"),
    ],
)
def test_the_stub_refuses_what_zoom_does_not_document(api, body, field):
    answer = api("POST", "/users/me/meetings", json=body)
    assert answer.status_code == 400
    error = answer.json()
    assert error["code"] == 300
    assert field in [problem["field"] for problem in error["errors"]]


def test_the_stub_refuses_unknown_registrant_fields_and_query_parameters(api):
    meeting = api("POST", "/users/me/meetings", json={**MEETING, "settings": {"approval_type": 1}}).json()
    answer = api(
        "POST",
        f"/meetings/{meeting['id']}/registrants",
        json={"email": "a@example.org", "first_name": "A", "firstname": "A"},
    )
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "firstname"
    answer = api("GET", f"/meetings/{meeting['id']}/registrants", params={"state": "approved"})
    assert answer.status_code == 400 and answer.json()["code"] == 300
    missing = api("POST", f"/meetings/{meeting['id']}/registrants", json={"email": "a@example.org"})
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "first_name"


def test_the_client_gets_zoom_s_refusal_as_an_error_it_will_not_retry(zoom):
    with pytest.raises(ZoomRejected) as refused:
        ZoomClient().create_meeting({**MEETING, "colour": "blue"})
    assert refused.value.status == 400 and refused.value.code == 300
    assert not refused.value.transient


def test_tokens_and_credentials_are_checked(zoom, settings):
    answer = requests.get(f"{settings.ZOOM_API_URL}/meetings/123", headers={"Authorization": "Bearer nope"}, timeout=5)
    assert answer.status_code == 401 and answer.json() == {"code": 124, "message": "Invalid access token."}
    refused = requests.post(
        settings.ZOOM_OAUTH_URL,
        data={"grant_type": "account_credentials", "account_id": settings.ZOOM_ACCOUNT_ID},
        auth=(settings.ZOOM_CLIENT_ID, "wrong"),
        timeout=5,
    )
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"
    wrong_grant = requests.post(
        settings.ZOOM_OAUTH_URL,
        data={"grant_type": "client_credentials"},
        auth=(settings.ZOOM_CLIENT_ID, settings.ZOOM_CLIENT_SECRET),
        timeout=5,
    )
    assert wrong_grant.status_code == 400 and wrong_grant.json()["error"] == "unsupported_grant_type"


def test_meetings_answer_with_zoom_s_status_codes(api):
    created = api("POST", "/users/me/meetings", json={**MEETING, "settings": {"approval_type": 1}})
    assert created.status_code == 201
    meeting = created.json()
    assert meeting["id"] > 2**32 and meeting["start_url"] and meeting["registration_url"]
    assert api("PATCH", f"/meetings/{meeting['id']}", json={"duration": 60}).status_code == 204
    assert api("GET", f"/meetings/{meeting['id']}").json()["duration"] == 60
    assert api("DELETE", f"/meetings/{meeting['id']}").status_code == 204
    gone = api("GET", f"/meetings/{meeting['id']}")
    assert gone.status_code == 404 and gone.json()["code"] == 3001


def test_registrants_are_listed_page_by_page_and_by_status(zoom, api):
    meeting = api("POST", "/users/me/meetings", json={**MEETING, "settings": {"approval_type": 1}}).json()
    for number in range(7):
        body = {"email": f"p{number}@example.org", "first_name": f"P{number}", "auto_approve": number < 5}
        assert api("POST", f"/meetings/{meeting['id']}/registrants", json=body).status_code == 201
    first = api("GET", f"/meetings/{meeting['id']}/registrants", params={"page_size": 2}).json()
    assert first["total_records"] == 5 and len(first["registrants"]) == 2 and first["next_page_token"]
    client = ZoomClient()
    approved = list(client.registrants(meeting["id"], status="approved"))
    pending = list(client.registrants(meeting["id"], status="pending"))
    assert len(approved) == 5 and len(pending) == 2
    client.set_registrant_status(meeting["id"], "cancel", [{"id": approved[0]["id"], "email": approved[0]["email"]}])
    assert [r["email"] for r in client.registrants(meeting["id"], status="denied")] == [approved[0]["email"]]


def test_faults_can_be_switched_on_for_the_next_calls(zoom, api):
    zoom.fail_next(2, 429, retry_after="3")
    limited = api("GET", "/meetings/1")
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "3" and limited.json()["code"] == 429
    assert api("GET", "/meetings/1").status_code == 429
    assert api("GET", "/meetings/1").status_code == 404
    zoom.fail_next(1, 500, after_processing=True)
    lost = api("POST", "/users/me/meetings", json=MEETING)
    assert lost.status_code == 500 and len(zoom.meetings) == 1, "the work was done, the answer lost"
