"""The team's rules that reword a MedQuAD question the way a patient would ask it: everyday phrasing per question
type, a personal frame, lower case, and now and then a misspelt condition name. Written once from MedQuAD's question
templates (not from retrieval results); bench/chatbot.py asks the reworded question, whose wording is in no index."""
import random
import re

# Per MedQuAD question type: how people ask it. {x} is the focus as the patient would write it.
PHRASES = {
    "information": [
        "what is {x} exactly", "can you explain {x} to me", "i've never heard of {x}, what is it",
        "what does it mean to have {x}",
    ],
    "symptoms": [
        "how would i know if i had {x}", "what signs should i watch for with {x}", "what does {x} feel like",
        "does {x} cause any symptoms",
    ],
    "treatment": [
        "how do you get rid of {x}", "is there a cure for {x}", "what can be done about {x}", "what helps with {x}",
    ],
    "inheritance": [
        "can my kids get {x} from me", "does {x} run in families", "is {x} passed down from parents",
        "could i pass {x} on to my children",
    ],
    "frequency": ["how common is {x}", "do lots of people get {x}", "how rare is {x}"],
    "genetic changes": [
        "which gene is behind {x}", "what goes wrong in the genes with {x}", "is {x} caused by a faulty gene",
    ],
    "causes": ["why do people get {x}", "what brings on {x}", "where does {x} come from"],
    "exams and tests": ["how do doctors check for {x}", "what test shows {x}", "how can they tell if it's {x}"],
    "research": ["are there any new studies on {x}", "can i join a trial for {x}", "is anyone researching {x}"],
    "outlook": ["will i get better from {x}", "what happens long term with {x}", "can you live a normal life with {x}"],
    "susceptibility": ["who gets {x}", "am i likely to get {x}", "what puts you at risk of {x}"],
    "considerations": [
        "what should i do about {x}", "any advice for living with {x}", "what should i keep in mind with {x}",
    ],
    "prevention": ["how can i avoid getting {x}", "is there a way to stop {x} happening", "can {x} be prevented"],
    "stages": ["what are the stages of {x}", "how does {x} progress", "how bad can {x} get over time"],
    "complications": ["what problems can {x} lead to", "can {x} cause other problems", "what can go wrong with {x}"],
}
FRAMES = ["{q}?", "{q}?", "hi, {q}?", "my doctor mentioned {x}. {q}?", "my mum has {x} - {q}?",
          "{q}? asking for my son",
          "quick question: {q}", "{q}. thanks"]


def _typo(word: str, rng: random.Random) -> str:
    """One dropped or swapped letter inside a long word, as people type names they have only heard."""
    i = rng.randrange(2, len(word) - 2)
    return word[:i] + word[i + 1:] if rng.random() < 0.5 else word[:i] + word[i + 1] + word[i] + word[i + 2:]


def reword(row: dict, rng: random.Random, typo_rate: float = 0.15) -> str:
    focus = re.sub(r"\s*\([^)]*\)", "", row.get("focus") or "").strip().lower() or "this condition"
    if rng.random() < typo_rate:
        words = focus.split()
        long = [i for i, w in enumerate(words) if len(w) >= 7 and w.isalpha()]
        if long:
            i = rng.choice(long)
            words[i] = _typo(words[i], rng)
            focus = " ".join(words)
    phrases = PHRASES.get(row.get("qtype", ""), PHRASES["information"])
    question = rng.choice(phrases).format(x=focus)
    return rng.choice(FRAMES).format(q=question, x=focus)
