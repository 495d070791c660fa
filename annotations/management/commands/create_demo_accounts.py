from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_ACCOUNTS = [
    # username, is_staff, role
    ("instructor", True, "instructor"),  # also an editor
    ("student1", False, "student"),
    ("student2", False, "student"),
    ("student3", False, "student"),
]


class Command(BaseCommand):
    help = "Create the demo accounts with random passwords, printed once; existing ones are left alone."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        User = get_user_model()
        created = []
        for username, is_staff, role in DEMO_ACCOUNTS:
            if User.objects.filter(username=username).exists():
                continue
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(username=username, password=password, is_staff=is_staff)
            if role == "instructor":
                # The instructor also edits review sessions and uploads articles: one account shows every role.
                user.groups.add(*Group.objects.filter(name__in=["Instructors", "Editors", "Curators"]))
            created.append((username, role, password))
        if not created:
            self.stdout.write("Demo accounts already exist; their passwords were printed when they were created.")
            return
        self.stdout.write("Demo accounts (these passwords are shown only now):")
        for username, role, password in created:
            self.stdout.write(f"  {username:<12} {role:<11} {password}")
