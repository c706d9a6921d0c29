"""Rule-based triage: the floor no learned model may lower. Patterns look for the situation, not the topic,
so "what are the signs of a stroke?" is a question while "his face is drooping" is an emergency."""
import functools
import re
from dataclasses import dataclass, field

LEVELS = ("none", "routine", "urgent", "emergency")
RANK = {level: i for i, level in enumerate(LEVELS)}

# A cue is cancelled by a negation a few words before it in the same clause ("no chest pain", "not bleeding").
NEGATION = re.compile(r"\b(no|not|never|without|denies|deny|don't|doesn't|didn't|isn't|wasn't|haven't|hasn't)\b(\W+\w+){0,3}\W*$")

PERSON = r"(?:my|our|the|his|her|their|a)\s+(?:\w+\s+)?"
BABY = r"(?:baby|newborn|infant|\d+[- ](?:day|week|month)[- ]old|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven)[- ](?:day|week|month)[- ]old)"

EMERGENCY_RULES: dict[str, list[str]] = {
    "chest pain with breathing trouble, sweating or spreading pain": [
        r"chest (?:pain|tightness|pressure)[^.]*\b(?:breath|breathe|breathing|sweat|sweating|arm|jaw|faint|dizzy|nause)",
        r"\b(?:breath|breathe|breathing|sweat|sweating|arm|jaw)\b[^.]*chest (?:pain|tightness|pressure|hurts)",
        r"\bchest (?:is |feels )?(?:tight|hurts|painful)[^.]*\b(?:arm|jaw|breath|sweat|dizzy|faint)",
        r"\b(?:pain|pressure|tightness) in (?:my|his|her|the) chest[^.]*\b(?:arm|jaw|breath|sweat|dizzy|faint)",
        r"(?:crushing|squeezing|heavy|elephant)[^.]{0,40}\bchest",
        r"\bchest\b[^.]{0,30}(?:crushing|squeezing|heavy weight)",
        r"\b(?:i|he|she|dad|mum|mom|father|mother|husband|wife) (?:think|thinks|might be|may be|am|is|'m) (?:\w+ )?having a heart attack",
        r"\bhaving a heart attack\b",
    ],
    "stroke signs (face drooping, arm weakness, speech trouble)": [
        r"\bface\b[^.]{0,30}\b(?:droop|drooping|droopy|sagging|fallen|lopsided|numb)",
        r"\b(?:droop|drooping|droopy|lopsided)\b[^.]{0,20}\b(?:face|mouth|smile)",
        r"\b(?:slurred|slurring|garbled)\b[^.]{0,20}(?:speech|words|talk)",
        r"\b(?:slurring|slurs) (?:his|her|my) words",
        r"\btalking funny\b|\bspeech (?:is|suddenly) (?:slurred|garbled|gone)|\bcan't (?:speak|talk) properly",
        r"\bcan(?:'t|not) (?:lift|raise|move) (?:my|his|her|their) (?:left|right)? ?(?:arm|leg)",
        r"\b(?:one|left|right) side of (?:my|his|her|their) (?:body|face)[^.]{0,25}\b(?:numb|weak|paralys|limp|dead)",
        r"\bsudden(?:ly)?\b[^.]{0,25}\b(?:numbness|weakness|can't see|lost (?:my|his|her) vision|confus)",
        r"\b(?:having|had|is having) a stroke\b"
        r"(?![^.]{0,30}\b(?:in (?:19|20)\d\d|years? ago|last (?:year|month)|months ago))",
    ],
    "severe bleeding": [
        r"\bbleeding\b[^.]{0,25}\b(?:won't|will not|doesn't|does not|can't|cannot|isn't going to) stop",
        r"\b(?:won't|will not|can't|cannot) stop (?:the )?bleeding",
        r"\b(?:bleeding|blood) (?:heavily|everywhere|a lot|profusely)|\bheavy bleeding|\bsevere bleeding|\bspurting\b",
        r"\bpumping (?:out )?blood\b|\bblood (?:is |keeps )?(?:pumping|gushing)\b|\bkeeps pumping blood\b",
        r"\bsoak(?:ed|ing) through[^.]{0,25}(?:towel|bandage|cloth|pad)",
        r"\b(?:vomiting|throwing up|threw up|thrown up|coughing up|coughed up|vomited) "
        r"(?:a lot of |lots of )?(?:bright red )?blood",
        r"\blost a lot of blood|\blosing a lot of blood|\bpool of blood",
        r"\bdeep (?:cut|wound|gash)[^.]{0,40}(?:bleed|blood)",
    ],
    "severe allergic reaction (anaphylaxis)": [
        r"\b(?:throat|airway)\b[^.]{0,20}\b(?:closing|closing up|swelling|swollen|tight)",
        r"\b(?:tongue|lips?|face)\b[^.]{0,20}\b(?:swelling|swollen|blowing up|puffing up)",
        r"\b(?:swelling|swollen) (?:tongue|lips?|throat)",
        r"\b(?:going into|in|having) anaphyla",
        r"\b(?:use|used|using|needed|need|gave (?:him|her|them)) (?:my|his|her|an|the) epipen",
    ],
    "suicidal thoughts or self-harm": [
        r"\b(?:kill|killing|hurt|hurting|harm|harming) (?:myself|my self)\b",
        r"\bsuicid",
        r"\bend (?:my|it) (?:life|all)\b|\bend it all\b|\btake my (?:own )?life",
        r"\bwant to die\b|\bwish i (?:was|were) dead\b|\bbetter off (?:dead|without me)",
        r"\b(?:don't|do not) want to (?:live|be alive|be here|wake up)",
        r"\bno (?:reason|point) (?:to|in) (?:live|living|going on)|\bdon't see the point (?:in|of) (?:living|going on|anything)",
        r"\bcan't (?:go on|keep going) (?:any ?more|like this)",
        r"\b(?:took|swallowed|taken) (?:all (?:of )?my|a (?:whole )?(?:bottle|packet|box) of|too many|\d+)\b[^.]{0,15}(?:pills|tablets|paracetamol|sleeping)",
        r"\boverdos(?:e|ed|ing)\b",
    ],
    "baby with a high fever": [
        BABY + r"[^.]{0,40}\b(?:fever|temperature|temp|burning up|hot to the touch|3[89](?:\.\d)? ?(?:c|°|degrees)|10[1-5](?:\.\d)? ?(?:f|°|degrees))",
        r"\b(?:fever|temperature|temp|burning up)\b[^.?]{0,40}\b(?:my|our) " + BABY,
    ],
    "not breathing, unconscious or fitting": [
        r"\b(?:can't|cannot|can not|struggling to|unable to|hard to|barely) breathe\b"
        r"(?! through (?:my|his|her|their|the) nose)",
        r"\bnot breathing\b|\bstopped breathing\b|\bgasping for (?:air|breath)\b|\bchoking\b",
        r"\bstuck in (?:my|his|her|their|the) (?:\w+'s )?throat\b[^.]{0,40}"
        r"\b(?:can't|unable to) (?:breathe|cough|speak|talk|make a sound)",
        r"\b(?:lips|face|skin)\b[^.]{0,15}\b(?:blue|grey|gray)\b|\bturning blue\b",
        r"\bunconscious\b|\bunresponsive\b|\bwon't wake up\b|\bcan't wake (?:him|her|them|my)|\b(?:not|isn't) responding\b",
        r"\bcollapsed\b|\bpassed out\b[^.]{0,30}\b(?:won't|not|isn't|can't)",
        r"\b(?:seizure|fit|convulsion|convulsing|fitting)\b[^.]{0,40}\b(?:won't stop|not stopping|five minutes|5 minutes|first time|still)",
    ],
    "poisoning or swallowed something dangerous": [
        r"\b(?:swallowed|drank|drunk|ate|eaten)\b[^.]{0,25}\b(?:bleach|poison|button batter|battery|batteries|antifreeze|drain cleaner|detergent pod)",
        # A child who got into someone's medicines: how many is rarely known.
        r"\b(?:toddler|\d+ year old|child|kid|son|daughter|baby)\b[^.]{0,40}\b(?:swallowed|has eaten|ate|got into)\b"
        r"[^.]{0,30}\b(?:tablets|pills|capsules|medicine)\b",
        r"\bfound (?:my|our|the) (?:toddler|\d+ year old|child|kid|son|daughter|baby)\b[^.]{0,20}\bwith\b[^.]{0,30}"
        r"\b(?:tablets|pills|capsules|medicine)\b",
    ],
    "bleeding inside the gut (coffee-ground vomit, black tarry stools)": [
        r"\bcoffee[- ]?(?:grounds?|granules)\b", r"\b(?:black|tarry)\b[^.]{0,15}\b(?:tarry|stools?|poo|poop)\b[^.]{0,40}\b(?:dizzy|faint|lightheaded|weak)",
    ],
    "head or spine injury with red flags": [
        r"\b(?:hit|bang(?:ed)?|bumped|knocked) (?:my|his|her|their|the) head\b[^.]{0,60}\b(?:vomit|being sick|throwing up|confus|drowsy|knocked out|unconscious|fit|seizure)",
        r"\b(?:can't|can not|cannot) (?:feel|move) (?:my|his|her|their) (?:legs|arms|feet)\b",
        r"\b(?:blood|fluid) (?:is )?(?:coming )?(?:out of|from) (?:my|his|her|their|the) ear\b[^.]{0,50}"
        r"\b(?:fall|fell|hit|head|bang)",
        r"\b(?:fall|fell|hit|head|bang\w*)\b[^.]{0,50}\b(?:blood|fluid) (?:is )?(?:coming )?(?:out of|from) "
        r"(?:my|his|her|their|the) ear\b",
    ],
    "open fracture, serious burn or penetrating wound": [
        r"\bbone\b[^.]{0,30}\b(?:through|out of) (?:the|his|her|my) skin\b", r"\b(?:stabbed|shot|knife wound|gunshot)\b",
        r"\b(?:large|big|huge|severe|bad|serious)\b[^.]{0,20}\bburns?\b[^.]{0,40}\b(?:face|chest|large|white|charred|blister)",
    ],
    "testicular torsion or acute abdomen": [
        r"\bsudden\b[^.]{0,30}\b(?:pain|agony)\b[^.]{0,20}\b(?:testicle|testis|scrotum|balls?)\b",
        r"\b(?:stomach|belly|abdomen|tummy) is (?:rock )?hard\b",
    ],
    "diabetic emergency": [
        r"\b(?:hypo|low (?:blood )?sugar)\b[^.]{0,40}\b(?:confus|unconscious|not making sense|can't swallow|fit|drowsy)",
        r"\b(?:ketones|ketoacidosis|dka)\b",
    ],
    "danger to others": [r"\b(?:going to|gonna|want to) (?:kill|stab|shoot|hurt) (?:someone|somebody|him|her|them|people|the kids)\b"],
    "pregnancy warning signs": [
        r"\bpregnan\w*\b[^.]{0,60}\b(?:blurred vision|flashing lights|seeing spots|fit|seizure|waters? (?:broke|broken))",
        r"\b(?:baby|babies) (?:has|have) (?:stopped|not been) moving\b|\bhaven't felt the baby move\b",
    ],
    "venomous bite or sting": [r"\bbitten by a (?:snake|adder|rattlesnake|viper|venomous)"],
    "sudden severe pain or injury": [
        r"\bworst headache of (?:my|his|her) life\b|\bthunderclap headache\b",
        r"\bbone (?:is )?(?:sticking|poking) out\b|\bhead injury\b[^.]{0,40}\b(?:vomit|confus|sleepy|unconscious)",
        r"\brash\b[^.]{0,40}\b(?:doesn't|does not|won't) fade\b[^.]{0,40}|\bstiff neck\b[^.]{0,30}\bfever\b",
        r"\bfever\b[^.]{0,30}\bstiff neck\b",
        # A rash that does not blanch (the glass test): meningococcal disease until proven otherwise.
        r"\brash\b[^.]{0,50}\b(?:stays|(?:doesn't|does not) (?:go|disappear|fade)|won't (?:go|fade))\b"
        r"[^.]{0,30}\b(?:press|glass|tumbler)",
        r"\bpregnan\w*\b[^.]{0,40}\b(?:heavy bleeding|bleeding heavily|severe (?:tummy|stomach|abdominal) pain)",
    ],
}

URGENT_RULES: dict[str, list[str]] = {
    "chest pain": [r"\bchest (?:pain|tightness|pressure|hurts)\b"],
    "high fever": [r"\bhigh (?:fever|temperature)\b|\b(?:fever|temperature) (?:of )?(?:39|40|41|10[2-5])"],
    "blood where it should not be": [r"\bblood in (?:my|his|her) (?:urine|pee|stool|poo|vomit)\b|\bpeeing blood\b"],
    "severe pain": [r"\b(?:severe|unbearable|excruciating|agonising|agonizing) (?:\w+ )?pain\b"],
    "dehydration": [r"\bcan't keep (?:any )?(?:fluids|water|anything) down\b"],
    "fainting or confusion": [r"\bfainted\b|\bpassed out\b|\bconfused\b"],
    "breathing trouble": [r"\bshort(?:ness)? of breath\b|\bwheez"],
}

ROUTINE_RULES: dict[str, list[str]] = {
    "a symptom to look at": [
        r"\b(?:i have|i've got|i've had|i am|i'm|i feel|my \w+ (?:hurts|aches|is sore)|(?:he|she) has)\b[^.]{0,60}"
        r"\b(?:pain|ache|aching|sore|fever|cough|rash|itch|dizzy|tired|nause|vomit|diarrh|headache|swollen|lump|bleed)",
        r"\b(?:sore throat|runny nose|back pain|headache|earache|stomach ache|toothache)\b",
    ],
}


@dataclass
class Triage:
    level: str = "none"
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"level": self.level, "reasons": list(self.reasons)}


def _compiled(rules):
    return {reason: [re.compile(p, re.IGNORECASE) for p in patterns] for reason, patterns in rules.items()}


_RULES = [("emergency", _compiled(EMERGENCY_RULES)), ("urgent", _compiled(URGENT_RULES)), ("routine", _compiled(ROUTINE_RULES))]


def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("cannot", "can't").replace("can not", "can't")
    return re.sub(r"\s+", " ", text)


# "How do you know if someone is having a stroke?" asks about a situation; it does not report one.
# "What does coffee ground vomit mean?" and "how do I use an epipen?" ask about one as well.
HYPOTHETICAL = re.compile(
    r"\b(?:if|in case|whether|signs? of|symptoms? of|what (?:does|do|is|are|causes?|can cause)|what's|meaning of"
    r"|how (?:do|should|would|can) (?:i|you|we) (?:use|give|store|recognise|recognize|spot|tell))\b(\W+\w+){0,3}\W*$"
    r"|\bhow (?:do|should|would|can) (?:i|you|we)\W*$"
)
INNER_NEGATION = re.compile(r"\bno\W*$")  # "my baby has a cold, no temperature"


def _affirmed(pattern: re.Pattern, text: str) -> bool:
    for match in pattern.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        clause = re.split(r"[.;,!?]|\bbut\b", before)[-1]
        inside = match.group(0).rsplit(" ", 1)[0] if " " in match.group(0) else ""
        if not NEGATION.search(clause) and not HYPOTHETICAL.search(clause) and not INNER_NEGATION.search(inside):
            return True
    return False


def triage_rules(text: str) -> Triage:
    """The highest level whose rules match, with every matching reason at that level."""
    level, reasons = _rules_on(_normalise(text))
    return Triage(level, list(reasons))


@functools.lru_cache(maxsize=4096)
def _rules_on(text: str) -> tuple[str, tuple[str, ...]]:
    # A turn reads the rules twice (the floor, then under the learned model): the second reading is a lookup.
    for level, rules in _RULES:
        reasons = tuple(reason for reason, patterns in rules.items() if any(_affirmed(p, text) for p in patterns))
        if reasons:
            return level, reasons
    return "none", ()


def raise_only(floor: Triage, learned_level: str | None, *, reason: str = "the triage model") -> Triage:
    """A learned level may raise the floor, never lower it."""
    if learned_level in RANK and RANK[learned_level] > RANK[floor.level]:
        return Triage(learned_level, [*floor.reasons, reason])
    return floor


EMERGENCY_REPLY = (
    "This sounds like an emergency. Call your local emergency number now (911 in the US, 112 in Europe, 999 in the UK) "
    "or go to the nearest emergency department. Do not wait for an online answer."
)
SUICIDE_REPLY = (
    "You matter, and you do not have to face this alone. If you might act on these thoughts, call your local emergency "
    "number now; in the US you can call or text 988 (Suicide & Crisis Lifeline), in the UK call Samaritans on 116 123."
)
URGENT_REPLY = "Please get this checked today: call your doctor's practice or an urgent care service."
