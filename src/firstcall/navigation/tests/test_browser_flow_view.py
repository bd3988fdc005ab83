"""The flow view on the call page, in a real Chromium at 1600x1000 in zh-hans, on the largest
seeded flow (F-BB-691, 24 steps and 38 branches): laid out by ELK in the page, every label at
least 11 px on screen at the default zoom, no two shapes or labels overlapping, no edge through a
shape it does not join, the zoom, fit and current-step buttons, and the step list in the flow's
order.

Screenshots: test-artifacts/screenshots/14-flow-view*.png.
"""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from firstcall.customers.tests.test_browser import SandboxThread
from firstcall.customers.tests.test_browser import sandbox as sandbox
from firstcall.navigation import queries
from firstcall.navigation.models import NavigationSession
from firstcall.navigation.runtime import display_spec
from firstcall.navigation.tests.test_browser import open_691_call
from firstcall.web.tests.test_browser import SCREENSHOTS, page, shot, sign_in, site  # noqa: F401

pytestmark = pytest.mark.browser

MIN_FONT_PX = 11
LAYOUT_WAIT_MS = 30_000

# What the diagram holds, in diagram coordinates, read from bpmn-js's element registry.
GEOMETRY = """(box) => {
  const viewer = box.bpmnViewer, canvas = viewer.get("canvas");
  const all = viewer.get("elementRegistry").getAll();
  const root = canvas.getRootElement();
  const rect = (e) => ({id: e.id, x: e.x, y: e.y, w: e.width, h: e.height});
  const vb = canvas.viewbox();
  return {
    shapes: all.filter((e) => e !== root && !e.waypoints && e.type !== "label").map(rect),
    labels: all.filter((e) => e.type === "label").map((e) =>
      Object.assign(rect(e), {owner: e.labelTarget.id, onEdge: !!e.labelTarget.waypoints})),
    edges: all.filter((e) => e.waypoints).map((e) => ({
      id: e.id, source: e.source.id, target: e.target.id,
      points: e.waypoints.map((p) => [p.x, p.y])})),
    viewbox: {x: vb.x, y: vb.y, w: vb.width, h: vb.height, scale: vb.scale},
    current: (box.querySelector(".djs-element.fc-current") || {dataset: {}}).dataset.elementId,
  };
}"""

# Every non-empty text of the SVG: its font size times the screen transform's scale.
FONT_SIZES = """(box) => Array.from(box.querySelectorAll("svg text"))
  .filter((t) => t.textContent.trim())
  .map((t) => ({text: t.textContent,
                px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a}))"""


def overlap(a: dict[str, Any], b: dict[str, Any], margin: float = 0.5) -> bool:
    return (
        a["x"] + margin < b["x"] + b["w"]
        and b["x"] + margin < a["x"] + a["w"]
        and a["y"] + margin < b["y"] + b["h"]
        and b["y"] + margin < a["y"] + a["h"]
    )


def crosses(p: list[float], q: list[float], box: dict[str, Any], inset: float = 1.0) -> bool:
    """Whether the segment p-q enters the box shrunk by `inset`."""
    x0, y0 = box["x"] + inset, box["y"] + inset
    x1, y1 = box["x"] + box["w"] - inset, box["y"] + box["h"] - inset
    # Liang-Barsky clipping of the segment against the box.
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for edge_p, edge_q in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if edge_p == 0:
            if edge_q < 0:
                return False
            continue
        t = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def test_crosses_sees_a_segment_through_a_box_and_not_one_beside_it() -> None:
    box = {"x": 10, "y": 10, "w": 20, "h": 20}
    assert crosses([0, 20], [40, 20], box)
    assert not crosses([0, 40], [40, 40], box)
    assert not crosses([0, 20], [9, 20], box)


def test_the_flow_view_of_a_691_call_is_readable(
    page: Page,  # noqa: F811
    site: str,  # noqa: F811
    sandbox: SandboxThread,
    demo_password: str,
) -> None:
    page.set_viewport_size({"width": 1600, "height": 1000})
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    _number, account = open_691_call(page, site, sandbox, "aaa_binding_stale", demo_password)

    # Laid out on the first visit (in ELK's worker: seconds on a busy 2-core machine); from the
    # tab's cache once the page opens again.
    expect(page.locator("#flow-diagram[data-ready=true]")).to_be_attached(timeout=LAYOUT_WAIT_MS)
    first = page.locator("#flow-diagram").get_attribute("data-ready-ms")

    # A step in the middle of the flow, then the page as it opens on it.
    jump = page.get_by_test_id("jump-form")
    jump.locator("select").select_option("S6")
    jump.get_by_test_id("jump").click()
    expect(page.get_by_test_id("current-step")).to_have_attribute("data-step", "S6")
    page.reload()
    box = page.locator("#flow-diagram")
    expect(page.locator("#flow-diagram[data-ready=true]")).to_be_attached(timeout=LAYOUT_WAIT_MS)
    expect(page.get_by_test_id("current-step")).to_have_attribute("data-step", "S6")
    again = box.get_attribute("data-ready-ms")
    print(f"flow view ready {first} ms after navigation, {again} ms from the tab's cache")
    expect(box.locator('.djs-element.fc-current[data-element-id="S6"]')).to_be_attached()
    expect(box.locator('.djs-element.fc-visited[data-element-id="S1"]')).to_be_attached()
    card = page.get_by_test_id("flow-diagram-card")
    card.scroll_into_view_if_needed()
    shot(page, "14-flow-view-call.png")
    card.screenshot(path=SCREENSHOTS / "14-flow-view-default.png")

    # Every shape and branch of the flow is drawn, laid out without overlaps or edges through
    # shapes.
    session = NavigationSession.objects.get(number=account)
    spec = display_spec(session)
    assert spec is not None and spec.code == "F-BB-691"
    geometry = box.evaluate(GEOMETRY)
    shapes = {s["id"]: s for s in geometry["shapes"]}
    assert set(spec.steps) | {"start"} == set(shapes)
    assert len(geometry["edges"]) == 1 + sum(len(s.branches) for s in spec.steps.values())
    boxes = geometry["shapes"] + geometry["labels"]
    for n, a in enumerate(boxes):
        for b in boxes[n + 1 :]:
            if a.get("owner") == b["id"] or b.get("owner") == a["id"]:
                continue
            assert not overlap(a, b), (a, b)
    solid = geometry["shapes"] + [lb for lb in geometry["labels"] if not lb["onEdge"]]
    for edge in geometry["edges"]:
        ends = {edge["source"], edge["target"]}
        for p, q in zip(edge["points"], edge["points"][1:], strict=False):
            assert p[0] == q[0] or p[1] == q[1], f"{edge['id']} is not orthogonal"
            for s in solid:
                if s["id"] in ends or s.get("owner") in ends:
                    continue
                assert not crosses(p, q, s), f"{edge['id']} passes through {s['id']}"

    # Labels readable at the default zoom; the current step in view.
    sizes = box.evaluate(FONT_SIZES)
    assert len(sizes) >= len(spec.steps) + 30  # steps, ends' labels and branch labels
    small = [s for s in sizes if s["px"] < MIN_FONT_PX]
    assert not small, small[:5]
    view = geometry["viewbox"]
    s6 = shapes["S6"]
    assert view["x"] <= s6["x"] and s6["x"] + s6["w"] <= view["x"] + view["w"]
    assert view["y"] <= s6["y"] and s6["y"] + s6["h"] <= view["y"] + view["h"]

    # Zoom in and out change the view box; fit shows the whole flow; current step centres on S6.
    page.get_by_test_id("diagram-zoom-in").click()
    bigger = box.evaluate(GEOMETRY)["viewbox"]
    assert bigger["scale"] > view["scale"] and bigger["w"] < view["w"]
    page.get_by_test_id("diagram-zoom-out").click()
    page.get_by_test_id("diagram-zoom-out").click()
    smaller = box.evaluate(GEOMETRY)["viewbox"]
    assert smaller["scale"] < view["scale"] and smaller["w"] > view["w"]
    page.get_by_test_id("diagram-fit").click()
    fitted = box.evaluate(GEOMETRY)["viewbox"]
    for s in geometry["shapes"]:
        assert fitted["x"] - 1 <= s["x"] and s["x"] + s["w"] <= fitted["x"] + fitted["w"] + 1
        assert fitted["y"] - 1 <= s["y"] and s["y"] + s["h"] <= fitted["y"] + fitted["h"] + 1
    card.screenshot(path=SCREENSHOTS / "14-flow-view-fit.png")
    page.get_by_test_id("diagram-current").click()
    centred = box.evaluate(GEOMETRY)["viewbox"]
    assert centred["scale"] * 12 >= MIN_FONT_PX
    # Centred vertically, a third in from the left so that the branches it leads to show.
    assert abs(centred["x"] + centred["w"] / 3 - (s6["x"] + s6["w"] / 2)) < 2
    assert abs(centred["y"] + centred["h"] / 2 - (s6["y"] + s6["h"] / 2)) < 2
    assert not [s for s in box.evaluate(FONT_SIZES) if s["px"] < MIN_FONT_PX]

    # A jump far back: the view follows the current step when it leaves the view.
    s1 = shapes["S1"]
    assert s1["x"] + s1["w"] < centred["x"] or s1["x"] > centred["x"] + centred["w"]  # unseen
    jump = page.get_by_test_id("jump-form")
    jump.locator("select").select_option("S1")
    jump.get_by_test_id("jump").click()
    expect(box.locator('.djs-element.fc-current[data-element-id="S1"]')).to_be_attached()
    followed = box.evaluate(GEOMETRY)["viewbox"]
    assert followed["x"] <= s1["x"] and s1["x"] + s1["w"] <= followed["x"] + followed["w"]
    assert followed["y"] <= s1["y"] and s1["y"] + s1["h"] <= followed["y"] + followed["h"]

    # The layout ran in ELK's worker, which the page's CSP admits.
    workers = page.evaluate(
        "performance.getEntriesByType('resource').map((r) => r.name)"
        ".filter((n) => n.includes('elk-worker'))"
    )
    assert workers and not refused, (workers, refused)

    # A branch's full name is its tooltip; the buttons are in Chinese.
    flow = next(e for e in geometry["edges"] if e["source"] == "S2" and e["target"] == "E-PAY")
    title = box.locator(f'[data-element-id="{flow["id"]}"] > title')
    # The branch in words; its rule expression is for the designer, not the agent.
    expect(title).to_have_text("欠费停机或包年到期未续")
    tools = page.get_by_test_id("diagram-tools")
    for word in ("放大", "缩小", "适应", "当前步骤"):
        expect(tools).to_contain_text(word)

    # The flow-navigation list follows the flow's order.
    page.get_by_test_id("area-functions").get_by_test_id("tab-flow-nav").click()
    listed = page.get_by_test_id("flow-nav").get_by_test_id("nav-step")
    expect(listed.first).to_be_visible()
    order = [listed.nth(n).get_attribute("data-step") for n in range(listed.count())]
    assert order == [s.id for s in queries.steps_in_order(spec)]
    assert order[:4] == ["S1", "S2", "S3", "S4"] and order[-1] == "E-EXPERT"
