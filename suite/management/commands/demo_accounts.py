from django.core.management.base import BaseCommand

from suite.services import demo_accounts_ensure


class Command(BaseCommand):
    help = "Create (or reset) one demo account per role and print the user names and passwords."

    def handle(self, *args, **options):
        rows = demo_accounts_ensure()
        self.stdout.write("Demo accounts (local use only):")
        self.stdout.write(f"  {'role':<11} {'username':<11} password")
        for username, password, role in rows:
            self.stdout.write(f"  {role:<11} {username:<11} {password}")
