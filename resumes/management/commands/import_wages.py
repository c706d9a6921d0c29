from resumes.management.base import ReferenceImportCommand


class Command(ReferenceImportCommand):
    help = "Import BLS OEWS national wages (national_M2023_dl.csv)."
    service = "import_bls"
