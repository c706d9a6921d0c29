"""A configured LLM reached over HTTP. The hosted LLM is a boundary tests cannot reach, so a local fake
OpenAI-compatible server stands in for it: the real LangChain client, the real HTTP, the real turn; only the far
end is ours, and it answers well, with an HTTP error, with bad JSON, or too late."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

from chatbot.pipeline import phrasing
from chatbot.services import conversation_start, message_send
from chatbot.services import conversations as turns

QUESTION = "What are the side effects of amoxicillin?"


class FakeLLM(BaseHTTPRequestHandler):
    mode = "ok"
    calls = 0

    def do_POST(self):  # noqa: N802 (http.server's name)
        type(self).calls += 1
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.mode == "slow":
            time.sleep(3)
        if self.mode == "http_error":
            return self._send(500, b'{"error": {"message": "overloaded"}}')
        if self.mode == "bad_json":
            return self._send(200, b"<html>not json</html>")
        said = "In plain words: amoxicillin can upset the stomach."
        body = {"id": "x", "object": "chat.completion", "created": 0, "model": "fake",
                "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": said}}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
        self._send(200, json.dumps(body).encode())

    def _send(self, status, body):
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the timeout case)

    def log_message(self, *args):
        pass


@pytest.fixture
def llm_server(settings, monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLLM)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.CHATBOT_LLM = "openai:fake-model"
    settings.CHATBOT_LLM_TIMEOUT = 1
    monkeypatch.setenv("OPENAI_API_KEY", "not-a-real-key")
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{server.server_port}/v1")
    FakeLLM.mode, FakeLLM.calls = "ok", 0
    yield FakeLLM
    server.shutdown()
    server.server_close()


def test_a_configured_llm_over_http_rewords_the_answer_and_keeps_the_citations(patient, starter_kb, llm_server):
    reply = message_send(user=patient, conversation=conversation_start(user=patient), text=QUESTION)
    assert llm_server.calls == 1
    assert reply.text.startswith("In plain words: amoxicillin") and reply.model_versions["llm"] == "openai:fake-model"
    assert reply.citations[0]["source_id"].startswith("starter-amoxicillin")


@pytest.mark.parametrize("mode", ["http_error", "bad_json", "slow"])
def test_an_llm_that_errs_returns_nonsense_or_times_out_is_answered_without_it(mode, patient, starter_kb, llm_server):
    llm_server.mode = mode
    started = time.perf_counter()
    reply = message_send(user=patient, conversation=conversation_start(user=patient), text=QUESTION)
    assert llm_server.calls == 1  # one try: no retries that multiply the patient's wait
    assert time.perf_counter() - started < 30
    assert reply.text.startswith('According to "Amoxicillin') and reply.model_versions["llm"] == "failed"
    assert reply.citations[0]["source_id"].startswith("starter-amoxicillin")


@pytest.mark.django_db(transaction=True)
def test_retrieval_and_the_llm_call_happen_before_any_row_is_locked(patient, starter_kb, llm_server, monkeypatch):
    seen = []
    real_phrase, real_retrieve = phrasing.phrase, turns.retrieve

    def phrase(*args, **kwargs):  # a spy: records whether a transaction is open, then calls the real function
        seen.append(("llm", transaction.get_connection().in_atomic_block))
        return real_phrase(*args, **kwargs)

    def retrieve(query):
        seen.append(("retrieval", transaction.get_connection().in_atomic_block))
        return real_retrieve(query)

    monkeypatch.setattr(phrasing, "phrase", phrase)
    monkeypatch.setattr(turns, "retrieve", retrieve)
    reply = message_send(user=patient, conversation=conversation_start(user=patient), text=QUESTION)
    assert reply.model_versions["llm"] == "openai:fake-model"
    assert ("llm", False) in seen and ("retrieval", False) in seen and not [s for s in seen if s[1]]
