from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Every named URL and how it is protected. A new view that is not listed here fails
# test_every_url_pattern_has_a_permission_rule: give it a rule (and tests) before it ships.
PUBLIC = "public"  # anyone may GET it
SIGNED_IN = "signed in"  # anonymous visitors are sent to sign in
STAFF = "staff"
OWNER = "owner or member"  # 404 for non-members
API = "api"  # JSON; 401 for anonymous writes, 404 for what one may not see
RULES = {
    "articles:list": PUBLIC,
    "articles:detail": PUBLIC,
    "articles:report": PUBLIC,
    "articles:restore": STAFF,
    "articles:revision_text": PUBLIC,
    "articles:upload": STAFF,
    "annotations:reader": PUBLIC,
    "annotations:compare": PUBLIC,
    "annotations:link_new": SIGNED_IN,
    "annotations:link_delete": SIGNED_IN,
    "articles:alignment_correct": SIGNED_IN,
    "annotations:edit": SIGNED_IN,
    "annotations:delete": SIGNED_IN,
    "annotations:restore": SIGNED_IN,
    "annotations:thread": PUBLIC,
    "annotations:decide": SIGNED_IN,
    "annotations:activities": SIGNED_IN,
    "annotations:activity_new": SIGNED_IN,
    "annotations:activity_join": SIGNED_IN,
    "annotations:activity": OWNER,
    "annotations:activity_submit": OWNER,
    "annotations:activity_reveal": OWNER,
    "annotations:dashboard": OWNER,
    "annotations:adjudicate": OWNER,
    "annotations:export": SIGNED_IN,
    "annotations:import": SIGNED_IN,
    "annotations:orphans": SIGNED_IN,
    "annotations:orphan_resolve": SIGNED_IN,
    "annotations:correct": SIGNED_IN,
    "annotations:api_article_annotations": API,
    "annotations:api_annotation": API,
    "annotations:job": SIGNED_IN,
    "annotations:job_download": SIGNED_IN,
    "signup": PUBLIC,
    "login": PUBLIC,
    "logout": PUBLIC,
    "tokens": SIGNED_IN,
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PUBLIC,
    "password_reset_complete": PUBLIC,
    "annotations:activity_edit": OWNER,
    "annotations:activity_close": OWNER,
    "annotations:activity_delete": OWNER,
    "annotations:undecide": SIGNED_IN,
    "annotations:accept_agreed": OWNER,
    "annotations:add_block": SIGNED_IN,
    "annotations:person": PUBLIC,  # 404 unless the person has public work (see access.person_for_viewing)
}


def named_patterns(patterns=None, namespace=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue  # Django's admin has its own staff checks and tests
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from named_patterns(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def test_every_url_pattern_has_a_permission_rule():
    names = {name for name, _p in named_patterns()}
    assert names - set(RULES) == set(), "new views need a permission rule and tests"


def _url(name: str, pattern) -> str:
    converters = pattern.pattern.converters
    if "uidb64" in str(pattern.pattern):
        return reverse(name, kwargs={"uidb64": "MQ", "token": "set-password"})
    return reverse(name, args=[999999] * len(converters)) if converters else reverse(name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(RULES))
def test_anonymous_visitors_get_what_each_rule_says_and_never_a_500(client, name):
    pattern = dict(named_patterns())[name]
    url = _url(name, pattern)
    rule = RULES[name]
    get, post = client.get(url), client.post(url, {})
    assert get.status_code < 500 and post.status_code < 500
    if rule in (SIGNED_IN, OWNER):
        assert {get.status_code, post.status_code} <= {302, 405}, (name, get.status_code, post.status_code)
        assert "login" in (get.get("Location", "") + post.get("Location", ""))
    elif rule == STAFF:
        assert {get.status_code, post.status_code} <= {302, 403, 405}, (name, get.status_code, post.status_code)
    elif rule == API:
        assert post.status_code in (401, 404, 405)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", sorted(n for n, p in named_patterns() if p.pattern.converters and "uidb64" not in str(p.pattern))
)
def test_a_signed_in_stranger_gets_no_foreign_object(client, django_user_model, name):
    client.force_login(django_user_model.objects.create_user("stranger"))
    url = _url(name, dict(named_patterns())[name])
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code in (403, 404, 405), (name, response.status_code)


# ---------------------------------------------------------------- headers and sign-in


@pytest.mark.django_db
def test_responses_carry_a_strict_csp_and_frame_and_referrer_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_production_settings_harden_cookies_and_https(monkeypatch):
    import importlib

    import sinorus.settings as settings_module

    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.delenv("HTTPS", raising=False)
    fresh = importlib.reload(settings_module)
    try:
        assert fresh.SESSION_COOKIE_SECURE and fresh.CSRF_COOKIE_SECURE and fresh.SESSION_COOKIE_HTTPONLY
        assert fresh.SECURE_SSL_REDIRECT and fresh.SECURE_HSTS_SECONDS >= 31536000
    finally:
        monkeypatch.undo()
        importlib.reload(settings_module)


@pytest.mark.django_db
def test_sign_in_is_throttled_after_five_failures(client, alice):
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
        assert "Please enter a correct username" in response.content.decode()
    response = client.post(reverse("login"), {"username": "alice", "password": "alice-pass-123"})
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_revoked_token_stops_working(client, alice, article):
    from annotations.models import ApiToken

    client.force_login(alice)
    page = client.post(reverse("tokens"), {"label": "script"}).content.decode()
    secret = page.split('class="secret">')[1].split("<")[0]
    api = Client(enforce_csrf_checks=True)
    url = f"/api/articles/{article.pk}/annotations"
    body = json.dumps({"start": 0, "end": 7, "tag": "claim"})
    assert (
        api.post(url, body, content_type="application/json", headers={"Authorization": f"Token {secret}"}).status_code
        == 201
    )
    client.post(reverse("tokens"), {"revoke": ApiToken.objects.get().pk})
    assert (
        api.post(url, body, content_type="application/json", headers={"Authorization": f"Token {secret}"}).status_code
        == 401
    )


@pytest.mark.django_db
def test_revoke_token_command(alice, capsys):
    from annotations.models import ApiToken

    call_command("issue_token", "alice")
    call_command("revoke_token", "alice")
    assert ApiToken.objects.get().revoked_at is not None
    assert "revoked 1 token(s)" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_database_outage_gets_a_clear_503_page(monkeypatch):
    import articles.views as views

    def down(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(views, "render", down)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503
    assert "briefly unavailable" in response.content.decode()
    assert response["Retry-After"] == "5"


@pytest.mark.django_db
def test_sqlite_backup_is_a_consistent_copy(corpus, tmp_path, settings):
    import sqlite3

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        with pytest.raises(Exception, match="pg_dump"):
            call_command("backup_sqlite", str(tmp_path / "b.sqlite3"))
        return
    target = tmp_path / "b.sqlite3"
    call_command("backup_sqlite", str(target))
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_sign_in_reached_from_the_sign_in_page_goes_on_to_the_page_first_asked_for(client, alice):
    nested = "/accounts/login/?next=" + quote("/accounts/login/?next=" + quote("/articles/"), safe="")
    page = client.get(nested).content.decode()
    assert 'name="next" value="/articles/"' in page
    login_page = client.get("/accounts/login/?next=/articles/").content.decode()
    assert 'href="/accounts/login/?next=/articles/">Sign in</a>' in login_page  # the top bar's link: the same page
    response = client.post(
        nested, {"username": "alice", "password": "alice-pass-123", "next": "/accounts/login/?next=/articles/"}
    )
    assert response.status_code == 302 and response["Location"] == "/articles/"
    client.logout()
    wrong = client.post("/accounts/login/", {"username": "alice", "password": "wrong", "next": "/articles/"})
    assert 'href="/accounts/login/?next=/articles/">Sign in</a>' in wrong.content.decode()  # kept after an error
    outside = "/accounts/login/?next=" + quote("/accounts/login/?next=https://evil.example/", safe="")
    assert 'name="next" value=""' in client.get(outside).content.decode()


@pytest.mark.parametrize("number", [2**63, int("9" * 30)])
def test_an_id_past_what_the_database_holds_is_a_404_on_every_route(client, corpus, staff, number):
    client.force_login(staff)
    for name, pattern in named_patterns():
        if not pattern.pattern.converters or "uidb64" in str(pattern.pattern):
            continue
        url = reverse(name, args=[number] * len(pattern.pattern.converters))
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {}).status_code in (400, 403, 404, 405), url
    for query in ("activity", "a", "correct", "revision", "undo", "spot", "layer"):
        assert client.get(f"/compare/?{query}={number}").status_code in (200, 400, 404), query
        assert client.get(f"/articles/{corpus[0].pk}/?{query}={number}").status_code in (200, 400, 404), query


def test_a_number_past_any_id_in_a_form_is_refused_with_a_400_not_a_500(client, corpus, instructor, editor):
    from annotations.services.annotations import annotation_create
    from tests.factories import make_activity

    huge = str(2**64)
    client.force_login(editor)
    for query in ("article", "activity"):
        response = client.get(f"/exports/?format=jsonl&{query}={huge}")
        assert response.status_code == 400, query
    assert client.post("/imports/", {"article": huge, "format": "w3c"}).status_code == 400
    client.force_login(instructor)
    activity = make_activity(instructor, corpus[:1])
    form = {"kind": "exercise", "title": "T", "opens_at": "2026-01-01T10:00", "closes_at": "2026-01-02T10:00"}
    for field in ("articles", "tags"):
        response = client.post(reverse("annotations:activity_new"), form | {field: huge})
        assert response.status_code == 400, field
        response = client.post(reverse("annotations:activity_edit", args=[activity.pk]), form | {field: huge})
        assert response.status_code == 400, field
    text = corpus[0].current.text
    public = annotation_create(user=instructor, revision=corpus[0].current, start=0, end=5, exact=text[:5], tag="claim")
    assert client.post(reverse("annotations:decide", args=[public.pk]), {"verdict": "nonsense"}).status_code == 403
    assert client.post(reverse("annotations:undecide", args=[public.pk])).status_code == 403
