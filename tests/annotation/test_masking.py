"""Personal identifiers are masked before an annotator reads a patient's message."""
import dataclasses
import itertools

import pytest

from annotation.masking import MaskedSpan, find_identifiers, mask, mask_many

INTAKE = (
    "Hi, I'm John Smith, DOB 03/14/1985, call me at (555) 123-4567 or john.smith@example.com. "
    "My MRN is 12345678 and I live at 221B Baker Street."
)


def kinds_of(text, **kwargs):
    return [(span.kind, span.text) for span in find_identifiers(text, **kwargs)]


def found(text, kind, **kwargs):
    return [span.text for span in find_identifiers(text, **kwargs) if span.kind == kind]


# --- the intake message -----------------------------------------------------------------------


def test_intake_message_shows_none_of_its_identifiers():
    masked, spans = mask(INTAKE)

    secrets = ("John", "Smith", "03/14/1985", "555", "123-4567", "john.smith", "example.com", "12345678", "221B", "Baker")
    for secret in secrets:
        assert secret not in masked
    assert masked == (
        "Hi, I'm [NAME], DOB [DOB], call me at [PHONE] or [EMAIL]. "
        "My MRN is [RECORD_NUMBER] and I live at [ADDRESS]."
    )
    assert [(s.kind, s.text) for s in spans] == [
        ("NAME", "John Smith"),
        ("DOB", "03/14/1985"),
        ("PHONE", "(555) 123-4567"),
        ("EMAIL", "john.smith@example.com"),
        ("RECORD_NUMBER", "12345678"),
        ("ADDRESS", "221B Baker Street"),
    ]


def test_spans_point_at_the_original_characters():
    spans = find_identifiers(INTAKE)

    for span in spans:
        assert INTAKE[span.start : span.end] == span.text
    assert spans[0].start == INTAKE.index("John Smith")
    assert spans[-1].end == INTAKE.index("Street") + len("Street")


def test_spans_are_sorted_and_do_not_overlap():
    spans = find_identifiers(INTAKE + " Born on March 14, 1985. Reach me at +44 20 7946 0958.")

    assert spans == sorted(spans, key=lambda s: s.start)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_masked_span_is_frozen():
    span = MaskedSpan(0, 4, "NAME", "John")

    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 1


# --- what must stay -----------------------------------------------------------------------------


def test_medical_message_keeps_every_word_and_number():
    text = "I have Type 2 Diabetes and take Metformin 500 mg twice daily; BP 120/80 in 2023"

    assert find_identifiers(text) == []
    assert mask(text) == (text, [])


@pytest.mark.parametrize(
    "text",
    [
        "My temperature was 98.6 this morning and my pulse 72 bpm.",
        "I took 1/2 tablet of Tylenol 500 mg, then Ibuprofen 200 mg every 4-6 hours.",
        "My A1C went from 8.1 to 7.2% since 2019; LDL 130 mg/dL, HDL 45.",
        "BP readings: 140/90, 135/85 and 128/82. I walked 10,000 steps. Vitamin D 1000 IU.",
        "I've been on Lisinopril 10 mg since March and had COVID 19 in 2021. Call 911 if worse?",
        "Hi Doctor, I'm Worried about my Blood Pressure. My Mother had Parkinson's Disease.",
        "I'm Feeling dizzy and I'm Having chest pain. I'm Allergic to penicillin. This is Urgent!",
        "I'm Type 1 and use Humalog 10 units. I'm Pregnant, week 12. Will Tylenol help?",
        "The mRNA vaccine dose 2 was fine. I walked 5 miles along Main Street yesterday.",
        "Thanks so much! Best wishes",
    ],
)
def test_ordinary_health_messages_are_left_alone(text):
    assert kinds_of(text) == []


# --- e-mails and URLs -------------------------------------------------------------------------


def test_emails_are_masked():
    text = "Please write to mary-ann.o.connor+health@mail.example.co.uk, not to my work address."

    assert kinds_of(text) == [("EMAIL", "mary-ann.o.connor+health@mail.example.co.uk")]
    assert mask(text)[0] == "Please write to [EMAIL], not to my work address."


def test_urls_are_masked_without_trailing_punctuation():
    text = "My results are at https://portal.example.org/patients/8812?view=1. See also www.myblog.example.com."

    assert found(text, "URL") == ["https://portal.example.org/patients/8812?view=1", "www.myblog.example.com"]


# --- phones ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "(555) 123-4567",
        "555-123-4567",
        "555.123.4567",
        "+1 555 123 4567",
        "+44 20 7946 0958",
        "07700 900123",
        "020 7946 0958",
    ],
)
def test_phone_numbers_in_us_and_international_forms(number):
    text = f"You can reach my daughter on {number} after 5pm."

    assert kinds_of(text) == [("PHONE", number)]


def test_phone_numbers_after_a_phone_cue_may_be_short_or_unpunctuated():
    text = "My phone number is 5551234567 and my cell: 555 1234."

    assert found(text, "PHONE") == ["5551234567", "555 1234"]


@pytest.mark.parametrize(
    "text", ["Metformin 500 mg", "BP 120/80", "in 2023", "temp 98.6", "call me in 2 weeks about the 500 mg dose"]
)
def test_doses_measurements_and_years_are_not_phones(text):
    assert found(text, "PHONE") == []


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("DOB 03/14/1985, allergic to sulfa.", "03/14/1985"),
        ("I was born on March 14, 1985 in Ohio.", "March 14, 1985"),
        ("date of birth: 1985-03-14", "1985-03-14"),
        ("My D.O.B. is 14.03.1985.", "14.03.1985"),
        ("Birthday: 14 March 1985", "14 March 1985"),
        ("3/14/85 (DOB)", "3/14/85"),
    ],
)
def test_dates_of_birth_in_context(text, value):
    assert kinds_of(text) == [("DOB", value)]


def test_other_full_dates_are_dates():
    text = (
        "My appointment is on April 2, 2024; the last one was 2024-01-15 and the one before 12/05/2023. "
        "Next: the 3rd of June."
    )

    assert found(text, "DATE") == ["April 2, 2024", "2024-01-15", "12/05/2023", "3rd of June"]
    assert found(text, "DOB") == []


def test_impossible_dates_and_bare_months_are_not_dates():
    assert kinds_of("Readings 45/60/2023 and since March, in 2023, at 10:30.") == []


# --- addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "221B Baker Street",
        "1600 Pennsylvania Ave NW",
        "12 Oak Rd., Apt 4",
        "42 Elm St",
        "7 Sunset Blvd",
        "19 Maple Lane",
        "3 Birch Ln",
        "88 Lakeview Dr",
        "5 Willow Drive",
        "14 Cedar Court",
        "6 Pine Ct",
        "100 Harbor Way",
        "9 Grove Place",
        "31 Park Pl, Suite 200",
        "350 5th Avenue",
    ],
)
def test_street_addresses_with_common_suffixes(address):
    text = f"Please send the kit to {address} before Friday."

    assert kinds_of(text) == [("ADDRESS", address)]


def test_city_state_and_zip_belong_to_the_address():
    text = "We moved to 1600 Pennsylvania Ave NW, Washington, DC 20500 last year."

    assert kinds_of(text) == [("ADDRESS", "1600 Pennsylvania Ave NW, Washington, DC 20500")]


def test_zip_after_a_state_code_is_an_address_on_its_own():
    text = "I'm in Springfield, IL 62704 now. Or New York, NY 10001-1234."

    assert found(text, "ADDRESS") == ["Springfield, IL 62704", "New York, NY 10001-1234"]


def test_po_boxes_and_uk_postcodes_are_addresses():
    assert found("Mail goes to P.O. Box 4521.", "ADDRESS") == ["P.O. Box 4521"]
    assert found("I live near London SW1A 2AA.", "ADDRESS") == ["SW1A 2AA"]


def test_sentence_full_stop_stays_outside_the_address():
    masked, _ = mask("I live at 12 Oak Rd.")

    assert masked == "I live at [ADDRESS]."


# --- record and id numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("MRN 12345678", "12345678"),
        ("My MRN is 12345678.", "12345678"),
        ("MRN#00451", "00451"),
        ("medical record number: A-99881", "A-99881"),
        ("patient ID 554433", "554433"),
        ("chart no. 77-1203", "77-1203"),
    ],
)
def test_medical_record_numbers_after_their_cue(text, value):
    assert kinds_of(text) == [("RECORD_NUMBER", value)]


@pytest.mark.parametrize(
    "text, value",
    [
        ("My SSN is 123-45-6789.", "123-45-6789"),
        ("They asked for 123-45-6789 on the form.", "123-45-6789"),
        ("SSN: 123 45 6789", "123 45 6789"),
        ("insurance ID XYZ123456789", "XYZ123456789"),
        ("member ID: W123456789", "W123456789"),
        ("policy number 987654321", "987654321"),
        ("Medicare number 1EG4-TE5-MK73", "1EG4-TE5-MK73"),
        ("my NHS number is 943 476 5919", "943 476 5919"),
    ],
)
def test_ssn_like_and_insurance_numbers_are_id_numbers(text, value):
    assert kinds_of(text) == [("ID_NUMBER", value)]


def test_cue_words_without_a_number_mask_nothing():
    assert kinds_of("My MRN is pending and my insurance is Aetna. The mRNA shot was fine.") == []


# --- names -----------------------------------------------------------------------------------


def test_known_names_match_whole_words_in_any_case():
    text = "JSMITH here. jsmithers is my brother's handle; smith is on the card and Smithfield is my town."

    assert found(text, "NAME", known_names=["jsmith", "Smith"]) == ["JSMITH", "smith"]


def test_a_full_known_name_also_matches_its_parts():
    text = "This account is for sarah and Connolly is her surname."

    assert found(text, "NAME", known_names=["Sarah Connolly"]) == ["sarah", "Connolly"]


@pytest.mark.parametrize(
    "text, name",
    [
        ("My name is Priya Raman and I have a rash.", "Priya Raman"),
        ("my name is jon snow and I need a refill", "jon snow"),
        ("I'm Derek, 52, with a cough.", "Derek"),
        ("I am Ngozi Okafor.", "Ngozi Okafor"),
        ("Hello, this is Tomasz calling about my results.", "Tomasz"),
        ("Dr. Patel said to double the dose.", "Patel"),
        ("Doctor Nguyen prescribed it.", "Nguyen"),
        ("Mr. O'Brien from the pharmacy called.", "O'Brien"),
        ("Mrs. McDonald is my neighbour.", "McDonald"),
        ("Ms. Alvarez-Reyes handled my claim.", "Alvarez-Reyes"),
        ("Nurse Kelly took my blood.", "Kelly"),
        ("My wife Anneliese has the same symptoms.", "Anneliese"),
        ("my husband, Rajesh, drives me.", "Rajesh"),
        ("My son Jake has a fever of 101.5.", "Jake"),
        ("My daughter Chloé is 4.", "Chloé"),
        ("my mother Ingrid had a stroke.", "Ingrid"),
        ("My father Desmond has diabetes.", "Desmond"),
        ("My doctor Okonkwo is away.", "Okonkwo"),
        ("Hi Bartholomew, quick question.", "Bartholomew"),
        ("That is all.\nThanks, Ravi", "Ravi"),
        ("Sincerely,\nMargarethe Vogel", "Margarethe Vogel"),
        ("ok, thanks Sarah", "Sarah"),
    ],
)
def test_names_after_cues(text, name):
    assert found(text, "NAME") == [name]


def test_given_name_followed_by_a_surname_is_a_name():
    text = "Kevin Brown told me to rest, and Emily Watson agreed."

    assert found(text, "NAME") == ["Kevin Brown", "Emily Watson"]


def test_a_lone_given_name_without_a_cue_is_not_a_name():
    assert found("Emily said so.", "NAME") == []


def test_a_name_found_once_is_masked_wherever_it_is_written_again():
    text = "Kevin Brown told me to rest. Kevin said Brown rice is fine, and brown rice too."

    assert found(text, "NAME") == ["Kevin Brown", "Kevin", "Brown"]
    assert mask(text)[0] == "[NAME] told me to rest. [NAME] said [NAME] rice is fine, and brown rice too."


def test_given_name_followed_by_a_common_word_is_not_a_name():
    assert found("Addison Disease runs in my family; the Kevin Clinic is closed Monday.", "NAME") == []


def test_title_stays_visible_only_the_name_is_masked():
    masked, _ = mask("Dr. Patel and Nurse Kelly were kind.")

    assert masked == "Dr. [NAME_1] and Nurse [NAME_2] were kind."


# --- placeholders and numbering ------------------------------------------------------------------


def test_one_value_of_a_kind_gets_an_unnumbered_placeholder():
    masked, _ = mask("Call (555) 123-4567, I repeat, 555-123-4567.")

    assert masked == "Call [PHONE], I repeat, [PHONE]."


def test_several_values_of_a_kind_are_numbered_by_first_appearance():
    text = "My wife Anna and Dr. Patel talked; Anna called 555-123-4567, Dr. Patel called 555-987-6543."

    masked, _ = mask(text)

    assert masked == (
        "My wife [NAME_1] and Dr. [NAME_2] talked; [NAME_1] called [PHONE_1], Dr. [NAME_2] called [PHONE_2]."
    )


def test_same_value_is_recognised_across_formats_and_case():
    masked, _ = mask("Call +1 555 123 4567 or (555) 123-4567; mail Bob@Example.com or bob@example.com.")

    assert masked == "Call [PHONE] or [PHONE]; mail [EMAIL] or [EMAIL]."


def test_a_first_name_shares_the_placeholder_of_the_full_name():
    masked, _ = mask("I'm John Smith and my wife is Anna Lee.\nThanks, John")

    assert masked == "I'm [NAME_1] and my wife is [NAME_2].\nThanks, [NAME_1]"


def test_each_kind_has_its_own_placeholder():
    text = (
        "Ann Taylor, DOB 01/02/1970, seen 2024-05-06, ann@example.com, https://example.org/a, "
        "555-123-4567, 42 Elm St, MRN 998877, SSN 123-45-6789."
    )

    assert mask(text)[0] == (
        "[NAME], DOB [DOB], seen [DATE], [EMAIL], [URL], [PHONE], [ADDRESS], MRN [RECORD_NUMBER], SSN [ID_NUMBER]."
    )


def test_mask_many_numbers_consistently_across_a_conversation():
    conversation = [
        "Hi, I'm Maria Lopez. My son Diego has a rash.",
        "Is Diego allergic to anything? Please confirm the number 555-123-4567.",
        "No allergies. Thanks, Maria",
    ]

    masked = mask_many(conversation)

    assert masked == [
        "Hi, I'm [NAME_1]. My son [NAME_2] has a rash.",
        "Is [NAME_2] allergic to anything? Please confirm the number [PHONE].",
        "No allergies. Thanks, [NAME_1]",
    ]


def test_mask_many_uses_known_names_in_every_message():
    masked = mask_many(["hello from jdoe", "jdoe again, call 555-123-4567"], known_names=["jdoe"])

    assert masked == ["hello from [NAME]", "[NAME] again, call [PHONE]"]


def test_mask_many_of_no_messages_is_empty():
    assert mask_many([]) == []
    assert mask("") == ("", [])


# --- names without cue words, places, postcodes and national ids (issue 15) ------------------------


@pytest.mark.parametrize(
    "text, name",
    [
        ("Yesterday Tahnee Nez drove me to the clinic.", "Tahnee Nez"),  # sentence-initial word before a name
        ("Can Fionnuala Breathnach, my carer, pick up the tablets?", "Fionnuala Breathnach"),
        ("Today Obiageli Nwankwo said the rash is spreading.", "Obiageli Nwankwo"),
        ("Perhaps Xiaoming Guo could bring my notes.", "Xiaoming Guo"),
        ("The nurse said Kenji Watanabe should fast from midnight.", "Kenji Watanabe"),
        ("I asked Ji-ho Seo about the inhaler.", "Ji-ho Seo"),
        ("My records list Thuy Pham as next of kin.", "Thuy Pham"),
        ("Ask Mohammed Al-Zahrani to call back.", "Mohammed Al-Zahrani"),
        ("Only Bartłomiej Zieliński knows my history.", "Bartłomiej Zieliński"),
        ("Last week Itzel Huerta took my blood pressure.", "Itzel Huerta"),
        ("Both Marcos Figueiredo and I had the flu.", "Marcos Figueiredo"),
        ("The form says Anneke van der Linden signed it.", "Anneke van der Linden"),
        ("When Rawiri Tapsell visited, he brought soup.", "Rawiri Tapsell"),
        ("Sunday Kofi Asante helped me to the car.", "Kofi Asante"),
    ],
)
def test_names_from_many_cultures_are_masked_without_a_cue(text, name):
    masked, _ = mask(text)

    for word in name.split():
        if word[0].isupper():
            assert word not in masked, masked


@pytest.mark.parametrize(
    "text, secret",
    [
        ("I moved from Leeds last year.", "Leeds"),
        ("My sister lives in Cork now.", "Cork"),
        ("Send it to 14 Birchwood Close, Swindon SN3 4PL please.", "SN3 4PL"),
        ("My address is 77 Avenue Road, Toronto, ON M5R 2G3.", "M5R 2G3"),
        ("Post to 9 Ashgrove, Dublin D08 VF8H.", "D08 VF8H"),
        ("I live at Keizersgracht 120, 1015 CX Amsterdam.", "1015 CX"),
        ("We stay near 3 Jarvis Street, Hamilton 3204.", "3204"),
    ],
)
def test_cities_and_postcodes_of_several_countries_are_masked(text, secret):
    assert secret not in mask(text)[0]


@pytest.mark.parametrize(
    "text, secret",
    [
        ("My NHS number is 485 777 3456.", "485 777 3456"),
        ("NHS 4857773456 on the letter.", "4857773456"),  # checked by its mod-11 digit, no cue needed
        ("NI number QQ 12 34 56 C for the form.", "QQ 12 34 56 C"),
        ("My National Insurance is AB123456D.", "AB123456D"),
        ("SIN: 046 454 286.", "046 454 286"),
        ("PPS number 1234567TW please.", "1234567TW"),
        ("Aadhaar 2345 6789 0124 is on file.", "2345 6789 0124"),
    ],
)
def test_national_ids_of_several_countries_are_masked(text, secret):
    masked = mask(text)[0]
    assert secret not in masked
    assert not any(group in masked for group in secret.split() if len(group) >= 3 and group.isdigit())


@pytest.mark.parametrize(
    "text",
    [
        "My Parkinson's disease is worse in the mornings.",
        "Reading the leaflet, I saw Insulin Glargine 20 units is the dose.",
        "Yesterday the Summer heat made my Asthma worse.",
    ],
)
def test_capitalised_medical_and_everyday_words_stay_readable(text):
    assert mask(text)[0] == text


def test_offset_keeping_mask_has_the_originals_length_and_hides_the_value():
    from annotation.masking import mask_many_keeping_offsets

    text = "Ring Eilidh MacLeod on 07700 900461 in Inverness."
    masked = mask_many_keeping_offsets([text])[0]

    assert len(masked) == len(text)
    assert "Eilidh" not in masked and "900461" not in masked and "Inverness" not in masked
    assert masked.startswith("Ring [NAME]")
