from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chatbot import selectors, services
from suite import access
from suite import roles as R


@access.role_required(R.PATIENT)
def index(request):
    return render(request, "chatbot/index.html", {"conversations": selectors.conversation_list(user=request.user)[:50]})


@require_POST
@access.role_required(R.PATIENT)
def conversation_create(request):
    conversation = services.conversation_start(user=request.user, title=request.POST.get("title", ""))
    return redirect("chatbot:conversation", pk=conversation.pk)


@access.role_required(R.PATIENT)
def conversation_detail(request, pk: int):
    return render(request, "chatbot/conversation.html", {"conversation": selectors.conversation_get(user=request.user, pk=pk)})
