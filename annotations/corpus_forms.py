"""The forms of the corpus pages: export, import, orphans, and an editor's text correction."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from annotations.formats import FORMAT_NAMES, IMPORT_FORMATS
from annotations.forms import ModelChoice, ModelMultipleChoice, name_articles
from annotations.models import Activity, Annotation, Tag
from articles.models import Article


def _activities_for(user):
    return Activity.objects.filter(Q(owner=user) | Q(participations__user=user)).distinct()


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=list(FORMAT_NAMES.items()))
    activity = ModelChoice(queryset=Activity.objects.none(), required=False, empty_label="Public layer")
    article = ModelMultipleChoice(
        queryset=Article.objects.filter(current__isnull=False).select_related("current").order_by("source"),
        required=False,
        label="Articles",
        help_text="Leave all unselected to export every article; hold Ctrl (⌘ on a Mac) to choose several.",
    )
    annotator = forms.CharField(required=False, help_text="A user name; empty for everyone.")
    tag = ModelChoice(queryset=Tag.objects.all(), to_field_name="slug", required=False, empty_label="Every tag")
    layer = forms.ChoiceField(choices=[("", "all"), *((v, v) for v in Annotation.Layer.values)], required=False)
    label = forms.CharField(required=False, max_length=60, help_text="Only annotations with this free label.")
    names = forms.BooleanField(required=False, label="Real names in classroom exports")
    utf16 = forms.BooleanField(
        required=False,
        label="Offsets in UTF-16 units",
        help_text="For Recogito and browser libraries that count as JavaScript does (W3C, JSONL, CSV). "
        "The W3C model counts code points; leave this off unless your tool misplaces highlights after emoji.",
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = _activities_for(user)
        self.fields["tag"].queryset = Tag.objects.usable_by(user)  # another's custom tags are theirs
        name_articles(self.fields["article"])


class ImportForm(forms.Form):
    file = forms.FileField(help_text=IMPORT_FORMATS + ".")
    article = ModelChoice(
        queryset=Article.objects.filter(current__isnull=False).select_related("current").order_by("source"),
        required=False,
        empty_label="As the file says",
        help_text="Put every annotation of the file on this article.",
    )
    default_tag = ModelChoice(
        queryset=Tag.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="None: keep them as orphans",
        help_text="For annotations with no tag of the tag set (their own tags are kept as free labels).",
    )
    authors = forms.ChoiceField(
        choices=[("file", "As in the file, as import identities that cannot sign in"), ("me", "All mine")],
        initial="file",
        widget=forms.RadioSelect,
        required=False,
    )

    def clean_authors(self) -> str:
        return self.cleaned_data.get("authors") or "file"

    activity = ModelChoice(queryset=Activity.objects.none(), required=False, empty_label="Public layer")

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = Activity.objects.filter(owner=user)
        self.fields["default_tag"].queryset = Tag.objects.usable_by(user)  # another's custom tags are theirs
        name_articles(self.fields["article"])

    def clean(self):
        data = super().clean()
        tag, activity = data.get("default_tag"), data.get("activity")
        if tag is not None and tag.owner_id is not None and activity is None:
            self.add_error("default_tag", f"“{tag.name}” is a tag of your own activities: choose a public one here")
        elif tag is not None and activity is not None and not activity.tags.filter(pk=tag.pk).exists():
            self.add_error("default_tag", f"“{tag.name}” is not in the tag set of “{activity.title}”")
        return data


class OrphanForm(forms.Form):
    exact = forms.CharField(max_length=Annotation.MAX_SPAN, label="Passage")
    article = ModelChoice(
        queryset=Article.objects.filter(current__isnull=False).select_related("current"), required=False
    )
    tag = forms.SlugField(max_length=60, required=False, allow_unicode=True)  # checked against the orphan's tag set
    note = forms.CharField(required=False, strip=False)  # sent only when edited: its length is the service's to judge


class CorrectionForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 30}), help_text="Paragraphs are separated by a blank line."
    )
    # the revision the text was corrected from: a save over a newer one is refused, not a lost update
    base = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
