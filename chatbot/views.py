from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from annotation.privacy import audit_unmasked_view, shown_to
from chatbot import forms, selectors, services
from chatbot.api import ics_response
from suite import access
from suite import roles as R
from suite.forms import add_service_errors


@access.role_required(R.PATIENT)
def index(request):
    return render(request, "chatbot/index.html", {"conversations": selectors.conversation_list(user=request.user)[:50]})


@require_POST
@access.role_required(R.PATIENT)
def conversation_create(request):
    """The question typed on the start page becomes the conversation's first message, answered at once."""
    question = request.POST.get("title", "").strip()
    conversation = services.conversation_start(user=request.user, title=question[:80])
    if question:
        try:
            services.message_send(user=request.user, conversation=conversation, text=question)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("chatbot:conversation", pk=conversation.pk)


@access.role_required(R.PATIENT)
def conversation_detail(request, pk: int):
    conversation = selectors.conversation_get(user=request.user, pk=pk)
    return render(request, "chatbot/conversation.html", {"conversation": conversation, "chat_messages": selectors.message_list(conversation=conversation)})


@access.role_required(R.PATIENT)
def appointments(request):
    form = forms.BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_book(patient=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Booked {appointment.provider.name} on {appointment.start:%A %d %B at %H:%M}.")
            return redirect("chatbot:appointments")
    return render(request, "chatbot/appointments.html", {
        "form": form, "appointments": selectors.appointment_list(user=request.user), "providers": selectors.provider_list(),
    })


@require_POST
@access.role_required(R.PATIENT)
def appointment_cancel(request, pk: int):
    appointment = selectors.appointment_get(user=request.user, pk=pk)
    try:
        services.appointment_cancel(appointment=appointment, user=request.user)
        messages.success(request, "Appointment cancelled.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("chatbot:appointments")


@access.role_required(R.PATIENT)
def appointment_ics(request, pk: int):
    return ics_response(selectors.appointment_get(user=request.user, pk=pk))


@access.role_required(R.PATIENT)
def profile(request):
    current = selectors.profile_get(user=request.user)
    initial = {"age": current.age, **{f: ", ".join(getattr(current, f)) for f in ("conditions", "medications", "allergies")}}
    form = forms.ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Profile saved.")
            return redirect("chatbot:profile")
    return render(request, "chatbot/profile.html", {"form": form})


@access.role_required(R.PATIENT)
def article(request, source_id: str):
    return render(request, "chatbot/article.html", {"article": selectors.article_get(source_id=source_id)})


# --- staff ----------------------------------------------------------------------------------------


@access.staff_required
def inbox(request):
    rows = selectors.inbox_rows(conversations=selectors.inbox_list()[:100], viewer=request.user)
    return render(request, "chatbot/inbox.html", {"conversations": rows})


@access.staff_required
def inbox_conversation(request, pk: int):
    """Staff read patient text masked; the original is shown only on request, and that is audited."""
    conversation = selectors.staff_conversation_get(pk=pk)
    rows = list(selectors.message_list(conversation=conversation))
    unmasked = request.GET.get("unmask") == "1"
    if unmasked:
        audit_unmasked_view(user=request.user, what=f"conversation {conversation.pk}")
        texts = [m.text for m in rows]
    else:
        texts = shown_to([m.text for m in rows], viewer=request.user, owner=conversation.owner)
    form = forms.StaffReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_reply(user=request.user, conversation=conversation, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Reply sent; it shows in the patient's chat.")
            return redirect("chatbot:inbox-conversation", pk=pk)
    return render(request, "chatbot/inbox_conversation.html", {
        "conversation": conversation, "rows": list(zip(rows, texts)), "form": form, "unmasked": unmasked,
    })


@require_POST
@access.staff_required
def reply_review(request, pk: int):
    """A staff rating (1-5) or a choice between the reply's candidates, from the inbox page."""
    message = selectors.staff_message_get(pk=pk)
    try:
        if "score" in request.POST:
            services.reply_rate(user=request.user, message=message, score=int(request.POST["score"]))
            messages.success(request, "Rating saved.")
        else:
            services.reply_prefer(user=request.user, message=message, chosen=int(request.POST.get("chosen", "-1")))
            messages.success(request, "Preference saved; it will train the answer ranker.")
    except (ValidationError, ValueError) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else "Choose a valid option.")
    return redirect("chatbot:inbox-conversation", pk=message.conversation_id)
