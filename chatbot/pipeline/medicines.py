"""A small drug-class table written for the assistant's warnings: allergies reach every drug of a class,
and a few well-known interactions are named. It is a safety net, not a formulary."""
import re

DRUG_CLASSES: dict[str, tuple[str, ...]] = {
    "penicillins": ("penicillin", "amoxicillin", "ampicillin", "co-amoxiclav", "augmentin", "flucloxacillin",
                    "dicloxacillin", "piperacillin", "phenoxymethylpenicillin", "benzylpenicillin"),
    "cephalosporins": ("cephalexin", "cefalexin", "cefuroxime", "ceftriaxone", "cefdinir", "cefaclor"),
    "sulfonamides": ("sulfamethoxazole", "co-trimoxazole", "bactrim", "sulfasalazine"),
    "macrolides": ("erythromycin", "clarithromycin", "azithromycin"),
    "nsaids": ("ibuprofen", "naproxen", "diclofenac", "aspirin", "celecoxib", "ketoprofen", "indomethacin"),
    "opioids": ("codeine", "morphine", "tramadol", "oxycodone", "hydrocodone", "fentanyl"),
    "anticoagulants": ("warfarin", "apixaban", "rivaroxaban", "dabigatran", "heparin"),
    "ssris": ("sertraline", "fluoxetine", "citalopram", "escitalopram", "paroxetine"),
    "maois": ("phenelzine", "tranylcypromine", "selegiline", "isocarboxazid"),
    "nitrates": ("nitroglycerin", "glyceryl trinitrate", "isosorbide mononitrate", "isosorbide dinitrate"),
    "pde5 inhibitors": ("sildenafil", "tadalafil", "vardenafil"),
    "ace inhibitors": ("lisinopril", "ramipril", "enalapril", "perindopril"),
    "potassium-sparing diuretics": ("spironolactone", "eplerenone", "amiloride"),
    "statins": ("simvastatin", "atorvastatin", "rosuvastatin", "pravastatin"),
    "biguanides": ("metformin",),
    "paracetamol": ("paracetamol", "acetaminophen", "tylenol"),
    "antifolates": ("methotrexate", "trimethoprim"),
}
# What people call a class when they name an allergy ("I'm allergic to penicillin" means the class).
CLASS_ALIASES = {"penicillin": "penicillins", "sulfa": "sulfonamides", "sulpha": "sulfonamides", "nsaid": "nsaids",
                 "codeine": "opioids", "cephalosporin": "cephalosporins", "aspirin": "nsaids"}

# Pairs of classes or drugs, with why the combination matters.
INTERACTIONS: list[tuple[str, str, str]] = [
    ("anticoagulants", "nsaids", "raises the risk of serious bleeding"),
    ("ssris", "maois", "can cause serotonin syndrome"),
    ("ssris", "tramadol", "can cause serotonin syndrome and seizures"),
    ("nitrates", "pde5 inhibitors", "can drop blood pressure dangerously"),
    ("simvastatin", "clarithromycin", "can cause severe muscle damage"),
    ("ace inhibitors", "potassium-sparing diuretics", "can push potassium dangerously high"),
    ("methotrexate", "trimethoprim", "can suppress the bone marrow"),
    ("warfarin", "clarithromycin", "can make warfarin act much more strongly"),
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
    out = []
    taken = [m.strip().lower() for m in medications if m.strip()]
    for drug in drugs:
        for med in taken:
            for a, b, why in INTERACTIONS:
                for x, y in ((a, b), (b, a)):
                    if _names(drug, x) and _names(med, y):
                        out.append(f"Interaction warning: you take {med}; together with {drug} it {why}. Ask your doctor or pharmacist first.")
    return list(dict.fromkeys(out))


def _names(drug: str, drug_or_class: str) -> bool:
    return drug == drug_or_class or _DRUG_TO_CLASS.get(drug) == drug_or_class
