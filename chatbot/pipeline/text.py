"""Words as the retrieval and rules see them: lower case, stop words out, plurals folded."""
import re

WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
STOP_WORDS = frozenset(
    "a about after again all am an and any are as at be been before being but by can could did do does doing don't "
    "for from had has have having he her here hers him his how i i'm i've if in into is it it's its itself just me "
    "more most my no nor not of off on once only or other our out over own please same she should so some such "
    "tell than that the their them then there these they this those through to too under until up very was we were "
    "what when where which while who whom why will with would you your yours know get got want like also may might "
    "much many one s t us".split()
)


def fold(word: str) -> str:
    """A light stemmer: enough that 'allergies' meets 'allergy' and 'symptoms' meets 'symptom'."""
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    return [fold(w) for w in WORD.findall(text.lower()) if w not in STOP_WORDS]


def coverage(query_terms: list[str], text: str) -> float:
    """Share of the query's distinct content words that the text contains."""
    wanted = set(query_terms)
    if not wanted:
        return 0.0
    return len(wanted & set(terms(text))) / len(wanted)
