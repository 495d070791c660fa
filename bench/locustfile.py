"""Locust users for bench/load_test.py: read, annotate, reply and export against `make serve`.

`make serve` runs with HTTPS hardening behind a TLS proxy, so each request carries the headers
that proxy would add, and cookies (Secure) are sent by hand over the loopback connection.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import threading
from urllib.parse import urlencode

from locust import FastHttpUser, between, events, task

ARTICLES = [int(x) for x in os.environ.get("LOAD_ARTICLES", "1").split(",")]
ACKED_PATH = os.environ.get("LOAD_ACKED", "acked.jsonl")
_lock = threading.Lock()
_counter = iter(range(1, 10_000))


def record_ack(kind: str, ident) -> None:
    with _lock, open(ACKED_PATH, "a", encoding="utf-8") as f:
        f.write(json.dumps({"kind": kind, "id": ident}) + "\n")


class Reader(FastHttpUser):
    """A reader's browser: one kept-alive connection (the C-parsing client, so that the load
    generator, on the same cores as the servers, takes as little of them as it can)."""

    wait_time = between(0.5, 1.5)
    concurrency = 1  # a browser tab's requests, one after the other

    def on_start(self) -> None:
        n = next(_counter)
        self.username = f"load{n:02d}"
        session = SESSIONS[(n - 1) % len(SESSIONS)]
        csrf = secrets.token_hex(16)  # an unmasked 32-character CSRF secret
        host = self.host.replace("http://", "https://")
        self.cookies = {"csrftoken": csrf, "sessionid": session}
        self.headers = {
            "X-Forwarded-Proto": "https",
            "Origin": host,
            "Referer": host + "/",
            "X-CSRFToken": csrf,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        self.mine: list[int] = []

    @task(5)
    def read_article(self) -> None:
        self.client.get(f"/articles/{random.choice(ARTICLES)}/", headers=self.headers, name="read: article page")

    @task(3)
    def list_annotations(self) -> None:
        self.client.get(
            f"/api/articles/{random.choice(ARTICLES)}/annotations", headers=self.headers, name="read: API list"
        )

    @task(1)
    def compare(self) -> None:
        self.client.get("/compare/", headers=self.headers, name="read: aligned view")

    @task(3)
    def annotate(self) -> None:
        article = random.choice(ARTICLES)
        start, end = random.choice(SPANS[article])
        with self.client.post(
            f"/api/articles/{article}/annotations",
            data=json.dumps(
                {
                    "start": start,
                    "end": end,
                    "tag": random.choice(["claim", "opinion", "quote", "unsupported"]),
                    "note": "load",
                }
            ),
            headers={**self.headers, "Content-Type": "application/json"},
            name="write: create annotation",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                ident = int(response.json()["id"].rsplit("/", 1)[-1])
                record_ack("annotation", ident)
                self.mine.append(ident)
                response.success()
            elif response.status_code == 400 and "already tagged" in response.text:
                response.success()  # the same user drew a span and tag it had given: refused by design
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(1)
    def reply(self) -> None:
        if not self.mine:
            return
        ident = random.choice(self.mine)
        csrf = self.cookies["csrftoken"]
        with self.client.post(
            f"/annotations/{ident}/thread/",
            data=urlencode({"body": f"reply from {self.username}", "csrfmiddlewaretoken": csrf}),
            headers={**self.headers, "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded"},
            name="write: reply",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                record_ack("reply", ident)
                response.success()
            else:
                response.failure(f"{response.status_code}")

    @task(1)
    def export(self) -> None:
        self.client.get(
            f"/exports/?format=jsonl&article={random.choice(ARTICLES)}", headers=self.headers, name="read: export JSONL"
        )


SPANS: dict[int, list[tuple[int, int]]] = {}
SESSIONS: list[str] = json.loads(os.environ.get("LOAD_SESSIONS_JSON", "[]"))


@events.init.add_listener
def load_spans(environment, **_kwargs) -> None:
    for key, spans in json.loads(os.environ.get("LOAD_SPANS_JSON", "{}")).items():
        SPANS[int(key)] = [tuple(s) for s in spans]
