from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.demo import DEMO_USERS
from accounts.models import User


class Command(BaseCommand):
    help = "Print the demo users that exist in this database and their password."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="where the portal is served")

    def handle(self, *args, url, **options):
        present = set(User.objects.filter(username__in=DEMO_USERS).values_list("username", flat=True))
        if not present:
            self.stdout.write("No demo users in this database (run `manage.py seed_demo`).")
            return
        self.stdout.write(f"Demo logins (password: {settings.DEMO_PASSWORD}):")
        for username, (name, role, region) in DEMO_USERS.items():
            if username in present:
                self.stdout.write(f"  {username:<10} {role.label:<20} {region or '-'}  {name}")
        self.stdout.write(f"Open {url} and log in.")
