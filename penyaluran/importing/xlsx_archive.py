"""An XLSX is a ZIP archive: opened, its parts checked against the limits before any library unpacks them,
and any damage a library meets told in one Indonesian sentence."""

import contextlib
import logging
import zipfile
import zlib

from django.core.exceptions import ValidationError

from penyaluran.importing.limits import MB, RESAVE
from tikor.formatting import angka

logger = logging.getLogger(__name__)

# -- XLSX: the archive, checked before any library reads it ----------------------------------------------------

SHARED_STRINGS = "xl/sharedStrings.xml"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (XLS), and every password-protected Excel file
ZIP_MAGIC = b"PK\x03\x04"
# A part below this size may compress as well as it likes: it cannot cost much once unpacked.
RATIO_CHECKED_ABOVE_BYTES = MB
# Workbook, relationships and styles are read whole; real ones are a few hundred KB, bloated styles a few MB.
PART_MAX_BYTES = 64 * MB
# What a damaged archive raises while its parts are read: a part missing, or holding more than its
# declared size (zipfile and calamine stop there and report a bad CRC or size), a broken deflate stream,
# an encrypted or unknown compression, text that is not UTF-8, a number that is none.
_DAMAGE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    NotImplementedError,
    RuntimeError,
    UnicodeDecodeError,
    ValueError,
)


def damaged(exc):
    logger.info("Unreadable XLSX: %r", exc)
    return ValidationError(f"Berkas XLSX rusak dan tidak dapat dibaca; {RESAVE}.")


def not_xlsx(path):
    with open(path, "rb") as raw:
        head = raw.read(len(OLE_MAGIC))
    if head == OLE_MAGIC:
        return ValidationError(
            "Berkas ini berformat Excel lama (XLS) atau dilindungi kata sandi; simpan ulang dari Excel sebagai XLSX "
            "tanpa kata sandi atau sebagai CSV UTF-8."
        )
    return ValidationError(f"Berkas bukan XLSX yang sah (isinya bukan arsip XLSX); {RESAVE}.")


@contextlib.contextmanager
def xlsx_damage():
    """Damage a library meets inside an XLSX, told in one sentence (the details go to the log)."""
    try:
        yield
    except _DAMAGE as exc:
        raise damaged(exc) from exc


@contextlib.contextmanager
def open_archive(path):
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise not_xlsx(path) from exc
    with archive, xlsx_damage():
        yield archive


def check_archive(archive, limits):
    """Refuse an archive whose parts, as its central directory declares them, unpack beyond the limits.

    The declared sizes bound what is ever decompressed: zipfile (and calamine's zip reader) stop at a part's
    declared size and refuse a part that holds more, so a directory that lies fails as damage, unread.
    """
    infos = archive.infolist()
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.unpacked_bytes:
        raise ValidationError(
            f"Berkas XLSX ini berisi {angka(unpacked / MB)} MB data setelah dibuka, lebih dari batas "
            f"{angka(limits.unpacked_bytes / MB)} MB; bagi datanya menjadi beberapa berkas."
        )
    for info in infos:
        if info.file_size > RATIO_CHECKED_ABOVE_BYTES and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise ValidationError(
                f"Berkas XLSX ini tidak wajar: bagiannya {info.filename} membesar "
                f"{angka(info.file_size / max(info.compress_size, 1))} kali saat dibuka "
                f"({angka(info.compress_size / MB, 1)} MB menjadi {angka(info.file_size / MB)} MB), lebih dari batas "
                f"{angka(limits.ratio)} kali; periksa isinya (misalnya sel berisi jutaan spasi), lalu {RESAVE}."
            )


def read_part(archive, name):
    """A part read whole (workbook, relationships, styles), refused when it is far larger than such parts are."""
    info = archive.getinfo(name)
    if info.file_size > PART_MAX_BYTES:
        raise ValidationError(
            f"Berkas XLSX ini tidak wajar: bagiannya {name} berukuran {angka(info.file_size / MB)} MB setelah dibuka "
            f"(yang wajar jauh di bawah {angka(PART_MAX_BYTES / MB)} MB); {RESAVE}."
        )
    return archive.read(info)


def part_size(archive, name):
    try:
        return archive.getinfo(name).file_size
    except KeyError:
        return 0
