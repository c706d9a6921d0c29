from django.shortcuts import render

from suite import access
from suite import roles as R


@access.role_required(*(R.ANNOTATOR, R.REVIEWER))
def index(request):
    return render(request, "annotation/index.html")
