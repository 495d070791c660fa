from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Annotations"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from annotations.models import Tag
        from annotations.services import links
        from annotations.services.annotations import forget_tags
        from annotations.services.jobs import realign_after_change
        from annotations.services.override_follow import on_revision_created as overrides_follow
        from annotations.services.revisions import on_revision_created
        from articles.signals import corpus_changed, revision_created

        corpus_changed.connect(realign_after_change, dispatch_uid="realign_after_change")
        revision_created.connect(on_revision_created, dispatch_uid="annotations_follow_revision")
        revision_created.connect(links.on_revision_created, dispatch_uid="links_follow_revision")
        revision_created.connect(overrides_follow, dispatch_uid="overrides_follow_revision")
        post_save.connect(forget_tags, sender=Tag, dispatch_uid="forget_tags_save")
        post_delete.connect(forget_tags, sender=Tag, dispatch_uid="forget_tags_delete")
