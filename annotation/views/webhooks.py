"""The webhooks page: staff register URLs for events, pause or remove them, and read the delivery log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from annotation import webhooks
from annotation.forms import WebhookForm
from annotation.selectors.webhooks import webhook_deliveries, webhook_get, webhook_list
from suite import access
from suite import roles as R
from suite.forms import add_service_errors


@access.role_required(R.REVIEWER)
@never_cache
def webhooks_page(request):
    """Staff register URLs for events, pause or remove them, and read the delivery log with its status codes."""
    if not access.is_staff(request.user):
        raise PermissionDenied("Webhooks are for staff.")
    form, status = WebhookForm(), 200
    if request.method == "POST":
        action = request.POST.get("action", "create")
        if action == "create":
            form = WebhookForm(request.POST)
            if form.is_valid():
                try:
                    hook = webhooks.webhook_create(user=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, f"Webhook #{hook.pk} registered. Its signing secret: {hook.secret}")
                    return redirect("annotation:webhooks")
            status = 400
        else:
            hook = webhook_get(pk=request.POST.get("webhook"))
            if action == "delete":
                webhooks.webhook_delete(user=request.user, webhook=hook)
                messages.info(request, f"Webhook #{hook.pk} removed.")
            elif action in ("pause", "resume"):
                webhooks.webhook_set_active(user=request.user, webhook=hook, active=action == "resume")
            return redirect("annotation:webhooks")
    deliveries = Paginator(webhook_deliveries(), 25).get_page(request.GET.get("page"))
    context = {"form": form, "hooks": webhook_list(), "deliveries": deliveries}
    return render(request, "annotation/webhooks.html", context, status=status)
