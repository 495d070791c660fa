"""What the signed-in user may do, for templates: they ask `may.export`, never re-derive it."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from annotations import access


class Abilities:
    def __init__(self, user) -> None:
        self.upload = access.can_upload(user)
        self.curate = access.can_curate(user)
        self.export = access.can_export(user)
        self.create_activities = access.can_create_activities(user)
        self.correct_text = access.can_correct_text(user)
        self.edit_alignment = access.can_edit_alignment(user)


def may(request) -> dict:
    return {"may": SimpleLazyObject(lambda: Abilities(request.user))}
