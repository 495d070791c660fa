"""Throttling of guessable requests: sign-in (site and admin), join codes, sign-up, reset mail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from annotations.services.activities import activity_create

PROXY = "10.0.0.1"  # every request through a reverse proxy arrives from its address


def sign_in(client, username, password, *, via=None, url=None):
    extra = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": via} if via else {}
    return client.post(url or reverse("login"), {"username": username, "password": password}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# ---------------------------------------------------------------- sign-in names and addresses


@pytest.mark.django_db
def test_spaced_full_width_and_case_variants_of_a_name_share_its_five_tries(client, alice):
    for variant in (" alice", "alice ", "ａｌｉｃｅ", "ALICE", "Alice"):
        sign_in(client, variant, "wrong")
    response = sign_in(client, "alice", "alice-pass-123")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 15 * 60  # when to try again, for a script as for a person
    assert not signed_in(client)


@pytest.mark.django_db
def test_the_client_address_comes_from_the_trusted_proxy_hops_only(settings):
    from sinorus.throttle import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5, 10.0.0.9")
    settings.TRUSTED_PROXY_HOPS = 0
    assert client_ip(request) == PROXY  # the header is not trusted unless configured
    settings.TRUSTED_PROXY_HOPS = 2
    assert client_ip(request) == "203.0.113.5"  # not the 6.6.6.6 the client wrote itself
    settings.TRUSTED_PROXY_HOPS = 4
    assert client_ip(request) == PROXY  # a header shorter than the chain: the request bypassed a proxy
    v6 = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")
    assert client_ip(v6) == "2001:db8:1:2::/64"  # one host gets a /64: it counts as one address


@pytest.mark.django_db
def test_failures_from_one_client_behind_the_proxy_do_not_lock_out_another(client, alice, bob, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    for n in range(25):
        sign_in(client, f"guess{n}", "wrong", via="203.0.113.5")
    assert sign_in(client, "alice", "alice-pass-123", via="203.0.113.5").status_code == 429
    sign_in(client, "bob", "bob-pass-123", via="198.51.100.7")
    assert signed_in(client)


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_escape_the_address_back_off(client, alice, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    for n in range(25):
        sign_in(client, f"guess{n}", "wrong", via=f"192.0.2.{n}, 203.0.113.5")
    assert sign_in(client, "alice", "alice-pass-123", via="192.0.2.200, 203.0.113.5").status_code == 429
    assert not signed_in(client)


@pytest.mark.django_db
def test_an_address_backs_off_twice_as_long_after_each_failure_and_then_recovers():
    from annotations.models import LoginFailure
    from sinorus.throttle import SIGN_IN, record, wait_seconds

    for n in range(SIGN_IN.free_per_address):
        record(SIGN_IN, key=f"name{n}", ip="203.0.113.5")
    assert 1 <= wait_seconds(SIGN_IN, ip="203.0.113.5") <= 2
    record(SIGN_IN, key="one-more", ip="203.0.113.5")
    assert 3 <= wait_seconds(SIGN_IN, ip="203.0.113.5") <= 4
    assert wait_seconds(SIGN_IN, ip="198.51.100.7") == 0
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert wait_seconds(SIGN_IN, ip="203.0.113.5") == 0


# ---------------------------------------------------------------- the admin's sign-in


@pytest.mark.django_db
def test_the_admin_sign_in_is_throttled_like_the_site_sign_in(client, staff):
    url = reverse("admin:login")
    for _ in range(5):
        sign_in(client, "sam", "wrong", url=url)
    response = sign_in(client, "sam", "sam-pass-123", url=url)
    assert "Too many failed sign-ins" in response.content.decode()
    assert not signed_in(client)


@pytest.mark.django_db
def test_failures_at_the_site_sign_in_also_lock_the_admin_sign_in(client, staff):
    for _ in range(5):
        sign_in(client, "sam", "wrong")
    sign_in(client, "sam", "sam-pass-123", url=reverse("admin:login"))
    assert not signed_in(client)


# ---------------------------------------------------------------- join codes


@pytest.fixture
def open_exercise(corpus, django_user_model):
    owner = django_user_model.objects.create_user("ines", password="ines-pass-123")
    owner.groups.add(Group.objects.get(name="Instructors"))
    now = timezone.now()
    return activity_create(
        owner=owner,
        kind="exercise",
        title="Claims",
        instructions="",
        articles=corpus[:1],
        tags=[],
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        blind=True,
    )


def join(client, code, address="198.51.100.7"):
    return client.post(reverse("annotations:activity_join"), {"code": code}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_wrong_join_codes_are_throttled_per_user(client, open_exercise, alice, bob):
    client.force_login(alice)
    for n in range(10):
        assert join(client, f"WRONG{n}", address=f"198.51.100.{n}").status_code == 302
    response = join(client, open_exercise.join_code, address="198.51.100.99")
    assert response.status_code == 429 and "Too many wrong join codes" in response.content.decode()
    assert response["Retry-After"]
    assert not open_exercise.participations.filter(user=alice).exists()
    client.force_login(bob)
    assert join(client, open_exercise.join_code).status_code == 302
    assert open_exercise.participations.filter(user=bob).exists()


@pytest.mark.django_db
def test_wrong_join_codes_are_throttled_per_address_across_users(client, open_exercise, django_user_model):
    guessers = [django_user_model.objects.create_user(f"guesser{n}") for n in range(4)]
    for n in range(30):
        client.force_login(guessers[n % 4])
        join(client, f"WRONG{n}", address="203.0.113.5")
    client.force_login(django_user_model.objects.create_user("newcomer"))
    assert join(client, open_exercise.join_code, address="203.0.113.5").status_code == 429
    assert join(client, open_exercise.join_code, address="198.51.100.7").status_code == 302


# ---------------------------------------------------------------- sign-up and reset mail


@pytest.mark.django_db
def test_sign_ups_are_throttled_per_address(client, django_user_model):
    form = {"password1": "a-long-pass-123", "password2": "a-long-pass-123"}
    for n in range(40):
        client.post(reverse("signup"), {**form, "username": f"bot{n}"}, REMOTE_ADDR="203.0.113.5")
        client.logout()
    response = client.post(reverse("signup"), {**form, "username": "bot99"}, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429 and "Too many sign-ups" in response.content.decode()
    assert not django_user_model.objects.filter(username="bot99").exists()
    client.post(reverse("signup"), {**form, "username": "student9"}, REMOTE_ADDR="198.51.100.7")
    assert django_user_model.objects.filter(username="student9").exists()


@pytest.mark.django_db
def test_password_reset_mails_to_one_address_are_throttled(client, alice, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    alice.email = "alice@example.org"
    alice.save()
    for n in range(3):
        client.post(reverse("password_reset"), {"email": "alice@example.org"}, REMOTE_ADDR=f"198.51.100.{n}")
    response = client.post(reverse("password_reset"), {"email": "ALICE@example.org"}, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_wrong_old_passwords_at_password_change_are_throttled(client, alice):
    client.force_login(alice)
    url = reverse("password_change")
    new = {"new_password1": "another-pass-456", "new_password2": "another-pass-456"}
    for n in range(5):
        client.post(url, {"old_password": f"guess{n}", **new})
    response = client.post(url, {"old_password": "alice-pass-123", **new})
    assert response.status_code == 429
    alice.refresh_from_db()
    assert alice.check_password("alice-pass-123")
