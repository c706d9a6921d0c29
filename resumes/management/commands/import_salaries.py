from resumes.management.base import ReferenceImportCommand


class Command(ReferenceImportCommand):
    help = "Import aijobs.net salary reports (salaries.csv.gz)."
    service = "import_aijobs"
