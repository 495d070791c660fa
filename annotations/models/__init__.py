"""The annotations app's models, one module per topic; every model is re-exported here."""

from annotations.models.activities import Activity, Participation
from annotations.models.annotations import Annotation, AnnotationQuerySet, AuditEvent, Decision, Reply
from annotations.models.corpus import Orphan
from annotations.models.jobs import Job
from annotations.models.links import Link, LinkEnd, LinkQuerySet
from annotations.models.security import LoginFailure
from annotations.models.tags import Tag
from annotations.models.tokens import ApiToken

__all__ = [
    "Activity",
    "Annotation",
    "AnnotationQuerySet",
    "ApiToken",
    "AuditEvent",
    "Decision",
    "Job",
    "Link",
    "LinkEnd",
    "LinkQuerySet",
    "LoginFailure",
    "Orphan",
    "Participation",
    "Reply",
    "Tag",
]
