from django.shortcuts import render

from suite import access
from suite import roles as R


@access.role_required(*(R.CANDIDATE,))
def index(request):
    return render(request, "resumes/index.html")
