from django.shortcuts import render

from suite import access
from suite import roles as R


@access.role_required(*(R.LAWYER, R.RESEARCHER))
def index(request):
    return render(request, "summarizer/index.html")
