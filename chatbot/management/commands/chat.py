"""Talk to the assistant from the command line: one message, or a file of first messages with --batch."""
import json
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from chatbot import services
from chatbot.api import chat_out
from chatbot.models import Conversation


class Command(BaseCommand):
    help = "Send MESSAGE as USERNAME and print the reply (--json: one object; --batch FILE: one per line of FILE)."

    def add_arguments(self, parser):
        parser.add_argument("message", nargs="?", help="the patient's message")
        parser.add_argument("--user", required=True, help="the patient's username")
        parser.add_argument("--conversation", type=int, help="continue this conversation (yours) instead of starting one")
        parser.add_argument("--json", action="store_true", help="print the reply as one JSON object")
        parser.add_argument("--batch", help="a file: each line starts a new conversation; the models load once")

    def handle(self, *args, **opts):
        user = get_user_model().objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"No user {opts['user']!r}.")
        if opts["batch"]:
            if opts["message"] or opts["conversation"]:
                raise CommandError("Give either MESSAGE or --batch FILE, not both; --batch starts a conversation per line.")
            try:
                with open(opts["batch"], encoding="utf-8") as lines:
                    messages = [line.rstrip("\n") for line in lines if line.strip()]
            except OSError as exc:
                raise CommandError(f"Cannot read {opts['batch']}: {exc.strerror}") from None
            for text in messages:
                self._one(user, None, text, opts["json"])
            return
        if not opts["message"]:
            raise CommandError("Give a MESSAGE (or --batch FILE).")
        self._one(user, opts["conversation"], opts["message"], opts["json"])

    def _one(self, user, conversation_id, text, as_json):
        if conversation_id:
            conversation = Conversation.objects.filter(pk=conversation_id, owner=user).first()
            if conversation is None:
                raise CommandError(f"{user.username} has no conversation #{conversation_id}.")
        else:
            conversation = services.conversation_start(user=user, title=text[:80])
        try:
            reply = services.message_send(user=user, conversation=conversation, text=text)
        except ValidationError as exc:
            if as_json:
                self.stdout.write(json.dumps({"conversation": conversation.pk, "error": " ".join(exc.messages)}))
                return
            raise CommandError(" ".join(exc.messages)) from None
        if as_json:
            self.stdout.write(json.dumps(chat_out(reply), ensure_ascii=False, default=str))
        else:
            self.stdout.write(f"[conversation {conversation.pk} · {reply.intent} · triage {reply.triage_level}]\n{reply.text}")
            for c in reply.citations:
                self.stdout.write(f"  source: {c['title']} ({c['source']}) {c['url']}")
        sys.stdout.flush()
