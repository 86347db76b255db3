"""The API answers in the caller's language.

Pages take their language from the URL (`/` German, `/en/` English). The API has no language in
its URLs, so Django's LocaleMiddleware would always answer in German; API clients say what they
want with `Accept-Language` (or the language cookie), as HTTP intends."""

from django.utils import translation


class ApiLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
