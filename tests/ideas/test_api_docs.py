"""The ideas API is described in the project's OpenAPI document, in the shapes other tools rely on."""


def test_openapi_document_lists_the_ideas_operations(client, db):
    document = client.get("/api/openapi.json").json()
    paths = document["paths"]

    assert {"post"} <= set(paths["/api/events/{slug}/groups"])
    assert {"get", "post"} <= set(paths["/api/groups/{group_id}/ideas"])
    assert {"patch"} <= set(paths["/api/ideas/{idea_id}"])
    assert {"get"} <= set(paths["/api/events/{slug}/plenum"])
    assert {"get", "post"} <= set(paths["/api/working-groups"])
    assert {"get"} <= set(paths["/api/working-groups/{slug}"])
    assert {"post"} <= set(paths["/api/working-groups/{slug}/items"])
    assert {"patch"} <= set(paths["/api/backlog-items/{item_id}"])
    created = document["components"]["schemas"]["GroupCreatedOut"]["properties"]
    assert {"id", "name", "capture_url", "moderator_token"} <= set(created)
