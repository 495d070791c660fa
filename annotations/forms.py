from __future__ import annotations

from django import forms

from annotations.models import Annotation, Tag


class AnnotationEditForm(forms.Form):
    tag = forms.ModelChoiceField(queryset=Tag.objects.all(), to_field_name="slug", empty_label=None)
    note = forms.CharField(
        required=False, max_length=Annotation.MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A little formatting is kept: <b>, <i>, links, lists.",
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
