from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from suite import access
from suite import roles as R
from suite.forms import SignupForm
from suite.health import health_check


@login_required
def home(request):
    return render(request, "suite/home.html", {"areas": access.areas_for(request.user)})


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("home")
    return render(request, "registration/signup.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
def healthz(request):
    """Up or down for anyone (load balancers); host names, folders and errors only for staff."""
    report = health_check()
    status = 200 if report["status"] == "up" else 503
    if not access.is_staff(request.user):
        report = {"status": report["status"]}
    return JsonResponse(report, status=status)


@access.staff_required
def staff_dashboard(request):
    report = health_check()
    counts = {g.name: g.user_set.count() for g in Group.objects.filter(name__in=R.ALL_ROLES)}
    return render(
        request,
        "suite/staff.html",
        {"health": report, "role_counts": [(R.ROLE_LABELS[r], counts.get(r, 0)) for r in R.ALL_ROLES]},
    )
