"""pmo_core.http against httpx.MockTransport (no network): retries and their waits,
Retry-After, giving up, one error per kind of failure, the three paginations, the rate limit,
and secrets never shown."""

from __future__ import annotations

import email.utils
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

httpx = pytest.importorskip("httpx", reason="pmo_core.http needs httpx: pip install '.[http]'")

from pmo_core import InvalidInputError  # noqa: E402
from pmo_core.http import (  # noqa: E402
    BadResponseError,
    ForbiddenError,
    HttpClient,
    HttpError,
    RateLimitedError,
    RejectedError,
    RemoteNotFoundError,
    ServerError,
    UnauthorisedError,
    UnreachableError,
)

BASE = "https://pmis.example/api"
SECRET = "s3cret-0123456789abcdef"
Handler = Callable[[Any], Any]


class Clock:
    """A fake clock that sleeping moves on."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def time(self) -> float:
        return self.now


def make(handler: Handler, clock: Clock | None = None, **options: Any) -> HttpClient:
    clock = clock or Clock()
    options.setdefault("jitter", lambda: 0.5)
    return HttpClient(
        BASE,
        secret_headers={"X-Api-Key": SECRET},
        transport=httpx.MockTransport(handler),
        sleep=clock.sleep,
        clock=clock.time,
        now=clock.time,
        **options,
    )


def replies(*responses: Any) -> tuple[Handler, list[Any]]:
    """A handler giving ``responses`` in turn (an exception is raised), and the requests."""
    seen: list[Any] = []

    def handler(request: Any) -> Any:
        seen.append(request)
        answer = responses[min(len(seen), len(responses)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer

    return handler, seen


def ok(data: Any = None, **kwargs: Any) -> Any:
    return httpx.Response(200, json=data if data is not None else {"ok": True}, **kwargs)


def assert_no_secret(exc: BaseException) -> None:
    assert SECRET not in str(exc)
    assert SECRET not in repr(exc)


# ------------------------------------------------------------------ requests


def test_get_json_sends_the_secret_header_and_joins_the_path() -> None:
    handler, seen = replies(ok({"issue": {"id": 1}}))
    with make(handler) as client:
        assert client.get_json("/issues/1.json", params={"include": "relations"}) == {
            "issue": {"id": 1}
        }
    assert str(seen[0].url) == f"{BASE}/issues/1.json?include=relations"
    assert seen[0].headers["X-Api-Key"] == SECRET
    assert seen[0].headers["Accept"] == "application/json"


def test_post_and_put_send_json_and_an_empty_answer_is_none() -> None:
    handler, seen = replies(httpx.Response(201, json={"issue": {"id": 7}}), httpx.Response(204))
    with make(handler) as client:
        assert client.post_json("/issues.json", {"issue": {"subject": "A"}}) == {"issue": {"id": 7}}
        assert client.put_json("/issues/7.json", {"issue": {"done_ratio": 50}}) is None
    assert [r.method for r in seen] == ["POST", "PUT"]
    assert seen[1].read() == b'{"issue":{"done_ratio":50}}'


def test_repr_shows_the_base_url_and_never_a_secret() -> None:
    handler, _ = replies(ok())
    client = make(handler)
    assert repr(client) == f"HttpClient({BASE!r})"
    assert SECRET not in repr(vars(client).get("_client"))


def test_credentials_in_the_base_url_are_refused_without_showing_them() -> None:
    with pytest.raises(InvalidInputError, match="credentials in the URL") as caught:
        HttpClient("https://alice:pw0rd@pmis.example")
    assert "pw0rd" not in str(caught.value)
    with pytest.raises(InvalidInputError, match="http"):
        HttpClient("ftp://pmis.example")


# ------------------------------------------------------------------ retries


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_a_busy_server_is_retried_with_exponential_backoff(status: int) -> None:
    clock = Clock()
    handler, seen = replies(*[httpx.Response(status)] * 3, ok())
    with make(handler, clock, backoff=1.0, jitter=lambda: 0.0) as client:
        assert client.get_json("/x") == {"ok": True}
    assert len(seen) == 4
    # Half of each wait is jitter (0 here): 1, 2, 4 seconds doubled then halved.
    assert clock.slept == [0.5, 1.0, 2.0]


def test_jitter_spreads_the_wait_over_its_upper_half() -> None:
    clock = Clock()
    handler, _ = replies(httpx.Response(503), ok())
    with make(handler, clock, backoff=2.0, jitter=lambda: 0.999) as client:
        client.get_json("/x")
    assert 1.99 < clock.slept[0] < 2.0


def test_backoff_is_capped() -> None:
    clock = Clock()
    handler, _ = replies(*[httpx.Response(502)] * 6, ok())
    with make(handler, clock, retries=6, backoff=1.0, max_backoff=4.0, jitter=lambda: 1.0) as c:
        c.get_json("/x")
    assert clock.slept == [1.0, 2.0, 4.0, 4.0, 4.0, 4.0]


def test_retry_after_in_seconds_is_honoured_and_capped() -> None:
    clock = Clock()
    handler, _ = replies(
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(503, headers={"Retry-After": "3600"}),
        ok(),
    )
    with make(handler, clock, max_retry_after=60) as client:
        client.get_json("/x")
    assert clock.slept == [7.0, 60.0]


def test_retry_after_as_an_http_date() -> None:
    clock = Clock()
    when = email.utils.formatdate(clock.now + 12, usegmt=True)
    handler, _ = replies(httpx.Response(503, headers={"Retry-After": when}), ok())
    with make(handler, clock) as client:
        client.get_json("/x")
    assert clock.slept == [12.0]


def test_an_unreadable_retry_after_falls_back_to_backoff() -> None:
    clock = Clock()
    handler, _ = replies(httpx.Response(503, headers={"Retry-After": "soon"}), ok())
    with make(handler, clock, backoff=1.0, jitter=lambda: 0.0) as client:
        client.get_json("/x")
    assert clock.slept == [0.5]


def test_connection_errors_are_retried_then_reported_as_unreachable() -> None:
    clock = Clock()
    refused = httpx.ConnectError("[Errno 111] Connection refused")
    handler, seen = replies(refused)
    with make(handler, clock, retries=2) as client, pytest.raises(UnreachableError) as caught:
        client.get_json("/issues.json", params={"key": SECRET, "project_id": "a"})
    assert len(seen) == 3
    assert len(clock.slept) == 2
    message = str(caught.value)
    assert message.startswith(f"{BASE}/issues.json?key=***&project_id=a: cannot reach")
    assert "Connection refused" in message
    assert "3 attempts" in message
    assert caught.value.status is None
    assert_no_secret(caught.value)


def test_a_timeout_says_so() -> None:
    handler, _ = replies(httpx.ReadTimeout("timed out"))
    with make(handler, retries=1) as client, pytest.raises(UnreachableError, match="in time"):
        client.get_json("/x")


def test_giving_up_raises_the_kind_of_the_last_failure() -> None:
    handler, seen = replies(httpx.Response(503))
    with make(handler, retries=3) as client, pytest.raises(ServerError) as caught:
        client.get_json("/x")
    assert len(seen) == 4
    assert "503" in str(caught.value)
    assert "after 4 attempts" in str(caught.value)
    handler, _ = replies(httpx.Response(429))
    with make(handler, retries=1) as client, pytest.raises(RateLimitedError, match="429"):
        client.get_json("/x")


def test_a_post_is_not_sent_again_when_the_server_may_have_acted() -> None:
    handler, seen = replies(httpx.Response(502), ok())
    with make(handler) as client, pytest.raises(ServerError):
        client.post_json("/issues.json", {"issue": {}})
    assert len(seen) == 1
    # 503 and 429 say the server did nothing: sent again.
    handler, seen = replies(httpx.Response(503), httpx.Response(201, json={"id": 1}))
    with make(handler) as client:
        assert client.post_json("/issues.json", {}) == {"id": 1}
    assert len(seen) == 2


def test_other_errors_are_not_retried() -> None:
    handler, seen = replies(httpx.Response(500))
    with make(handler) as client, pytest.raises(ServerError, match=r"500 Internal Server Error"):
        client.get_json("/x")
    assert len(seen) == 1


# ------------------------------------------------------------------ error kinds


@pytest.mark.parametrize(
    ("status", "error", "words"),
    [
        (401, UnauthorisedError, "unauthorised (401)"),
        (403, ForbiddenError, "forbidden (403)"),
        (404, RemoteNotFoundError, "not found (404)"),
        (500, ServerError, "server error (500"),
        (422, RejectedError, "rejected (422"),
        (302, BadResponseError, "redirected (302)"),
    ],
)
def test_each_failure_has_its_error(status: int, error: type[HttpError], words: str) -> None:
    # The server echoes the key back: it is masked all the same.
    handler, _ = replies(
        httpx.Response(status, json={"errors": [f"bad key {SECRET}"]}, headers={"X-Echo": SECRET})
    )
    with make(handler) as client, pytest.raises(error) as caught:
        client.get_json("/issues.json", params={"limit": 1})
    exc = caught.value
    assert isinstance(exc, InvalidInputError)
    assert exc.exit_code == 2
    assert exc.where == f"{BASE}/issues.json?limit=1"
    assert exc.status == status
    assert words in str(exc)
    assert str(exc).count("\n") == 0
    assert_no_secret(exc)


def test_rejected_quotes_the_servers_reasons() -> None:
    handler, _ = replies(httpx.Response(422, json={"errors": ["Subject cannot be blank"]}))
    with make(handler) as client, pytest.raises(RejectedError) as caught:
        client.post_json("/issues.json", {"issue": {}})
    assert str(caught.value).endswith(
        "rejected (422 Unprocessable Entity): Subject cannot be blank"
    )


def test_a_page_that_is_not_json_is_a_bad_response() -> None:
    page = f"<!DOCTYPE html><html><body>Login {SECRET}</body></html>"
    handler, _ = replies(httpx.Response(200, text=page, headers={"Content-Type": "text/html"}))
    with make(handler) as client, pytest.raises(BadResponseError) as caught:
        client.get_json("/issues.json")
    assert "not JSON (text/html)" in str(caught.value)
    assert "<!DOCTYPE html>" in str(caught.value)
    assert_no_secret(caught.value)


def test_secrets_never_reach_the_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    handler, _ = replies(httpx.Response(503), ok())
    with make(handler) as client:
        client.get_json("/x")
    assert "retry 1" in caplog.text
    assert SECRET not in caplog.text


# ------------------------------------------------------------------ rate limit


def test_the_rate_limit_spaces_requests() -> None:
    clock = Clock()
    handler, seen = replies(ok())
    with make(handler, clock, rate=4) as client:
        for _ in range(3):
            client.get_json("/x")
    assert len(seen) == 3
    assert clock.slept == [0.25, 0.25]


def test_no_wait_when_requests_are_slower_than_the_rate() -> None:
    clock = Clock()

    def slow(request: Any) -> Any:
        clock.now += 1.0
        return ok()

    with make(slow, clock, rate=2) as client:
        client.get_json("/x")
        client.get_json("/x")
    assert clock.slept == []


# ------------------------------------------------------------------ pagination


def test_offset_pages_until_total_count() -> None:
    items = [{"id": n} for n in range(1, 6)]
    seen: list[tuple[int, int]] = []

    def handler(request: Any) -> Any:
        offset = int(request.url.params["offset"])
        limit = int(request.url.params["limit"])
        seen.append((offset, limit))
        return ok({"issues": items[offset : offset + limit], "total_count": len(items)})

    progress: list[tuple[int, int | None]] = []
    with make(handler) as client:
        got = list(
            client.offset_pages(
                "/issues.json",
                "issues",
                params={"status_id": "*"},
                limit=2,
                progress=lambda d, t: progress.append((d, t)),
            )
        )
    assert got == items
    assert seen == [(0, 2), (2, 2), (4, 2)]
    assert progress == [(2, 5), (4, 5), (5, 5)]


def test_offset_pages_stop_on_an_empty_page_and_refuse_a_missing_list() -> None:
    handler, seen = replies(ok({"issues": [], "total_count": 9}))
    with make(handler) as client:
        assert list(client.offset_pages("/issues.json", "issues")) == []
    assert len(seen) == 1
    handler, _ = replies(ok({"projects": []}))
    with make(handler) as client, pytest.raises(BadResponseError, match="no list 'issues'"):
        list(client.offset_pages("/issues.json", "issues"))


def test_start_at_pages_until_is_last_with_short_pages() -> None:
    values = [{"key": f"P-{n}"} for n in range(7)]
    starts: list[int] = []

    def handler(request: Any) -> Any:
        start = int(request.url.params["startAt"])
        starts.append(start)
        # The server sends at most 3 whatever was asked.
        page = values[start : start + 3]
        return ok({"values": page, "startAt": start, "isLast": start + 3 >= len(values)})

    with make(handler) as client:
        got = list(client.start_at_pages("/rest/agile/1.0/board", "values", max_results=50))
    assert got == values
    assert starts == [0, 3, 6]


def test_start_at_pages_without_is_last_use_total() -> None:
    values = [{"key": n} for n in range(4)]

    def handler(request: Any) -> Any:
        start = int(request.url.params["startAt"])
        return ok({"issues": values[start : start + 2], "total": 4})

    with make(handler) as client:
        assert list(client.start_at_pages("/search", "issues", max_results=2)) == values


def test_link_pages_follow_next_on_the_same_server_only() -> None:
    def handler(request: Any) -> Any:
        page = int(request.url.params.get("page", "1"))
        headers = {}
        if page < 3:
            headers["Link"] = f'<{BASE}/repos?page={page + 1}>; rel="next"'
        return httpx.Response(200, json=[{"n": page}], headers=headers)

    with make(handler) as client:
        assert list(client.link_pages("/repos", params={"per_page": 1})) == [
            {"n": 1},
            {"n": 2},
            {"n": 3},
        ]

    seen: list[str] = []

    def elsewhere(request: Any) -> Any:
        seen.append(str(request.url))
        return httpx.Response(
            200, json=[1], headers={"Link": '<https://evil.example/x?page=2>; rel="next"'}
        )

    with make(elsewhere) as client, pytest.raises(BadResponseError, match="another server"):
        list(client.link_pages("/repos"))
    assert seen == [f"{BASE}/repos"]


# ------------------------------------------------------------------ imports


def test_pmo_core_does_not_import_httpx() -> None:
    code = "import sys, pmo_core, pmo_core._cli; print('httpx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
