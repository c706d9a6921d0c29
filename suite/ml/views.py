from django.shortcuts import render

from suite import access


@access.staff_required
def index(request):
    return render(request, "ml/index.html")
