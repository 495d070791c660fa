from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError

from sinorus.usernames import confusable_with, username_problem


class SignupForm(UserCreationForm):
    """Sign-up that refuses invalid names and names that look like an existing account's."""

    def clean_username(self) -> str:
        username = self.cleaned_data.get("username") or ""  # already NFKC-normalized and stripped
        if problem := username_problem(username):
            raise ValidationError(problem, code="invalid")
        # One pass over the names: fine for a class-sized site; a skeleton column would scale further.
        existing = get_user_model().objects.values_list("username", flat=True)
        if confusable_with(username, existing):
            raise ValidationError(
                "This name looks too much like an existing account's name. Choose another.", code="confusable"
            )
        return super().clean_username()
