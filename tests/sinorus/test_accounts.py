"""Sign-up names, and password reset by mail only where mail can be sent."""

from __future__ import annotations

import importlib

import pytest
from django.core import mail
from django.urls import reverse

PASSWORDS = {"password1": "a-long-pass-123", "password2": "a-long-pass-123"}


def sign_up(client, username):
    return client.post(reverse("signup"), {"username": username, **PASSWORDS})


@pytest.fixture
def existing(django_user_model):
    django_user_model.objects.create_user("student1")
    django_user_model.objects.create_user("poco")
    django_user_model.objects.create_user("tokyo")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lookalike",
    [
        "stud\u0435nt1",  # Cyrillic е among Latin letters
        "studentl",  # l for 1
        "STUDENTI",  # capital I for 1
        "Student1",
        "ｓｔｕｄｅｎｔ１",  # full-width
        "\u0440\u043e\u0441\u043e",  # all Cyrillic: р о с о
        "\u03a4\u039f\u039a\u03a5\u039f",  # all Greek: Τ Ο Κ Υ Ο
    ],
)
def test_sign_up_refuses_a_name_that_looks_like_an_existing_one(client, existing, django_user_model, lookalike):
    response = sign_up(client, lookalike)
    assert response.status_code == 400
    assert django_user_model.objects.count() == 3
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("stud\u200bent9", "no spaces, symbols or invisible characters"),
        ("_student9", "Start and end the name with a letter or a digit"),
        ("student9.", "Start and end the name with a letter or a digit"),
        ("ivan\u0438\u0432\u0430\u043d", "Use letters of one alphabet only"),
    ],
)
def test_sign_up_refuses_an_invalid_name_with_a_clear_error(client, django_user_model, name, message):
    response = sign_up(client, name)
    assert response.status_code == 400 and message in response.content.decode()
    assert not django_user_model.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["student9", "\u0438\u0432\u0430\u043d", "anna.k-2", "山田たろう"])
def test_sign_up_accepts_an_ordinary_new_name(client, existing, django_user_model, name):
    assert sign_up(client, name).status_code == 302
    assert django_user_model.objects.filter(username=name).exists()


def test_look_alike_names_share_a_skeleton_and_different_names_do_not():
    from sinorus.usernames import skeleton

    assert skeleton("student1") == skeleton("STUDENTI") == skeleton("stud\u0435nt1") == skeleton("ｓｔｕｄｅｎｔｌ")
    assert skeleton("modern") == skeleton("modem")  # rn / m
    assert skeleton("student1") != skeleton("student2") != skeleton("students")


# ---------------------------------------------------------------- password reset needs mail


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["password_reset", "password_reset_done", "password_reset_complete"])
def test_without_a_mail_server_the_reset_pages_are_404(client, settings, name):
    settings.MAILERS = {}
    assert client.get(reverse(name)).status_code == 404
    assert client.post(reverse(name), {"email": "alice@example.org"}).status_code == 404


@pytest.mark.django_db
def test_without_a_mail_server_the_sign_in_page_offers_no_reset(client, settings):
    settings.MAILERS = {}
    assert "Forgot your password" not in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_with_a_mail_server_the_sign_in_page_offers_reset_and_the_mail_is_sent(client, alice, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    alice.email = "alice@example.org"
    alice.save()
    assert "Forgot your password" in client.get(reverse("login")).content.decode()
    response = client.post(reverse("password_reset"), {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, {}),
        (
            {"EMAIL_URL": "smtp+tls://news%40example.org:p%3Ass@mail.example.org"},
            {
                "host": "mail.example.org",
                "port": 587,
                "username": "news@example.org",
                "password": "p:ss",
                "use_tls": True,
                "use_ssl": False,
            },
        ),
        (
            {
                "EMAIL_HOST": "mail.example.org",
                "EMAIL_PORT": "465",
                "EMAIL_HOST_USER": "news",
                "EMAIL_HOST_PASSWORD": "pw",
                "EMAIL_USE_SSL": "1",
            },
            {
                "host": "mail.example.org",
                "port": 465,
                "username": "news",
                "password": "pw",
                "use_tls": False,
                "use_ssl": True,
            },
        ),
    ],
)
def test_the_mail_server_is_configured_from_the_environment(monkeypatch, env, expected):
    import sinorus.settings as settings_module

    for name in ("EMAIL_URL", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_SSL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DEFAULT_FROM_EMAIL", "Sinorus <news@example.org>")
    fresh = importlib.reload(settings_module)
    try:
        options = fresh.MAILERS["default"]["OPTIONS"] if expected else {}
        assert {k: v for k, v in options.items() if k != "timeout"} == expected
        assert fresh.DEFAULT_FROM_EMAIL == "Sinorus <news@example.org>"
    finally:
        monkeypatch.undo()
        importlib.reload(settings_module)
