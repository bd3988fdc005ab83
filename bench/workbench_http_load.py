"""Agents driving the workbench through HTTP as a browser does: the shell, then every element the
page loads at once (`hx-trigger="load"`), each answer's own load elements after it (the flow
panel's step page), at most six connections per agent. A share of the look-ups is followed by
taking the call (the start form's POST, the call page and its panels: the flow panel and the
query step's page) and an auto-diagnosis (the flow panel's POST)."""

import asyncio
import html
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import aiohttp

BROWSER_CONNECTIONS = 6  # per host, as browsers allow
TAG = re.compile(r"<[a-zA-Z][^>]*\bhx-get=\"[^\"]*\"[^>]*>")
ATTR = re.compile(r"([a-zA-Z:_-]+)=\"([^\"]*)\"")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# A panel that says a back end failed or its data is incomplete.
DEGRADED = re.compile(r'data-testid="(?:failed-|degraded-|step-failed|[a-z-]*-failed-)')
CALL_PAGE = re.compile(r"/agent/calls/(\d+)/$")
# Mobile phenomena of the seeded taxonomy and their flows: the first three start on an ask step,
# the last three on a query step (whose page the call page loads at once).
PHENOMENA = ("MOB-VOICE-01", "MOB-P2PSMS-01", "MOB-DATA-01", "MOB-ORDER-01", "MOB-PTS-01")
CALL_PHENOMENA = ("MOB-ORDER-01", "MOB-PTS-01", "MOB-VAS-01")


FLOW_PLACED = 'data-fc-placed="flow"'
STREAMED = re.compile(r'<template data-fc-panel="([a-z-]+)">(.*?)</template>', re.S)


def load_elements(page: str) -> list[tuple[str, str]]:
    """(URL, element id) of each element the page loads by itself, in page order."""
    found: list[tuple[str, str]] = []
    for tag in TAG.findall(page):
        attrs = {k: html.unescape(v) for k, v in ATTR.findall(tag)}
        triggers = [t.strip().split(" ")[0] for t in attrs.get("hx-trigger", "").split(",")]
        if "load" in triggers:
            found.append((attrs["hx-get"], attrs.get("id", "")))
    return found


def is_degraded(page: str) -> bool:
    return bool(DEGRADED.search(page))


@dataclass
class Request:
    rid: str
    url: str
    parent: str = ""
    t0: float = 0.0
    t1: float = 0.0
    status: str = ""
    degraded: bool = False
    step_slot: bool = False  # a flow panel whose answer holds the step page's slot


@dataclass
class Lookup:
    group: str
    started: float
    ms: float
    panels: list[Request]


@dataclass
class Timed:
    """A query step (the flow panel, then its step page) or an auto-diagnosis."""

    started: float
    ms: float
    steps: list[list[str]]  # request ids, one list per request made after the one before
    # For a part that came inside a streamed answer (the call page's flow panel): when it
    # arrived (UTC); only the back-end calls that ended by then can have been waited for.
    until: datetime | None = None


@dataclass
class Record:
    lookups: list[Lookup] = field(default_factory=list)
    starts: list[Timed] = field(default_factory=list)
    steps: list[Timed] = field(default_factory=list)
    diagnoses: list[Timed] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    panels: int = 0
    degraded: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    retries: int = 0  # requests sent again on a new connection (a stale keep-alive one)


class Numbers:
    """Sample numbers per city, handed out in turn; counts reuses."""

    def __init__(self, by_city: dict[str, list[str]]) -> None:
        self.by_city = by_city
        self.next: Counter[str] = Counter()
        self.reused = 0

    def take(self, city: str) -> str:
        pool = self.by_city.get(city) or [n for ns in self.by_city.values() for n in ns]
        i = self.next[city]
        self.next[city] += 1
        if i >= len(pool):
            self.reused += 1
        return pool[i % len(pool)]


@dataclass
class Window:
    measure_from: float
    end: float
    think_s: float
    call_share: float


class Agent:
    def __init__(self, index: int, base: str, session: dict[str, str], cookie: str, tag: str):
        self.index, self.base, self.tag = index, base, tag
        self.city = session["city"]
        self.rng = random.Random(index)  # noqa: S311 - load generation, not security
        jar = aiohttp.CookieJar(unsafe=True)
        jar.update_cookies({cookie: session["session"]})
        self.http = aiohttp.ClientSession(
            base,
            cookie_jar=jar,
            connector=aiohttp.TCPConnector(limit=BROWSER_CONNECTIONS),
            timeout=aiohttp.ClientTimeout(total=120),
        )
        self.seq = 0

    async def close(self) -> None:
        await self.http.close()

    async def send(self, method: str, url: str, rec: Record, **kw: Any) -> tuple[str, str, str]:
        """(status, body, Location). A keep-alive connection the server closed as it was
        reused is tried once more on a new one, as browsers do; other failures are reported."""
        for attempt in (1, 2):
            try:
                async with self.http.request(method, url, **kw) as r:
                    return str(r.status), await r.text(), r.headers.get("Location", "")
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError) as exc:
                if attempt == 1:
                    rec.retries += 1
                    continue
                rec.errors.append(f"{method} {url}: {exc!r}")
                return type(exc).__name__, "", ""
            except (aiohttp.ClientError, TimeoutError) as exc:
                rec.errors.append(f"{method} {url}: {exc!r}")
                return type(exc).__name__, "", ""
        raise AssertionError("unreachable")

    async def streamed(
        self, req: Request, rec: Record, marker: str
    ) -> tuple[str, tuple[float, datetime] | None]:
        """GET a page read as it arrives, as a browser does: its body, and when `marker` came
        (monotonic, and UTC wall-clock to match the call log), if it did."""
        req.t0 = time.monotonic()
        headers = {"Accept": "text/html", "X-Request-ID": req.rid}
        parts: list[bytes] = []
        arrived = None
        try:
            async with self.http.get(req.url, headers=headers) as r:
                req.status = str(r.status)
                async for chunk in r.content.iter_any():
                    parts.append(chunk)
                    if arrived is None and marker.encode() in b"".join(parts[-2:]):
                        arrived = (time.monotonic(), datetime.now(UTC).replace(tzinfo=None))
        except (aiohttp.ClientError, TimeoutError) as exc:
            rec.errors.append(f"GET {req.url}: {exc!r}")
            req.status = type(exc).__name__
        req.t1 = time.monotonic()
        rec.statuses[req.status] += 1
        return b"".join(parts).decode(errors="replace"), arrived

    async def get(self, req: Request, rec: Record, headers: dict[str, str]) -> str:
        req.t0 = time.monotonic()
        headers = {**headers, "X-Request-ID": req.rid}
        req.status, body, _location = await self.send("GET", req.url, rec, headers=headers)
        req.t1 = time.monotonic()
        rec.statuses[req.status] += 1
        return body

    async def load(self, page_url: str, page: str, group: str, rec: Record) -> list[Request]:
        """Every load element of the page, at once; each answer's load elements after it."""
        done: list[Request] = []
        fired: set[str] = set()

        async def fire(url: str, target: str, parent: str) -> None:
            req = Request(f"{group}.{len(done)}", url, parent)
            done.append(req)
            headers = {
                "HX-Request": "true",
                "HX-Current-URL": self.base + page_url,
                "HX-Target": target,
                "HX-Trigger": target,
                "Accept": "text/html, */*",
            }
            body = await self.get(req, rec, headers)
            req.degraded = is_degraded(body)
            req.step_slot = 'id="step-page"' in body
            rec.panels += 1
            if req.degraded:
                rec.degraded[url.split("?")[0]] += 1
            await asyncio.gather(*(fire(u, t, req.rid) for u, t in self.fresh(body, fired)))

        await asyncio.gather(*(fire(u, t, "") for u, t in self.fresh(page, fired)))
        return done

    @staticmethod
    def fresh(page: str, fired: set[str]) -> list[tuple[str, str]]:
        out = []
        for url, target in load_elements(page):
            if url not in fired:
                fired.add(url)
                out.append((url, target))
        return out

    async def lookup(self, number: str, phenomenon: str, rec: Record, w: Window) -> str:
        """The shell, then its panels; the page (for its CSRF token)."""
        self.seq += 1
        group = f"{self.tag}L{self.index}.{self.seq}"
        url = "/agent/?" + urlencode({"number": number, "phenomenon": phenomenon})
        shell = Request(f"{group}.s", url)
        page = await self.get(shell, rec, {"Accept": "text/html"})
        # The workbench answers with the shell and then its panels in the same response (each
        # in a <template data-fc-panel>): the back-end calls are the shell's own.
        streamed = STREAMED.findall(page)
        for name, body in streamed:
            rec.panels += 1
            if is_degraded(body):
                rec.degraded[f"/agent/ streamed {name}"] += 1
        panels = await self.load(url, page, group, rec) if shell.status == "200" else []
        ended = time.monotonic()
        if w.measure_from <= shell.t0 < w.end:
            own = [shell] if streamed else []
            rec.lookups.append(Lookup(group, shell.t0, (ended - shell.t0) * 1000, own + panels))
        return page

    async def take_call(self, number: str, phenomenon: str, token: str, rec: Record, w: Window):
        """Start the call, load the call page; then, after a pause, auto-diagnose."""
        group = f"{self.tag}C{self.index}.{self.seq}"
        measured = w.measure_from <= time.monotonic() < w.end
        t0 = time.monotonic()
        status, _body, location = await self.send(
            "POST",
            "/agent/calls/",
            rec,
            data={"csrfmiddlewaretoken": token, "number": number, "phenomenon": phenomenon},
            headers={"X-Request-ID": f"{group}.cs"},
            allow_redirects=False,
        )
        rec.statuses[status] += 1
        found = CALL_PAGE.search(location)
        if status != "302" or not found:
            return
        call_url = urlsplit(location).path
        call = Request(f"{group}.cp", call_url)
        page, arrived = await self.streamed(call, rec, FLOW_PLACED)
        if measured:
            rec.starts.append(Timed(t0, (call.t1 - t0) * 1000, [[f"{group}.cs"], [call.rid]]))
        if call.status != "200":
            return
        loaded = await self.load(call_url, page, f"{group}.c", rec)
        flow = next((r for r in loaded if r.url.endswith("/flow/")), None)
        step = next(
            (r for r in loaded if flow and r.parent == flow.rid and "/page/" in r.url), None
        )
        if measured and arrived is not None:  # the flow panel came in the call page's answer
            at, wall = arrived
            rec.steps.append(Timed(call.t0, (at - call.t0) * 1000, [[call.rid]], until=wall))
        elif measured and flow and step:
            rec.steps.append(Timed(flow.t0, (step.t1 - flow.t0) * 1000, [[flow.rid], [step.rid]]))
        elif measured and flow and flow.step_slot:  # the flow panel brings the step page along
            rec.steps.append(Timed(flow.t0, (flow.t1 - flow.t0) * 1000, [[flow.rid]]))
        await self.pause(w)
        if time.monotonic() >= w.end:
            return
        await self.diagnose(int(found.group(1)), call_url, token, group, rec, w)

    async def diagnose(
        self, pk: int, call_url: str, token: str, group: str, rec: Record, w: Window
    ) -> None:
        rid = f"{group}.dg"
        headers = {
            "HX-Request": "true",
            "HX-Current-URL": self.base + call_url,
            "HX-Target": "panel-flow",
            "HX-Trigger": "panel-flow",
            "X-CSRFToken": token,
            "X-Request-ID": rid,
        }
        t0 = time.monotonic()
        url = f"/agent/calls/{pk}/flow/diagnose/"
        status, body, _location = await self.send("POST", url, rec, headers=headers)
        t1 = time.monotonic()
        rec.statuses[status] += 1
        if w.measure_from <= t0 < w.end:
            rec.diagnoses.append(Timed(t0, (t1 - t0) * 1000, [[rid]]))
        if status == "200":  # as the browser: the answer's own load elements (the step page)
            await self.load(call_url, body, f"{group}.d", rec)

    async def pause(self, w: Window) -> None:
        if w.think_s:  # exponential: agents do not fall into step with one another
            await asyncio.sleep(min(self.rng.expovariate(1 / w.think_s), w.end - time.monotonic()))

    async def run(self, numbers: Numbers, rec: Record, w: Window) -> None:
        await asyncio.sleep(self.rng.random() * (w.think_s or 0.5))
        while time.monotonic() < w.end:
            number = numbers.take(self.city)
            take = self.rng.random() < w.call_share
            phenomenon = self.rng.choice(CALL_PHENOMENA if take else PHENOMENA)
            try:
                page = await self.lookup(number, phenomenon, rec, w)
                found = CSRF_INPUT.search(page)
                if take and found and time.monotonic() < w.end:
                    await self.pause(w)
                    await self.take_call(number, phenomenon, found.group(1), rec, w)
            except Exception as exc:  # a bench reports, it does not stop
                rec.errors.append(f"{type(exc).__name__}: {exc}")
            await self.pause(w)


async def drive(
    base: str, sessions: list[dict[str, str]], cookie: str, numbers: Numbers, w: Window, tag: str
) -> Record:
    rec = Record()
    agents = [Agent(i, base, s, cookie, tag) for i, s in enumerate(sessions)]
    try:
        await asyncio.gather(*(a.run(numbers, rec, w) for a in agents))
    finally:
        await asyncio.gather(*(a.close() for a in agents))
    return rec


def rows_by_request(rows: list[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        out.setdefault(row[0], []).append(row)
    return out
