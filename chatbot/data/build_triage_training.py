"""Writes chatbot/data/triage_training.jsonl: the team's triage training messages, composed from situations
written per emergent condition (Manchester Triage discriminators, NHS 111 red flags, ESI levels 1-2) and from
ordinary, urgent and self-care messages, each said by different people, in mixed requests and with typos.
Run: .venv/bin/python chatbot/data/build_triage_training.py  (deterministic; the frozen evaluation list in
bench/data/chatbot/ is never read here)."""
import json
import random
from pathlib import Path

OUT = Path(__file__).with_name("triage_training.jsonl")

# Emergent situations, by condition group. "{s}" is who it happens to (subject), "{p}" their possessive, "{v}" is/am.
EMERGENCY = {
    "cardiac": [
        "{s} {v} having chest pain and can't get {p} breath", "crushing pain in {p} chest spreading to the left arm",
        "{s} {v} sweating with a heavy pressure in the middle of the chest", "{p} chest feels tight and the pain goes into the jaw",
        "chest pain with nausea and cold sweat for the last half hour", "heart attack symptoms, pain down the arm and clammy",
        "{p} heart is pounding really fast and {s} nearly blacked out", "palpitations and {s} fainted for a moment",
        "heart racing at 180 and feeling faint", "irregular heartbeat with dizziness and chest discomfort",
        "tight band round {p} chest and breathless", "pain in the chest like a heavy weight sitting on it",
        "sudden ripping pain in {p} back through to the chest", "tearing chest pain going into the back",
        "{s} {v} short of breath lying flat and coughing up frothy pink spit", "heart failure getting worse, can't breathe at night, legs very swollen",
        "indigestion type pain in the chest that won't settle with sweating", "squeezing chest pain after climbing the stairs and it has not gone",
        "heart beating irregularly and {s} keeps nearly passing out", "{s} {v} grey and sweaty with chest pain",
        "chest pressure and breathlessness, diabetic", "cheast pain and cant breath", "pain in my chest radiating to my arm",
    ],
    "stroke": [
        "{p} face has dropped on one side", "{p} smile is lopsided and {p} arm is weak", "{s} can't raise {p} arm and the speech is slurred",
        "sudden numbness down one side of {p} body", "{s} suddenly can't speak properly and words come out wrong",
        "{s} {v} confused all of a sudden and one side of the face is droopy", "sudden loss of vision in one eye and weakness in the hand",
        "{s} {v} slurring and dragging one leg", "sudden double vision and can't walk straight", "stroke symptoms, face drooping",
        "one side of {p} mouth is drooping and {s} {v} drooling", "{p} arm and leg on the left went weak and heavy suddenly",
        "can't get {p} words out and the right hand is numb", "sudden trouble understanding what people say and weakness",
        "{p} speach is slured and face droopy", "mini stroke signs, arm went numb and speech went funny",
    ],
    "neuro": [
        "sudden severe headache like being hit on the head", "worst headache ever came on in seconds", "thunderclap headache with vomiting",
        "headache with a stiff neck and a high temperature", "severe headache and neck stiffness and can't stand the light",
        "{s} {v} having a fit that won't stop", "seizure lasting more than five minutes", "{s} had a first ever seizure",
        "{s} keeps having seizures one after another", "fitting and not waking up between fits",
        "sudden headache during sex, the worst pain of {p} life", "sezure that wont stop",
    ],
    "head_injury": [
        "hit {p} head and now {s} {v} vomiting repeatedly", "head injury and {s} {v} confused and drowsy", "bumped {p} head and lost consciousness",
        "fell and hit {p} head, on blood thinners, now with a headache", "head injury with clear fluid coming from the nose",
        "after a blow to the head {s} {v} sleepy and being sick", "knocked out for a minute after falling off a bike",
        "head injury and one pupil is bigger than the other", "fell down the stairs, hit head, acting strange now",
        "hit head on the floor, now can't remember what happened and keeps vomiting", "hed injury and throwing up",
    ],
    "spinal": [
        "fell from a height and {p} neck hurts and the hands are tingling", "car crash, neck pain and numb legs",
        "can't feel {p} legs after falling on {p} back", "back injury and lost control of the bladder",
        "back pain with numbness around the bottom and can't pee", "dived into shallow water and neck is painful, arms tingling",
    ],
    "trauma": [
        "the bone is poking through the skin", "open fracture, bone sticking out of the leg", "{p} leg is bent the wrong way after a fall",
        "badly burned by boiling water over a large area", "burn the size of {p} chest, the skin is white and leathery",
        "electrical burn from a power line", "burns to {p} face and breathing in smoke", "chemical in {p} eye and can't see",
        "stabbed in the chest", "knife wound to the belly", "shot in the leg", "{s} {v} run over by a car",
        "deep cut to the wrist, blood spurting", "a nail went into {p} eye", "severe burn on {p} hand with blisters everywhere",
        "fell from the roof and can't move", "crushed under a heavy machine at work", "amputated {p} finger with a saw",
    ],
    "bleeding": [
        "bleeding heavily and it won't stop with pressure", "{s} {v} losing a lot of blood", "blood pumping from a cut",
        "vomiting blood", "throwing up blood and feeling faint", "vomit looks like coffee grounds", "sick that looks like coffee granules",
        "black tarry stools and dizzy", "passing black poo and feeling faint", "coughing up lots of blood",
        "large amount of blood in the poo and lightheaded", "nosebleed for over an hour and can't stop it",
        "bleeding through bandage after bandage", "thrown up a cup of fresh blood", "vomitting blood",
        "blood soaking through the towels",
    ],
    "anaphylaxis": [
        "{p} throat is closing up after eating nuts", "{p} lips and tongue are swelling", "face swelling and wheezing after a bee sting",
        "hives all over and struggling to breathe after a new medicine", "allergic reaction with a hoarse voice and trouble swallowing",
        "{s} used {p} epipen", "anaphylactic reaction", "swollen tongue and feeling faint after shellfish",
        "itchy rash spreading and {p} throat feels tight", "allergic reaction and dizzy and vomiting after a sting",
        "{p} eyes and lips are puffing up and breathing is noisy", "anaphlaxis after peanuts", "face blew up after an injection and hard to breathe",
    ],
    "breathing": [
        "{s} can't breathe", "{s} {v} struggling to breathe", "gasping for air", "{p} lips have gone blue",
        "breathing very fast and can't speak in sentences", "asthma attack and the inhaler isn't working",
        "{s} {v} choking and can't cough", "something stuck in {p} throat and can't breathe",
        "skin pulling in between the ribs with each breath", "breathless at rest and getting worse",
        "sudden shortness of breath and pain when breathing in, leg was swollen", "breathing has become noisy and laboured",
        "cant breath properly", "wheezing so badly {s} can't talk", "turning blue and not breathing well",
    ],
    "mental_health": [
        "I want to kill myself", "I'm going to end my life", "I have a plan to kill myself tonight", "thinking about suicide",
        "I have taken an overdose", "I swallowed a packet of paracetamol", "took too many of my tablets on purpose",
        "I keep cutting myself and it's deep this time", "I've been self harming and can't stop the bleeding",
        "I don't want to be here anymore", "everyone would be better off if I was gone", "I've said goodbye to my family",
        "{p} son says he is going to kill himself", "{p} friend has taken a load of pills", "I want to hurt someone",
        "{p} partner is threatening to kill me", "he says voices are telling him to harm the children",
        "I have the rope ready", "no point living anymore, I've got pills saved up", "suicidal and alone",
        "{s} {v} hearing voices telling {p} to jump", "I feel like ending it all", "i want to die",
    ],
    "infant": [
        "{i} has a temperature of 38", "{i} has a high temperature and is floppy", "{i} is not feeding and is very sleepy",
        "{i} is hard to wake and has a fever", "{i} has a rash that doesn't fade under a glass",
        "{i} has a high-pitched cry and a bulging soft spot", "{i} is breathing fast and grunting", "{i} has blue lips",
        "{i} has had no wet nappy all day and is lethargic", "{i} is limp and pale", "{i} is vomiting green bile",
        "{i} had a fit", "{i} has a fever and is mottled", "{i} feels hot and won't take a bottle", "{i} is burning up",
        "{i} is floppy and unresponsive", "{i} keeps stopping breathing for a few seconds", "{i} temp is 38.2",
        "{i} has a fevre and is floppy", "{i} won't stop crying, has a fever and a purple rash",
    ],
    "pregnancy": [
        "I'm 34 weeks pregnant with a severe headache and blurred vision", "pregnant with a bad headache and swelling of face and hands",
        "pregnant and bleeding heavily", "pregnant and {s} {v} having severe tummy pain", "the baby has stopped moving",
        "I'm pregnant and haven't felt the baby kick all day", "waters broke early at 30 weeks",
        "pregnant and fainted with pain on one side of the tummy", "ectopic pregnancy symptoms, shoulder tip pain and dizzy",
        "heavy bleeding after giving birth", "just had a baby and bleeding a lot with clots", "pregnant with flashing lights in my eyes",
        "contractions at 28 weeks", "pregnant and having a fit", "pregnant with pain under the ribs and vomiting late in pregnancy",
        "preeclampsia signs, headache and seeing spots", "my pregnant wife is bleeding and in pain",
    ],
    "metabolic": [
        "blood sugar very high and vomiting and breathing fast", "diabetic with ketones high and tummy pain",
        "{p} diabetic son is confused and shaky with low sugar", "hypo and can't swallow", "blood sugar 1.9 and drowsy",
        "sugar reading HI and being sick", "breath smells fruity and {s} {v} very drowsy, diabetic",
        "diabetic and passed out", "low blood sugar fitting", "very thirsty, peeing loads, vomiting and confused",
        "sugar is 35 and can't keep fluids down",
    ],
    "abdominal": [
        "severe pain in {p} tummy and the belly is hard", "sudden severe pain in the testicle", "{p} testicle is swollen and very painful suddenly",
        "pain in the lower right belly getting worse with a fever", "appendicitis symptoms, pain moved to the right side",
        "can't pass urine at all and in agony", "severe abdominal pain and vomiting and can't pass wind",
        "stomach pain so bad {s} can't move", "sudden agonising belly pain going to the back", "testicle pain and vomiting",
        "swollen belly and vomiting everything", "severe stomach pain and vomiting blood",
    ],
    "poisoning": [
        "{s} swallowed bleach", "{p} child drank some washing liquid", "{s} ate a button battery", "{s} took too much methadone and is drowsy",
        "bitten by a snake", "bitten by a venomous spider and the arm is swelling", "stung by a jellyfish and can't breathe well",
        "{s} drank antifreeze", "overdose of heroin and breathing slowly", "{s} took loads of paracetamol",
        "carbon monoxide alarm going off and everyone has headaches", "{s} ate poisonous mushrooms and is vomiting",
        "toddler swallowed some of grandma's pills", "kid drank from a bottle of weedkiller", "bitten by an adder",
    ],
    "unresponsive": [
        "{s} collapsed and won't wake up", "{s} {v} unconscious", "{s} is unresponsive", "{s} fainted and isn't coming round",
        "found {o} on the floor not responding", "{s} passed out and won't respond", "{s} {v} not breathing",
        "{s} {v} blue and not moving", "can't wake {o} up", "{s} went limp and won't answer", "{s} blacked out and is still out",
    ],
    "sepsis": [
        "high fever with shivering and confusion", "fever and cold blotchy skin and not peeing", "{s} {v} on chemo and has a temperature",
        "feels like dying, fever and very fast breathing", "infection getting worse with a fever and mottled skin",
        "fever and a rash that won't fade", "{s} {v} very unwell with a temperature and slurred speech", "sepsis signs",
        "after surgery {s} has a fever, racing heart and confusion", "fever, rigors and can't stand up",
    ],
    "other_emergent": [
        "sudden loss of vision in one eye", "sudden painful red eye with vomiting and halos", "erection lasting more than four hours",
        "calf swollen and painful after a long flight and now breathless", "{p} leg is cold, white and painful suddenly",
        "severe pain and swelling after a dislocated shoulder, hand is numb", "high fever and stiff neck in a teenager",
        "heat stroke, hot dry skin and confused", "hypothermia, shivering stopped and confused", "drowned and was pulled out of the water",
        "electric shock and chest pain", "temperature of 41 and confused",
    ],
}

# Ordinary messages: urgent (same day), routine, and self-care or questions, with questions ABOUT emergencies.
URGENT = [
    "I have a fever of 39 and a bad cough", "burning when I pee and back pain with a temperature", "my ear hurts and there is pus",
    "my ankle is very swollen and I can't put weight on it", "vomiting for two days and struggling to keep fluids down",
    "a red hot swollen area on my leg spreading", "my child has a temperature and earache", "chest pain when I cough with a cold",
    "I have a painful red eye", "I fainted once this morning but feel fine now", "I have blood in my urine",
    "sore throat and can't swallow my saliva", "toothache with a swollen face", "my wound looks infected and is oozing",
    "I've been vomiting and have diarrhoea since yesterday", "I'm short of breath when I walk up stairs", "high temperature for three days",
    "my toddler has diarrhoea and is a bit less wet", "shingles rash near my eye", "severe back pain after lifting, no numbness",
]
ROUTINE = [
    "I've had a headache for three days", "I feel tired all the time", "my knee aches when I run", "I have a rash on my arm",
    "I've had a cough for two weeks", "my periods are irregular", "I have a lump on my neck that hasn't gone away",
    "I have heartburn after meals", "I get dizzy sometimes when I stand up", "my mole looks different", "my back hurts after gardening",
    "I have trouble sleeping", "I have been feeling anxious", "I've been feeling down lately", "my skin is itchy and dry",
    "I've noticed some hair loss", "I have constipation", "my joints are stiff in the morning", "I have a sore shoulder",
    "I keep getting headaches at work", "I have a sore throat", "my child has a cold and a mild temperature",
    "I've put on weight and feel sluggish", "my blood pressure was a bit high at the pharmacy", "I have acne",
    "my baby has nappy rash", "I feel stressed about work", "I think I have piles", "my feet hurt at the end of the day",
    "I've had indigestion on and off", "my eyes are itchy and watery", "my ear feels blocked", "I've got a cold sore",
    "headache for 3 days what should i do", "feeling run down and tired", "I bruise easily",
    # A catalogue of everyday complaints by body system (GP-level, not emergent).
    "I have a small lump under my arm", "there is a painless lump on my back", "I found a lump in my testicle", "a cyst on my wrist",
    "my mood has been low for weeks", "I don't enjoy things like I used to", "I cry a lot and feel flat", "I get anxious in crowds",
    "I have panic attacks sometimes", "my heart flutters when I'm nervous but it passes", "I worry all the time",
    "acid reflux most evenings", "bloating after meals", "I get stomach cramps with my period", "loose stools on and off for a month",
    "a little blood when I wipe after constipation", "itchy bottom at night", "I feel sick in the mornings",
    "my periods are heavy and last a week", "painful periods", "I've missed a period", "vaginal discharge and itching",
    "I need to pee more often at night", "it stings a bit when I pass urine", "I leak a little urine when I cough",
    "I've lost some weight without trying", "my appetite has gone down", "I've gained weight on my new tablets",
    "I knocked my head on a shelf, just a small bump and I feel fine", "my child bumped his head and is playing normally",
    "I twisted my ankle and it's bruised but I can walk", "I pulled a muscle in my back at the gym", "tennis elbow",
    "my wrist hurts when I type", "neck ache from sleeping awkwardly", "my hip aches after walking", "cramp in my calves at night",
    "a bee sting that is red and itchy", "an insect bite that itches", "a mosquito bite that swelled a bit", "nettle rash",
    "a small cut on my finger that stopped bleeding", "a graze on my knee", "a splinter in my hand", "a blister on my heel",
    "a small burn from the oven, red but no blisters", "mild sunburn on my shoulders",
    "my nose bled for a few minutes and then stopped", "my gums bleed when I brush my teeth", "a bruise that is taking a while to fade",
    "hangover and a headache", "a tension headache after a long day", "migraine like my usual ones", "headache when I'm dehydrated",
    "my chest is sore from coughing with a cold", "a tickly cough at night", "blocked nose and sinus pressure", "hay fever",
    "I snore loudly", "I wake up tired", "I can't get to sleep at night", "I feel tired after my covid jab",
    "my eye is a bit red and gritty", "a stye on my eyelid", "floaters I've had for years", "my glasses don't seem strong enough",
    "earwax blocking my ear", "ringing in my ears", "my jaw clicks", "a mouth ulcer that is sore",
    "dandruff", "sweaty feet", "an ingrown toenail", "athlete's foot", "warts on my hands", "eczema flare on my arms",
    "my toddler is teething", "my baby has a blocked nose but is feeding well", "my child has head lice", "my son has a verruca",
    "my daughter has a mild cold and is eating fine", "my baby has a little cradle cap", "my 5 year old has a tummy ache but is playing",
    "I'm 12 weeks pregnant and feel sick in the mornings", "pregnant with heartburn", "pregnant and my back aches",
    "my blood sugar is a bit high today, around 11, and I feel okay", "my blood pressure is slightly raised", "my cholesterol is high",
]
SELF_CARE = [
    "What are the side effects of amoxicillin?", "How much paracetamol can I take?", "Can I drink alcohol with antibiotics?",
    "what are the signs of a heart attack", "how do I recognise a stroke", "what is anaphylaxis", "how is sepsis treated",
    "what should I do if someone has a seizure", "what is the first aid for burns", "what causes chest pain",
    "what does it mean if vomit looks like coffee grounds", "when is a fever dangerous in a baby", "how do I use an epipen",
    "what are the warning signs of pre-eclampsia", "what is a normal blood sugar level", "is it safe to take ibuprofen when pregnant",
    "How do I lower my cholesterol?", "what foods are good for diabetes", "how much exercise should I do",
    "book me an appointment with a GP next Monday", "cancel my appointment on Friday", "can I reschedule to the afternoon",
    "show my appointments", "I'd like to see a dermatologist", "hello", "thanks, bye", "talk to a person please",
    "can you renew my prescription?", "I need to book a check-up", "can I see the GP on Monday", "book a cardiology check-up next week",
    "I'd like an appointment with the dermatologist on Tuesday morning", "I want to cancel my appointment", "move my appointment to Friday",
    "Can I book an appointment for next week?", "do I have any appointments coming up", "I need a repeat prescription",
    "I wanted to reschedule my appointment", "can I get a sick note", "please book me a blood test", "I'd like a medication review", "what time is the clinic open", "I have no chest pain, just a check-up please",
    "I'm not having trouble breathing, just a runny nose", "I'm not suicidal, just want tips to sleep better",
    "no fever, the baby is just teething", "the bleeding stopped quickly after a small cut", "a tiny nosebleed that stopped",
    "I have a mild cold", "what vitamins should I take", "is coffee bad for me", "what is a normal heart rate",
    "how do I treat a bee sting at home", "what is the dose of ibuprofen for children", "how do I know if a mole is cancer",
    "is it ok to take ibuprofen with alcohol", "what are the symptoms of diabetes", "how long does a cold last",
    "can stress cause headaches", "what are the symptoms of a blood clot", "what does a concussion feel like",
    "what should be in a first aid kit", "my husband wants to know about statins", "my mum asked what metformin does",
    "how do I stop snoring", "what are the benefits of vaccines", "sunburn remedies", "mouth ulcer treatment",
    "can I take my tablets with food", "when should I take my statin", "can I take ibuprofen and paracetamol together",
    "what foods should I avoid in pregnancy", "is it safe to exercise when pregnant", "how long should I wait to swim after eating",
    "what is a healthy BMI", "how many units of alcohol a week is safe", "how do I quit smoking", "does vaping harm you",
    "what does omeprazole do", "can I drink coffee with my tablets",
    "how do I store insulin", "what is the flu jab", "do I need a tetanus jab for a scratch", "what is a smear test",
    "how do I check my breasts", "what are the signs of skin cancer", "what does a panic attack feel like",
    "how do I help a friend who is depressed", "what are the symptoms of meningitis", "what does a stroke look like",
    "how long does a concussion last", "what causes nosebleeds", "why do my gums bleed", "how do I treat a sprain",
    "what is a healthy diet", "how much sleep does a teenager need", "how can I boost my immune system",
]

SUBJECTS = [
    ("I", "my", "am", "me"), ("my husband", "his", "is", "him"), ("my wife", "her", "is", "her"), ("my dad", "his", "is", "him"),
    ("my mum", "her", "is", "her"), ("my son", "his", "is", "him"), ("my daughter", "her", "is", "her"), ("my friend", "their", "is", "them"),
    ("my grandmother", "her", "is", "her"), ("my grandad", "his", "is", "him"), ("he", "his", "is", "him"), ("she", "her", "is", "her"),
    ("my partner", "their", "is", "them"), ("my neighbour", "her", "is", "her"), ("my 8 year old", "his", "is", "him"),
    ("my pregnant wife", "her", "is", "her"), ("my elderly father", "his", "is", "him"), ("the patient", "their", "is", "them"),
]
INFANTS = ["my baby", "my newborn", "my 3 week old", "my 6 week old baby", "our 2 month old", "my 10 week old son", "the baby",
           "my infant daughter", "my 7 week old", "our newborn", "my 4 week old", "my two month old"]

WRAPPERS = [
    "{m}", "{m}.", "{m}, what should I do?", "{m}. What do I do?", "help! {m}", "{m} please help", "{M}",
    "Can I book an appointment for next week? Also {m}", "I need to book a check-up. {M}", "{M}. Can I see the GP on Monday?",
    "Quick question about my prescription refill - {m}", "What are the side effects of metformin? By the way {m}",
    "Hi, {m}", "Hello, I wanted to reschedule my appointment but {m}", "{M} since this morning", "{M} for the last hour",
    "not sure if this is serious but {m}", "is this an emergency? {m}", "{M}, is it ok to wait until tomorrow?",
    "cancel my appointment please, {m}", "{M} and I also want to ask about my blood pressure tablets",
]
# The same wrappers as the emergencies, so that asking to book says nothing about urgency.
ORDINARY_WRAPPERS = WRAPPERS + ["{m}", "{m}.", "{M}", "{m}, what should I do?", "Hi, {m}", "{M}. Can I book an appointment?",
                     "Can I book an appointment next week? {M}", "{m} - is that normal?", "quick question: {m}"]


def _fill(phrase: str, rng: random.Random) -> str:
    s, p, v, o = rng.choice(SUBJECTS)
    if "{s}" not in phrase and "{o}" not in phrase and rng.random() < 0.5 and "{p}" not in phrase:
        pass
    text = phrase.replace("{i}", rng.choice(INFANTS)).replace("{s}", s).replace("{p}", p).replace("{v}", v).replace("{o}", o)
    if s == "I":
        text = text.replace("I am", "I'm" if rng.random() < 0.5 else "I am")
    return text


def _typo(text: str, rng: random.Random) -> str:
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    words[i] = rng.choice([w[:j] + w[j + 1:], w[:j] + w[j + 1] + w[j] + w[j + 2:], w[:j] + w[j] + w[j:]])
    return " ".join(words)


def _wrap(message: str, wrappers: list[str], rng: random.Random) -> str:
    wrapper = rng.choice(wrappers)
    text = wrapper.replace("{m}", message[0].lower() + message[1:] if not message.startswith("I ") else message).replace(
        "{M}", message[0].upper() + message[1:])
    r = rng.random()
    if r < 0.2:
        text = _typo(text, rng)
    elif r < 0.3:
        text = text.lower().rstrip(".?!")
    return text


def build(seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for group, phrases in EMERGENCY.items():
        for k, phrase in enumerate(phrases):
            for _ in range(4):
                rows.append({"text": _wrap(_fill(phrase, rng), WRAPPERS, rng), "level": "emergency", "group": group,
                             "situation": f"{group}-{k}"})
    for level, phrases, n in (("urgent", URGENT, 8), ("routine", ROUTINE, 6), ("none", SELF_CARE, 6)):
        for k, phrase in enumerate(phrases):
            for _ in range(n):
                rows.append({"text": _wrap(_fill(phrase, rng), ORDINARY_WRAPPERS, rng), "level": level, "group": level,
                             "situation": f"{level}-{k}"})
    unique = {}
    for row in rows:
        unique.setdefault(row["text"], row)
    return list(unique.values())


if __name__ == "__main__":
    rows = build()
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} messages -> {OUT}")
