from django.urls import path

from live.views import organiser, public

app_name = "live"

event = "veranstaltungen/<slug:slug>/live/"
desk = event + "organisation/"

urlpatterns = [
    path(event, public.live_page, name="page"),
    path(event + "zustand.json", public.state_document, name="state"),
    path(event + "fragen/", public.questions_page, name="questions"),
    path(event + "fragen/<int:question_id>/stimme/", public.upvote, name="upvote"),
    path(event + "umfragen/<int:poll_id>/", public.answer_poll, name="answer_poll"),
    path(event + "podium/", public.panel, name="panel"),
    path("live/<str:token>/", public.personal_link, name="personal"),
    path(desk, organiser.desk, name="desk"),
    path(desk + "fragen/<int:question_id>/freigeben/", organiser.approve, name="approve"),
    path(desk + "fragen/<int:question_id>/verbergen/", organiser.hide, name="hide"),
    path(desk + "fragen/<int:question_id>/zeigen/", organiser.show, name="show"),
    path(desk + "fragen/<int:question_id>/beantwortet/", organiser.answer, name="answer"),
    path(desk + "umfragen/", organiser.new_poll, name="new_poll"),
    path(desk + "umfragen/<int:poll_id>/oeffnen/", organiser.open_poll, name="open_poll"),
    path(desk + "umfragen/<int:poll_id>/schliessen/", organiser.close_poll, name="close_poll"),
    path(desk + "protokoll/", organiser.protocol, name="protocol"),
    path(desk + "protokoll.csv", organiser.protocol_csv, name="protocol_csv"),
]
