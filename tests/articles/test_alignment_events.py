from __future__ import annotations

from articles.alignment import align, grouping
from articles.alignment.pairs import PairScores
from articles.alignment.records import Document
from articles.alignment.scoring import corpus_of
from articles.alignment.units import units_of
from articles.text.cleaning import clean
from articles.text.segmentation import segment

QUAKES = {
    "peru-1": """Strong earthquake shakes southern Peru

A magnitude 6.8 earthquake struck near Arequipa in southern Peru on Tuesday, March 3, damaging homes.
The quake hit at 4:12 a.m. local time at a depth of 35 kilometres, the Peruvian geophysical institute said.
Arequipa officials said two people were killed when a wall collapsed in the old town.
Rescue teams searched collapsed adobe houses in the villages around Arequipa.
""",
    "peru-2": """Two dead as quake hits Arequipa

Two people died in Arequipa after a magnitude 6.8 earthquake shook southern Peru early on March 3.
The Peruvian geophysical institute put the depth of the quake at 35 kilometres.
Adobe houses collapsed in several villages near Arequipa and rescue teams worked through the day.
""",
    "japan-1": """Earthquake rattles northern Japan, no tsunami

A magnitude 6.1 earthquake struck off Aomori in northern Japan on Friday, October 9, the meteorological agency said.
No tsunami warning was issued and trains on the Tohoku line stopped briefly for checks.
Aomori officials reported minor damage to roads and no deaths.
""",
    "japan-2": """Quake off Aomori stops trains

Trains on the Tohoku line halted after a magnitude 6.1 quake off Aomori on October 9.
The meteorological agency said no tsunami was expected from the earthquake.
Damage in Aomori was minor, officials said, and nobody died.
""",
}


def documents(texts: dict[str, str]) -> list[Document]:
    out = []
    for n, (name, raw) in enumerate(texts.items()):
        seg = segment([(p.text, p.kind) for p in clean(raw).paragraphs])
        out.append(Document(n, name, seg.text, seg.sentences))
    return out


def test_articles_on_one_happening_share_a_story_and_two_quakes_do_not():
    docs = documents(QUAKES)
    units = units_of(docs)
    corpus = corpus_of(units, len(docs))
    story = grouping.stories(units, len(docs), corpus.document_cosine, 0.15)
    assert story[0] == story[1] and story[2] == story[3] and story[0] != story[2]


def test_two_quakes_imported_together_make_no_event_that_mixes_them():
    docs = documents(QUAKES)
    result = align(docs)
    assert result.events
    for event in result.events:
        articles = {p.doc_id for g in result.groups if g.event == event.key for p in g.passages}
        assert not (articles & {0, 1} and articles & {2, 3}), event.label


def test_a_point_loses_a_sentence_that_no_other_article_echoes():
    # Units 0-2 (three articles) make one point with strong pairs; unit 3 (a fourth article)
    # scores 0.45 with each of them: enough for a mean of 0.3, too little to echo any of them.
    docs = {0: 0, 1: 1, 2: 2, 3: 3}
    scores = PairScores.of({(0, 1): 0.8, (0, 2): 0.8, (1, 2): 0.8, (0, 3): 0.45, (1, 3): 0.45, (2, 3): 0.45})

    def more_than_a_third(_unit: int, others: int) -> int:
        return others // 3 + 1

    assert grouping.prune(docs, [[0, 1, 2, 3]], scores, 0.5, more_than_a_third) == [[0, 1, 2]]
    assert grouping.prune(docs, [[0, 1, 2, 3]], scores, 0.5, lambda _unit, _others: 0) == [[0, 1, 2, 3]]


def test_a_sentence_that_names_its_source_is_a_reported_fact():
    said, opinion = units_of(
        [Document(0, "a", "Police said the fire began at noon. It is a stark reminder for all.", [(0, 35), (36, 68)])]
    )
    assert said.reading.attributed and not opinion.reading.attributed
