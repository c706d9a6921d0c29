from resumes.management.base import ReferenceImportCommand


class Command(ReferenceImportCommand):
    help = "Import ESCO skills (skills.csv.gz)."
    service = "import_esco"
