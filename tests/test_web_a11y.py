"""Accessibility of the web page, in a real headless Chromium: axe-core (installed from the npm
registry by scripts/test-tools.sh, pinned in package.json; never a CDN) is injected into every
kind of page in three languages and any serious or critical violation fails; then what axe does
not check by itself: tap targets of at least 44 px, a skip link that lands on the content, an h1
on every page, headings that never skip a level, tables on /preview that a keyboard reaches.

Skips when Chromium, Playwright or axe-core is missing, unless CI=true (then it fails)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.test_web_browser import Server, _unavailable, browser  # noqa: F401  (browser is a fixture)

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
LANGS = ["ru", "uz-Cyrl", "tg"]
QUESTION = {"ru": "мне пришла повестка, что делать?", "uz-Cyrl": "менга повестка келди, нима қилишим керак?",
            "tg": "ба ман даъватнома омад, чӣ кор кунам?"}
PAGE_TYPES = ["home", "question", "answers", "change", "results", "sources", "todo", "topic", "answer", "about",
              "not_found", "bad_request", "understood", "several", "change_several", "several_empty"]
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        _unavailable(f"axe-core not installed at {AXE} (bash scripts/test-tools.sh, or npm ci)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def server(ogoh):
    with Server(ogoh, web_operator_name="Test NGO", web_operator_contact="errors@example.org") as s:
        yield s


@pytest.fixture()
def tab(browser):  # noqa: F811
    """A phone-sized tab. JavaScript is on only so that the test can run axe: the page has none
    of its own (its CSP allows none; Playwright's evaluate is not subject to it)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=1, locale="ru-RU")
    page = context.new_page()
    yield page
    assert context.cookies() == []
    context.close()


def full_answers(ogoh, lang: str) -> list[tuple[str, str]]:
    """Answers that end the check with findings: the home country TJ, "yes"-like answers."""
    answers: dict[str, str] = {}
    for _ in range(len(ogoh.book.facts) + 1):
        q = ogoh.assess(answers, lang).next_question
        if q is None:
            return list(answers.items())
        values = [o.value for o in q.options]
        answers[q.fact_id] = "TJ" if q.fact_id == "home_country" else next(
            (v for v in values if v in ("yes", "dual", "employer")), "dont_know")
    raise AssertionError("the check did not end")


def open_page(tab, server, ogoh, kind: str, lang: str) -> None:
    answers = full_answers(ogoh, lang)
    query = lambda items: urlencode([("lang", lang)] + items)  # noqa: E731
    urls = {
        "home": f"/?lang={lang}",
        "question": f"/check?{query(answers[:2])}",
        # the offer question takes several answers: checkboxes, "Next" (issue 15)
        "several": f"/check?{query(answers[:[k for k, _ in answers].index('military_offer')])}",
        # "Next" pressed with nothing ticked: the question again, with an error message
        "several_empty": f"/check?{query(answers[:[k for k, _ in answers].index('military_offer')] + [('next', 'military_offer')])}",
        "change_several": f"/check/change?{query(answers + [('military_offer', 'online'), ('change', 'military_offer')])}",
        "answers": f"/check/answers?{query(answers)}",
        "change": f"/check/change?{query(answers + [('change', answers[1][0])])}",
        "results": f"/check?{query(answers)}",
        "sources": f"/check/sources?{query(answers)}",
        "todo": f"/check/todo?{query(answers)}",
        "topic": f"/topic/get-help?lang={lang}",
        "about": f"/about?lang={lang}",
        "not_found": f"/no-such-page?lang={lang}",
        "bad_request": f"/check?lang={lang}&summons=perhaps",
        "preview": "/preview",
        # "I understood" after a change (issue 12 item 2): facts a typed message stated
        "understood": f"/check/understood?{query([('home_country', 'KG'), ('ru_citizenship', 'none'), ('summons', 'yes')])}",
    }
    if kind == "answer":  # the question box, as a person uses it (a POST form)
        tab.goto(f"{server.base}/?lang={lang}")
        tab.locator("textarea[name=q]").fill(QUESTION[lang])
        tab.locator("form[method=post] button[type=submit]").last.click()
        tab.wait_for_load_state()
        assert "q=" not in tab.url  # the words are not in the address
        return
    response = tab.goto(server.base + urls[kind])
    assert response is not None and response.status == {"not_found": 404, "bad_request": 400}.get(kind, 200), (kind, response.status)


def axe_violations(tab, axe_source: str) -> list[dict]:
    tab.evaluate(axe_source)
    result = tab.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').slice(0, 200))}));
    }""")
    return result


def describe(violations: list[dict]) -> str:
    return json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_axe_finds_nothing_serious(tab, server, ogoh, axe_source, kind, lang):
    open_page(tab, server, ogoh, kind, lang)
    assert tab.locator("html").get_attribute("lang") == lang
    blocking = [v for v in axe_violations(tab, axe_source) if v["impact"] in BLOCKING]
    assert not blocking, f"{kind} ({lang}):\n{describe(blocking)}"


def test_axe_finds_nothing_serious_on_the_preview(tab, server, ogoh, axe_source):
    open_page(tab, server, ogoh, "preview", "en")
    blocking = [v for v in axe_violations(tab, axe_source) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)


def headings(tab) -> list[int]:
    return tab.evaluate("() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_one_h1_and_no_skipped_heading_level(tab, server, ogoh, kind):
    open_page(tab, server, ogoh, kind, "tg")
    levels = headings(tab)
    assert levels and levels[0] == 1 and levels.count(1) == 1, (kind, levels)
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (kind, levels)


TARGETS = """() => { const inSentence = e => e.tagName === 'A' && getComputedStyle(e).display === 'inline'
        && e.parentElement.innerText.trim().length > e.innerText.trim().length + 3;
    return [...document.querySelectorAll('a[href], button, textarea, summary')]
    .filter(e => !e.closest('.src, blockquote') && !e.classList.contains('skip'))
    .filter(e => e.classList.contains('tap') || !inSentence(e))
    .map(e => { const r = e.getBoundingClientRect();
                return {text: (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 40),
                        w: r.width, h: r.height}; })
    .filter(t => t.w > 0 && t.h > 0); }"""


@pytest.mark.parametrize("kind", ["home", "question", "answers", "change", "results", "sources", "todo", "topic", "answer",
                                  "about", "not_found", "understood", "several", "change_several"])
def test_tap_targets_are_at_least_44_px(tab, server, ogoh, kind):
    """Every link and button a thumb must hit is at least 44 px high and wide; links inside a
    sentence or the list of sources are running text, exempt as in WCAG 2.5.5."""
    open_page(tab, server, ogoh, kind, "ru")
    small = [t for t in tab.evaluate(TARGETS) if t["h"] < 44 or t["w"] < 44]
    assert not small, (kind, small)


def test_skip_link_is_the_first_stop_and_lands_on_the_content(tab, server, ogoh):
    open_page(tab, server, ogoh, "question", "uz-Cyrl")
    tab.keyboard.press("Tab")
    first = tab.evaluate("() => ({cls: document.activeElement.className, href: document.activeElement.getAttribute('href')})")
    assert first == {"cls": "skip", "href": "#main"}
    box = tab.locator("a.skip").bounding_box()
    assert box and box["x"] >= 0 and box["height"] >= 44  # visible once focused
    tab.keyboard.press("Enter")
    assert tab.evaluate("() => document.activeElement.id") == "main"
    tab.keyboard.press("Tab")  # the next stop is inside the content, not the 7 language links
    assert tab.evaluate("() => !!document.activeElement.closest('main')")


def test_quick_exit_is_on_every_page_and_leaves_no_referrer(tab, server, ogoh):
    from bot.settings import Settings

    exit_url = Settings.model_fields["web_quick_exit_url"].default
    for kind in ("home", "question", "results", "answer", "about", "not_found", "bad_request"):
        open_page(tab, server, ogoh, kind, "tg")
        link = tab.locator("header a.exit")
        assert link.get_attribute("href") == exit_url, kind
        assert "noreferrer" in (link.get_attribute("rel") or "")
        assert link.bounding_box()["y"] < 60  # at the top, where a hurried thumb finds it


def test_preview_tables_are_reachable_by_keyboard(tab, server, ogoh):
    open_page(tab, server, ogoh, "preview", "en")
    regions = tab.locator("main .wrap")
    assert regions.count() > 20
    for i in (0, regions.count() - 1):
        region = regions.nth(i)
        assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-labelledby")
    # a scrollable table can be scrolled from the keyboard once focused
    wide = regions.nth(1)
    wide.focus()
    before = wide.evaluate("e => e.scrollLeft")
    tab.keyboard.press("ArrowRight")
    tab.keyboard.press("ArrowRight")
    # the browser may scroll smoothly: wait (bounded) for the keys to move the table
    tab.wait_for_function("([e, b]) => e.scrollLeft > b", arg=[wide.element_handle(), before], timeout=5000)
    # the contents list leads to every section
    for href in tab.locator("nav .toc a").evaluate_all("as => as.map(a => a.getAttribute('href'))"):
        assert tab.locator(href).count() == 1, href


@pytest.mark.parametrize("lang", LANGS)
def test_next_with_nothing_ticked_moves_focus_to_the_error(tab, server, ogoh, lang):
    """The error after "Next" with no box ticked takes the focus (autofocus: the page has no
    script), so a screen reader reads it first; Tab then reaches the first box."""
    open_page(tab, server, ogoh, "several_empty", lang)
    assert tab.evaluate("document.activeElement.id") == "error-military_offer"
    assert tab.evaluate("document.activeElement.textContent").strip() == ogoh.book.texts[
        "uz" if lang == "uz-Cyrl" else lang]["ui.web.choose_one"].text or lang == "uz-Cyrl"
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.type") == "checkbox"
