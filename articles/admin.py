from django.contrib import admin

from articles.models import Article, Revision


class RevisionInline(admin.TabularInline):
    model = Revision
    fields = ["number", "title", "content_hash", "truncated", "word_count", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["source", "__str__", "created_at"]
    search_fields = ["source", "current__title"]
    inlines = [RevisionInline]
    raw_id_fields = ["current"]
