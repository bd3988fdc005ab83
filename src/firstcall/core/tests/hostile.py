"""Support for the hostile-input test: the table of hostile values, and reading a page's links
and forms (plain and HTMX) the way a browser would submit them."""

import contextlib
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

MEGABYTE = "x" * (1024 * 1024)

# (label, value): a value is a string, or a list for a field sent several times (a wrong type).
HOSTILE: list[tuple[str, Any]] = [
    ("nul", "ab\x00cd"),
    ("nul-only", "\x00"),
    ("megabyte", MEGABYTE),
    ("over-length", "长" * 501),
    ("rtl-override", "\u202eexe.txt\u202c"),
    ("combining", "e" + "\u0301" * 300),
    ("impossible-date", "2031-02-30T10:00"),
    ("impossible-offset", "2031-01-01T10:00+99:00"),
    ("negative", "-1"),
    ("huge", str(2**64)),
    ("superscript-digit", "²"),
    ("not-a-number", "nan"),
    ("json", '{"$gt": ""}'),
    ("markup", "<script>alert(1)</script>"),
    ("repeated", ["1", "2"]),
    ("empty", ""),
]
# Fewer for query parameters: every list filter gets each of these.
HOSTILE_QUERY = [
    (label, value)
    for label, value in HOSTILE
    if label in {"nul", "over-length", "impossible-date", "huge", "superscript-digit", "repeated"}
]
COMMON_QUERY_PARAMETERS = ["page", "q", "unit"]


@dataclass
class Form:
    action: str
    method: str  # "get" or "post"
    htmx: bool
    fields: dict[str, Any] = field(default_factory=dict)

    def key(self, route: str, words: tuple[str, ...]) -> tuple[Any, ...]:
        """One form per URL pattern and its words (`jump`, not the call's id), method and field
        names: the same form of another object adds nothing."""
        return (route, words, self.method, tuple(sorted(self.fields)))


class PageReader(HTMLParser):
    """Links (href, hx-get) and forms (form, hx-post buttons, formaction buttons) of a page."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._buttons: list[tuple[str, bool]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def _url(self, value: str | None) -> str:
        return urljoin(self.url, value or self.url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(self._url(a["href"]))
        if "hx-get" in a and tag != "form":
            self.links.append(self._url(a["hx-get"]))
        if tag == "form":
            htmx = "hx-post" in a or "hx-get" in a
            if "hx-post" in a:
                action, method = a["hx-post"], "post"
            elif a.get("method", "").lower() == "post":
                action, method = a.get("action", ""), "post"
            else:
                action, method = a.get("hx-get") or a.get("action", ""), "get"
            self._form = Form(self._url(action), method, htmx)
            self._buttons = []
            return
        if tag in ("button", "input") and self._form is not None and a.get("formaction"):
            self._buttons.append((self._url(a["formaction"]), False))
        if "hx-post" in a and tag != "form":
            # A button that posts on its own: its hx-vals (and name=value) are what it sends.
            fields: dict[str, Any] = {}
            with contextlib.suppress(ValueError):
                fields.update(json.loads(a.get("hx-vals") or "{}"))
            if a.get("name"):
                fields[a["name"]] = a.get("value", "")
            if self._form is not None:
                fields = {**self._form.fields, **fields}
            self.forms.append(Form(self._url(a["hx-post"]), "post", True, fields))
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._form.fields.setdefault(name, "")
                return
            if kind not in ("submit", "button", "image", "reset", "file"):
                self._form.fields[name] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select" and name:
            self._select = name
            self._form.fields.setdefault(name, "")
        elif tag == "option" and self._select is not None:
            current = self._form.fields.get(self._select)
            if "selected" in a or not current:
                self._form.fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._form.fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea is not None:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            for action, htmx in self._buttons:
                self.forms.append(Form(action, "post", htmx, dict(self._form.fields)))
            self._form = None


def read_page(url: str, html: str) -> PageReader:
    reader = PageReader(url)
    reader.feed(html)
    reader.close()
    return reader
