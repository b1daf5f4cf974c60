"""The admin site: Django's, with its reading pages refusing a POST they would otherwise answer like a GET.

Django's index, app index and history pages ignore a POST and show the page; a change list takes one for its
actions and list editing, and shows the list again to a role that has neither. Here those POSTs answer 405 (the
reading pages) or 403 (a change list the user can neither edit nor run an action on), as every other read-only
page of the site does; the access walk (tests/security) holds them to it.
"""

import functools

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.views.decorators.http import require_safe

READING_PAGES = ("index", "app_index", "history_view")


def refuse_idle_posts(view):
    """`view` as the admin site wraps it, refusing a POST it would only read."""
    name = getattr(view, "__name__", "")
    owner = getattr(view, "__self__", None)
    if name in READING_PAGES:
        return require_safe(view)
    if name == "changelist_view" and isinstance(owner, admin.ModelAdmin):

        @functools.wraps(view)
        def changelist(request, *args, **kwargs):
            if request.method == "POST" and not (owner.has_change_permission(request) or owner.get_actions(request)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return changelist
    return view


class TikorAdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        return super().admin_view(refuse_idle_posts(view), cacheable)
