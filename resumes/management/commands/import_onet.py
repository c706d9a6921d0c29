from resumes.management.base import ReferenceImportCommand


class Command(ReferenceImportCommand):
    help = "Import O*NET text files (Occupation_Data, Job_Zones, Alternate_Titles, Technology_Skills) from a folder."
    service = "import_onet"
