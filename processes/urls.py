from django.urls import path

from processes.views import participation, public, report, result_editor, staff

app_name = "processes"

process = "prozesse/<slug:slug>/"
organise = "organisation/prozesse/<slug:slug>/"

urlpatterns = [
    path("prozesse/", public.process_list, name="list"),
    path(process, public.process_detail, name="detail"),
    path(process + "veranstaltungen.ics", public.process_calendar, name="feed"),
    path(process + "einbetten/", public.embed, name="embed"),
    path(process + "offene-daten.json", public.open_data_json, name="open_data"),
    path(process + "offene-daten/<slug:kind>.csv", public.open_data_csv, name="open_data_csv"),
    path(process + "ergebnis/", report.result_page, name="result"),
    path(process + "ergebnis.pdf", report.result_pdf, name="result_pdf"),
    path(process + "folgen/", participation.follow_process, name="follow"),
    path("arbeitsgruppen/<slug:slug>/mitmachen/", participation.join_working_group, name="join"),
    path("mitmachen/bestaetigen/<str:token>/", participation.confirm_subscription, name="confirm"),
    path("mitmachen/abmelden/<str:token>/", participation.leave_subscription, name="leave"),
    path("organisation/arbeitsgruppen/<slug:slug>/mitglieder/", participation.members, name="members"),
    path("organisation/prozesse/", staff.process_list, name="staff_list"),
    path("organisation/prozesse/neu/", staff.new_process, name="new"),
    path(organise, staff.edit_process, name="edit"),
    path(organise + "phasen/", staff.add_phase, name="add_phase"),
    path(organise + "phasen/<int:phase_id>/entfernen/", staff.remove_phase, name="remove_phase"),
    path(organise + "veranstaltungen/", staff.link_event, name="link_event"),
    path(organise + "veranstaltungen/<slug:event_slug>/entfernen/", staff.unlink_event, name="unlink_event"),
    path(organise + "arbeitsgruppen/", staff.link_working_group, name="link_working_group"),
    path(
        organise + "arbeitsgruppen/<slug:group_slug>/entfernen/",
        staff.unlink_working_group,
        name="unlink_working_group",
    ),
    path(organise + "arbeitsgruppen/<slug:group_slug>/einladen/", staff.invite_members, name="invite_members"),
    path(
        organise + "arbeitsgruppen/<slug:group_slug>/treffen/<slug:event_slug>/vorab-entfernen/",
        staff.remove_head_start,
        name="remove_head_start",
    ),
    path(organise + "ergebnis/", result_editor.edit_result, name="result_editor"),
    path(organise + "ergebnis/abschnitte/", result_editor.add_section, name="add_section"),
    path(
        organise + "ergebnis/abschnitte/<int:section_id>/entfernen/",
        result_editor.remove_section,
        name="remove_section",
    ),
    path(
        organise + "ergebnis/abschnitte/<int:section_id>/punkte/", result_editor.account_for_item, name="account_item"
    ),
    path(organise + "ergebnis/punkte/<int:linked_id>/entfernen/", result_editor.unlink_item, name="unlink_item"),
]
