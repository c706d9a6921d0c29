"""The rule-based intent reader: the default of the kind chatbot.intent until a trained version serves."""
import re

INTENTS = ("question", "symptom_report", "book", "cancel", "reschedule", "list_appointments", "greeting", "handoff", "other")

_RULES = [
    ("handoff", r"\b(?:speak|talk|chat) (?:to|with) (?:a |an |the )?(?:real |actual )?(?:person|human|someone|nurse|doctor|staff|agent)\b|"
                r"\b(?:real|actual) (?:person|human)\b|\bhuman agent\b|\bhand (?:me )?over\b"),
    ("cancel", r"\bcancel\b|\bcall off\b"),
    ("reschedule", r"\breschedul|\b(?:move|change|shift) (?:my|the) (?:appointment|booking)\b|\bdifferent (?:time|day) for my appointment"),
    ("list_appointments", r"\b(?:my|upcoming|list|show) (?:\w+ )?appointments\b|\bwhen is my (?:next )?appointment\b|\bdo i have (?:an|any) appointments?\b"),
    ("book", r"\bbook\b|\bappointment\b|\bschedule (?:a|an|me)\b|\bsee (?:a|the|my) (?:doctor|gp|\w+ologist|\w+ician|dentist|nurse)\b|\bvisit with\b"),
    ("greeting", r"^(?:hi|hello|hey|good (?:morning|afternoon|evening)|thanks|thank you|cheers)\b[\s!.,]*(?:there|again)?[\s!.,]*$"),
    ("symptom_report", r"\b(?:i have|i've got|i've had|i am having|i'm having|i feel|i'm feeling|i am feeling|my \w+ (?:hurts|aches|is sore|is swollen)|"
                       r"(?:he|she) has|(?:he|she)'s got|i keep)\b"),
    ("question", r"\?\s*$|^(?:what|how|why|when|where|which|who|can|could|should|is|are|does|do|will|may)\b|\b(?:tell me about|explain|side effects?|dose|dosage)\b"),
]
_COMPILED = [(intent, re.compile(p, re.IGNORECASE)) for intent, p in _RULES]


def intent_rules(text: str) -> str:
    text = text.strip().replace("’", "'")
    for intent, pattern in _COMPILED:
        if pattern.search(text):
            return intent
    return "other"
