"""Two third-party admin templates are copied into templates/ only to drop the attributes the content security
policy refuses. Each copy must stay the installed template minus those attributes: after an upgrade changes the
original, this fails until the copy is taken again."""

from pathlib import Path

import import_export
import pytest
import simple_history
from django.conf import settings

COPIES = {
    "admin/import_export/export.html": (
        Path(import_export.__file__).parent / "templates/admin/import_export/export.html",
        [
            ('<p style="padding: 0;">', "<p>"),
            ('\n                    onchange="onSelectToggleChange(event)" checked>', " checked>"),
            ('<label style="font-weight: bold;" for=', "<label for="),
        ],
    ),
    "simple_history/object_history_list.html": (
        Path(simple_history.__file__).parent / "templates/simple_history/object_history_list.html",
        [('<p class="paginator" style="border-top: 0">', '<p class="paginator">')],
    ),
}


@pytest.mark.parametrize("name", COPIES)
def test_the_copy_is_the_installed_template_without_its_inline_attributes(name):
    original, changes = COPIES[name]
    expected = original.read_text()
    for old, new in changes:
        assert old in expected, f"{original} no longer has {old!r}: take the copy again"
        expected = expected.replace(old, new)
    comment, copy = (Path(settings.BASE_DIR) / "templates" / name).read_text().split("\n", 1)

    assert comment.startswith("{#")
    assert comment.endswith("#}")
    assert copy == expected
    assert " style=" not in copy
    assert " onchange=" not in copy
