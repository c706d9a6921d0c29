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

# Ordinary messages that carry an emergency's words (the false alarms of a model that learned words, not situations):
# a red flag denied ("no chest pain"), an emergency in the past or in someone's history ("had a seizure years ago,
# need a refill"), everyday idioms ("a chest cold", "my feet are killing me"), a child's fever with reassuring signs,
# the common complaints of pregnancy, low mood without danger, and questions about emergencies rather than reports.
NEGATED = [
    "no chest pain, just a cough that keeps me awake", "I'm not short of breath, only a blocked nose and sneezing",
    "I'm not having any thoughts of hurting myself, I just feel flat and want to talk to someone",
    "I would never harm myself but I've been very low since the winter", "not suicidal, just exhausted and sad all the time",
    "no blood in it, just loose stools for two days", "{s} isn't floppy, {s} is drinking and playing, just has a temperature",
    "no stiff neck and no rash, just a fever and a sore throat", "I didn't pass out, I felt lightheaded for a second when I stood up",
    "{s} didn't hit {p} head, {s} fell on {p} bottom and is fine", "no swelling of the lips or tongue, just an itchy rash after a new soap",
    "no numbness or weakness, just a stiff neck from sleeping badly", "there's no bleeding now, the cut has closed up",
    "breathing is fine, it's just a tickly cough", "no vomiting and no confusion, only a small bump on the head",
    "I don't have chest pain, I wanted to ask about my cholesterol result", "no fever and {s} is feeding well, just a bit snuffly",
    "the pain isn't severe, more of a dull ache in my lower back", "the baby is moving normally, I just have heartburn",
    "no trouble swallowing or breathing, my throat is just scratchy", "I haven't fainted, I just feel a bit tired after the flu",
    "I'm not in danger, I'd just like a referral for counselling", "it's not an emergency, my eczema has flared up again",
    "no headache or blurred vision, my ankles swell a little by evening and I'm 30 weeks pregnant",
    "my heart isn't racing now, I had one coffee too many", "no wheeze and no shortness of breath, only a runny nose",
    "the rash fades when I press it and {s} is otherwise well", "I'm not bleeding heavily, my period is just a bit longer this month",
    "nothing serious, my knee clicks when I climb stairs", "{s} is alert and chatty after the bump, no sickness at all",
]
HISTORY = [
    "I had a seizure years ago and need a refill of my epilepsy tablets", "I had a stroke two years ago, can I get a physio referral",
    "{p} dad had a heart attack last year and wants advice on diet", "my mum's stroke was in 2019, what can help her memory now",
    "I had anaphylaxis as a child and need a new epipen prescription", "my epipen is out of date, can I get a new one",
    "I had a kidney stone last year, how do I stop getting another", "I had a blood clot in my leg in the past, is it safe to fly",
    "my grandad had a stroke long ago and still has a weak arm, can he get a walking frame",
    "after my heart attack in March I was put on statins, what are the side effects",
    "I used to self harm as a teenager, I'm okay now but I'd like the scars looked at",
    "{p} son had a febrile convulsion last year, what should we know for next time",
    "I was in hospital with sepsis last year and still get tired easily", "I had pre-eclampsia in my first pregnancy, what should I watch for this time",
    "I had a collapsed lung a few years ago, is it ok to go diving", "{p} husband is recovering from bypass surgery, when can he drive",
    "my dad had a mini stroke last month, which tablets will he need", "I've had migraines with aura for years and this one is like the usual ones",
    "I had chest pain last month and the hospital said it was a pulled muscle, it's gone now",
    "I had a fit once as a child, do I need to tell the driving agency", "{p} wife had a bleed on the brain five years ago, she wants to start swimming",
    "my aunt had meningitis as a baby, is it hereditary", "I was treated for an overdose of iron as a toddler, could it affect me now",
    "I've had asthma since childhood and need a new brown inhaler", "I have heart failure and my water tablets are running out",
    "I'm diabetic and my sugar was 12 this morning, I feel fine", "I had a heart attack in 2015 and want to start running again",
    "my husband had a seizure last year and the neurologist changed his tablets, can I ask about side effects",
    "my son was stung by a bee last summer and swelled up, should we get him allergy tested",
    "my grandmother fell last week and bruised her hip, she is walking fine but slowly",
]
IDIOM = [
    "chest cold and a runny nose", "a chesty cough with yellow phlegm but my breathing is okay", "my back hurts after the gym",
    "my heart rate goes up when I drink coffee", "my feet are killing me after a long shift", "this cold is killing me, what can I take",
    "what do my blood test results mean", "my blood pressure reading was 135 over 85, is that okay", "my sugar was 9 after dinner, is that normal",
    "my gums bleed when I floss", "my heart skips a beat now and then when I'm tired", "breathless after running for the bus, I'm unfit",
    "heartburn after spicy food, burning in my chest that goes with antacids", "stomach cramps after eating too much",
    "period pain is bad this month but painkillers help", "struggling to sleep since the baby came", "struggling to concentrate at work",
    "struggling to lose weight", "can't stop sneezing in the mornings", "can't stop coughing at night with this cold",
    "can't breathe through my nose with this cold", "{p} toddler swallowed a bit of toothpaste", "I took my blood pressure tablet twice by mistake this morning",
    "{p} child ate a little bit of soil in the garden", "stung by a wasp, red and itchy around the sting", "burnt my tongue on hot tea",
    "a small burn from my hair straighteners", "hit my thumb with a hammer and it's bruised", "fell off my bike and grazed my elbow",
    "I get pins and needles in my hand when I sleep on it", "my toes go numb in the cold", "my face is a bit puffy in the mornings",
    "my lips are dry and cracked", "swollen ankles at the end of a long day on my feet", "my eye keeps twitching",
    "my vision is blurry after reading for hours, I need an eye test", "dizzy when I stand up too fast, it passes in seconds",
    "I fainted once when I gave blood", "I feel faint if I skip breakfast", "a headache after a day staring at the screen",
    "vomited once after a big night out, feeling better now", "diarrhoea after a takeaway, keeping fluids down",
    "my knee gave way on the stairs, it's a bit sore", "muscles aching after my first spin class", "my legs are stiff after the marathon",
    "I'm dying to know if I can take antihistamines with my pill", "my head is pounding after the party", "I nearly fainted in a hot shower",
    "I feel sick on long car journeys", "ringing in my ears after a concert", "my nose is blocked and I can't smell anything",
    "{p} heart flutters when {s} lies on {p} left side, it stops after a moment", "shortness of breath when climbing hills, I'm overweight",
    "tingling fingers when it's cold", "my hands shake a little when I'm nervous", "a tight chest when I have a cold, my usual inhaler sorts it",
    "a lump in my throat feeling when I'm anxious", "my jaw aches from grinding my teeth", "bruised ribs after a fall on the ice, breathing is fine",
]
# Everyday complaints worded with the strong words emergencies use too: sharp, bad, sudden, can't, swollen, blood, numb.
EVERYDAY = [
    "dry cracked hands from washing up and cleaning", "my hands are sore from the cleaning products at work",
    "a streak of blood on the tissue when I wipe, I have piles", "a bit of blood in my snot when I blow my nose",
    "I nicked myself shaving and it bled for a minute", "a paper cut that keeps opening up", "my gums bled at the dentist",
    "a sharp pain in my heel when I get out of bed", "a bad sore throat for two days, still eating and drinking",
    "a sudden urge to pee all the time", "swollen glands in my neck with a cold", "my big toe is numb after tight shoes",
    "I can't lose weight whatever I do", "I can't get rid of this cough", "my nose is red and sore from blowing it",
    "a bad headache after not drinking enough water", "sharp twinges in my side when I run, a stitch",
    "my fingers swell in hot weather", "my arm aches after the vaccine", "a red patch on my leg that's dry and flaky",
    "a sore tongue after eating pineapple", "blood blister on my finger after trapping it in a door", "a black toenail after running",
    "cold hands and feet all the time", "I feel a bit breathless with anxiety sometimes but it settles", "heavy legs after standing all day",
    "my throat feels tight when I'm nervous before a presentation", "itchy eyes and a tight feeling in my chest with hay fever, inhaler helps",
    "pain in my wrist after falling on it, I can move it fine", "my neck is stiff from working at a laptop",
    "a sharp pain in my ear on the plane that's gone now", "light periods since starting the pill", "I sweat a lot at night in the menopause",
    "I had a hypo this morning, ate some jelly babies and feel fine now", "my sugar dipped to 3.8 before lunch, I had a snack and I'm okay",
    "{p} dad's blood sugar was a bit low overnight, he ate and is back to normal", "my blood sugars are running high this week, I feel well",
    "my blood pressure is low and I feel a bit lightheaded in the mornings", "my pulse is 55 at rest, I'm a runner",
    "I keep getting cramp in my foot", "a crick in my neck", "my back went when I picked up the shopping, I can walk",
    "a lump on my eyelid", "a painful corn on my toe", "bruises on my legs I don't remember getting", "pale and tired, I think I'm anaemic",
]
CHILD = [
    "{c} has a temperature of 38.4 but is eating and playing", "{c} has had a fever for two days and is drinking well",
    "{c} has a fever of 38.6 and perked up after calpol", "{c} has a runny nose and a slight temperature",
    "{c} has a tummy bug but is keeping water down", "{c} is teething and has a slightly raised temperature",
    "{c} has chickenpox spots, how do I stop the itching", "{c} has a cough and a cold and is bouncing around",
    "{c} had a nosebleed at school that stopped", "{c} fell and has a small lump on the forehead, acting normal",
    "{c} has a temperature after the jabs but is happy", "{c} has a rash on the cheeks from dribbling",
    "{c} has been sick once and is now asking for food", "{c} has a sore ear and a mild fever",
    "{c} has hand foot and mouth disease, what helps", "{c} keeps waking at night coughing but is fine in the day",
    "{c} has a high temperature that comes down with paracetamol and is weeing normally",
    "{c} has conjunctivitis", "{c} has threadworms", "{c} is constipated",
]
CHILDREN = ["my 3 year old", "my toddler", "my 18 month old", "my 4 year old", "my 7 year old", "my son", "my daughter", "my 2 year old",
            "our 5 year old", "my 10 month old", "my one year old", "my 9 year old daughter"]
INFANT_ORDINARY = [
    "how much milk should {i} be drinking", "{i} has hiccups a lot, is that normal", "{i} spits up a little after every feed but is gaining weight",
    "when should {i} have the first jabs", "{i} has a blocked nose but is feeding fine", "{i} has a few spots on the face, feeding well",
    "{i} has cradle cap", "{i} sneezes a lot but is otherwise well", "{i} has a sticky eye but is feeding normally",
    "{i} poos a lot, is that normal", "how do I bath {i}", "{i} has wind and cries in the evening but feeds well",
]
PREGNANCY = [
    "I'm 20 weeks pregnant and my back aches in the evening", "pregnant and sick in the mornings but eating small meals",
    "15 weeks pregnant with heartburn", "pregnant and constipated, what can I take", "I'm pregnant and tired all the time",
    "pregnant with leg cramps at night", "pregnant, can I take paracetamol for a cold", "30 weeks pregnant and the baby kicks a lot, is that normal",
    "pregnant with a blocked nose", "pregnant and my gums bleed when I brush", "I'm pregnant and can't sleep comfortably",
    "pregnant with piles", "pregnant and craving ice", "pregnant and worried about the glucose test", "pregnant and feel dizzy in hot weather",
    "pregnant and have thrush", "can I fly at 28 weeks pregnant", "pregnant and itchy stretch marks",
]
MOOD = [
    "I feel anxious before exams and can't switch off", "I've been low since my mum died, I'm safe but would like counselling",
    "I'm not going to do anything silly, I just need someone to talk to", "I feel hopeless about work lately but I have no plans to harm myself",
    "I'd like to be referred for therapy for my anxiety", "{p} teenage son seems withdrawn, how do I talk to him",
    "I have no thoughts of ending my life, I just can't sleep for worrying", "panic attacks on the train that pass after ten minutes",
    "my antidepressants make me feel numb", "I'm grieving and can't stop crying", "I've lost interest in things for a month, I'm safe",
    "my mood swings are affecting my relationship", "I feel lonely since I moved", "I'm stressed and snapping at everyone",
    "I think I might have ADHD", "can I come off my antidepressants", "burnt out from work and not sleeping",
]
URGENT_NEW = [
    "a painful rash of blisters on one side of my back", "a blistering band of rash around my waist on one side", "shingles on my forehead",
    "kidney stone pain again, comes and goes, painkillers are working", "burning when I pee and a pain in my side with a temperature",
    "cough for a week, green phlegm and a temperature of 38", "{c} has earache and a fever", "tonsils swollen with white spots and a fever",
    "toothache and my gum is swollen", "a boil that's getting bigger and more painful", "tummy bug for three days, still keeping fluids down",
    "a cat bite on my hand that's red and swollen", "a dog bite that broke the skin", "sinus pain and a fever for a week",
    "a chest infection that isn't getting better with antibiotics", "glandular fever with a very sore throat, still drinking",
    "my ankle is swollen after a fall and hurts to walk on", "an abscess under my arm", "cystitis for the third time this year",
    "a painful swollen big toe joint", "sudden hearing loss in one ear without pain", "a rash after starting new antibiotics, no swelling",
]
QUESTIONS = [
    "what can cause vomit that looks dark like coffee", "{p} daughter was prescribed an epipen, how should we store it",
    "how long does it take to recover from a stroke", "what should I do if someone faints", "how can I tell a heart attack from heartburn",
    "what are the signs of sepsis in children", "how do I do CPR on an adult", "what should I do if my child swallows a battery",
    "how do I know if a burn needs hospital", "what's the difference between a panic attack and a heart attack", "what is a TIA",
    "can you die from an asthma attack", "what does a seizure look like", "what are the signs of meningitis in babies",
    "what is the recovery position", "how do I stop a nosebleed", "when should I call an ambulance for chest pain",
    "what are the warning signs of an ectopic pregnancy", "what is the glass test for a rash", "what causes black stools",
    "how do I help someone having a panic attack", "what should I do after a snake bite on holiday", "is a high temperature dangerous for adults",
    "what happens in anaphylaxis", "can a head injury cause problems days later", "what is testicular torsion",
    "what are the symptoms of a blood clot in the lung", "how to treat a burn at home", "what is diabetic ketoacidosis",
]
# Emergencies said alongside history, denial of something else, or a question: the emergency still wins.
EMERGENCY_NEW = {
    "infant": ["{c} has a purple rash that doesn't fade when pressed and is very drowsy", "{c} has a fever and spots that stay when you press a glass on them",
               "{c} is very sleepy with a blotchy rash that won't go away when pressed"],
    "stroke": ["I had a stroke before and now {p} face is drooping again", "no headache but {p} speech suddenly went slurred and the arm is weak"],
    "cardiac": ["I had a heart attack last year and this chest pain feels the same, I'm sweating", "no cough, but crushing chest pain and I feel sick"],
    "breathing": ["no chest pain but {s} can't breathe and {p} lips are going blue"],
    "mental_health": ["I'm not okay, I've taken all my pills and want it to be over", "I had a seizure years ago but tonight I want to end my life"],
    "neuro": ["{s} has epilepsy and the fit has gone on for over five minutes"],
    "poisoning": ["{c} got into my tablets and I don't know how many are gone", "found {c} with an open bottle of pills",
                  "{c} swallowed some of my heart tablets", "{c} drank some of the dishwasher liquid",
                  "{c} chewed one of my iron tablets and a few are missing", "{s} swallowed twenty sleeping tablets",
                  "{s} took a whole strip of painkillers an hour ago"],
    "mental_health": ["{s} swallowed thirty of {p} tablets on purpose", "{p} sister just told me she took a bottle of pills",
                      "I took fifty paracetamol tonight"],
    "bleeding": ["blood keeps pumping out of the cut even when I press on it", "blood spurting from {p} arm after the glass broke",
                 "the wound keeps gushing blood through the towel"],
    "breathing": ["{c} is choking on a sweet and can't make a sound", "food stuck in {p} throat, {s} can't speak or cough",
                  "{c} swallowed a grape and is struggling to breathe"],
    "pregnancy": ["pregnant a few weeks, sharp pain low on one side and dizzy", "early pregnancy with one-sided pain and shoulder tip pain",
                  "positive pregnancy test and now bad pain on one side and bleeding, feel faint"],
    "anaphylaxis": ["after the wasp sting {p} whole face swelled up and {s} {v} wheezing", "{p} eyes swelled shut and {s} {v} short of breath after the prawns",
                    "hives everywhere and {p} voice has gone hoarse after the tablet"],
    "metabolic": ["{s} {v} diabetic, sweaty, shaky and not making sense", "{p} husband's sugar is very low and he can't swallow the juice"],
    "sepsis": ["{s} has a fever and a rash that doesn't go when pressed with a glass", "fever and purple spots that don't fade"],
}

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
    text = phrase.replace("{i}", rng.choice(INFANTS)).replace("{c}", rng.choice(CHILDREN)).replace("{s}", s).replace("{p}", p).replace("{v}", v).replace("{o}", o)
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
    for group, phrases in EMERGENCY_NEW.items():
        for k, phrase in enumerate(phrases):
            for _ in range(4):
                rows.append({"text": _wrap(_fill(phrase, rng), WRAPPERS, rng), "level": "emergency", "group": group,
                             "situation": f"{group}-new-{k}"})
    ordinary = [("urgent", URGENT, 8), ("routine", ROUTINE, 6), ("none", SELF_CARE, 6), ("routine", NEGATED, 5), ("routine", EVERYDAY, 5),
                ("none", HISTORY, 5), ("routine", IDIOM, 5), ("routine", CHILD, 5), ("none", INFANT_ORDINARY, 5),
                ("routine", PREGNANCY, 5), ("routine", MOOD, 5), ("urgent", URGENT_NEW, 5), ("none", QUESTIONS, 5)]
    for number, (level, phrases, n) in enumerate(ordinary):
        for k, phrase in enumerate(phrases):
            for _ in range(n):
                rows.append({"text": _wrap(_fill(phrase, rng), ORDINARY_WRAPPERS, rng), "level": level, "group": level,
                             "situation": f"{level}-{number}-{k}"})
    unique = {}
    for row in rows:
        unique.setdefault(row["text"], row)
    return list(unique.values())


if __name__ == "__main__":
    rows = build()
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} messages -> {OUT}")
