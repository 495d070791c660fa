from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from articles import alignment
from articles.alignment import Document, align, quantities, same_figure
from articles.alignment.evaluation import score_groups, score_pairs
from articles.alignment.units import make_unit
from articles.text.cleaning import clean
from articles.text.segmentation import segment

GOLD = Path(__file__).parent / "data" / "alignment_gold.json"
SEED_GROUPS = Path(__file__).parent / "data" / "alignment_seed_groups.json"


def make_docs(texts: dict[str, str]) -> dict[str, Document]:
    docs = {}
    for n, (name, raw) in enumerate(texts.items()):
        result = clean(raw)
        seg = segment([(p.text, p.kind) for p in result.paragraphs])
        docs[name] = Document(n, name, seg.text, seg.sentences)
    return docs


@pytest.fixture(scope="module")
def seed_docs() -> dict[str, Document]:
    seeds = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
    return make_docs({p.name[:3]: p.read_text(encoding="utf-8") for p in seeds})


def group_texts(result, docs) -> list[set[str]]:
    by_id = {d.id: d for d in docs.values()}
    return [{by_id[p.doc_id].text[p.start : p.end] for p in g.passages} for g in result.groups]


def test_money_figures_are_normalized_and_flagged_as_approximate():
    a = quantities("saw a whopping $245 billion in trade during 2024")
    b = quantities("Bilateral trade is approaching $250 billion, and more.")
    assert (a[0].kind, a[0].value, a[0].approximate) == ("money:USD", 245e9, False)
    assert (b[0].value, b[0].approximate, b[0].surface) == (250e9, True, "approaching $250 billion")
    assert same_figure(a[0], b[0])
    assert not same_figure(a[0], quantities("a deal worth $2 million")[0])


def test_figures_in_words_and_percentages_are_read():
    assert quantities("exports of 3.5 billion euros")[0].kind == "money:EUR"
    assert quantities("unemployment rose to 7.5%")[0].value == 7.5


def test_shared_quotations_and_rare_phrases_are_found():
    assert alignment.quotations('reaffirmed their bond as "friends of steel," vowing') == {"friends of steel"}
    unit = make_unit(0, 0, 0, "These two leaders, friends of steel as they're portrayed", (0, 0))
    assert "friend steel" in unit.bigrams


def test_trade_figures_align_across_articles_with_a_discrepancy_badge(seed_docs):
    result = align(list(seed_docs.values()))
    trade = [g for g in result.groups if "$245 billion vs approaching $250 billion" in g.discrepancy]
    assert trade, [g.label for g in result.groups]
    assert "$245 billion" in trade[0].label


def test_same_quotation_aligns_the_two_articles_that_use_it(seed_docs):
    result = align(list(seed_docs.values()))
    steel = [texts for texts in group_texts(result, seed_docs) if any("friends of steel" in t for t in texts)]
    assert any(sum("friends of steel" in t for t in texts) == 2 for texts in steel)


def test_every_group_spans_two_articles_and_passages_are_short_windows(seed_docs):
    result = align(list(seed_docs.values()))
    assert result.groups
    for group in result.groups:
        assert len(group.doc_ids) >= 2
        assert all(p.last_sentence - p.first_sentence < 3 for p in group.passages)
        assert group.label and len(group.label) <= 80


def test_alignment_is_deterministic(seed_docs):
    docs = list(seed_docs.values())
    first = [(g.key, g.label, [(p.doc_id, p.start, p.end) for p in g.passages]) for g in align(docs).groups]
    second = [(g.key, g.label, [(p.doc_id, p.start, p.end) for p in g.passages]) for g in align(docs).groups]
    assert first == second


def _by_source(result, names: dict[int, str]) -> tuple[list, list]:
    """The groups (passages as (source name, start, end)) and events, in order, without the ids."""
    keys = {g.key: n for n, g in enumerate(result.groups)} | {e.key: f"event {n}" for n, e in enumerate(result.events)}
    groups = [
        (g.level, g.label, g.discrepancy, keys[g.event], [(names[p.doc_id], p.start, p.end) for p in g.passages])
        for g in result.groups
    ]
    return groups, [(keys[e.key], e.label) for e in result.events]


def test_the_same_articles_under_other_ids_align_the_same(seed_docs):
    docs = list(seed_docs.values())
    runs = []
    for ids in ([1, 2, 3, 4, 5], [105, 104, 103, 102, 101]):  # imported in the other order: ids reversed
        renamed = [Document(i, d.name, d.text, d.sentences) for i, d in zip(ids, docs, strict=True)]
        runs.append(_by_source(align(renamed), {i: d.name for i, d in zip(ids, docs, strict=True)}))
    assert runs[0][0] and runs[0] == runs[1]


def test_one_weak_link_does_not_chain_unrelated_passages():
    # B is linked to A and to C; A and C share nothing. Single linkage puts all three in one
    # group; average linkage must not put A and C together.
    docs = make_docs(
        {
            "a": "Title one here\n\nThe harbour cranes arrived on Tuesday after long delays at the border crossing.\n",
            "b": "Title two here\n\nHarbour cranes arrived on Tuesday, the mayor said, and violins were tuned for the winter concert.\n",
            "c": "Title three here\n\nThe orchestra tuned its violins for the winter concert in the old hall.\n",
        }
    )
    result = align(list(docs.values()))
    assert result.groups  # B does link to its neighbours
    for texts in group_texts(result, docs):
        joined = " ".join(texts)
        assert not ("border" in joined and "old hall" in joined)


SECOND_CORPUS = {
    "harbour-times": """Dock strike ends after three weeks at Port Elwin

Dock workers at Port Elwin voted on Monday to end their three-week strike after the operator offered a 6% pay rise.
The strike had stranded 40 container ships outside the harbour, according to the port authority.
Union leader Ana Ruiz called the deal "a fair day's pay for a fair day's work" and urged members to accept it.
Separately, the council approved a new ferry timetable for the summer season.
""",
    "coast-daily": """Port Elwin returns to work

The three-week walkout at Port Elwin is over: workers accepted a pay increase of about 6% in a vote on Monday.
Union leader Ana Ruiz said the agreement was "a fair day's pay for a fair day's work".
Shipping analysts estimate the strike cost local businesses nearly €12 million.
A jazz festival will open on the waterfront next month with twenty bands.
""",
    "valley-news": """Strike over, costs counted

Local businesses lost €11.5 million during the three-week dock strike, the chamber of commerce said.
Around 40 container ships had waited at anchor while the dock workers were on strike.
The valley's apple harvest is expected to be the best in a decade.
""",
}


def test_a_made_up_corpus_about_something_else_aligns_too():
    docs = make_docs(SECOND_CORPUS)
    result = align(list(docs.values()))
    groups = group_texts(result, docs)

    def together(a: str, b: str) -> bool:
        return any(any(a in t for t in g) and any(b in t for t in g) for g in groups)

    assert together("end their three-week strike", "three-week walkout at Port Elwin is over")
    assert together("a fair day's pay", "said the agreement was")
    assert together("nearly €12 million", "lost €11.5 million")
    assert together("stranded 40 container ships", "40 container ships had waited")
    assert not together("jazz festival", "apple harvest")
    assert not together("ferry timetable", "jazz festival")
    costs = [g for g in result.groups if g.discrepancy]
    assert any("€12 million" in g.discrepancy and "€11.5 million" in g.discrepancy for g in costs)


def _after(docs: dict[str, Document], name: str, text: str) -> Document:
    """`text` cleaned and segmented as one more document after `docs`."""
    made = make_docs({name: text})[name]
    return Document(len(docs), name, made.text, made.sentences)


def _rows_joined_alone(seeds: list[Document], added: Document, params) -> int:
    """The stored rows `added` joins when it is added alone to the aligned `seeds`."""
    from articles.alignment.incremental import Increment, stored_from

    base = align(seeds, params, keep_index=True)
    increment = Increment(base.index, added, params)
    partners = [d for d in seeds if d.id in set(increment.partner_articles())]
    return len(increment.place(partners, stored_from(base)).joins)


# A chatty column on banking apps: close in words to the seeds' chattiest piece, naming none of
# the people, places or bodies the seeds name.
CHATTY_COLUMN = """Chime And Revolut: Are Neobanks Really Your Friends?

Hey guys! Let's talk about something that's been making waves in personal finance: the cozy relationship between your phone and your bank. Apps like Chime and Revolut promise that money can be simple, friendly and fair. Is it just clever marketing, or is something much bigger brewing? Let's break it down, shall we?

Why everyone loves these apps

It's not just about nice colours, you know? There's a lot of strategic stuff going on. The apps see a system dominated by big old banks as a problem, and they think it needs a serious shake-up. In a nutshell, they want to challenge the existing order and win your paycheck.

The hot mess is very real. Fees pile up, overdrafts bite, and the stakes are incredibly high for people living paycheck to paycheck.

It's like a really, really serious romance with your wallet. They're basically playing a long game, and the fine print matters.

So what should you do?

In the end, time will tell whether this is a real change or merely a clever illusion. Keep an eye on the fees, read the terms, and stay curious, guys!
"""


@pytest.mark.parametrize("added_alone", [False, True])
def test_an_article_close_in_words_but_naming_other_people_and_places_joins_no_seed_row(seed_docs, added_alone):
    from articles.alignment.records import Params

    column = _after(seed_docs, "column", CHATTY_COLUMN)
    seeds = list(seed_docs.values())

    def rows_with_the_column(params: Params) -> int:
        if not added_alone:
            result = align([*seeds, column], params)
            ids = [{p.doc_id for p in g.passages} for g in result.groups]
            return sum(1 for docs in ids if column.id in docs and len(docs) > 1)
        return _rows_joined_alone(seeds, column, params)

    assert rows_with_the_column(Params(kin_names=0)) > 0  # its words alone would put it in seed rows
    assert rows_with_the_column(Params()) == 0


# Another event that names China, Beijing, Xi Jinping and the West as the seeds do.
PROTESTS = """Hong Kong protesters defy ban as Beijing warns of tougher response

Tens of thousands of protesters marched through Hong Kong on Sunday in defiance of a police ban, the twentieth weekend of demonstrations in the city.

Police fired tear gas and water cannon near the government offices after some protesters threw bricks and petrol bombs.

In Beijing, officials warned that China would not tolerate what they called violent separatism. President Xi Jinping has said the central government will defend its sovereignty and security.

China accuses the West, and the United States in particular, of stirring up the unrest. Washington has urged restraint and said it supports the right to peaceful protest.

The protests began in June over a bill that would have allowed extradition to mainland China. The bill was withdrawn, but the demands have grown to include an inquiry into police conduct and free elections.

Business groups say the unrest is hurting the economy. Tourist arrivals fell by 40 per cent in August, and retailers report their worst sales in a decade.

Analysts say Beijing faces a difficult choice: a harder line risks international condemnation, while concessions could encourage more protests.

The crisis has become part of a wider contest between China and the West. Beijing sees the protests as a test of its strategic resolve, and its officials speak of foreign interference and hegemony.

For President Xi Jinping, who has tightened control at home, the stakes are high. A prolonged crisis could weaken China's image as a rising power offering an alternative to the American-led order.

Some Western governments have suspended extradition treaties with Hong Kong, and the United States Congress has passed a bill supporting the protesters' demands for human rights and democracy.
"""


def test_an_article_on_another_event_naming_the_same_leaders_added_alone_joins_no_seed_row(seed_docs):
    from articles.alignment.records import Params

    report, seeds = _after(seed_docs, "protests", PROTESTS), list(seed_docs.values())
    assert _rows_joined_alone(seeds, report, Params(kin_story=0.0)) > 10  # words and names alone put it in seed rows
    assert _rows_joined_alone(seeds, report, Params()) == 0


def test_the_engine_names_no_topic_of_the_seed_corpus():
    source = Path(alignment.__file__).read_text(encoding="utf-8")
    for word in ["Xi", "Putin", "China", "Russia", "Moscow", "Beijing", "BRICS", "dollar", "Kissinger", "steel"]:
        assert not re.search(rf"\b{word}\b", source), word


def test_precision_and_recall_on_the_hand_labelled_pairs(seed_docs, record_property, alignment_scores):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["pairs"]
    scores = score_pairs(align(list(seed_docs.values())), seed_docs, gold)
    alignment_scores.update(precision=scores.precision, recall=scores.recall, f1=scores.f1, pairs=len(gold))
    record_property("alignment_f1", scores.f1)
    # A naive sentence TF-IDF baseline lands near 0.25 on such links; the engine measured 0.83
    # precision and 0.72 F1 when events and learned weights came in: the seeds must not get worse.
    assert scores.precision >= 0.75
    assert scores.f1 >= 0.65


def test_the_march_2023_visit_is_not_mixed_with_the_may_2025_parade(seed_docs):
    result = align(list(seed_docs.values()))
    visit_2023 = ("visit to Moscow was not just symbolic", "first trip abroad after being re-elected")
    visit_2025 = ("80th anniversary of its victory", "May 9 Victory Day", "Russian troops marched", "the parade")
    for texts in group_texts(result, seed_docs):
        joined = " ".join(texts)
        assert not (any(x in joined for x in visit_2023) and any(y in joined for y in visit_2025)), texts


def test_every_group_names_an_event_that_has_a_label(seed_docs):
    result = align(list(seed_docs.values()))
    events = {e.key: e.label for e in result.events}
    assert result.groups and all(g.event in events for g in result.groups)
    assert all(events.values())


def sentences_of(group) -> frozenset:
    return frozenset((p.doc_id, s) for p in group.passages for s in range(p.first_sentence, p.last_sentence + 1))


def test_no_row_repeats_what_another_row_of_its_event_shows(seed_docs):
    result = align(list(seed_docs.values()))
    for group in result.groups:
        others = [g for g in result.groups if g is not group and g.event == group.event]
        assert not any(sentences_of(group) <= sentences_of(o) for o in others if group.level == "point"), group.label


def test_a_point_inside_a_bigger_point_goes_and_hands_it_its_discrepancy():
    from articles.alignment.points import distinct
    from articles.alignment.records import Group, Passage

    def passage(doc, sentence):
        return Passage(doc, sentence * 10, sentence * 10 + 9, sentence, sentence)

    event_row = Group("1", "visit", [passage(0, 0), passage(1, 0)], level="event", event="1")
    wide = Group("2", "trade", [passage(0, 1), passage(1, 1), passage(2, 1), passage(0, 2)], event="1")
    inside = Group(
        "3", "trade · $245 billion", [passage(0, 1), passage(2, 1)], "$245 billion vs $240 billion", event="1"
    )
    elsewhere = Group("4", "trade", [passage(0, 1), passage(2, 1)], event="9")
    assert distinct([event_row, inside, wide, elsewhere]) == [event_row, wide, elsewhere]
    assert wide.discrepancy == "$245 billion vs $240 billion"


def test_f1_on_the_independent_seed_groups(seed_docs, record_property, alignment_scores):
    groups = json.loads(SEED_GROUPS.read_text(encoding="utf-8"))["groups"]
    scores = score_groups(align(list(seed_docs.values())), seed_docs, groups)
    alignment_scores.update(groups_precision=scores.precision, groups_recall=scores.recall, groups_f1=scores.f1)
    record_property("alignment_groups_f1", scores.f1)
    # Measured 0.65 (0.51 before points lost the sentences no other article echoes, 0.48 before
    # stories) with the settings chosen on the ECB+ development set; the goal was 0.60.
    assert scores.f1 >= 0.6


def test_no_sentence_joins_more_than_a_handful_of_rows_of_its_event(seed_docs):
    from collections import Counter

    from articles.alignment import Params

    result = align(list(seed_docs.values()))
    rows = Counter(
        (g.event, p.doc_id, s)
        for g in result.groups
        for p in g.passages
        for s in range(p.first_sentence, p.last_sentence + 1)
    )
    # its own row and at most Params.attach_most others (a bullet of the seeds had joined 13 of 33)
    assert max(rows.values()) <= 1 + Params().attach_most
    unlimited = align(list(seed_docs.values()), Params(attach_most=0))
    widest = Counter(
        (g.event, p.doc_id, s)
        for g in unlimited.groups
        for p in g.passages
        for s in range(p.first_sentence, p.last_sentence + 1)
    )
    assert max(widest.values()) > 1 + Params().attach_most  # the limit is what holds it
