from django.urls import path

from reports.views import organiser, public

app_name = "reports"

urlpatterns = [
    path("organisation/berichte/", organiser.period_report, name="period"),
    path("organisation/berichte/anwesenheit.csv", organiser.period_report_csv, name="period_csv"),
    path("organisation/berichte/<slug:slug>/", organiser.event_report, name="event"),
    path("organisation/berichte/<slug:slug>/anwesenheit.csv", organiser.event_report_csv, name="event_csv"),
    path("organisation/berichte/<slug:slug>/umfrage/", organiser.survey_page, name="survey"),
    path("organisation/berichte/<slug:slug>/umfrage/fragen/", organiser.add_question, name="add_question"),
    path(
        "organisation/berichte/<slug:slug>/umfrage/fragen/<int:pk>/entfernen/",
        organiser.remove_question,
        name="remove_question",
    ),
    path("organisation/berichte/<slug:slug>/umfrage/senden/", organiser.send_survey, name="send_survey"),
    path("organisation/berichte/<slug:slug>/umfrage/antworten.csv", organiser.survey_csv, name="survey_csv"),
    path("rueckmeldung/<str:token>/", public.answer, name="answer"),
]
