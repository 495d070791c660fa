"""The forms of the annotations app: annotating, linking, activities and their threads and verdicts
(the corpus pages' forms are in corpus_forms.py)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone

from annotations.models import Activity, Annotation, Decision, Link, Tag
from articles.access import MAX_ID
from articles.models import Article
from sinorus.wording import html_shows_something, shows_something


def _past_any_id(value) -> bool:
    """A number no id column holds (SQLite refuses such an integer instead of finding nothing)."""
    digits = str(value).strip().lstrip("-")
    return digits.isascii() and digits.isdecimal() and int(digits) > MAX_ID  # "²" is a digit, but no number


def name_articles(field) -> None:
    """A choice of articles shows their titles; two of one title also show their file names."""
    titles = Counter(field.queryset.values_list("current__title", flat=True))

    def label(article) -> str:
        title = article.current.title
        return title if titles[title] < 2 else f"{title} ({article.source})"

    field.label_from_instance = label


class ModelChoice(forms.ModelChoiceField):
    """A choice of rows by id; a number past any id is an invalid choice, not a database error."""

    def to_python(self, value):
        if not self.to_field_name and value not in self.empty_values and _past_any_id(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoice(forms.ModelMultipleChoiceField):
    """Choices of rows by id; a number past any id is an invalid choice, not a database error."""

    def _check_values(self, value):
        for pk in value if not self.to_field_name else ():
            if _past_any_id(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)


class AnnotationEditForm(forms.Form):
    tag = ModelChoice(queryset=Tag.objects.public(), to_field_name="slug", empty_label=None)
    note = forms.CharField(
        required=False,
        max_length=Annotation.MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A little formatting is kept: bold, italic, links and lists.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, activity=None, **kwargs):
        super().__init__(*args, **kwargs)
        if activity is not None:  # an activity's annotation takes only the activity's tags
            self.fields["tag"].queryset = activity.tags.all()


SPAN = RegexValidator(r"^\d{1,9}-\d{1,9}$", "Choose a passage.")


class LinkForm(forms.Form):
    """Link a passage of one article to a passage of another: a sentence of it, or a pasted quote."""

    first_revision = forms.IntegerField(widget=forms.HiddenInput)
    first = forms.CharField(validators=[SPAN], error_messages={"required": "Choose a passage of this article."})
    target = ModelChoice(
        queryset=Article.objects.none(), label="Link to", empty_label="Choose an article", required=True
    )
    second_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    second = forms.CharField(validators=[SPAN], required=False)
    second_quote = forms.CharField(required=False, max_length=Annotation.MAX_SPAN, label="or paste a quote from it")
    kind = forms.ChoiceField(choices=Link.Kind.choices, widget=forms.RadioSelect, initial=Link.Kind.SAME_EVENT)
    note = forms.CharField(required=False, max_length=Link.MAX_NOTE, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, articles, passages_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = articles
        name_articles(self.fields["target"])
        if passages_url:  # htmx: choosing an article brings its passages in (a button does it without JS)
            self.fields["target"].widget.attrs.update(
                {
                    "hx-get": passages_url,
                    "hx-trigger": "change",
                    "hx-target": "#link-second",
                    "hx-swap": "outerHTML",
                    # what the passages depend on, never the form's CSRF token (a GET puts it in the URL)
                    "hx-include": "[name='first'], [name='first_revision'], [name='activity'], [name='next']",
                }
            )
        self.conflict = ""

    def clean(self):
        data = super().clean()
        if not data.get("second") and not (data.get("second_quote") or "").strip():
            self.add_error("second", "Choose a passage of the other article, or paste a quote from it.")
        return data

    @staticmethod
    def span(value: str) -> tuple[int, int]:
        start, end = value.split("-")
        return int(start), int(end)


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(choices=Activity.Kind.choices, widget=forms.RadioSelect, initial=Activity.Kind.EXERCISE)
    title = forms.CharField(max_length=200)
    instructions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    articles = ModelMultipleChoice(
        queryset=Article.objects.filter(current__isnull=False).select_related("current"),
        widget=forms.CheckboxSelectMultiple,
    )
    tags = ModelMultipleChoice(queryset=Tag.objects.all(), widget=forms.CheckboxSelectMultiple, required=False)
    custom_tags = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Extra tags, one per line: name: definition",
    )
    opens_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    closes_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    blind = forms.BooleanField(
        required=False, initial=True, help_text="Participants see only their own work until they submit or you reveal."
    )
    asks_links = forms.BooleanField(
        required=False,
        label="Ask for links",
        help_text="Participants also link passages of different articles (same event, same point, "
        "contradicts, adds detail); the dashboard scores the links.",
    )

    def __init__(self, *args, user=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].queryset = Tag.objects.usable_by(user) if user is not None else Tag.objects.public()
        name_articles(self.fields["articles"])
        if editing:  # the kind is chosen once; the initial values are the activity's own
            self.fields["kind"].disabled = True
            self.fields["take_out_work"] = forms.BooleanField(
                required=False,
                label="Take out articles that hold work",
                help_text="Needed only to take out an article participants have annotated or linked: their "
                "work on it is kept, no longer shown in the activity, and comes back if you add the article again.",
            )
            self.fields["take_out_tags"] = forms.BooleanField(
                required=False,
                label="Take out tags that annotations carry",
                help_text="Needed only to take a tag out of the set while annotations of the activity carry it: "
                "they keep it, but nobody can give it again, and an edit of one must choose another tag.",
            )
            return
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["opens_at"].initial = now
        self.fields["closes_at"].initial = now + timedelta(days=7)
        self.fields["tags"].initial = [t.pk for t in Tag.objects.public().filter(order__lt=100)]

    def clean_title(self) -> str:
        title = self.cleaned_data["title"]
        if not shows_something(title):
            raise forms.ValidationError("A title needs some text (not only spaces or invisible characters).")
        return title

    def clean_custom_tags(self) -> list[tuple[str, str]]:
        pairs = []
        for number, line in enumerate(self.cleaned_data["custom_tags"].splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, definition = line.partition(":")
            name, definition = " ".join(name.split()), definition.strip()
            if not sep or not name or not definition:
                raise forms.ValidationError(f"Line {number}: write the tag as 'name: definition'.")
            if not shows_something(name):
                raise forms.ValidationError(f"Line {number}: a tag's name needs a character that shows.")
            if len(name) > Tag.MAX_NAME:
                raise forms.ValidationError(f"Line {number}: a tag's name has at most {Tag.MAX_NAME} characters.")
            if len(definition) > Tag.MAX_DEFINITION:
                raise forms.ValidationError(
                    f"Line {number}: a tag's definition has at most {Tag.MAX_DEFINITION} characters."
                )
            if any(name.lower() == other.lower() for other, _d in pairs):
                raise forms.ValidationError(f"Line {number}: {name} is already on an earlier line.")
            pairs.append((name, definition))
        return pairs

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", "The close time must be after the open time.")
        if not data.get("tags") and not data.get("custom_tags"):
            self.add_error("tags", "Choose at least one tag.")
        # one name, one tag: a custom tag may not repeat a tag offered above, ticked or not (two
        # "Claim" buttons, or the owner's earlier tag taken again under a definition left unsaid)
        offered = {t.name.lower(): t for t in self.fields["tags"].queryset}
        ticked = {t.pk for t in data.get("tags") or ()}
        for name, _definition in data.get("custom_tags") or ():
            tag = offered.get(name.lower())
            if tag is not None:
                where = (
                    "is already in the set (ticked above)" if tag.pk in ticked else "is already a tag: tick it above"
                )
                self.add_error("custom_tags", f"{name} {where}, or name the new tag otherwise.")
        return data


class JoinForm(forms.Form):
    code = forms.CharField(max_length=12, label="Join code")


class ReplyForm(forms.Form):
    body = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 2}), label="Reply")

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not html_shows_something(body):
            raise forms.ValidationError("A reply needs some text (not only spaces or invisible characters).")
        return body


class DecisionForm(forms.Form):
    verdict = forms.ChoiceField(choices=[(v, v) for v in Decision.Verdict.values])
    tag = ModelChoice(queryset=Tag.objects.all(), to_field_name="slug", required=False)
