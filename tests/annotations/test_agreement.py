from __future__ import annotations

import math

import pytest

from annotations.text.agreement import (
    NONE,
    Span,
    cohen_table,
    disagreement,
    fleiss_kappa,
    krippendorff_alpha,
    span_scores,
    token_labels,
    tokens,
)


def test_fleiss_kappa_matches_fleiss_1971_worked_example():
    # The 10 subjects x 14 raters x 5 categories table of the Wikipedia article on Fleiss' kappa.
    counts = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    assert fleiss_kappa(counts) == pytest.approx(0.210, abs=0.001)


def test_krippendorff_alpha_matches_the_published_nominal_example():
    # Krippendorff's reliability data example (3 coders, 15 units, missing values):
    # nominal alpha 0.691. Missing values are left out by coding them as absent rows here.
    import krippendorff
    import numpy as np

    nan = np.nan
    data = [
        [nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
        [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
        [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4],
    ]
    assert krippendorff.alpha(reliability_data=data, level_of_measurement="nominal") == pytest.approx(0.691, abs=0.001)


def test_krippendorff_alpha_over_token_labels_is_one_for_perfect_agreement_and_lower_otherwise():
    same = [["claim", "claim", NONE, "quote"], ["claim", "claim", NONE, "quote"]]
    assert krippendorff_alpha(same) == pytest.approx(1.0)
    differ = [["claim", "claim", NONE, "quote"], ["opinion", "claim", NONE, NONE]]
    assert krippendorff_alpha(differ) < 0.6


def test_cohen_kappa_matches_the_textbook_example():
    # 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> kappa 0.4
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    table = cohen_table([a, b])
    assert table[0][1] == pytest.approx(0.4)
    assert table[0][0] == 1.0


def test_tokens_get_each_annotators_tag_or_none():
    text = "Trade grew fast. Critics disagree."
    toks = tokens(text)
    labels = token_labels(toks, [Span("ann", 0, 16, "claim"), Span("bob", 17, 34, "opinion")], ["ann", "bob"])
    assert labels[0][:4] == ["claim"] * 4 and labels[0][4:] == [NONE] * 3
    assert labels[1][:4] == [NONE] * 4 and labels[1][4:] == ["opinion"] * 3


def test_span_scores_exact_and_overlap():
    key = [Span("key", 0, 10, "claim"), Span("key", 20, 30, "quote")]
    student = [Span("s", 0, 10, "claim"), Span("s", 22, 28, "quote"), Span("s", 40, 45, "opinion")]
    exact = span_scores(student, key, overlap=False)
    assert (exact.precision, exact.recall) == (pytest.approx(1 / 3), 0.5)
    loose = span_scores(student, key, overlap=True)
    assert (loose.precision, loose.recall) == (pytest.approx(2 / 3), 1.0)
    assert loose.f1 == pytest.approx(0.8)


def test_disagreement_is_zero_where_everyone_agrees():
    heat = disagreement([["claim", "claim", NONE], ["claim", "opinion", NONE], ["claim", "quote", NONE]])
    assert heat[0] == 0 and heat[2] == 0
    assert math.isclose(heat[1], 2 / 3)


def test_cohen_table_agrees_with_scikit_learn_on_random_labels():
    import random

    from sklearn.metrics import cohen_kappa_score

    rnd = random.Random(3)
    rows = [[rnd.choice(["claim", "opinion", NONE, NONE]) for _ in range(300)] for _ in range(4)]
    table = cohen_table(rows)
    for i in range(4):
        for j in range(4):
            if i != j:
                assert table[i][j] == pytest.approx(cohen_kappa_score(rows[i], rows[j]))


def _link(who: str, a: tuple[int, int, int], b: tuple[int, int, int], kind: str = "same-event"):
    from annotations.text.agreement import LinkPair

    return LinkPair.of(who, a, b, kind)


def test_links_match_whatever_order_their_passages_were_chosen_in():
    from annotations.text.agreement import links_match

    assert links_match(_link("a", (1, 0, 10), (2, 5, 9)), _link("k", (2, 8, 20), (1, 9, 30)), kind=True)
    assert not links_match(_link("a", (1, 0, 10), (2, 5, 9)), _link("k", (1, 10, 20), (2, 5, 9)), kind=False)
    assert not links_match(
        _link("a", (1, 0, 10), (2, 5, 9)), _link("k", (1, 0, 10), (2, 5, 9), "contradicts"), kind=True
    )


def test_link_scores_are_pair_level_precision_and_recall_against_the_key():
    from annotations.text.agreement import link_scores

    key = [_link("k", (1, 0, 10), (2, 0, 10)), _link("k", (1, 20, 30), (3, 0, 10), "contradicts")]
    student = [
        _link("s", (1, 2, 8), (2, 2, 8)),
        _link("s", (2, 40, 50), (3, 40, 50)),
        _link("s", (1, 20, 30), (3, 0, 9)),
    ]
    loose = link_scores(student, key, kind=False)
    assert (loose.precision, loose.recall) == (2 / 3, 1.0)
    strict = link_scores(student, key, kind=True)
    assert (strict.precision, strict.recall) == (1 / 3, 0.5)


def test_link_agreement_is_the_mean_pairwise_f1_leaving_out_pairs_who_linked_nothing():
    from annotations.text.agreement import link_agreement

    same = _link("x", (1, 0, 10), (2, 0, 10))
    links = {"ann": [same], "ben": [same], "cat": [], "dan": []}
    # ann-ben agree (1.0); ann-cat and ben-cat, ann-dan and ben-dan: 0.0; cat-dan left out.
    assert link_agreement(links, kind=False) == pytest.approx(1 / 5)
    assert link_agreement({"cat": [], "dan": []}, kind=False) is None
