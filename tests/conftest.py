from __future__ import annotations

from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture
def seed_text():
    def read(prefix: str) -> str:
        return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")

    return read


def _import_seeds() -> list:
    from articles.services.revisions import article_import

    return [article_import(source=p.name, data=p.read_bytes()).article for p in sorted(SEEDS.glob("*.txt"))]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Import the seed corpus once per session: each test's transaction rolls back what it changes.

    Tests that need real transactions (browser, worker) empty the tables when they end; they run
    after the others, and `corpus` imports the seeds again for them.
    """
    with django_db_blocker.unblock():
        _import_seeds()


@pytest.fixture(autouse=True)
def alignment_index_dir(settings, tmp_path):
    """Each test its own corpus index (the file an incremental alignment starts from)."""
    settings.ALIGNMENT_INDEX_DIR = tmp_path / "alignment"
    return settings.ALIGNMENT_INDEX_DIR


@pytest.fixture
def without_seeds(db):
    """For tests about an empty corpus: the session's seed articles are removed (the rollback restores them)."""
    from articles.models import Article

    Article.objects.all().delete()


@pytest.fixture
def corpus(db, seed_paths):
    """The five seed articles, imported."""
    from articles.models import Article

    articles = list(
        Article.objects.filter(source__in=[p.name for p in seed_paths]).select_related("current").order_by("source")
    )
    return articles if len(articles) == len(seed_paths) else _import_seeds()


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password="alice-pass-123")


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob", password="bob-pass-123")


@pytest.fixture
def staff(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("sam", password="sam-pass-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


@pytest.fixture
def instructor(django_user_model):
    """Runs exercises and review sessions (the Instructors and Editors roles)."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("ines", password="ines-pass-123")
    user.groups.add(Group.objects.get(name="Instructors"), Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor(django_user_model):
    """Corrects texts and alignments, adjudicates reviews (the Editors role)."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("eddie", password="eddie-pass-123")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def article(corpus):
    """The Trenin article (seed 000), imported with the rest of the corpus."""
    return corpus[0]


@pytest.fixture
def make_annotation():
    from annotations.services.annotations import annotation_create

    def make(user, article, phrase: str, tag: str = "claim", note: str = "", activity=None):
        text = article.current.text
        start = text.index(phrase)
        return annotation_create(
            user=user,
            revision=article.current,
            start=start,
            end=start + len(phrase),
            exact=phrase,
            tag=tag,
            note=note,
            activity=activity,
        )

    return make


ALIGNMENT_SCORES: dict = {}


@pytest.fixture
def alignment_scores() -> dict:
    return ALIGNMENT_SCORES


def pytest_terminal_summary(terminalreporter) -> None:
    s = ALIGNMENT_SCORES
    if "pairs" in s:
        terminalreporter.write_line(
            f"alignment on {s['pairs']} hand-labelled pairs: precision {s['precision']:.2f}, "
            f"recall {s['recall']:.2f}, F1 {s['f1']:.2f}"
        )
    if "groups_f1" in s:
        terminalreporter.write_line(
            f"alignment on the independent seed groups: precision {s['groups_precision']:.2f}, "
            f"recall {s['groups_recall']:.2f}, F1 {s['groups_f1']:.2f}"
        )
