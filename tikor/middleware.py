"""The site's own middleware: incidents, the Permissions-Policy header, idle sessions.

An error nobody foresaw, on a page: the user reads one Indonesian sentence with an incident number, the
log holds the traceback under the same number, so the admin finds it from a phone call."""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
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


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY as the Permissions-Policy header (Django has no setting for it)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}={allow}" for feature, allow in settings.PERMISSIONS_POLICY.items())

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response


class IdleSessionMiddleware:
    """Signs out a user whose session saw no request for settings.SESSION_IDLE_SECONDS.

    The request then goes on as an anonymous one: pages send the user to the login page, which says why. The
    time of the last request is written at most once a minute, not on every request.
    """

    KEY = "_terakhir_aktif"
    WRITE_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def signed_in(cls, sender, request, user, **kwargs):
        """The login starts the clock, in the session the login saves anyway (no write on the first page)."""
        request.session[cls.KEY] = int(time.time())

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(self.KEY)
            if last is not None and now - last > settings.SESSION_IDLE_SECONDS:
                logout(request)
                menit = max(1, settings.SESSION_IDLE_SECONDS // 60)
                messages.info(
                    request, f"Sesi Anda berakhir karena tidak ada aktivitas selama {menit} menit. Silakan masuk lagi."
                )
            elif last is None or now - last >= self.WRITE_EVERY:
                request.session[self.KEY] = now
        return self.get_response(request)


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
