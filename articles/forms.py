from __future__ import annotations

from django import forms

from articles.text.extraction import SUPPORTED_SUFFIXES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    MAX_FILES = 50

    files = MultipleFileField(
        allow_empty_file=True,  # an empty file gets the importer's own error, like any other bad file
        help_text="Scraped articles as .txt or .html files (up to 50 at once).",
        widget=MultipleFileInput(attrs={"accept": ",".join(SUPPORTED_SUFFIXES)}),
    )

    over_correction = forms.BooleanField(
        required=False,
        label="Replace texts corrected by hand",
        help_text="A changed file of an article an editor corrected replaces the correction with the file's "
        "text (the correction stays in its revisions). Unticked, such a file is not imported and says why.",
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > self.MAX_FILES:
            raise forms.ValidationError(f"Upload at most {self.MAX_FILES} files at once.")
        return files  # a file of another type fails alone, in the results, and the others import


def unsupported(name: str) -> str:
    """Why a file of this name is not imported, or "" if it can be."""
    return "" if name.lower().endswith(SUPPORTED_SUFFIXES) else "only .txt and .html files can be imported"


class RestoreLineForm(forms.Form):
    number = forms.IntegerField(min_value=1)
