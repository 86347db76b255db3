"""The survey page behind the link in the mail. The link is the only key: no login, no cookie
that names the person. A forged link answers 404, a used one 410, each with a page that says so;
wrong answers show the form again (400) and store nothing."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.errors import DomainError
from reports.feedback import services
from reports.forms import AnswerForm


@never_cache
def answer(request, token):
    try:
        invitation = services.invitation_for(token)
    except DomainError as error:
        return render(request, "reports/answer_closed.html", {"message": error.message}, status=error.status)
    event = invitation.survey.event
    questions = list(invitation.survey.questions.all())
    form = AnswerForm(request.POST if request.method == "POST" else None, questions=questions)
    if form.is_valid():
        try:
            services.submit_answers(token, form.answers(), now=timezone.now())
        except (services.InvalidLink, services.LinkUsed) as error:
            return render(request, "reports/answer_closed.html", {"message": error.message}, status=error.status)
        except DomainError as error:
            form.add_service_error(error)
        else:
            return render(request, "reports/answer_thanks.html", {"event": event})
    status = 422 if form.is_bound else 200
    return render(request, "reports/answer.html", {"event": event, "form": form}, status=status)
