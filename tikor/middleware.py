"""An error nobody foresaw, on a page: the user reads one Indonesian sentence with an incident number, the
log holds the traceback under the same number, so the admin finds it from a phone call.

Two failures of the machine rather than the code get their own answer: the database out of reach (503, try again
in a moment: a restart takes seconds) and a full disk (507: the file was not saved, none of it). The phone's outbox
keeps what it sent for another try on either, as on any answer of 500 and above.
"""

import errno
import logging
import sys

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
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


def _answer(request, status, title, message):
    """JSON for the phone and scripts (they do not ask for HTML), a page for a browser."""
    if "text/html" not in request.headers.get("Accept", ""):
        return JsonResponse({"pesan": message}, status=status)
    return HttpResponse(render_to_string("gangguan.html", {"judul": title, "pesan": message}), status=status)


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
        return HttpResponse(render_to_string("500.html", {"insiden": incident}), status=500)


def server_error(request):
    """handler500: an exception raised outside a view, e.g. in the CSRF check reading an upload that fills the
    disk. Django has logged it; it is logged again under the incident number the page gives."""
    exception = sys.exc_info()[1]
    incident = new_incident()
    logger.error("Insiden %s: %s %s", incident, request.method, request.path, exc_info=exception)
    response = machine_failure(request, exception, incident)
    return response or HttpResponse(render_to_string("500.html", {"insiden": incident}), status=500)
