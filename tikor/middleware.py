"""An error nobody foresaw, on a page: the user reads one Indonesian sentence with an incident number, the
log holds the traceback under the same number, so the admin finds it from a phone call."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.signals import got_request_exception
from django.http import Http404, HttpResponseNotAllowed, HttpResponseServerError
from django.template.loader import render_to_string

from tikor.jobs import new_incident

logger = logging.getLogger("tikor.insiden")

EXPECTED = (Http404, PermissionDenied, SuspiciousOperation)


class IncidentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG or isinstance(exception, EXPECTED):
            return None  # Django's own pages: the debug page, 404, 403, 400
        incident = new_incident()
        logger.error("Insiden %s: %s %s", incident, request.method, request.path, exc_info=exception)
        # As Django's own handler does: error reporters listen to it, and the test client re-raises.
        got_request_exception.send(sender=type(self), request=request)
        return HttpResponseServerError(render_to_string("500.html", {"insiden": incident}))


class KnownMethodsMiddleware:
    """405 for any method but GET, HEAD, POST and OPTIONS, before a view sees it.

    No page takes PUT, PATCH or DELETE; a function view that checks only for POST would treat them as a GET,
    and a redirecting view would answer them with a redirect. One answer here, for every URL, new ones included.
    """

    ALLOWED = ("GET", "HEAD", "POST", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.ALLOWED:
            return HttpResponseNotAllowed(self.ALLOWED)
        return self.get_response(request)
