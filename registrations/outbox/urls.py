from django.urls import path

from registrations.outbox import event_views, views

app_name = "outbox"

urlpatterns = [
    path("<slug:slug>/", views.outbox, name="list"),
    path("<slug:slug>/mails/<int:mail_id>.eml", views.mail_source, name="source"),
    path("<slug:slug>/mails/<int:mail_id>/erneut/", views.resend, name="resend"),
    path("<slug:slug>/nachricht/", views.write_message, name="write"),
    path("<slug:slug>/nachricht/<int:message_id>/", views.message_progress, name="message"),
    path("<slug:slug>/anrufliste/", views.call_list, name="call_list"),
    path("<slug:slug>/zugangsdaten/", event_views.access_data, name="access_data"),
    path("<slug:slug>/absagen/", event_views.change_event, {"change": "cancel"}, name="cancel_event"),
    path("<slug:slug>/verschieben/", event_views.change_event, {"change": "move"}, name="move_event"),
    path("<slug:slug>/aufschieben/", event_views.change_event, {"change": "postpone"}, name="postpone_event"),
]
