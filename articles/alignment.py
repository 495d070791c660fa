"""Find where articles report the same event or make the same point.

Pure module: plain data in, plain data out, no Django. Units are sentences; adjacent sentences
of one article that land in the same group become one passage (a window of up to three).

Signals, combined into one score per cross-article sentence pair:
- word TF-IDF cosine (unigrams and bigrams, IDF over the corpus's sentences),
- character TF-IDF cosine (3-5-grams inside words: "reliant" meets "reliance"),
- rare terms and names shared by both sentences (low sentence frequency in the corpus),
- quantities normalized ("$245 billion" and "approaching $250 billion" are one figure; the
  difference is reported as a discrepancy), and shared years,
- shared quotations and rare three-word phrases.
Grouping is average-linkage agglomeration over the cross-article pairs: two groups merge only
when their passages are similar on average, so one weak link never chains unrelated passages.
Nothing here knows what the corpus is about.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer


@dataclass(frozen=True)
class Document:
    id: int
    name: str
    text: str
    sentences: list[tuple[int, int]]


@dataclass(frozen=True)
class Passage:
    doc_id: int
    start: int
    end: int
    first_sentence: int
    last_sentence: int


@dataclass
class Group:
    key: str  # stable identity: the group's first sentence, "doc_id:start"
    label: str
    passages: list[Passage]
    discrepancy: str = ""
    cohesion: float = 0.0
    level: str = "point"  # "event": the same happening reported; "point": the same claim or argument

    @property
    def doc_ids(self) -> list[int]:
        return sorted({p.doc_id for p in self.passages})


@dataclass(frozen=True)
class Params:
    word_weight: float = 0.55
    char_weight: float = 0.40
    rare_term_bonus: float = 0.08  # per shared rare term, at most two
    quantity_bonus: float = 0.30
    year_bonus: float = 0.04
    quote_bonus: float = 0.25  # the same quotation in both
    phrase_bonus: float = 0.05  # the same rare three-word phrase in both (weak: common idioms recur)
    edge_threshold: float = 0.15  # a pair must score this to be considered at all
    link_threshold: float = 0.15  # average cross-article similarity to merge two groups
    link_density: float = 0.5  # more than this share of cross-article pairs between two groups must be linked
    second_group_threshold: float = 0.45  # a sentence can make two points: a strong pair across groups
    neighbours: int = 12  # candidate pairs kept per sentence
    max_window: int = 3  # sentences per passage
    rare_fraction: float = 0.02  # "rare": in at most this share of sentences (and at least 2)


@dataclass
class Alignment:
    groups: list[Group]
    only_in: dict[int, list[Passage]] = field(default_factory=dict)


# ---------------------------------------------------------------- quantities and phrases

SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9,
         "trillion": 1e12, "tn": 1e12}  # fmt: skip
CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "usd": "USD", "dollars": "USD", "euros": "EUR",
            "yuan": "CNY", "rubles": "RUB", "roubles": "RUB", "pounds": "GBP"}  # fmt: skip
APPROX = re.compile(
    r"\b(?:approaching|about|around|nearly|almost|over|more than|less than|roughly|some|close to|approximately|"
    r"an estimated|up to|at least|under)\s*$",
    re.I,
)
MONEY = re.compile(
    r"(?P<sym>[$€£¥])\s?(?P<num>\d+(?:[.,]\d+)*)\s*(?P<scale>trillion|billion|million|thousand|bn|tn|mn|[kmb])?\b"
    r"|\b(?P<num2>\d+(?:[.,]\d+)*)\s*(?P<scale2>trillion|billion|million|thousand)?\s*(?P<cur>dollars|euros|yuan|rubles|roubles|pounds|usd)\b",
    re.I,
)
PERCENT = re.compile(r"\b(?P<num>\d+(?:\.\d+)?)\s*(?:%|per ?cent)", re.I)
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
QUOTED = re.compile(r"[“\"«]([^”\"»]{3,200})[”\"»]")
WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
NAME = re.compile(r"\b(?:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*|[A-Z]{2,6})\b")


@dataclass(frozen=True)
class Quantity:
    kind: str  # "money:USD", "percent"
    value: float
    approximate: bool
    surface: str


def _number(text: str) -> float:
    text = text.replace(",", "") if text.count(",") and "." not in text else text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return math.nan


def quantities(sentence: str) -> list[Quantity]:
    """Money amounts and percentages in a sentence, normalized to one unit."""
    found = []
    for m in MONEY.finditer(sentence):
        if m.group("sym"):
            value = _number(m.group("num")) * SCALE.get((m.group("scale") or "").lower(), 1)
            kind = "money:" + CURRENCY[m.group("sym")]
        else:
            value = _number(m.group("num2")) * SCALE.get((m.group("scale2") or "").lower(), 1)
            kind = "money:" + CURRENCY[m.group("cur").lower()]
        before = sentence[max(0, m.start() - 30) : m.start()]
        approx = APPROX.search(before)
        surface = (approx.group(0).strip() + " " if approx else "") + m.group(0).strip()
        if not math.isnan(value):
            found.append(Quantity(kind, value, bool(approx), surface))
    for m in PERCENT.finditer(sentence):
        before = sentence[max(0, m.start() - 30) : m.start()]
        approx = APPROX.search(before)
        found.append(Quantity("percent", float(m.group("num")), bool(approx), m.group(0)))
    return found


def same_figure(a: Quantity, b: Quantity) -> bool:
    """Two mentions of one figure: same kind, within 10% (or exactly equal)."""
    if a.kind != b.kind:
        return False
    if a.value == b.value:
        return True
    return abs(a.value - b.value) <= 0.1 * max(abs(a.value), abs(b.value))


def quotations(sentence: str) -> set[str]:
    out = set()
    for m in QUOTED.finditer(sentence):
        words = WORD.findall(m.group(1).lower())
        if len(words) >= 2:
            out.add(" ".join(words))
    return out


def words(sentence: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in WORD.findall(sentence)]


def content_words(sentence: str) -> list[str]:
    return [w for w in words(sentence) if w not in ENGLISH_STOP_WORDS and len(w) > 1]


def trigrams(sentence: str) -> set[str]:
    """Three-word phrases with at least two content words ("a fair price")."""
    ws = words(sentence)
    out = set()
    for i in range(len(ws) - 2):
        gram = ws[i : i + 3]
        if sum(w not in ENGLISH_STOP_WORDS for w in gram) >= 2:
            out.add(" ".join(gram))
    return out


def names(sentence: str) -> set[str]:
    """Capitalized names and acronyms that are not merely the sentence's first word."""
    out = set()
    for m in NAME.finditer(sentence):
        if m.start() == 0 and " " not in m.group(0) and not m.group(0).isupper():
            continue
        token = m.group(0).lower()
        if token not in ENGLISH_STOP_WORDS:
            out.add(token)
    return out


# Generic marks of a reported happening: dates, and nouns and verbs of things that take place.
MONTHS = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
EVENT_DATE = re.compile(
    rf"\b(?:{MONTHS}\s+\d{{1,2}}|\d{{1,2}}\s+{MONTHS}|(?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|last week|this week)\b",
    re.I,
)
EVENT_WORDS = {
    "visit", "visited", "visits", "summit", "meeting", "met", "talks", "parade", "ceremony", "ceremonies",
    "celebration", "celebrations", "statement", "declaration", "signed", "agreement", "treaty", "vote", "voted",
    "election", "elected", "strike", "walkout", "attack", "attacks", "conference", "arrived", "attended",
    "marched", "anniversary", "trip", "launched", "announced", "held",
}  # fmt: skip


def event_cues(sentence: str) -> set[str]:
    """Words and dates that mark a sentence as reporting something that happened."""
    cues = {w for w in words(sentence) if w in EVENT_WORDS}
    cues.update(m.group(0).lower() for m in EVENT_DATE.finditer(sentence))
    return cues


# ---------------------------------------------------------------- scoring


@dataclass
class _Units:
    doc: np.ndarray  # document index of each sentence
    index: np.ndarray  # sentence index inside its document
    texts: list[str]
    spans: list[tuple[int, int]]


def _units(documents: list[Document]) -> _Units:
    doc, index, texts, spans = [], [], [], []
    for d, document in enumerate(documents):
        for i, (start, end) in enumerate(document.sentences):
            text = document.text[start:end]
            if len(content_words(text)) < 3:  # headings of a word or two carry no point
                continue
            doc.append(d)
            index.append(i)
            texts.append(text)
            spans.append((start, end))
    return _Units(np.array(doc, dtype=np.int32), np.array(index, dtype=np.int32), texts, spans)


def _tfidf(texts: list[str], **kwargs) -> tuple[sparse.csr_matrix, list[str]]:
    vectorizer = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **kwargs)
    try:
        matrix = vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # empty vocabulary
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32), [""]
    return matrix, list(vectorizer.get_feature_names_out())


def _candidates(matrix: sparse.csr_matrix, doc: np.ndarray, k: int, floor: float) -> tuple[np.ndarray, np.ndarray]:
    """Cross-article pairs (i < j) among each sentence's k most similar, in row chunks."""
    n = matrix.shape[0]
    rows, cols = [], []
    # Terms found in many sentences only make every pair a candidate; leave them out here
    # (they still count in the full score).
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    common = np.flatnonzero(df > max(20, 0.02 * n))
    if len(common):
        matrix = matrix.copy()
        matrix.data[np.isin(matrix.indices, common)] = 0
        matrix.eliminate_zeros()
    transposed = matrix.T.tocsr()
    for begin in range(0, n, 500):
        block = (matrix[begin : begin + 500] @ transposed).tocsr()
        for r in range(block.shape[0]):
            i = begin + r
            lo, hi = block.indptr[r], block.indptr[r + 1]
            js, vs = block.indices[lo:hi], block.data[lo:hi]
            keep = (doc[js] != doc[i]) & (vs >= floor)
            js, vs = js[keep], vs[keep]
            if len(js) > k:
                top = np.argpartition(-vs, k)[:k]
                js = js[top]
            for j in js:
                rows.append(min(i, j))
                cols.append(max(i, j))
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    pairs = np.unique(np.array([rows, cols], dtype=np.int64).T, axis=0)
    return pairs[:, 0], pairs[:, 1]


def _rowwise_dot(matrix: sparse.csr_matrix, a: np.ndarray, b: np.ndarray, chunk: int = 20000) -> np.ndarray:
    """Cosine of each (a[k], b[k]) row pair, in chunks so memory stays flat on large corpora."""
    out = np.zeros(len(a), dtype=np.float32)
    for begin in range(0, len(a), chunk):
        rows_a, rows_b = a[begin : begin + chunk], b[begin : begin + chunk]
        out[begin : begin + chunk] = np.asarray(matrix[rows_a].multiply(matrix[rows_b]).sum(axis=1)).ravel()
    return out


def pair_scores(units: _Units, params: Params) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict]:
    """Score cross-article candidate pairs; return (i, j, score, per-signal arrays)."""
    n = len(units.texts)
    word, vocabulary = _tfidf(
        units.texts, stop_words="english", ngram_range=(1, 2), token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b"
    )
    char, _ = _tfidf(units.texts, analyzer="char_wb", ngram_range=(3, 5), min_df=2)
    # Candidates: word neighbours, plus sentences sharing a rare phrase, name or figure.
    a, b = _candidates(word, units.doc, params.neighbours, floor=0.05)
    features = [(trigrams(t), names(t), quotations(t), quantities(t), set(YEAR.findall(t))) for t in units.texts]
    rare_limit = max(2, min(int(params.rare_fraction * n), 8))
    name_df = Counter(x for f in features for x in f[1])
    gram_df = Counter(x for f in features for x in f[0])
    index: dict[str, list[int]] = defaultdict(list)
    for i, (grams, ns, quotes, qs, _years) in enumerate(features):
        for g in grams:
            if gram_df[g] <= rare_limit:
                index["g:" + g].append(i)
        for q in quotes:
            index["q:" + q].append(i)
        for name in ns:
            if name_df[name] <= rare_limit:
                index["n:" + name].append(i)
        for q in qs:
            index[f"m:{q.kind}:{round(math.log10(q.value), 1) if q.value > 0 else 0}"].append(i)
    extra = set()
    for members in index.values():
        if len(members) > 8:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if units.doc[i] != units.doc[j]:
                    extra.add((min(i, j), max(i, j)))
    if extra:
        pairs = np.unique(np.concatenate([np.array([a, b]).T, np.array(sorted(extra), dtype=np.int64)]), axis=0)
        a, b = pairs[:, 0], pairs[:, 1]
    word_sim = _rowwise_dot(word, a, b)
    char_sim = _rowwise_dot(char, a, b)
    bonus = np.zeros(len(a), dtype=np.float32)
    figures: dict[tuple[int, int], tuple[Quantity, Quantity]] = {}
    quoted: set[tuple[int, int]] = set()
    for k, (i, j) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        gi, ni, qi, mi, yi = features[i]
        gj, nj, qj, mj, yj = features[j]
        shared_names = [x for x in ni & nj if name_df[x] <= rare_limit]
        bonus[k] += params.rare_term_bonus * min(2, len(shared_names))
        if qi & qj:
            bonus[k] += params.quote_bonus
            quoted.add((i, j))
        elif any(g in gj for g in gi if gram_df[g] <= rare_limit):
            bonus[k] += params.phrase_bonus
        match = next(((x, y) for x in mi for y in mj if same_figure(x, y)), None)
        if match:
            bonus[k] += params.quantity_bonus
            figures[(i, j)] = match
        elif yi & yj:
            bonus[k] += params.year_bonus
    score = params.word_weight * word_sim + params.char_weight * char_sim + bonus
    return a, b, score, {"word": word, "vocabulary": vocabulary, "figures": figures, "quoted": quoted}


# ---------------------------------------------------------------- grouping


def _average_linkage(n: int, doc: np.ndarray, a, b, score, params: Params, anchored: set) -> list[list[int]]:
    """Merge along strong pairs while the average cross-article similarity stays high.

    `anchored` pairs share an exact figure or quotation: precise enough to stand as a group of
    their own when the agglomeration put their sentences apart.
    """
    keep = score >= params.edge_threshold
    a, b, score = a[keep], b[keep], score[keep]
    neighbours: dict[int, dict[int, float]] = defaultdict(dict)
    for i, j, s in zip(a.tolist(), b.tolist(), score.tolist(), strict=True):
        neighbours[i][j] = s
        neighbours[j][i] = s
    cluster = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    docs: dict[int, Counter] = {i: Counter([int(doc[i])]) for i in range(n)}
    heap = [(-s, i, j) for i, j, s in zip(a.tolist(), b.tolist(), score.tolist(), strict=True)]
    heapq.heapify(heap)
    while heap:
        _neg, i, j = heapq.heappop(heap)
        ci, cj = cluster[i], cluster[j]
        if ci == cj:
            continue
        if len(members[ci]) > len(members[cj]):
            ci, cj = cj, ci
        total, linked = 0.0, 0
        for m in members[ci]:
            for other, s in neighbours[m].items():
                if cluster[other] == cj:
                    total += s
                    linked += 1
        pairs = len(members[ci]) * len(members[cj]) - sum(docs[ci][d] * docs[cj][d] for d in docs[ci])
        if pairs <= 0 or total / pairs < params.link_threshold or linked / pairs <= params.link_density:
            continue
        for m in members[ci]:
            cluster[m] = cj
        members[cj].extend(members.pop(ci))
        docs[cj].update(docs.pop(ci))
    clusters = [sorted(ms) for ms in members.values()]
    # A sentence may make two points ("trade is approaching $250 billion, and joint exercises ...").
    # An anchored or very strong pair whose sentences ended up in different groups becomes a
    # group of its own, once per sentence.
    extra_used: set[int] = set()
    for i, j, s in zip(a.tolist(), b.tolist(), score.tolist(), strict=True):
        if cluster[i] == cluster[j] or i in extra_used or j in extra_used:
            continue
        if s >= params.second_group_threshold or (i, j) in anchored:
            clusters.append([i, j])
            extra_used.update((i, j))
    return clusters


def _passages(units: _Units, documents: list[Document], sentence_ids: list[int], max_window: int) -> list[Passage]:
    """Join a group's adjacent sentences of one article into passages of up to max_window."""
    by_doc: dict[int, list[int]] = defaultdict(list)
    for u in sentence_ids:
        by_doc[int(units.doc[u])].append(u)
    out = []
    for _doc, us in sorted(by_doc.items()):
        us.sort(key=lambda u: units.index[u])
        run = [us[0]]
        for u in us[1:]:
            if units.index[u] == units.index[run[-1]] + 1 and len(run) < max_window:
                run.append(u)
            else:
                out.append(run)
                run = [u]
        out.append(run)
    passages = []
    for run in out:
        d = int(units.doc[run[0]])
        passages.append(
            Passage(
                documents[d].id,
                units.spans[run[0]][0],
                units.spans[run[-1]][1],
                int(units.index[run[0]]),
                int(units.index[run[-1]]),
            )
        )
    return passages


def _label(
    word: sparse.csr_matrix, vocabulary: list[str], units: _Units, ids: list[int], figure: str, phrase: str = ""
) -> str:
    """The group's most distinctive terms, preferring those found in two or more articles."""
    rows = word[ids].tocoo()
    weights: dict[int, float] = defaultdict(float)
    presence: dict[int, set[int]] = defaultdict(set)
    for r, c, v in zip(rows.row.tolist(), rows.col.tolist(), rows.data.tolist(), strict=True):
        weights[c] += v
        presence[c].add(int(units.doc[ids[r]]))
    shared = [c for c in weights if len(presence[c]) >= 2]
    pool = shared if shared else list(weights)
    # One bigram first if there is one ("joint statement" reads better than "joint · statement").
    by_weight = sorted(pool, key=lambda c: (-weights[c], vocabulary[c]))
    order = [c for c in by_weight if " " in vocabulary[c]][:1] + by_weight
    terms: list[str] = [phrase] if phrase else []
    for c in order:
        term = vocabulary[c]
        if any(set(term.split()) & set(t.split()) for t in terms):
            continue
        terms.append(term)
        if len(terms) == 2:
            break
    if figure:
        terms = terms[:1] + [figure]
    return " · ".join(terms) if terms else "related passages"


def align(documents: list[Document], params: Params | None = None) -> Alignment:
    """Group the sentences of `documents` that report the same event or make the same point."""
    params = params or Params()
    units = _units(documents)
    n = len(units.texts)
    if n == 0 or len({int(d) for d in units.doc}) < 2:
        return Alignment(groups=[], only_in={doc.id: [] for doc in documents})
    a, b, score, extra = pair_scores(units, params)
    clusters = _average_linkage(n, units.doc, a, b, score, params, set(extra["figures"]) | extra["quoted"])
    vectorizer_vocab = extra["vocabulary"]
    word = extra["word"]
    figures = extra["figures"]
    clusters_of: dict[int, set[int]] = defaultdict(set)
    for c, ids in enumerate(clusters):
        for u in ids:
            clusters_of[u].add(c)
    edge_sum: Counter = Counter()
    edge_count: Counter = Counter()
    for i, j, s in zip(a.tolist(), b.tolist(), score.tolist(), strict=True):
        for c in clusters_of[i] & clusters_of[j]:
            edge_sum[c] += s
            edge_count[c] += 1
    figures_of: dict[int, list] = defaultdict(list)
    for (i, j), fig in figures.items():
        for c in clusters_of[i] & clusters_of[j]:
            figures_of[c].append(fig)
    groups: list[Group] = []
    grouped: set[int] = set()
    for c, ids in enumerate(clusters):
        if len({int(units.doc[u]) for u in ids}) < 2:
            continue
        grouped.update(ids)
        discrepancy, figure = "", ""
        for x, y in figures_of[c]:
            figure = figure or x.surface
            if x.value != y.value or x.approximate != y.approximate:
                discrepancy = f"{x.surface} vs {y.surface}"
                break
        cohesion = edge_sum[c] / edge_count[c] if edge_count[c] else 0.0
        cued: dict[int, set[str]] = defaultdict(set)
        for u in ids:
            cued[int(units.doc[u])] |= event_cues(units.texts[u])
        with_cues = [c for c in cued.values() if c]
        shared_cue = len(with_cues) >= 2 and any(with_cues[0] & other for other in with_cues[1:])
        groups.append(
            Group(
                key="",
                label=_label(word, vectorizer_vocab, units, ids, _figure_label(figure), _shared_phrase(units, ids)),
                passages=_passages(units, documents, ids, params.max_window),
                discrepancy=discrepancy,
                cohesion=cohesion,
                level="event" if shared_cue else "point",
            )
        )
    position = {doc.id: n for n, doc in enumerate(documents)}
    for group in groups:
        first = min(group.passages, key=lambda p: (position[p.doc_id], p.start))
        group.key = f"{first.doc_id}:{first.start}"
    groups.sort(key=lambda g: (-len(g.doc_ids), min((p.first_sentence, position[p.doc_id]) for p in g.passages), g.key))
    only_in: dict[int, list[Passage]] = {doc.id: [] for doc in documents}
    for u in range(n):
        if u not in grouped:
            d = documents[int(units.doc[u])]
            only_in[d.id].append(
                Passage(d.id, units.spans[u][0], units.spans[u][1], int(units.index[u]), int(units.index[u]))
            )
    return Alignment(groups=groups, only_in=only_in)


def _shared_phrase(units: _Units, ids: list[int]) -> str:
    """A quotation or three-word phrase found in two articles of the group, if any."""
    seen: dict[str, set[int]] = defaultdict(set)
    for u in ids:
        for phrase in quotations(units.texts[u]) | trigrams(units.texts[u]):
            seen[phrase].add(int(units.doc[u]))

    def reads_well(phrase: str) -> bool:
        ws = phrase.split()
        return ws[0] not in ENGLISH_STOP_WORDS and ws[-1] not in ENGLISH_STOP_WORDS

    shared = sorted(
        (p for p, docs in seen.items() if len(docs) >= 2 and reads_well(p)), key=lambda p: (-len(seen[p]), -len(p), p)
    )
    return shared[0] if shared and len(shared[0].split()) <= 5 else ""


def _figure_label(surface: str) -> str:
    return re.sub(
        r"^(?:approaching|about|around|nearly|almost|over|more than|roughly|some)\s+", "", surface, flags=re.I
    )
