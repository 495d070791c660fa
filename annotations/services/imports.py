"""Annotation imports: read a file of any supported format, anchor each annotation or keep it as an orphan.

Formats: W3C (ours, Hypothesis's JSON-LD, Recogito's), Hypothesis API rows and the Hypothesis
client's export, our JSONL, Label Studio tasks, doccano JSONL and UIMA CAS XMI (one `.xmi`, or a
zip of them with `TypeSystem.xml`). Readers in `annotations.formats` hand over plain dicts as the
file had them; this service checks every value, so a bad item is a named error, never a crash.

Authors are never matched to existing accounts: each name in a file becomes a pseudonymous import
identity (`import:NAME`, an account that cannot sign in and whose name sign-up refuses), or every
annotation goes to the importing user.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from annotations.access import can_export
from annotations.formats.items import ItemError, checked, payload, salvaged, storable
from annotations.formats.readers import FileFormatError, read_file
from annotations.formats.records import IMPORT_PREFIX
from annotations.models import Activity, Annotation, Orphan, Tag
from annotations.services.annotations import anchored_fields
from annotations.services.import_layers import layer_here, owners_layer
from annotations.services.import_links import import_link
from annotations.services.import_replies import add_replies
from annotations.services.import_report import ImportFileError, ImportReport
from annotations.text.anchoring import anchor
from articles.models import Article
from sinorus.wording import html_shows_something, shows_something

# ---------------------------------------------------------------- writing


class _Importer:
    """The state of one import: tags, articles, authors and what is already there."""

    def __init__(self, *, importer, article, activity, default_tag, authors: str, report: ImportReport) -> None:
        self.importer, self.article, self.activity, self.default_tag = importer, article, activity, default_tag
        self.authors, self.report = authors, report
        tag_set = activity.tags.all() if activity is not None else Tag.objects.public()
        self.tags = {t.name.lower(): t for t in tag_set} | {t.slug: t for t in tag_set}
        self.by_source = {a.source: a for a in Article.objects.select_related("current").filter(current__isnull=False)}
        self.by_id = {a.pk: a for a in self.by_source.values()}
        self._by_text: dict[str, Article] | None = None
        # an activity's work lives on its articles only: anywhere else nobody in it could reach it
        self.activity_articles = set(activity.articles.values_list("pk", flat=True)) if activity else None
        self.users: dict[str, object] = {}
        self.seen: dict[int, set] = {}
        # what is already here, in the layer this import writes to (an activity, or the public one):
        # the same file imported into another activity is that activity's work, not a duplicate
        self.here = (
            Annotation.objects.alive().filter(activity=activity)
            if activity
            else Annotation.objects.alive().filter(activity__isnull=True)
        )
        # the file ids already imported, and where: two servers' exports (or one careless file) can
        # call different annotations ".../api/annotations/12", so an id is the same annotation on the
        # same passage only
        self.keys: dict[str, set[tuple[int, int, int]]] = defaultdict(set)  # id -> (article, start, end)
        for key, *where in self.here.exclude(import_key="").values_list(
            "import_key", "revision__article_id", "start", "end"
        ):
            self.keys[key].add(tuple(where))
        self.replies: list[tuple[int, object, dict]] = []

    def article_for(self, f: dict) -> Article | None:
        if self.article is not None:
            return self.article
        found = self.by_source.get(f["article"]) or self.by_id.get(f["article_id"])
        if found is None and f["text"]:
            if self._by_text is None:
                self._by_text = {a.current.text.strip(): a for a in self.by_source.values()}
            found = self._by_text.get(f["text"].strip())
        return found

    def outside(self, article: Article) -> str:
        """Why `article` cannot hold this import's work ("" when it can)."""
        if self.activity_articles is None or article.pk in self.activity_articles:
            return ""
        return f"{article.source} is not one of the articles of “{self.activity.title}”: choose one of them"

    def author(self, name: str):
        """The importing user, or the import identity of `name` (made on first use)."""
        if self.authors == "me" and self.importer is not None:
            return self.importer
        clean = " ".join(storable(name).split()).removeprefix(IMPORT_PREFIX)[:140]
        clean = clean if shows_something(clean) else "unknown"  # "", or only invisible characters
        if clean not in self.users:
            username = IMPORT_PREFIX + clean
            user, created = get_user_model().objects.get_or_create(username=username)
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            self.users[clean] = user
            self.report.authors[clean] = username
        return self.users[clean]

    def duplicate(self, annotation: Annotation, key: str) -> bool:
        """Whether the same annotation is already there: by the file's id on the same passage, or by
        article, span, tag, author (as exports name them) and note."""
        where = (annotation.revision.article_id, annotation.start, annotation.end)
        if key and where in self.keys.get(key, ()):
            return True
        revision = annotation.revision_id
        if revision not in self.seen:
            rows = (
                Annotation.objects.alive()
                .filter(revision_id=revision)
                .values_list("start", "end", "tag_id", "annotator__username", "note", "activity_id")
            )
            self.seen[revision] = {(s, e, t, who.removeprefix(IMPORT_PREFIX), n, a) for s, e, t, who, n, a in rows}
            # the same without notes: a format that carries none (doccano, CoNLL's kin) says nothing new
            self.seen[revision] |= {(s, e, t, who, None, a) for s, e, t, who, _n, a in self.seen[revision]}
        who = annotation.annotator.username.removeprefix(IMPORT_PREFIX)
        same = (annotation.start, annotation.end, annotation.tag_id, who, annotation.note, annotation.activity_id)
        unnoted = (*same[:4], None, same[5])
        if same in self.seen[revision] or (not annotation.note and unnoted in self.seen[revision]):
            return True
        self.seen[revision] |= {same, unnoted}
        if key:
            self.keys[key].add(where)
        return False

    def layer_of(self, layer) -> str:
        return layer_here(self.activity, layer)

    def owners_layer(self, layer, annotator) -> str:
        return owners_layer(layer, annotator)

    def keeps_out(self, number: int, item, layer: str, f: dict | None = None, article=None) -> bool:
        """Keep an answer key's or a consensus's item out of the public layer (an orphan saying
        so): imported there it would show a class its answers."""
        if self.activity is not None or not layer:
            return False
        what = "an answer key" if layer == Annotation.Layer.KEY else "a consensus"
        self.orphan(
            number, f"{what}'s: import the file into its exercise or session, not the public layer", item, f, article
        )
        return True

    def orphan(self, number: int, problem: str, item, f: dict | None = None, article=None, tag=None) -> None:
        f = f or {}
        text = lambda name: storable(f[name]) if isinstance(f.get(name), str) else ""  # noqa: E731
        Orphan.objects.create(
            origin=Orphan.Origin.IMPORT,
            article=article,
            activity=self.activity,
            # re-attached in the layer it came in: an answer key's orphan must not become student work
            layer=self.layer_of(f.get("layer") or (item.get("layer") if isinstance(item, dict) else None))
            if self.activity is not None
            else self.owners_layer(f.get("layer"), f.get("annotator")) or Annotation.Layer.INDIVIDUAL,
            annotator=self.author(f["annotator"]) if isinstance(f.get("annotator"), str) else None,
            tag=tag.slug if tag else storable(str((f.get("tags") or [""])[0]))[:60],
            note=text("note"),
            exact=text("exact"),
            prefix=text("prefix")[:64],
            suffix=text("suffix")[:64],
            reason=problem[:300],
            payload=payload({k: v for k, v in item.items() if k != "text"} if isinstance(item, dict) else item),
        )
        self.report.orphans.append(f"item {number}: {problem}")

    def build(self, number: int, item) -> Annotation | None:
        """The annotation an item makes, or None after recording an orphan or a skip."""
        if isinstance(item, dict) and item.get("link") is True:
            import_link(self, number, item)
            return None
        if isinstance(item, str):
            self.orphan(number, item, {"value": item})
            return None
        try:
            f = checked(item, max_note=Annotation.MAX_NOTE, default_layer=Annotation.Layer.INDIVIDUAL)
        except ItemError as exc:
            f = salvaged(item) if isinstance(item, dict) else {}
            self.orphan(number, str(exc), item, f, article=self.article_for(f) if f else None)
            return None
        if not html_shows_something(f["note"]):  # zero-width characters only: no note
            f["note"] = ""
        owners = self.owners_layer(f["layer"], f["annotator"])
        if self.keeps_out(number, item, owners, f, self.article_for(f)):
            return None
        f["layer"] = owners or f["layer"]
        if f["reply_to"]:  # answered once every annotation of the file is in (replies may come first)
            self.replies.append((number, item, f))
            return None
        target = self.article_for(f)
        known = [self.tags[t.lower()] for t in f["tags"] if t.lower() in self.tags]
        tag = known[0] if known else self.default_tag
        if target is None:
            self.orphan(
                number, "no matching article: choose one for the whole file or for this orphan", item, f, tag=tag
            )
            return None
        if why := self.outside(target):
            self.orphan(number, why, item, f, tag=tag)
            return None
        if tag is None:
            self.orphan(number, f"no tag in the tag set ({', '.join(f['tags']) or 'none'})", item, f, target)
            return None
        text = target.current.text
        named = self.by_source.get(f["article"]) or self.by_id.get(f["article_id"])
        if self.article is not None and named is not None and named.pk != target.pk and not f["exact"]:
            # chosen for the whole file, but the item names another article and gives no quote:
            # its offsets are that article's, and would mark unrelated words here
            self.orphan(
                number,
                f"it names {named.source} and gives no quoted text to find in {target.source}",
                item,
                f,
                target,
                tag,
            )
            return None
        same_revision = f["revision"] in (None, target.current.number)
        found = anchor(
            text, f["exact"], f["prefix"], f["suffix"], *((f["start"], f["end"]) if same_revision else (None, None))
        )
        if f["start"] is None and not f["exact"]:
            self.orphan(number, "a page note: it selects no passage of the article", item, f, target, tag)
            return None
        if found is None or not text[found.start : found.end].strip() or found.end - found.start > Annotation.MAX_SPAN:
            self.orphan(number, "the quoted text was not found in the article", item, f, target, tag)
            return None
        labels = list(
            dict.fromkeys(t for t in f["tags"] if t.lower() not in (tag.slug, tag.name.lower()) and shows_something(t))
        )[:20]  # a label of invisible characters only would show as an empty chip
        layer = self.layer_of(f["layer"])
        created = f["created"] or timezone.now()
        annotation = Annotation(
            revision=target.current,
            annotator=self.author(f["annotator"]),
            tag=tag,
            note=f["note"],
            labels=labels,
            activity=self.activity,
            layer=layer,
            created_at=created,
            modified_at=f["modified"] or created,
            version=f["version"],
            import_key=f["source_id"],
            **anchored_fields(text, found.start, found.end),
        )
        if self.duplicate(annotation, f["source_id"]):
            self.report.skipped += 1
            return None
        self.report.methods[found.method] += 1
        return annotation


@transaction.atomic
def annotations_import(
    *,
    data: bytes,
    filename: str,
    importer=None,
    article: Article | None = None,
    activity: Activity | None = None,
    default_tag: Tag | None = None,
    authors: str = "file",
) -> ImportReport:
    """Import a file: anchor each annotation, keep what cannot be anchored as an orphan, skip what is there.

    The whole file is one transaction; a file that cannot be parsed imports nothing. `authors` is
    "file" (each name in the file becomes an import identity) or "me" (everything goes to `importer`).
    """
    if importer is not None and not can_export(importer):
        raise PermissionDenied("Only instructors and editors import corpora.")
    if activity is not None and activity.kind == Activity.Kind.EXERCISE and activity.revealed:
        raise ImportFileError(  # the feedback is scored on the work and the key as they stood
            f"“{activity.title}” was revealed: its work and its answer key are locked, so nothing was imported"
        )
    try:
        items = read_file(data, filename)
    except FileFormatError as exc:
        raise ImportFileError(str(exc)) from exc
    report = ImportReport()
    state = _Importer(
        importer=importer, article=article, activity=activity, default_tag=default_tag, authors=authors, report=report
    )
    rows = [row for number, item in enumerate(items, start=1) if (row := state.build(number, item)) is not None]
    report.created = len(Annotation.objects.bulk_create(rows, batch_size=2000))
    add_replies(state)
    return report
