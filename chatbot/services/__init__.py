"""Everything the health assistant writes; one module per concern."""
from chatbot.services.appointments import (  # noqa: F401
    appointment_book, appointment_cancel, appointment_ics, appointment_reschedule, slots_free,
)
from chatbot.services.conversations import conversation_delete, conversation_start, message_send  # noqa: F401
from chatbot.services.feedback import handoff_request, reply_feedback, reply_prefer, reply_rate, staff_reply  # noqa: F401
from chatbot.services.knowledge import articles_import, knowledge_index, knowledge_retriever, starter_kb_load  # noqa: F401
from chatbot.services.profile import profile_update  # noqa: F401
