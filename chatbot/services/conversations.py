"""One turn of a conversation: triage first, then what the patient asked for, all written in one transaction."""
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from chatbot import ml
from chatbot.models import Appointment, Conversation, Message, PatientProfile, Provider
from chatbot.pipeline import answers as A
from chatbot.pipeline import medicines, phrasing
from chatbot.pipeline.triage import EMERGENCY_REPLY, SUICIDE_REPLY, URGENT_REPLY, Triage, raise_only, triage_rules
from chatbot.pipeline.when import PARTS, read_when
from chatbot.services import appointments as booking
from chatbot.pipeline.focus import question_type
from chatbot.pipeline.knowledge import HybridRetriever
from chatbot.services.knowledge import knowledge_index
from suite.ml import kinds as K
from suite.ml import selectors as ml_selectors
from suite.ml import services as ml_services

logger = logging.getLogger(__name__)
MAX_MESSAGE_CHARS = 2000
SEARCH_DAYS = 14
# Intents answered from the knowledge base; their answer is prepared before the conversation row is locked.
ANSWERING_INTENTS = ("question", "symptom_report", "other")
YES = re.compile(r"^\s*(?:yes|yep|yeah|yup|sure|ok|okay|confirm|please do|book it|go ahead|that works|sounds good|y)\b", re.IGNORECASE)
NO = re.compile(r"^\s*(?:no|nope|nah|don't|do not|never ?mind|not now|n)\b", re.IGNORECASE)
SPECIALTY_WORDS = {
    "general practice": r"\b(?:gp|general practi\w*|family doctor|doctor|check.?up)\b",
    "cardiology": r"\b(?:cardiolog\w*|heart (?:doctor|specialist))\b",
    "dermatology": r"\b(?:dermatolog\w*|skin (?:doctor|specialist))\b",
    "pediatrics": r"\b(?:pa?ediatric\w*|child(?:ren)?'?s? doctor)\b",
}


@transaction.atomic
def conversation_start(*, user, title: str = "") -> Conversation:
    return Conversation.objects.create(owner=user, title=(title or "New conversation").strip()[:200])


def conversation_delete(*, user, conversation: Conversation) -> None:
    """The conversation and everything derived from it: its messages, every model output recorded about them
    (they hold the patient's words), the flags, annotation tasks and answers opened from those outputs, and the
    staff preference items made from its replies."""
    from django.contrib.contenttypes.models import ContentType

    from annotation.models import AnnotationTask
    from suite.ml.models import ModelOutput

    if conversation.owner_id != user.pk:
        raise PermissionDenied("Only the patient can delete this conversation.")
    with transaction.atomic():
        message_ids = [str(pk) for pk in conversation.messages.values_list("pk", flat=True)]
        ModelOutput.objects.filter(content_type=ContentType.objects.get_for_model(Message), object_id__in=message_ids).delete()
        AnnotationTask.objects.filter(group__in=[f"chatbot-message-{pk}" for pk in message_ids]).delete()
        conversation.delete()


@dataclass
class Turn:
    """What the assistant decided for one message, before anything is written."""

    text: str
    triage: Triage
    intent: str
    parts: list[str] = field(default_factory=list)
    citations: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)
    chosen: int | None = None
    query: str = ""
    confidence: float | None = None
    appointment: Appointment | None = None
    handoff: bool = False
    versions: dict = field(default_factory=dict)
    serving: dict = field(default_factory=dict)
    outputs: list[tuple] = field(default_factory=list)
    # Retrieval done before the transaction: on SQLite a transaction holds the write lock from its start.
    prefetched: dict = field(default_factory=dict)
    draft: tuple | None = None
    topic: str = ""
    prepared: "Turn | None" = None


def _predict(kind_name: str, inputs: list, turn: Turn) -> list[dict]:
    kind = K.get_kind(kind_name)
    if not turn.serving:  # one query for every kind a turn may use
        turn.serving = ml_selectors.production_versions(kinds=[ml.TRIAGE, ml.INTENT, ml.RANKER])
    version = turn.serving.get(kind_name) if kind_name in turn.serving else ml_selectors.production_version(kind=kind_name)
    started = time.perf_counter()
    predictions = kind.predict_with(inputs, version)
    turn.versions[kind_name] = version.number if version else "default"
    turn.outputs.append((kind_name, version, inputs, predictions, (time.perf_counter() - started) * 1000))
    return predictions


def _read(turn: Turn) -> None:
    """Triage (the rules are the floor) and intent."""
    learned = _predict(ml.TRIAGE, [turn.text], turn)[0]
    turn.triage = raise_only(turn.triage, learned.get("label"))
    turn.intent = _predict(ml.INTENT, [turn.text], turn)[0]["label"]


# --- answering from the knowledge base -------------------------------------------------------------


def retrieve(query: str) -> dict:
    """What the knowledge base holds for a question: the foci it names, its type, and passages about those foci
    only (the focus guard). Without a named focus, the nearest passages, usable as related reading only."""
    index = knowledge_index()
    foci = index.vocabulary.recognise(query)
    qtype = question_type(query)
    retriever = HybridRetriever(index=index, k=8, foci=foci or None, qtype=qtype if foci else "")
    return {"foci": foci, "qtype": qtype, "docs": retriever.invoke(query) if len(index) else []}


def _answer(turn: Turn, state: dict, profile: PatientProfile | None) -> None:
    turn.query = A.rewrite(turn.text, state.get("topic", ""))
    found = turn.prefetched.get(turn.query) or retrieve(turn.query)
    passages = A.passages_from(found["docs"], turn.query)
    turn.confidence = passages[0].confidence if passages else 0.0
    drugs = medicines.drugs_in(turn.query)
    if profile is not None or drugs:
        turn.warnings = medicines.warnings_for(turn.query, profile)
    if not found["foci"]:
        # No drug or condition named that the knowledge base knows: never an answer about something else.
        related = next((p for p in passages if p.confident), None)
        if related is not None and turn.intent in ("symptom_report", "other") or (related and turn.triage.level != "none"):
            turn.parts.append(f"You may find this article useful: \"{related.title}\" ({related.source}).")
            turn.citations = [related.citation()]
        else:
            turn.parts.append(A.DONT_KNOW)
        return
    candidates = A.candidates_for(turn.query, passages, focused=True)
    if not candidates:
        named = ", ".join(sorted(found["foci"]))
        turn.parts.append(A.dont_know_about(named, bool(passages)))
        return
    options = [c.text for c in candidates] + ([A.DONT_KNOW] if len(candidates) == 1 else [])
    scores = [p["score"] for p in _predict(ml.RANKER, [{"query": turn.query, "candidate": c.text} for c in candidates], turn)]
    chosen = max(range(len(candidates)), key=lambda i: (scores[i], -i))
    best = candidates[chosen]
    turn.parts.append(best.text)
    turn.draft = (best.text, [p.text for p in best.passages])
    turn.citations = [p.citation() for p in best.passages]
    turn.candidates, turn.chosen = options, chosen
    turn.outputs[-1] = (ml.RANKER, turn.outputs[-1][1], {"prompt": turn.query, "options": options},
                        {"chosen": chosen, "scores": scores, "reply": best.text}, turn.outputs[-1][4])
    turn.topic = drugs[0] if drugs else best.passages[0].title


def _phrase(turn: Turn) -> None:
    """A configured LLM may reword the chosen answer from its passages; when it fails, the answer stays as composed."""
    model = phrasing.chat_model_or_none()
    if model is None or turn.draft is None:
        return
    draft, passages = turn.draft
    try:
        text = phrasing.phrase(model, question=turn.query, draft=draft, passages=passages)
    except Exception:  # a hosted model's outage, timeout or refusal must never cost the patient the answer
        logger.exception("The configured LLM failed; answering without it")
        turn.versions["llm"] = "failed"
        return
    if text:
        turn.parts[turn.parts.index(draft)] = text
        turn.candidates[turn.chosen] = text
        turn.versions["llm"] = phrasing.configured_model_name() or "configured"


def _prepare_answer(turn: Turn, conversation: Conversation, user) -> Turn:
    """The answer to a question, computed before any row is locked: retrieval, ranking and a configured LLM may
    take their time while other turns of the conversation go ahead. Used only if the turn ends up answering."""
    draft = Turn(text=turn.text, triage=turn.triage, intent=turn.intent, serving=turn.serving)
    state = Conversation.objects.values_list("state", flat=True).get(pk=conversation.pk)
    profile = PatientProfile.objects.filter(owner=user).first()
    _answer(draft, state, profile)
    _phrase(draft)
    return draft


# --- appointments by conversation ---------------------------------------------------------------


def _fmt(dt: datetime) -> str:
    return timezone.localtime(dt).strftime("%A %d %B at %H:%M")


def _providers_named(text: str) -> list[Provider]:
    providers = list(Provider.objects.filter(active=True))
    low = text.lower()
    by_name = [p for p in providers if p.name.lower() in low or p.name.split()[-1].lower() in low.split()]
    if by_name:
        return by_name
    for specialty, pattern in SPECIALTY_WORDS.items():
        if re.search(pattern, low):
            found = [p for p in providers if p.specialty.lower() == specialty]
            if found:
                return found
    return [p for p in providers if p.specialty.lower() in low]


def _specialties() -> str:
    rows = {}
    for p in Provider.objects.filter(active=True):
        rows.setdefault(p.specialty, []).append(p.name)
    return "; ".join(f"{s}: {', '.join(names)}" for s, names in sorted(rows.items())) or "no providers yet"


def _fill(pending: dict, text: str, now: datetime) -> str | None:
    """Add what the message says about who and when to the pending request; a problem to tell, or None."""
    named = _providers_named(text) if pending["action"] == "book" else []
    if named:
        pending["provider_ids"] = [p.pk for p in named]
    when = read_when(text, now)
    if when.day is not None:
        if when.day < now.date():
            return f"{when.day:%A %d %B %Y} is in the past. Which day from today on would suit you?"
        pending["day"] = when.day.isoformat()
    if when.at is not None:
        pending["at"], pending["part"] = when.at.strftime("%H:%M"), None
    elif when.part is not None:
        pending["part"], pending["at"] = when.part, None
    return None


def _propose(pending: dict, now: datetime) -> str:
    """The first free slot that fits the request, searched forward from the day asked for."""
    if pending["action"] == "book" and not pending.get("provider_ids"):
        return f"Who would you like to see? We have {_specialties()}."
    if not pending.get("day"):
        return "Which day would suit you? You can say, for example, \"next Tuesday afternoon\" or \"3 December at 10:00\"."
    providers = list(Provider.objects.filter(pk__in=pending["provider_ids"], active=True))
    if not providers:
        pending.pop("provider_ids", None)
        return f"That provider is not taking appointments. We have {_specialties()}."
    first_day = datetime.fromisoformat(pending["day"]).date()
    for offset in range(SEARCH_DAYS):
        day = first_day + timedelta(days=offset)
        options = []
        for provider in providers:
            for start in booking.slots_free(provider=provider, day=day, now=now):
                local = timezone.localtime(start)
                if pending.get("at") and local.strftime("%H:%M") != pending["at"]:
                    continue
                if pending.get("part") and not PARTS[pending["part"]][0] <= local.hour < PARTS[pending["part"]][1]:
                    continue
                options.append((start, provider))
        if options:
            start, provider = min(options, key=lambda o: (o[0], o[1].name))
            pending["proposal"] = {"provider_id": provider.pk, "start": start.isoformat()}
            moved = "" if offset == 0 else f"Nothing fits on {first_day:%A %d %B}. The nearest free slot: "
            verb = "Move your appointment to" if pending["action"] == "reschedule" else "Book"
            return f"{moved}{verb} {provider.name} ({provider.specialty}) on {_fmt(start)}? Please answer yes or no."
    pending.pop("proposal", None)
    return f"I found no free slot in the {SEARCH_DAYS} days from {first_day:%A %d %B}. Would another day suit you?"


def _upcoming(user) -> list[Appointment]:
    return list(Appointment.objects.filter(patient=user, status=Appointment.Status.BOOKED, start__gt=timezone.now()).select_related("provider"))


def _pick(user, text: str, now: datetime) -> tuple[Appointment | None, str | None]:
    upcoming = _upcoming(user)
    if not upcoming:
        return None, "You have no upcoming appointments."
    when = read_when(text, now)
    if when.day is not None:
        upcoming = [a for a in upcoming if timezone.localtime(a.start).date() == when.day] or upcoming
    if len(upcoming) > 1:
        listed = "; ".join(f"{a.provider.name} on {_fmt(a.start)}" for a in upcoming)
        return None, f"You have several upcoming appointments: {listed}. Which day is the one you mean?"
    return upcoming[0], None


def _act(turn: Turn, conversation: Conversation, user, pending: dict) -> None:
    """Do what the patient confirmed; a slot taken in the meantime is said plainly and nothing is booked."""
    state = conversation.state
    state.pop("pending", None)
    try:
        with transaction.atomic():
            if pending["action"] == "book":
                provider = Provider.objects.get(pk=pending["proposal"]["provider_id"])
                turn.appointment = booking.appointment_book(
                    patient=user, provider=provider, start=datetime.fromisoformat(pending["proposal"]["start"]), reason=pending.get("reason", "")
                )
                turn.parts.append(f"Booked: {provider.name} ({provider.specialty}) on {_fmt(turn.appointment.start)}. "
                                  "You can download it for your calendar from your appointments page.")
            elif pending["action"] == "cancel":
                turn.appointment = booking.appointment_cancel(appointment=Appointment.objects.get(pk=pending["appointment_id"]), user=user)
                turn.parts.append(f"Cancelled your appointment with {turn.appointment.provider.name} on {_fmt(turn.appointment.start)}.")
            else:
                turn.appointment = booking.appointment_reschedule(
                    appointment=Appointment.objects.get(pk=pending["appointment_id"]), user=user,
                    start=datetime.fromisoformat(pending["proposal"]["start"]),
                )
                turn.parts.append(f"Done: your appointment with {turn.appointment.provider.name} is now on {_fmt(turn.appointment.start)}.")
    except (ValidationError, Appointment.DoesNotExist, Provider.DoesNotExist) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else "That appointment or provider no longer exists."
        turn.parts.append(f"I could not do that: {message} Nothing was changed.")
        if pending["action"] in ("book", "reschedule") and booking.SLOT_TAKEN in message:
            pending.pop("proposal", None)
            state["pending"] = pending
            turn.parts.append(_propose(pending, timezone.localtime()))


def _continue(turn: Turn, conversation: Conversation, user, now: datetime) -> bool:
    """Carry on with a request being filled in; False when the message is about something else."""
    pending = conversation.state.get("pending")
    if not pending:
        return False
    if pending.get("proposal") and YES.search(turn.text):
        _act(turn, conversation, user, pending)
        return True
    if NO.search(turn.text) and not read_when(turn.text, now).day:
        conversation.state.pop("pending")
        turn.parts.append("All right, I have not changed anything. Is there something else I can help with?")
        return True
    before = dict(pending)
    problem = _fill(pending, turn.text, now)
    if problem:
        turn.parts.append(problem)
        return True
    if pending == before and turn.intent in ("question", "symptom_report", "greeting", "handoff", "list_appointments", "other"):
        conversation.state.pop("pending")
        return False  # a new subject: the half-filled request is dropped
    pending.pop("proposal", None)
    turn.parts.append(_propose(pending, now))
    return True


def _start_request(turn: Turn, conversation: Conversation, user, now: datetime) -> None:
    action = turn.intent
    if action == "book":
        pending = {"action": "book", "reason": turn.text[:300]}
    else:
        appointment, problem = _pick(user, turn.text, now)
        if problem:
            turn.parts.append(problem)
            return
        pending = {"action": action, "appointment_id": appointment.pk, "provider_ids": [appointment.provider_id]}
        if action == "cancel":
            pending["proposal"] = {"appointment_id": appointment.pk}
            conversation.state["pending"] = pending
            turn.parts.append(f"Cancel your appointment with {appointment.provider.name} on {_fmt(appointment.start)}? Please answer yes or no.")
            return
    problem = _fill(pending, turn.text, now)
    conversation.state["pending"] = pending
    turn.parts.append(problem or _propose(pending, now))


def _list(turn: Turn, user) -> None:
    upcoming = _upcoming(user)
    if not upcoming:
        turn.parts.append("You have no upcoming appointments. Say \"book an appointment\" to make one.")
    else:
        turn.parts.append("Your upcoming appointments: " + "; ".join(f"{a.provider.name} ({a.provider.specialty}) on {_fmt(a.start)}" for a in upcoming) + ".")


# --- the turn ------------------------------------------------------------------------------------


def _validate(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ["Write a message first."]})
    if len(text) > MAX_MESSAGE_CHARS:
        raise ValidationError({"text": [f"Messages are limited to {MAX_MESSAGE_CHARS} characters; this one has {len(text)}."]})
    return text


def _use_answer(turn: Turn, answer: Turn, conversation: Conversation) -> None:
    turn.parts.extend(answer.parts)
    turn.query, turn.confidence, turn.citations, turn.warnings = answer.query, answer.confidence, answer.citations, answer.warnings
    turn.candidates, turn.chosen = answer.candidates, answer.chosen
    turn.outputs.extend(answer.outputs)
    turn.versions.update(answer.versions)
    if answer.topic:
        conversation.state["topic"] = answer.topic


def _respond(turn: Turn, conversation: Conversation, user) -> None:
    now = timezone.localtime()
    if turn.triage.level == "emergency":
        suicidal = any("suicid" in r for r in turn.triage.reasons)
        turn.parts.append(SUICIDE_REPLY + " " + EMERGENCY_REPLY if suicidal else EMERGENCY_REPLY)
    if _continue(turn, conversation, user, now):
        return
    if turn.intent in ("book", "cancel", "reschedule"):
        _start_request(turn, conversation, user, now)
    elif turn.intent == "list_appointments":
        _list(turn, user)
    elif turn.intent == "handoff":
        turn.handoff = True
        turn.parts.append("I have asked a member of our staff to read this conversation. Their reply will appear here.")
    elif turn.intent == "greeting":
        turn.parts.append("Hello! Ask me a health question, tell me about a symptom, or ask me to book an appointment.")
    elif (turn.triage.level != "emergency" or turn.intent == "question") and turn.prepared is not None:
        if turn.triage.level == "urgent":
            turn.parts.append(URGENT_REPLY)
        _use_answer(turn, turn.prepared, conversation)
        if turn.intent == "symptom_report" and turn.triage.level in ("routine", "none"):
            turn.parts.append("If it gets worse or does not settle in a few days, I can book you an appointment: just ask.")


def message_send(*, user, conversation: Conversation, text: str) -> Message:
    """The patient's message and the assistant's reply, with every model output the patient sees, in one transaction."""
    if conversation.owner_id != user.pk:
        raise ValidationError({"conversation": ["This is not your conversation."]})
    text = _validate(text)
    started = time.perf_counter()
    turn = Turn(text=text, triage=triage_rules(text), intent="other")
    _read(turn)
    if turn.intent in ANSWERING_INTENTS:
        turn.prepared = _prepare_answer(turn, conversation, user)
    # The lock is held only for the few writes below: no ranking, no retrieval, no LLM call inside it.
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        _respond(turn, conversation, user)
        if not turn.parts:
            turn.parts.append(A.DONT_KNOW)
        show_disclaimer = bool(turn.citations) or turn.triage.level != "none" or turn.confidence is not None
        reply_text = "\n\n".join([*turn.parts, *turn.warnings, *([A.DISCLAIMER] if show_disclaimer else [])])
        Message.objects.create(conversation=conversation, role=Message.Role.PATIENT, text=text, author=user)
        reply = Message.objects.create(
            conversation=conversation, role=Message.Role.ASSISTANT, text=reply_text, intent=turn.intent,
            triage_level=turn.triage.level, triage_reasons=turn.triage.reasons, citations=turn.citations, warnings=turn.warnings,
            candidates=turn.candidates, confidence=turn.confidence, model_versions=turn.versions, appointment=turn.appointment,
        )
        latency = (time.perf_counter() - started) * 1000
        recorded = {}
        for kind_name, version, inputs, predictions, ms in turn.outputs:
            one_input = inputs[0] if isinstance(inputs, list) else inputs
            one_output = predictions[0] if isinstance(predictions, list) else predictions
            recorded[kind_name] = ml_services.model_output_record(
                kind=kind_name, input=one_input, output=one_output, version=version, score=one_output.get("score"),
                latency_ms=latency if kind_name == ml.RANKER else ms, owner=user, subject=reply,
            )
        # The reply's own output: the ranker's choice for answers, else the intent that decided the reply.
        reply.output = recorded.get(ml.RANKER) or recorded.get(ml.INTENT)
        reply.save(update_fields=["output"])
        if turn.handoff:
            conversation.needs_person, conversation.handoff_at = True, timezone.now()
        if conversation.title in ("", "New conversation"):
            conversation.title = text[:80]
        conversation.save()
    return reply
