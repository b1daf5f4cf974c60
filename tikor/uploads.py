"""Limits on uploaded files: one validator for every upload form (registry and bank imports, evidence,
documents), each limit a setting in MB read when a file is checked.

The form refuses what the request has already streamed to a temporary file; the reverse proxy in front
should cap a request's body near the largest limit (nginx client_max_body_size), so a huge upload is cut
off before it fills the disk.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.utils.deconstruct import deconstructible
from django.utils.functional import lazy

from tikor.formatting import angka

MB = 1024 * 1024


@deconstructible
class MaxUploadSize:
    """A validator for a file field: refuses a file larger than the setting `setting` (in MB) allows."""

    def __init__(self, setting):
        self.setting = setting

    @property
    def limit_mb(self):
        return getattr(settings, self.setting)

    def __call__(self, upload):
        if upload.size > self.limit_mb * MB:
            raise ValidationError(
                f"Ukuran berkas {angka(upload.size / MB, 1)} MB melebihi batas {angka(self.limit_mb)} MB; "
                "perkecil berkasnya atau bagi menjadi beberapa berkas.",
                code="too_large",
            )

    @property
    def help_text(self):
        """ "Paling besar 100 MB.", as the setting says when a form is shown."""
        return lazy(lambda: f"Paling besar {angka(self.limit_mb)} MB.", str)()

    def __eq__(self, other):
        return isinstance(other, MaxUploadSize) and other.setting == self.setting


import_upload_size = MaxUploadSize("IMPORT_UPLOAD_MAX_MB")  # registry and bank files
document_upload_size = MaxUploadSize("DOCUMENT_UPLOAD_MAX_MB")  # evidence of corrective actions, documents


class WholeTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Streams an upload past FILE_UPLOAD_MAX_MEMORY_SIZE to FILE_UPLOAD_TEMP_DIR, as Django's does; a write that
    fails (the disk is full) removes the partial file at once instead of whenever the garbage collector runs."""

    def receive_data_chunk(self, raw_data, start):
        try:
            return super().receive_data_chunk(raw_data, start)
        except OSError:
            self.file.close()  # a NamedTemporaryFile: closing it deletes it
            raise
