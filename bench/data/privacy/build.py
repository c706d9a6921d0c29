"""Writes the privacy benchmark's personal-data set: patient messages and resumes with every identifier marked.

Written before the masker was tuned and kept apart from the tests' examples (other names, places and
numbers). Seeded, so the files it writes are the same each run; `bench/privacy.py` reads the files.
Identifiers are fictitious: numbers use reserved or invalid ranges where a country has one.
"""
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (given, surname, culture): at least two people from each of 20 naming traditions.
PEOPLE = [
    ("Aiyana", "Begay", "Navajo"), ("Dezba", "Yazzie", "Navajo"), ("Hosteen", "Tsosie", "Navajo"),
    ("Niamh", "Gallagher", "Irish"), ("Oisín", "Mac Carthaigh", "Irish"), ("Ciarán", "Byrne", "Irish"),
    ("Chiamaka", "Eze", "Igbo"), ("Oluwaseun", "Adeyemi", "Yoruba"), ("Ngozi", "Okafor", "Igbo"),
    ("Jiahui", "Wang", "Chinese"), ("Xiuying", "Zhou", "Chinese"), ("Haoran", "Chen", "Chinese"),
    ("Haruto", "Nakamura", "Japanese"), ("Yui", "Takahashi", "Japanese"), ("Sakura", "Fujimoto", "Japanese"),
    ("Min-jun", "Park", "Korean"), ("Seo-yeon", "Choi", "Korean"),
    ("Thi Lan", "Nguyen", "Vietnamese"), ("Van Minh", "Tran", "Vietnamese"),
    ("Ananya", "Ramaswamy", "Tamil"), ("Vikram", "Chaudhary", "Hindi"), ("Lakshmi", "Iyer", "Tamil"),
    ("Layla", "Haddad", "Arabic"), ("Youssef", "Benali", "Arabic"), ("Khalid", "Al-Mansouri", "Arabic"),
    ("Agnieszka", "Wiśniewska", "Polish"), ("Krzysztof", "Nowakowski", "Polish"),
    ("Ximena", "Castañeda", "Mexican"), ("Guadalupe", "Ortiz", "Mexican"),
    ("João", "Albuquerque", "Brazilian"), ("Thiago", "Pereira", "Brazilian"),
    ("Emre", "Yılmaz", "Turkish"), ("Zeynep", "Demirci", "Turkish"),
    ("Svetlana", "Volkova", "Russian"), ("Yaroslav", "Morozov", "Russian"),
    ("Aroha", "Ngata", "Maori"), ("Tamati", "Parata", "Maori"),
    ("Wanjiru", "Kamau", "Kikuyu"), ("Otieno", "Ochieng", "Luo"),
    ("Kwame", "Mensah", "Akan"), ("Akosua", "Boateng", "Akan"),
    ("Parisa", "Farahani", "Persian"), ("Dariush", "Karimi", "Persian"),
    ("Eleni", "Papadopoulou", "Greek"), ("Stavros", "Kotsakis", "Greek"),
    ("Sanne", "de Vries", "Dutch"), ("Joost", "van Dijk", "Dutch"),
    ("Freya", "Sinclair", "Scottish"), ("Callum", "Drummond", "Scottish"),
    ("Malia", "Kahananui", "Hawaiian"), ("Keoni", "Akana", "Hawaiian"),
]

CITIES = [
    "Leeds", "Cork", "Galway", "Sheffield", "Bristol", "Nottingham", "Limerick", "Swansea", "Aberdeen",
    "Winnipeg", "Halifax", "Calgary", "Tucson", "Albuquerque", "Spokane", "Fresno", "Omaha", "Lagos",
    "Kumasi", "Nairobi", "Mombasa", "Auckland", "Wellington", "Brisbane", "Adelaide", "Pune", "Chennai",
    "Rotterdam", "Utrecht", "Krakow", "Gdansk", "Izmir", "Thessaloniki", "Porto Alegre", "Guadalajara",
]
STREETS = [
    ("{n} Kirkstall Road", "GB"), ("{n} Elm Grove", "GB"), ("Flat {n}, 12 Harcourt Terrace", "IE"),
    ("{n} Whitworth Avenue", "GB"), ("{n} Maple Ridge Drive", "US"), ("{n} W Cactus Wren Lane", "US"),
    ("{n} Rue Sainte-Catherine", "CA"), ("{n} Queen Street West", "CA"), ("{n} Ponsonby Road", "NZ"),
    ("{n} Koinange Street", "KE"), ("{n} Nieuwe Binnenweg", "NL"), ("ul. Długa {n}", "PL"),
    ("{n} Sycamore Close", "GB"), ("{n} Bayview Crescent", "AU"), ("{n} Mahatma Gandhi Road", "IN"),
]
POSTCODES = {
    "GB": ["LS4 2QN", "BS8 1TH", "SW1A 2AA", "M14 5RL", "S10 2TN", "NG7 1FB"],
    "IE": ["T12 X70A", "H91 E2K3", "D02 XY45"],
    "US": ["85701", "87106-3214", "99201", "93721"],
    "CA": ["H3G 1M8", "M5H 2N2", "T2P 1J9"],
    "NZ": ["1011", "6011"],
    "AU": ["4000", "5000"],
    "KE": ["00100"],
    "NL": ["3015 BA", "3511 LK"],
    "PL": ["31-042", "80-831"],
    "IN": ["411001", "600004"],
}


def _digits(rng, n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def _nhs(rng):
    while True:  # a valid mod-11 check digit, as real NHS numbers carry
        body = [rng.randrange(10) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(body, range(10, 1, -1))) % 11
        if check == 11:
            check = 0
        if check != 10:
            s = "".join(map(str, body)) + str(check)
            return f"{s[:3]} {s[3:6]} {s[6:]}"


def _ni(rng):
    return f"{rng.choice('ABCEGHJKLMNPRSTWXYZ')}{rng.choice('ABCEGHJKLMNPRSTWXYZ')} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)} {rng.choice('ABCD')}"


def _ssn(rng):
    return f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"


def _sin(rng):
    return f"{rng.randint(100, 899)} {_digits(rng, 3)} {_digits(rng, 3)}"


def _ppsn(rng):
    return f"{_digits(rng, 7)}{rng.choice('ABCDEFGHW')}"


def _aadhaar(rng):
    return f"{rng.randint(2, 9)}{_digits(rng, 3)} {_digits(rng, 4)} {_digits(rng, 4)}"


NATIONAL_IDS = [
    ("NHS number", _nhs), ("National Insurance number", _ni), ("SSN", _ssn), ("social security number", _ssn),
    ("SIN", _sin), ("PPS number", _ppsn), ("Aadhaar", _aadhaar), ("NI number", _ni),
]


def _phone(rng, country):
    return {
        "GB": lambda: f"07{_digits(rng, 3)} {_digits(rng, 6)}",
        "IE": lambda: f"+353 87 {_digits(rng, 3)} {_digits(rng, 4)}",
        "US": lambda: f"({rng.randint(201, 989)}) 555-{_digits(rng, 4)}",
        "CA": lambda: f"{rng.randint(204, 905)}-555-{_digits(rng, 4)}",
        "NZ": lambda: f"+64 21 {_digits(rng, 3)} {_digits(rng, 4)}",
        "AU": lambda: f"04{_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 3)}",
        "KE": lambda: f"+254 7{_digits(rng, 2)} {_digits(rng, 6)}",
        "NL": lambda: f"06-{_digits(rng, 8)}",
        "PL": lambda: f"+48 {_digits(rng, 3)} {_digits(rng, 3)} {_digits(rng, 3)}",
        "IN": lambda: f"+91 9{_digits(rng, 4)} {_digits(rng, 5)}",
    }[country]()


MONTHS = ["January", "February", "March", "April", "June", "July", "August", "September", "October", "November", "December"]


def _dob(rng):
    y, m, d = rng.randint(1938, 2006), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([f"{d:02d}/{m:02d}/{y}", f"{MONTHS[m % 11]} {d}, {y}", f"{d} {MONTHS[m % 11]} {y}", f"{y}-{m:02d}-{d:02d}"])


def _email(rng, given, surname):
    local = f"{given.split()[0].lower()}.{surname.split()[-1].lower()}"
    local = local.encode("ascii", "ignore").decode().replace("'", "")
    return f"{local}{rng.randint(1, 99)}@{rng.choice(['mailbox.org', 'example.net', 'outlook.example', 'proton.me'])}"


# Message templates: {name} is the writer, {other} someone else; each slot's kind is known.
MESSAGES = [
    "Yesterday {other} drove me to the walk-in clinic because my chest felt tight. Should I book a follow-up?",
    "Can {other}, my carer, collect my repeat prescription? My {id_label} is {id}.",
    "Hello, this is {name} from {city}. I have had a migraine for three days and ibuprofen is not helping.",
    "Last week {other} noticed a rash on my arm after the new antibiotic. I live at {street}, {city} {postcode} if you need to send a letter.",
    "My daughter {other_given} has a fever of 39 and a cough. Please ring me on {phone}.",
    "{name} here, born {dob}. My GP in {city} referred me for a scan but I never heard back.",
    "Hi team, I'm writing for my father {other}. His {id_label} is {id} and he keeps forgetting his metformin.",
    "Please update my address to {street}, {city}, {postcode}. Phone {phone}, email {email}.",
    "After the operation {other} said I should rest, but the wound is still weeping. Is that normal?",
    "This morning {other} and I went for a walk and I got very short of breath on the hill.",
    "Dear doctor, my name is {name} and my date of birth is {dob}. I would like to discuss my blood test results.",
    "Could you send the letter to {email}? I moved to {city} last month.",
    "Our neighbour {other} found my mum on the floor this morning; she is now at the hospital in {city}.",
    "Since Monday {other} has been vomiting after every meal. She is 6. Contact: {phone}.",
    "I registered as {name}, {id_label} {id}, but the portal shows somebody else's record.",
    "When {other} visited on Sunday she said my ankles look swollen. I take amlodipine 5 mg.",
    "Thanks for the quick reply. Regards, {name}",
    "{other} (my partner) will call from {phone} to confirm the appointment on Thursday.",
    "Sorry to bother you. I am {name}, {age} years old, living in {city}. My sugar readings are around 14 before breakfast.",
    "Perhaps {other} could come with me to the next visit? I get confused with all the leaflets.",
    "My son's school in {city} needs a note about his asthma. His name is {other}, DOB {dob}.",
    "Today {other} told me the new tablets are making him dizzy when he stands up.",
    "Post any forms to {street}, {postcode} {city}. My mobile is {phone}.",
    "I'm worried about my brother {other}; he has not eaten properly since the funeral.",
    "Hi, {name} again. The pharmacy at {street} in {city} said the prescription never arrived.",
    "Both {other} and my sister think I should see someone about the panic attacks.",
    "Only {other} knows my medical history, so please copy her in at {email}.",
    "The discharge letter from {city} lists my {id_label} as {id} but the last digits are wrong.",
    "My wife {other_given} is 34 weeks pregnant and has a bad headache with blurred vision.",
    "Every night {other} hears me snoring and then stopping breathing for a few seconds.",
    "Good morning, {name} ({dob}) here. Can I get the flu jab at the {city} clinic?",
    "I live alone at {street}, {city} and my nearest relative, {other}, is two hours away.",
    "We moved from {city} to {city2} in May; please transfer my records. {id_label}: {id}.",
    "If {other} phones on my behalf, she has my permission to discuss my results.",
    "Without {other} helping me I could not manage the stairs at home any more.",
    "Please call me back on {phone} after 5pm, I work nights. {name}",
    "Is it safe for {other_given} to take paracetamol with her epilepsy medicine? She is 72.",
    "Kind regards,\n{name}\n{street}\n{city} {postcode}\n{phone}",
]

RESUME = """{name}
{street}, {city} {postcode} | {phone} | {email}
Date of birth: {dob}

PROFILE
Registered nurse with {years} years of ward and community experience in {city} and {city2}.

EXPERIENCE
Senior Staff Nurse, {city} General Hospital, 2019 - present
- Led a team of 12 nurses on a 28-bed acute medical ward.
- Introduced a falls-prevention checklist adopted across the trust.
Staff Nurse, {city2} Community Health, 2014 - 2019

EDUCATION
BSc Nursing, University of {city2}, 2014

REFERENCES
{other}, Ward Manager, {other_email}, {other_phone}
{id_label}: {id}
"""


def _fill(template, rng):
    given, surname, culture = rng.choice(PEOPLE)
    o_given, o_surname, o_culture = rng.choice([p for p in PEOPLE if p[0] != given])
    country = rng.choice(list(POSTCODES))
    street_t = rng.choice([s for s in STREETS if s[1] == country] or STREETS)[0]
    city, city2 = rng.sample(CITIES, 2)
    id_label, id_make = rng.choice(NATIONAL_IDS)
    values = {
        "name": ("NAME", f"{given} {surname}"), "other": ("NAME", f"{o_given} {o_surname}"),
        "other_given": ("NAME", o_given), "city": ("CITY", city), "city2": ("CITY", city2),
        "street": ("ADDRESS", street_t.format(n=rng.randint(2, 240))),
        "postcode": ("POSTCODE", rng.choice(POSTCODES[country])), "phone": ("PHONE", _phone(rng, country)),
        "other_phone": ("PHONE", _phone(rng, country)), "email": ("EMAIL", _email(rng, given, surname)),
        "other_email": ("EMAIL", _email(rng, o_given, o_surname)), "dob": ("DOB", _dob(rng)),
        "id": ("NATIONAL_ID", id_make(rng)), "id_label": (None, id_label), "age": (None, str(rng.randint(19, 88))),
        "years": (None, str(rng.randint(3, 20))),
    }
    text, identifiers = "", []
    import string

    for literal, field, _, _ in string.Formatter().parse(template):
        text += literal
        if field is None:
            continue
        kind, value = values[field]
        if kind:
            identifiers.append({"kind": kind, "text": value, "start": len(text), "end": len(text) + len(value)})
        text += value
    cultures = sorted({c for f, c in (("name", culture), ("other", o_culture), ("other_given", o_culture)) if "{" + f + "}" in template})
    return {"text": text, "identifiers": identifiers, "cultures": cultures}


def build() -> None:
    rng = random.Random(20261202)
    messages = [_fill(t, rng) for t in MESSAGES for _ in range(3)][:114]
    resumes = [_fill(RESUME, rng) for _ in range(20)]
    for name, rows in (("messages.jsonl", messages), ("resumes.jsonl", resumes)):
        with open(HERE / name, "w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(messages)} messages, {len(resumes)} resumes")


if __name__ == "__main__":
    build()
