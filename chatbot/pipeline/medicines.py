"""A drug-class table written for the assistant's warnings: allergies reach every drug of a class, and common
risky pairs and condition cautions are named with why and where it is written. It is a safety net, not a formulary."""
import re

DRUG_CLASSES: dict[str, tuple[str, ...]] = {
    "penicillins": ("penicillin", "amoxicillin", "ampicillin", "co-amoxiclav", "augmentin", "flucloxacillin",
                    "dicloxacillin", "piperacillin", "phenoxymethylpenicillin", "benzylpenicillin"),
    "cephalosporins": ("cephalexin", "cefalexin", "cefuroxime", "ceftriaxone", "cefdinir", "cefaclor"),
    "sulfonamides": ("sulfamethoxazole", "co-trimoxazole", "bactrim", "sulfasalazine"),
    "macrolides": ("erythromycin", "clarithromycin", "azithromycin"),
    "nsaids": ("ibuprofen", "naproxen", "diclofenac", "aspirin", "celecoxib", "ketoprofen", "indomethacin", "meloxicam",
               "etoricoxib", "mefenamic acid", "advil", "motrin", "nurofen", "aleve"),
    "opioids": ("codeine", "morphine", "tramadol", "oxycodone", "hydrocodone", "fentanyl", "dihydrocodeine", "methadone", "buprenorphine"),
    "anticoagulants": ("warfarin", "apixaban", "rivaroxaban", "dabigatran", "edoxaban", "heparin", "coumadin", "eliquis", "xarelto"),
    "antiplatelets": ("clopidogrel", "ticagrelor", "prasugrel"),
    "ssris": ("sertraline", "fluoxetine", "citalopram", "escitalopram", "paroxetine", "zoloft", "prozac"),
    "maois": ("phenelzine", "tranylcypromine", "selegiline", "isocarboxazid"),
    "nitrates": ("nitroglycerin", "glyceryl trinitrate", "isosorbide mononitrate", "isosorbide dinitrate"),
    "pde5 inhibitors": ("sildenafil", "tadalafil", "vardenafil", "viagra", "cialis"),
    "ace inhibitors": ("lisinopril", "ramipril", "enalapril", "perindopril", "captopril"),
    "arbs": ("losartan", "candesartan", "valsartan", "irbesartan", "olmesartan", "telmisartan"),
    "diuretics": ("furosemide", "bumetanide", "bendroflumethiazide", "hydrochlorothiazide", "indapamide", "chlorthalidone", "lasix"),
    "potassium-sparing diuretics": ("spironolactone", "eplerenone", "amiloride"),
    "potassium supplements": ("potassium chloride", "sando-k", "slow-k"),
    "statins": ("simvastatin", "atorvastatin", "rosuvastatin", "pravastatin"),
    "biguanides": ("metformin",),
    "sulfonylureas": ("gliclazide", "glipizide", "glibenclamide", "glimepiride"),
    "paracetamol": ("paracetamol", "acetaminophen", "tylenol", "panadol", "calpol"),
    "antifolates": ("methotrexate", "trimethoprim"),
    "lithium": ("lithium",),
    "benzodiazepines": ("diazepam", "lorazepam", "alprazolam", "clonazepam", "temazepam", "nitrazepam", "xanax", "valium"),
    "z-drugs": ("zopiclone", "zolpidem"),
    "gabapentinoids": ("gabapentin", "pregabalin"),
    "nitroimidazoles": ("metronidazole", "tinidazole", "flagyl"),
    "azole antifungals": ("fluconazole", "itraconazole", "ketoconazole"),
    "fluoroquinolones": ("ciprofloxacin", "levofloxacin", "moxifloxacin", "ofloxacin"),
    "tetracyclines": ("doxycycline", "tetracycline", "minocycline", "lymecycline"),
    "antacids and minerals": ("calcium carbonate", "gaviscon", "iron", "ferrous sulfate", "ferrous fumarate", "magnesium", "zinc"),
    "thyroid hormones": ("levothyroxine", "synthroid", "thyroxine"),
    "digoxin": ("digoxin",),
    "amiodarone": ("amiodarone",),
    "triptans": ("sumatriptan", "zolmitriptan", "rizatriptan", "naratriptan"),
    "st john's wort": ("st john's wort", "st johns wort", "hypericum"),
    "colchicine": ("colchicine",),
    "allopurinol": ("allopurinol",),
    "thiopurines": ("azathioprine", "mercaptopurine"),
    "corticosteroids": ("prednisolone", "prednisone", "dexamethasone", "hydrocortisone tablets"),
    "decongestants": ("pseudoephedrine", "phenylephrine", "sudafed"),
    "calcium channel blockers": ("verapamil", "diltiazem"),
    "beta blockers": ("propranolol", "atenolol", "bisoprolol", "metoprolol", "carvedilol"),
    "theophylline": ("theophylline", "aminophylline"),
    "proton pump inhibitors": ("omeprazole", "esomeprazole"),
    "alcohol": ("alcohol", "beer", "wine", "booze", "cocktail", "cocktails", "vodka", "whisky", "spirits"),
    "cholinesterase inhibitors": ("rivastigmine", "donepezil", "galantamine"),
}
# What people call a class when they name an allergy ("I'm allergic to penicillin" means the class).
CLASS_ALIASES = {"penicillin": "penicillins", "sulfa": "sulfonamides", "sulpha": "sulfonamides", "nsaid": "nsaids",
                 "codeine": "opioids", "cephalosporin": "cephalosporins", "aspirin": "nsaids"}

BNF = "BNF interactions (NICE)"
NHS = "NHS medicines A to Z"
FDA = "FDA prescribing information"
MHRA = "MHRA Drug Safety Update"

# Pairs of classes or drugs: why the combination matters, and where that is written.
INTERACTIONS: list[tuple[str, str, str, str]] = [
    ("nsaids", "ace inhibitors", "can harm the kidneys and weaken the blood pressure treatment", BNF),
    ("nsaids", "arbs", "can harm the kidneys and weaken the blood pressure treatment", BNF),
    ("nsaids", "diuretics", "can harm the kidneys and make the diuretic work less well", BNF),
    ("nsaids", "potassium-sparing diuretics", "can harm the kidneys and push potassium too high", BNF),
    ("nsaids", "anticoagulants", "raises the risk of serious bleeding", BNF),
    ("nsaids", "antiplatelets", "raises the risk of bleeding, especially in the stomach", BNF),
    ("nsaids", "lithium", "can raise lithium to toxic levels", BNF),
    ("nsaids", "methotrexate", "can raise methotrexate to toxic levels", BNF),
    ("nsaids", "ssris", "raises the risk of stomach bleeding", BNF),
    ("nsaids", "corticosteroids", "raises the risk of stomach ulcers and bleeding", BNF),
    ("nsaids", "nsaids", "adds up the stomach and kidney risks of two anti-inflammatories without more benefit", NHS),
    ("alcohol", "paracetamol", "regular drinking with paracetamol raises the risk of liver damage", FDA),
    ("alcohol", "nsaids", "raises the risk of stomach irritation and bleeding", NHS),
    ("alcohol", "benzodiazepines", "together they slow breathing and cause deep drowsiness", FDA),
    ("alcohol", "z-drugs", "together they slow breathing and cause deep drowsiness", FDA),
    ("alcohol", "opioids", "together they slow breathing dangerously", FDA),
    ("alcohol", "gabapentinoids", "together they cause drowsiness and slowed breathing", MHRA),
    ("alcohol", "nitroimidazoles", "can cause flushing, vomiting and a racing heart (do not drink during and for 48 hours after)", NHS),
    ("alcohol", "biguanides", "heavy drinking raises the risk of lactic acidosis", FDA),
    ("alcohol", "sulfonylureas", "raises the risk of a low blood sugar", NHS),
    ("alcohol", "anticoagulants", "heavy drinking changes how warfarin-type medicines work and raises bleeding risk", NHS),
    ("alcohol", "lithium", "can make drowsiness and dehydration worse and upset lithium levels", NHS),
    ("opioids", "benzodiazepines", "together they can stop breathing", FDA),
    ("opioids", "gabapentinoids", "together they can slow breathing dangerously", MHRA),
    ("opioids", "z-drugs", "together they can slow breathing dangerously", FDA),
    ("ssris", "maois", "can cause serotonin syndrome", BNF),
    ("ssris", "tramadol", "can cause serotonin syndrome and seizures", BNF),
    ("ssris", "triptans", "can cause serotonin syndrome", FDA),
    ("ssris", "st john's wort", "can cause serotonin syndrome", MHRA),
    ("ssris", "anticoagulants", "raises the risk of bleeding", BNF),
    ("nitrates", "pde5 inhibitors", "can drop blood pressure dangerously", FDA),
    ("simvastatin", "clarithromycin", "can cause severe muscle damage", MHRA),
    ("simvastatin", "erythromycin", "can cause severe muscle damage", MHRA),
    ("simvastatin", "azole antifungals", "can cause severe muscle damage", BNF),
    ("simvastatin", "amiodarone", "raises the risk of muscle damage at higher simvastatin doses", MHRA),
    ("ace inhibitors", "potassium-sparing diuretics", "can push potassium dangerously high", BNF),
    ("ace inhibitors", "potassium supplements", "can push potassium dangerously high", BNF),
    ("arbs", "potassium-sparing diuretics", "can push potassium dangerously high", BNF),
    ("ace inhibitors", "lithium", "can raise lithium to toxic levels", BNF),
    ("arbs", "lithium", "can raise lithium to toxic levels", BNF),
    ("diuretics", "lithium", "can raise lithium to toxic levels", BNF),
    ("methotrexate", "trimethoprim", "can suppress the bone marrow", MHRA),
    ("warfarin", "clarithromycin", "can make warfarin act much more strongly", BNF),
    ("warfarin", "azole antifungals", "can make warfarin act much more strongly", BNF),
    ("warfarin", "metronidazole", "can make warfarin act much more strongly", BNF),
    ("warfarin", "fluoroquinolones", "can make warfarin act more strongly", BNF),
    ("warfarin", "amiodarone", "can make warfarin act much more strongly", BNF),
    ("clopidogrel", "omeprazole", "omeprazole weakens clopidogrel's protection against clots", MHRA),
    ("digoxin", "amiodarone", "can raise digoxin to toxic levels", BNF),
    ("digoxin", "diuretics", "low potassium from the diuretic makes digoxin toxicity more likely", BNF),
    ("fluoroquinolones", "antacids and minerals", "the minerals stop the antibiotic being absorbed; take them hours apart", FDA),
    ("tetracyclines", "antacids and minerals", "the minerals stop the antibiotic being absorbed; take them hours apart", NHS),
    ("thyroid hormones", "antacids and minerals", "calcium and iron stop levothyroxine being absorbed; take them 4 hours apart", NHS),
    ("theophylline", "ciprofloxacin", "can raise theophylline to toxic levels", BNF),
    ("colchicine", "clarithromycin", "can cause colchicine poisoning", MHRA),
    ("azathioprine", "allopurinol", "can suppress the bone marrow unless the dose is cut", BNF),
    ("mercaptopurine", "allopurinol", "can suppress the bone marrow unless the dose is cut", BNF),
    ("sulfonylureas", "fluconazole", "can cause a low blood sugar", BNF),
    ("maois", "decongestants", "can raise blood pressure dangerously", BNF),
    ("maois", "tramadol", "can cause serotonin syndrome", BNF),
    ("st john's wort", "anticoagulants", "makes the blood thinner work less well", MHRA),
    ("beta blockers", "calcium channel blockers", "can slow the heart dangerously", BNF),
    ("cholinesterase inhibitors", "beta blockers", "together they can slow the heart too much", FDA),
]

# Medicines that need care with a condition in the profile: the condition, why, and the source.
CONDITION_CAUTIONS: list[tuple[str, tuple[str, ...], str, str]] = [
    ("nsaids", ("kidney disease", "chronic kidney disease", "ckd", "renal failure"), "can make kidney disease worse", NHS),
    ("nsaids", ("heart failure",), "can make heart failure worse by holding on to fluid", BNF),
    ("nsaids", ("stomach ulcer", "peptic ulcer", "ulcer", "gastric ulcer"), "can make ulcers bleed", NHS),
    ("nsaids", ("asthma",), "can set off asthma in some people", NHS),
    ("nsaids", ("high blood pressure", "hypertension"), "can raise blood pressure", NHS),
    ("nsaids", ("pregnancy", "pregnant"), "should be avoided in pregnancy unless a doctor advises, especially from 20 weeks", FDA),
    ("decongestants", ("high blood pressure", "hypertension"), "can raise blood pressure", NHS),
    ("biguanides", ("kidney disease", "chronic kidney disease", "ckd"), "can build up and cause lactic acidosis", FDA),
    ("beta blockers", ("asthma",), "can bring on a severe asthma attack", BNF),
    ("paracetamol", ("liver disease", "cirrhosis"), "needs a lower dose with liver disease", NHS),
    ("benzodiazepines", ("sleep apnoea", "sleep apnea", "copd"), "can weaken breathing", BNF),
]
_DRUG_TO_CLASS = {drug: cls for cls, drugs in DRUG_CLASSES.items() for drug in drugs}
_NAMES = sorted(set(_DRUG_TO_CLASS) | set(DRUG_CLASSES) | set(CLASS_ALIASES), key=len, reverse=True)
_FIND = re.compile(r"\b(" + "|".join(re.escape(n) for n in _NAMES) + r")s?\b", re.IGNORECASE)


def drugs_in(text: str) -> list[str]:
    """Drug names (not class names) mentioned in the text, in order, once each."""
    seen = []
    for match in _FIND.finditer(text or ""):
        name = match.group(1).lower()
        if name in _DRUG_TO_CLASS and name not in seen:
            seen.append(name)
    return seen


def class_of(name: str) -> str | None:
    name = name.strip().lower()
    return CLASS_ALIASES.get(name) or (name if name in DRUG_CLASSES else None) or _DRUG_TO_CLASS.get(name)


def allergy_warnings(drugs: list[str], allergies: list[str]) -> list[str]:
    out = []
    for drug in drugs:
        for allergy in allergies:
            allergy_l = allergy.strip().lower()
            if not allergy_l:
                continue
            allergy_class = class_of(allergy_l)
            same_drug = drug == allergy_l
            same_class = allergy_class is not None and _DRUG_TO_CLASS.get(drug) == allergy_class and (allergy_l in DRUG_CLASSES or allergy_l in CLASS_ALIASES)
            if same_drug or same_class:
                what = "" if same_drug else f", one of the {_DRUG_TO_CLASS[drug]},"
                out.append(f"Allergy warning: your profile says you are allergic to {allergy.strip()}. {drug.capitalize()}{what} "
                           f"may cause a reaction; do not take it without asking your doctor or pharmacist.")
    return out


def interaction_warnings(drugs: list[str], medications: list[str]) -> list[str]:
    """Each risky pair between the medicines asked about and those the patient takes (or names in the message)."""
    out = []
    taken = [m.strip().lower() for m in medications if m.strip()]
    for drug in drugs:
        for med in taken:
            if med == drug:
                continue
            for a, b, why, source in INTERACTIONS:
                if (_names(drug, a) and _names(med, b)) or (_names(drug, b) and _names(med, a)):
                    if "alcohol" in (_DRUG_TO_CLASS.get(drug), _DRUG_TO_CLASS.get(med)):
                        other = med if _DRUG_TO_CLASS.get(drug) == "alcohol" else drug
                        out.append(f"Interaction warning: alcohol with {other}: {why}. Source: {source}. Ask your doctor or pharmacist first.")
                    else:
                        out.append(f"Interaction warning: {med} with {drug}: together it {why}. Source: {source}. Ask your doctor or pharmacist first.")
                    break
    return list(dict.fromkeys(out))


def condition_warnings(drugs: list[str], conditions: list[str]) -> list[str]:
    out = []
    for drug in drugs:
        for condition in conditions:
            low = condition.strip().lower()
            for cls, names, why, source in CONDITION_CAUTIONS:
                if _names(drug, cls) and any(n == low or re.search(rf"\b{re.escape(n)}\b", low) for n in names):
                    out.append(f"Caution: your profile says {condition.strip()}. {drug.capitalize()} {why}. Source: {source}. "
                               "Ask your doctor or pharmacist before taking it.")
    return list(dict.fromkeys(out))


def warnings_for(text: str, profile) -> list[str]:
    """Allergy, interaction and condition warnings for the medicines a message names, against the patient's
    profile and against the other medicines (and alcohol) named in the same message."""
    named = drugs_in(text)
    medicines_named = [d for d in named if _DRUG_TO_CLASS.get(d) != "alcohol"]
    if not medicines_named:
        return []
    allergies = list(getattr(profile, "allergies", None) or [])
    taken = list(getattr(profile, "medications", None) or [])
    conditions = list(getattr(profile, "conditions", None) or [])
    taken_drugs = [d for m in taken for d in (drugs_in(m) or [m.strip().lower()])]
    return list(dict.fromkeys(
        allergy_warnings(medicines_named, allergies)
        + interaction_warnings(medicines_named, [*taken_drugs, *[d for d in named if d not in medicines_named[:1]]])
        + condition_warnings(medicines_named, conditions)
    ))


def _names(drug: str, drug_or_class: str) -> bool:
    return drug == drug_or_class or _DRUG_TO_CLASS.get(drug) == drug_or_class
