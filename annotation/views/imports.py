"""The import page: upload a file in any registered format, read the dry run's report, then import it."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from annotation.forms import ImportForm
from annotation.services import imports as import_services
from suite import access
from suite import roles as R
from suite.forms import add_service_errors


@access.role_required(R.REVIEWER)
@never_cache
def import_page(request):
    """Upload a file in any registered format; a dry run shows the report first, then the same file imports."""
    form = ImportForm(request.POST or None, request.FILES or None)
    counts, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                counts = import_services.annotations_import_upload(
                    user=request.user,
                    stream=data["file"].file,
                    format=data["format"],
                    kind=data["kind"],
                    accepted=data["accepted"],
                    project=data["project"] or None,
                    labels=data["labels"] or None,
                    dry_run=data["dry_run"],
                    blind=True if data["blind"] else None,
                )
            except ValidationError as exc:
                add_service_errors(form, exc, rename={"items": "file"})
        if not form.is_valid() or form.errors:
            status = 400
    context = {
        "form": form,
        "counts": counts,
        "report_lines": import_services.import_report_lines(counts) if counts else [],
    }
    return render(request, "annotation/import.html", context, status=status)
