"""Every answer under /api/ is JSON `{"code", "detail"}`, also the ones Django and ninja give
before any operation runs; pages outside /api/ keep their HTML 404."""

import pytest


def assert_json_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
    return body


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/gibt-es-nicht", "/api/events/slug/unbekannt/tiefer", "/api/", "/api/events/"])
def test_an_unknown_api_path_is_a_json_404(client, path):
    assert_json_error(client.get(path), 404, "not_found")


@pytest.mark.django_db
def test_an_unknown_api_path_is_a_json_404_for_every_method(client):
    for response in (client.post("/api/gibt-es-nicht", {}), client.delete("/api/gibt-es-nicht")):
        assert_json_error(response, 404, "not_found")


@pytest.mark.django_db
def test_the_404_detail_follows_the_callers_language(client):
    german = client.get("/api/gibt-es-nicht", headers={"Accept-Language": "de"}).json()["detail"]
    english = client.get("/api/gibt-es-nicht", headers={"Accept-Language": "en"}).json()["detail"]

    assert english == "Not found."
    assert german != english


@pytest.mark.django_db
def test_a_wrong_method_on_a_known_path_is_a_json_405_with_allow(client, make_event):
    event = make_event()

    response = client.delete(f"/api/events/{event.slug}")

    body = assert_json_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET, PATCH"
    assert "GET, PATCH" in body["detail"]
    assert event.__class__.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_a_wrong_method_with_an_organiser_token_is_refused_the_same_way(client, organiser, make_event):
    event = make_event(team=[organiser])

    response = client.put(
        f"/api/events/{event.slug}", {"title": "x"}, content_type="application/json", headers=organiser.auth_headers
    )

    assert_json_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET, PATCH"
    event.refresh_from_db()
    assert event.title_de != "x"


@pytest.mark.django_db
def test_known_api_paths_answer_as_before(client, make_event):
    event = make_event()

    assert client.get("/api/events").status_code == 200
    assert client.get(f"/api/events/{event.slug}").json()["slug"] == event.slug
    unknown_event = client.get("/api/events/gibt-es-nicht")
    assert_json_error(unknown_event, 404, "not_found")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/gibt-es-nicht/", "/en/gibt-es-nicht/", "/apix/"])
def test_pages_outside_the_api_keep_their_html_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@pytest.mark.parametrize("megabytes", [3, 50])
def test_a_body_over_the_upload_limit_is_a_json_413_and_saves_nothing(client, make_event, megabytes):
    from registrations.models import Registration

    event = make_event()
    oversized = '{"name": "' + "x" * (megabytes * 1024 * 1024) + '"}'

    response = client.post(f"/api/events/{event.slug}/registrations", oversized, content_type="application/json")

    body = assert_json_error(response, 413, "request_too_large")
    assert "2621440" in body["detail"]
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_a_body_within_the_limit_is_read_as_before(client, make_event, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    event = make_event()
    large = '{"name": "' + "x" * (3 * 1024 * 1024) + '"}'

    response = client.post(f"/api/events/{event.slug}/registrations", large, content_type="application/json")

    assert_json_error(response, 422, "invalid_input")


@pytest.mark.django_db
def test_an_unexpected_error_inside_the_api_is_a_logged_json_500(make_event, monkeypatch, caplog):
    from django.test import Client

    import events.api

    event = make_event()

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(events.api, "get_object_or_404", broken)

    response = Client(raise_request_exception=False).get(f"/api/events/{event.slug}")

    body = assert_json_error(response, 500, "server_error")
    assert "a bug" not in body["detail"]
    logged = [record for record in caplog.records if record.name == "django.request" and record.exc_info]
    assert logged and logged[0].exc_info[0] is RuntimeError


@pytest.mark.django_db
def test_a_refused_host_under_the_api_is_a_json_400(client):
    response = client.get("/api/events", headers={"Host": "evil.example"})

    assert_json_error(response, 400, "bad_request")


@pytest.mark.django_db
def test_pages_outside_the_api_keep_their_html_400_for_a_refused_host(client):
    response = client.get("/", headers={"Host": "evil.example"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
