"""Optional phrasing by a configured chat model (LangChain), allowed to use the retrieved passages only."""
import os

from django.conf import settings

PROMPT = (
    "You are a careful health assistant. Rewrite the draft answer for a patient in plain words, using ONLY facts "
    "stated in the passages below. Do not add facts, doses or advice that the passages do not contain. "
    "If the passages do not answer the question, reply exactly: NOT IN SOURCES.\n\n"
    "Question: {question}\n\nPassages:\n{passages}\n\nDraft answer: {draft}\n\nAnswer:"
)


def configured_model_name() -> str:
    return getattr(settings, "CHATBOT_LLM", "") or os.environ.get("CHATBOT_LLM", "")


def llm_timeout() -> float:
    """Seconds a reply may wait for the configured LLM before it is answered without it."""
    return float(getattr(settings, "CHATBOT_LLM_TIMEOUT", 0) or os.environ.get("CHATBOT_LLM_TIMEOUT", "") or 15)


def chat_model():
    """The configured LangChain chat model, or None (the default: answers are composed from passages). An
    OpenAI-compatible server of your own is "openai:MODEL" with OPENAI_BASE_URL. One try with a timeout: a
    patient waits seconds at most, never a client library's default of minutes with retries."""
    name = configured_model_name()
    if not name:
        return None
    from langchain.chat_models import init_chat_model

    return init_chat_model(name, timeout=llm_timeout(), max_retries=0)


def chat_model_or_none():
    """The configured model, or None when none is configured or it cannot be set up (a missing provider package, a bad name)."""
    try:
        return chat_model()
    except Exception:  # configuration errors of a hosted model must not break the assistant
        import logging

        logging.getLogger(__name__).exception("CHATBOT_LLM %r could not be set up; answering without it", configured_model_name())
        return None


def phrase(model, *, question: str, draft: str, passages: list[str]) -> str | None:
    """The model's wording of the draft, or None when it declines or returns nothing usable."""
    text = PROMPT.format(question=question, passages="\n".join(f"[{i + 1}] {p}" for i, p in enumerate(passages)), draft=draft)
    reply = model.invoke(text)
    content = getattr(reply, "content", reply)
    content = content if isinstance(content, str) else str(content)
    if not content.strip() or "NOT IN SOURCES" in content:
        return None
    return content.strip()
