from django.urls import include, path

from ideas.views import backlog, capture, exports, live, moderation, organiser, public, voting

app_name = "ideas"

# One capture page, reached two ways: by a moderator's signed link, or by an organiser's login.
capture_patterns = (
    [
        path("", capture.capture_page, name="page"),
        path("ideen/<int:idea_id>/", capture.edit_idea, name="edit"),
        path("ideen/<int:idea_id>/plenum/", capture.mark_for_plenum, name="plenum"),
        path("ideen/<int:idea_id>/zusammenfuehren/", capture.merge_idea, name="merge"),
    ],
    "capture",
)

# One moderation queue, reached by a moderator's signed link (their group) or an organiser's login
# (the whole event).
queue_patterns = (
    [
        path("", moderation.queue, name="queue"),
        path("ideen/<int:idea_id>/freigeben/", moderation.approve, name="approve"),
        path("ideen/<int:idea_id>/umformulieren/", moderation.reword, name="reword"),
        path("ideen/<int:idea_id>/zusammenfuehren/", moderation.merge, name="merge"),
        path("ideen/<int:idea_id>/verbergen/", moderation.hide, name="hide"),
        path("ideen/<int:idea_id>/melden/", moderation.report, name="report"),
    ],
    "queue",
)

event = "veranstaltungen/<slug:slug>/"
board = event + "ideen/organisation/"

urlpatterns = [
    path(event + "ideen/", public.event_ideas, name="event_ideas"),
    path(event + "ideen/<int:idea_id>/", public.idea_page, name="idea"),
    path(event + "plenum/", public.plenum_wall, name="plenum"),
    path(event + "plenum/ideen/", public.plenum_wall_ideas, name="plenum_ideas"),
    path(event + "plenum/praesentation/", public.plenum_presentation, name="plenum_presentation"),
    path(event + "plenum/punkte/", voting.device_vote, name="vote"),
    path(event + "plenum/punkte/qr.svg", voting.vote_qr, name="vote_qr"),
    path("plenum-punkte/<str:token>/", voting.personal_vote, name="personal_vote"),
    path(event + "ideen/export.<str:fmt>", exports.event_export, name="event_export"),
    path(board, organiser.event_board, name="organise"),
    path(board + "gruppen/", organiser.add_group, name="add_group"),
    path(board + "gruppen/<int:group_id>/moderatoren/", organiser.add_moderator, name="add_moderator"),
    path(board + "gruppen/<int:group_id>/aushang/", organiser.poster, name="poster"),
    path(board + "gruppen/<int:group_id>/aushang/qr.svg", organiser.poster_qr, name="poster_qr"),
    path(board + "gruppen/<int:group_id>/aushang/erneuern/", organiser.renew_poster, name="renew_poster"),
    path(board + "moderatoren/<int:moderator_id>/erneuern/", organiser.renew_moderator, name="renew_moderator"),
    path(board + "moderatoren/<int:moderator_id>/widerrufen/", organiser.revoke_moderator, name="revoke_moderator"),
    path(board + "abstimmung/", voting.voting_settings, name="voting_settings"),
    path(board + "abstimmung/status/", voting.voting_state, name="voting_state"),
    path(board + "freigabe/", include(queue_patterns, namespace="event_queue")),
    path(board + "freigabe-verfahren/", moderation.moderation_mode, name="moderation_mode"),
    path(board + "teilnehmende/", organiser.members, name="members"),
    path(board + "verteilen/", organiser.distribute, name="distribute"),
    path(board + "ideen/<int:idea_id>/einordnen/", organiser.sort_idea, name="sort_idea"),
    path(board + "zusammenfuehren/", organiser.merge, name="merge"),
    path("gruppen/<int:group_id>/erfassen/", include(capture_patterns, namespace="organised")),
    path("moderation/<str:token>/freigabe/", include(queue_patterns, namespace="moderator_queue")),
    path("moderation/<str:token>/", include(capture_patterns, namespace="moderated")),
    path("tisch/<str:key>/", capture.table_form, name="table"),
    path("mit/<str:code>/", live.live_page, name="live"),
    path("mit/<str:code>/qr.svg", live.live_qr, name="live_qr"),
    path(board + "live/<int:idea_id>/weiter/", organiser.place_live_idea, name="place_live_idea"),
    path("wunschgruppe/<str:token>/", public.choose_group, name="preference"),
    path("ideen/keine-updates/<str:token>/", public.stop_updates, name="stop_updates"),
    path("arbeitsgruppen/", public.working_groups, name="working_groups"),
    path("arbeitsgruppen/<slug:slug>/", public.working_group, name="working_group"),
    path("arbeitsgruppen/<slug:slug>/backlog/", backlog.backlog, name="backlog"),
    path("arbeitsgruppen/<slug:slug>/backlog/neu/", backlog.add_item, name="add_item"),
    path("arbeitsgruppen/<slug:slug>/backlog/tafel/", backlog.board, name="backlog_board"),
    path("arbeitsgruppen/<slug:slug>/backlog/<int:item_id>/status/", backlog.move_item, name="move_item"),
    path("arbeitsgruppen/<slug:slug>/backlog/<int:item_id>/", backlog.update_item, name="update_item"),
    path("arbeitsgruppen/<slug:slug>/leitung/", backlog.change_leads, name="leads"),
    path("arbeitsgruppen/<slug:slug>/export.<str:fmt>", exports.working_group_export, name="working_group_export"),
]
