"""The desk's spreadsheet import: upload → dry-run report → confirm → result.

The uploaded file is read once and its rows kept in the editor's (server-side)
session with a digest of the file; the confirm button carries only that digest. On
confirm the rows are checked and planned again from the session — the report the
browser shows is never trusted — and written through states.imports.
"""

import hashlib
import hmac

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from provisions.models import Treaty
from states import imports
from states.imports import template
from states.imports.reading import too_large

IMPORT_PERMISSION = "states.add_statement"
PUBLISH_PERMISSION = "states.publish_statement"
PENDING = "desk_import_pending"
EXTENSIONS = (".csv", ".txt", ".xlsx")


class UploadForm(forms.Form):
    treaty = forms.ModelChoiceField(
        queryset=Treaty.objects.order_by("short_title", "title"), empty_label=None
    )
    file = forms.FileField(
        help_text=f"CSV (UTF-8) or .xlsx, at most {imports.MAX_BYTES // 1_048_576} MB "
        f"and {imports.MAX_ROWS:,} rows."
    )
    publish = forms.BooleanField(
        required=False,
        label="Publish what is imported (reviewers)",
        help_text="Without it, everything is imported as drafts for review.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError("Upload a .csv or an .xlsx file.")
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(too_large(upload.size))
        return upload


def _require(user, permission, why):
    if not user.has_perm(permission):
        raise PermissionDenied(why)


def _digest(content, treaty, publish):
    return hashlib.sha256(b"%d:%d:" % (treaty.pk, publish) + content).hexdigest()


def _upload_page(request, form, status=200):
    return render(
        request,
        "desk/import_upload.html",
        {
            "form": form,
            "guide": template.guide_rows(),
            "reviewer": request.user.has_perm(PUBLISH_PERMISSION),
        },
        status=status,
    )


@login_required
def import_upload(request):
    """The upload form; a posted file gets its dry-run report."""
    user = request.user
    _require(user, IMPORT_PERMISSION, "Importing is for editors.")
    if request.method != "POST":
        return _upload_page(request, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    treaty, upload = form.cleaned_data["treaty"], form.cleaned_data["file"]
    publish = form.cleaned_data["publish"]
    if publish:
        _require(user, PUBLISH_PERMISSION, "Only reviewers can publish an import.")
    content = upload.read()
    try:
        table = imports.read_table(content, upload.name)
    except imports.FileRefused as refused:
        form.add_error("file", str(refused))
        return _upload_page(request, form, status=400)
    report = imports.import_table(
        treaty=treaty, table=table, user=user, publish=publish, dry_run=True
    )
    digest = _digest(content, treaty, publish)
    if report.ok:
        request.session[PENDING] = {
            "digest": digest,
            "treaty": treaty.pk,
            "publish": publish,
            "filename": upload.name,
            "columns": table.columns,
            "rows": table.rows,
        }
    else:
        request.session.pop(PENDING, None)
    return render(
        request,
        "desk/import_report.html",
        {"report": report, "filename": upload.name, "digest": digest},
    )


@login_required
@require_POST
def import_confirm(request):
    """Write the pending import, checked and planned again from the session."""
    user = request.user
    _require(user, IMPORT_PERMISSION, "Importing is for editors.")
    pending = request.session.get(PENDING)
    posted = request.POST.get("digest", "")
    if pending is None or not hmac.compare_digest(pending["digest"], posted):
        messages.error(
            request,
            "This import was confirmed already, or another file was uploaded since: "
            "upload the file again.",
        )
        return redirect("desk:import")
    if pending["publish"]:
        _require(user, PUBLISH_PERMISSION, "Only reviewers can publish an import.")
    treaty = Treaty.objects.get(pk=pending["treaty"])
    table = imports.Table(
        columns=pending["columns"], rows=[tuple(row) for row in pending["rows"]]
    )
    report = imports.import_table(
        treaty=treaty,
        table=table,
        user=user,
        publish=pending["publish"],
        dry_run=False,
    )
    del request.session[PENDING]
    return render(
        request,
        "desk/import_result.html",
        {"report": report, "filename": pending["filename"]},
        status=200 if report.applied else 409,
    )


_TEMPLATES = {
    "csv": (template.template_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        template.template_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


@login_required
def import_template(request, extension):
    """The template (one example row; the XLSX has the column guide too)."""
    _require(request.user, IMPORT_PERMISSION, "Importing is for editors.")
    if extension not in _TEMPLATES:
        raise Http404("The template is offered as .csv and .xlsx.")
    build, content_type = _TEMPLATES[extension]
    response = HttpResponse(build(), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="positions-import-template.{extension}"'
    )
    return response
