from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.services.processing import ArticleImportError
from articles.services.revisions import article_import
from articles.text.cleaning import clean
from articles.text.segmentation import segment

line = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
    max_size=120,
)
document = st.lists(line, max_size=25).map("\n".join)


@given(document)
@settings(max_examples=200, deadline=None)
def test_every_sentence_of_the_cleaned_text_occurs_in_the_raw_text(raw):
    result = clean(raw)
    seg = segment([(p.text, p.kind) for p in result.paragraphs])
    for start, end in seg.sentences:
        assert seg.text[start:end] in raw
    for start, end, _kind in seg.paragraphs:
        assert seg.text[start:end] in raw


@pytest.mark.django_db
@given(st.binary(max_size=3000))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_importing_arbitrary_bytes_raises_only_the_importers_own_error(data):
    try:
        outcome = article_import(source="fuzz.txt", data=data)
    except ArticleImportError as exc:
        assert str(exc).startswith("fuzz.txt: ")
    else:
        assert outcome.revision.text.strip()
