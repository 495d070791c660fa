from django.contrib import admin

from annotations.models import (
    Activity,
    Annotation,
    ApiToken,
    AuditEvent,
    Decision,
    Link,
    LinkEnd,
    Participation,
    Reply,
    Tag,
)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "key", "definition", "order"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "owner", "opens_at", "closes_at", "blind", "revealed_at", "join_code"]
    list_filter = ["kind", "blind"]
    filter_horizontal = ["articles", "tags"]
    inlines = [ParticipationInline]
    raw_id_fields = ["owner"]


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["pk", "annotator", "tag", "layer", "activity", "revision", "start", "end", "deleted_at"]
    list_filter = ["layer", "tag"]
    raw_id_fields = ["revision", "annotator", "activity", "source"]
    search_fields = ["exact", "annotator__username"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "activity", "annotation_id_ref"]
    list_filter = ["action"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "label", "created_at", "revoked_at"]
    readonly_fields = ["digest"]


admin.site.register(Reply)
admin.site.register(Decision)


class LinkEndInline(admin.TabularInline):
    model = LinkEnd
    extra = 0
    raw_id_fields = ["revision"]
    fields = ["position", "revision", "start", "end", "exact", "lost_reason"]


@admin.register(Link)
class LinkAdmin(admin.ModelAdmin):
    list_display = ["pk", "annotator", "kind", "layer", "activity", "created_at", "deleted_at"]
    list_filter = ["kind", "layer"]
    raw_id_fields = ["annotator", "activity"]
    inlines = [LinkEndInline]
