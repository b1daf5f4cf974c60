"""The site's own middleware: incidents, machine failures, the Permissions-Policy header, idle sessions, known
methods.

An error nobody foresaw, on a page: the user reads one Indonesian sentence with an incident number, the
log holds the traceback under the same number, so the admin finds it from a phone call.

Two failures of the machine rather than the code get their own answer: the database out of reach (503, try again
in a moment: a restart takes seconds) and a full disk (507: the file was not saved, none of it). The phone's outbox
keeps what it sent for another try on either, as on any answer of 500 and above.
"""

import errno
import logging
import sys
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.template.loader import render_to_string

from tikor.jobs import new_incident

logger = logging.getLogger("tikor.insiden")

EXPECTED = (Http404, PermissionDenied, SuspiciousOperation)

DATABASE_DOWN = (
    "Basis data sedang tidak dapat dihubungi, sehingga permintaan ini belum diproses. Coba lagi dalam beberapa saat."
)
DISK_FULL = (
    "Ruang penyimpanan server penuh, sehingga berkas Anda belum tersimpan (tidak ada yang tersimpan sebagian). "
    "Kirim lagi nanti; admin perlu mengosongkan ruang penyimpanan."
)


def _page(request, template, context, status):
    """A bare page, no base template (it may be the database that failed); its <style> carries the CSP nonce when
    the policy's middleware has run."""
    context = {**context, "nonce": getattr(request, "csp_nonce", "")}
    return HttpResponse(render_to_string(template, context), status=status)


def _answer(request, status, title, message):
    """JSON for the phone and scripts (they do not ask for HTML), a page for a browser."""
    if "text/html" not in request.headers.get("Accept", ""):
        return JsonResponse({"pesan": message}, status=status)
    return _page(request, "gangguan.html", {"judul": title, "pesan": message}, status)


def machine_failure(request, exception, incident):
    """The answer to a database out of reach or a full disk, or None for any other exception."""
    if isinstance(exception, OperationalError | InterfaceError):
        response = _answer(request, 503, "Basis data tidak dapat dihubungi", f"{DATABASE_DOWN} (Insiden {incident}.)")
        response["Retry-After"] = "10"
        return response
    if isinstance(exception, OSError) and exception.errno == errno.ENOSPC:
        return _answer(request, 507, "Ruang penyimpanan penuh", f"{DISK_FULL} (Insiden {incident}.)")
    return None


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
        response = machine_failure(request, exception, incident)
        if response is not None:
            return response  # answered: not an error of the code for reporters (nor for the test client to raise)
        # As Django's own handler does: error reporters listen to it, and the test client re-raises.
        got_request_exception.send(sender=type(self), request=request)
        return _page(request, "500.html", {"insiden": incident}, 500)


def server_error(request):
    """handler500: an exception raised outside a view, e.g. in the CSRF check reading an upload that fills the
    disk. Django has logged it; it is logged again under the incident number the page gives."""
    exception = sys.exc_info()[1]
    incident = new_incident()
    logger.error("Insiden %s: %s %s", incident, request.method, request.path, exc_info=exception)
    response = machine_failure(request, exception, incident)
    return response or _page(request, "500.html", {"insiden": incident}, 500)


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
