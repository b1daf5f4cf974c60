"""The media folder's storage: a file is there whole under its name, or not at all.

Django's FileSystemStorage writes an upload straight under its final name, so a write that fails part way (the disk
fills up) leaves half a file there. Here it is written to a hidden temporary name in the same folder and renamed
when complete (a rename needs no space); on any failure the temporary file is removed.
"""

import os
import tempfile

from django.core.files.storage import FileSystemStorage


class _Written:
    """A complete file at `path`, which FileSystemStorage moves into place by renaming it."""

    def __init__(self, path):
        self.path = path

    def temporary_file_path(self):
        return self.path


class MediaStorage(FileSystemStorage):
    def _save(self, name, content):
        if hasattr(content, "temporary_file_path"):
            return super()._save(name, content)  # already a whole file on disk: moved by a rename
        folder = os.path.dirname(self.path(name))
        os.makedirs(folder, exist_ok=True)
        descriptor, partial = tempfile.mkstemp(dir=folder, prefix=".sebagian-")
        try:
            with os.fdopen(descriptor, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk.encode() if isinstance(chunk, str) else chunk)
            return super()._save(name, _Written(partial))
        finally:
            if os.path.exists(partial):
                os.remove(partial)
