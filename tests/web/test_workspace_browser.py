"""The analyst's workspace in a real headless Chromium: country-level incidents on the map, a
timeline that counts every incident, filters that narrow list, map and timeline together, and
evidence colours that match their incident."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from types import ModuleType
from typing import Any

import pytest

from sanctionwatch.api.app import create_app
from sanctionwatch.model import Article, Incident
from sanctionwatch.settings import Settings
from sanctionwatch.store.articles import upsert_article
from sanctionwatch.store.engine import create_database_engine
from sanctionwatch.store.incidents import replace_incidents

from .browser_support import chromium, require_browser, screenshot, serve, wait_for_map, watched_page
from .workspace_store import ARMS_ARTICLE, COUNTRY_LINE, COUNTRY_ONLY, build_workspace_store

playwright_api = require_browser()
pytestmark = pytest.mark.browser
TOTAL = 5  # the sample's three, the Sudan incident and the undated theft
DATABASE_PATHS: dict[str, str] = {}  # base URL → the database the server reads


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, sample: ModuleType) -> Iterator[str]:
    path, engine = build_workspace_store(tmp_path_factory.mktemp("workspace"), sample)
    engine.dispose()
    with serve(create_app(Settings(database=path))) as url:
        DATABASE_PATHS[url] = path
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium(playwright_api) as launched:
        yield launched


def timeline_counts(page: Any) -> dict[str, int]:
    bars = page.locator("#timeline rect.bar")
    return {bars.nth(i).get_attribute("data-key"): int(bars.nth(i).get_attribute("data-count")) for i in range(bars.count())}


def test_the_map_shades_country_and_sea_level_incidents(base_url: str, browser: Any, sample: ModuleType) -> None:
    with watched_page(browser) as watched:
        page = watched.page
        page.goto(base_url + "/")
        wait_for_map(page)
        # Sudan (country level) and the Yellow Sea (sea level) are shaded; no point is invented for them.
        assert page.locator("div.map").get_attribute("data-area-count") == "2"
        assert page.locator("div.map").get_attribute("data-point-count") == str(sample.LOCATED_POINT_COUNT)
        assert page.locator("path.shaded-area").count() == 2
        caption = page.locator("#map-caption").inner_text()
        assert "2 with a point" in caption and "2 shaded by country or sea" in caption and "1 with no place" in caption
        page.locator("#map-legend").get_by_text("Known only at country or sea level").wait_for()
        # Sudan's popup names the incident and links to the filtered list.
        page.evaluate("() => document.querySelector('#incident-map').scrollIntoView()")
        sudan = page.locator("path.shaded-area").first
        sudan.click(force=True)
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        text = popup.inner_text()
        assert ("Sudan" in text and COUNTRY_LINE in text) or "Yellow Sea" in text, text
        screenshot(page, "workspace-map.png")
        watched.assert_clean()


def test_the_timeline_counts_every_incident(base_url: str, browser: Any) -> None:
    with watched_page(browser) as watched:
        page = watched.page
        page.goto(base_url + "/")
        counts = timeline_counts(page)
        assert sum(counts.values()) == TOTAL == int(page.locator("#total").inner_text())
        assert counts["undated"] == 1
        assert page.locator("#timeline text.axis-label", has_text="undated").count() == 1
        watched.assert_clean()


def test_a_filter_narrows_list_map_and_timeline_together(base_url: str, browser: Any) -> None:
    with watched_page(browser) as watched:
        page = watched.page
        page.goto(base_url + "/")
        page.select_option("select[name=type]", "arms_military")
        with page.expect_navigation():
            page.click("button[type=submit]")
        wait_for_map(page)
        assert page.url.endswith("/?type=arms_military")
        assert page.locator("#total").inner_text() == "1"
        assert page.locator("tr.incident-row").count() == 1
        assert page.locator("tr.incident-row a").first.inner_text() == COUNTRY_LINE
        assert timeline_counts(page) == {"2013": 1} or timeline_counts(page) == {"2013-08": 1}
        assert page.locator("div.map").get_attribute("data-point-count") == "0"
        assert page.locator("div.map").get_attribute("data-area-count") == "1"
        # A date range leaves the undated theft out, unless "include undated" is ticked.
        page.goto(base_url + "/?since=2024-01-01")
        assert page.locator("#total").inner_text() == "2"
        page.check("#include-undated")
        with page.expect_navigation():
            page.click("button[type=submit]")
        assert page.locator("#total").inner_text() == "3"
        assert "undated=include" in page.url
        assert timeline_counts(page).get("undated") == 1
        # A timeline bar is a link that filters to its dates.
        page.goto(base_url + "/?timeline=month")
        with page.expect_navigation():
            page.locator('#timeline a.bar-link[data-since="2023-11-01"]').click()
        assert "since=2023-11-01" in page.url and "until=2023-11-30" in page.url
        assert page.locator("#total").inner_text() == "1"
        watched.assert_clean()


def test_brushing_the_timeline_sets_the_date_filter(base_url: str, browser: Any) -> None:
    with watched_page(browser) as watched:
        page = watched.page
        page.goto(base_url + "/?timeline=year")
        page.locator("#timeline").scroll_into_view_if_needed()  # mouse positions are on the viewport
        first = page.locator('#timeline a.bar-link[data-since="2013-01-01"] rect.bar').bounding_box()
        last = page.locator('#timeline a.bar-link[data-since="2023-01-01"] rect.bar').bounding_box()
        page.mouse.move(first["x"] + 1, first["y"] + first["height"] / 2)
        page.mouse.down()
        page.mouse.move(last["x"] + last["width"] - 1, first["y"] + first["height"] / 2, steps=8)
        with page.expect_navigation():
            page.mouse.up()
        assert "since=2013-01-01" in page.url and "until=2023-12-31" in page.url
        assert page.locator("#total").inner_text() == "2"  # Sudan (2013) and the Yellow Sea transfer (2023)
        watched.assert_clean()


def test_an_evidence_colour_matches_its_incident(base_url: str, browser: Any) -> None:
    with watched_page(browser) as watched:
        page = watched.page
        page.goto(f"{base_url}/articles/{ARMS_ARTICLE.id}")
        legend = page.locator("#article-legend li.legend-item")
        assert legend.count() == 2
        colours = []
        for index in range(2):
            number = legend.nth(index).locator(".ev-num")
            badge_colour = number.evaluate("node => getComputedStyle(node).backgroundColor")
            label = number.inner_text()
            marks = page.locator(f'#article-text mark[data-incidents="{label}"]')
            assert marks.count() == 1
            in_text_badge = page.locator(f'#article-text a.ev-num[href="#incident-e{label}"]')
            assert in_text_badge.evaluate("node => getComputedStyle(node).backgroundColor") == badge_colour
            colours.append(marks.first.evaluate("node => getComputedStyle(node).backgroundColor"))
        assert colours[0] != colours[1]
        # Number 1 is the Sudan sentence (it comes first); its legend entry links to it and back.
        assert COUNTRY_ONLY.evidence[0] in page.locator('#article-text mark[data-incidents="1"]').inner_text()
        page.locator("#incident-e1 a.jump").first.click()
        assert page.url.endswith("#mark-e1-1")
        page.locator("#mark-e1-1").click()
        assert page.url.endswith("#incident-e1")
        screenshot(page, "workspace-article.png")
        watched.assert_clean()


def test_an_incident_without_a_point_says_so_and_shows_its_country(base_url: str, browser: Any) -> None:
    with watched_page(browser) as watched:
        page = watched.page
        page.goto(f"{base_url}/incidents/{COUNTRY_ONLY.id}")
        wait_for_map(page)
        assert "No exact point" in page.locator("#map-caption").inner_text()
        assert "Sudan" in page.locator("#map-caption").inner_text()
        assert page.locator("path.shaded-area").count() == 1
        assert page.locator(".leaflet-marker-icon").count() == 0
        watched.assert_clean()


@pytest.mark.parametrize("width", [390, 1024, 1400])
def test_no_word_breaks_inside_and_nothing_overflows(base_url: str, browser: Any, width: int) -> None:
    with watched_page(browser, width=width) as watched:
        page = watched.page
        page.goto(base_url + "/")
        wait_for_map(page)
        # The page never scrolls sideways (the timeline scrolls inside its own box).
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        # No word of a table cell that fits its cell is split across lines ("Certaint y"); only a
        # token wider than the whole cell (a hostile payload, a URL) may break.
        broken = page.evaluate(
            """() => {
                const broken = [];
                const canvas = document.createElement('canvas').getContext('2d');
                for (const cell of document.querySelectorAll('#incident-table td, #incident-table th')) {
                    const style = getComputedStyle(cell);
                    const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                        canvas.font = getComputedStyle(node.parentElement).font;
                        const tokens = /\\S+/g; let token;
                        while ((token = tokens.exec(node.textContent))) {
                            // Only a long token (a URL, a payload) wider than the column may break; a word never.
                            if (token[0].length > 20 && canvas.measureText(token[0]).width >= room) continue;
                            const words = /[\\p{L}\\p{N}]+/gu; let word;
                            while ((word = words.exec(token[0]))) {
                                const range = document.createRange();
                                const start = token.index + word.index;
                                range.setStart(node, start); range.setEnd(node, start + word[0].length);
                                if (range.getClientRects().length > 1) broken.push(word[0]);
                            }
                        }
                    }
                }
                return broken;
            }"""
        )
        assert broken == []
        screenshot(page, f"workspace-{width}.png")
        watched.assert_clean()


def test_keyboard_alone_reaches_a_timeline_bar_and_filters_by_it(base_url: str, browser: Any) -> None:
    with watched_page(browser) as watched:
        page = watched.page
        page.goto(base_url + "/")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.className") == "skip-link"
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.getAttribute('class')") == "bar-link":
                break
        else:
            pytest.fail("Tab never reached a timeline bar")
        # The focused bar is outlined (SVG draws focus as a stroke on the bar).
        stroke = page.evaluate("() => getComputedStyle(document.activeElement.querySelector('rect.bar')).stroke")
        assert stroke not in ("none", "")
        since = page.evaluate("() => document.activeElement.getAttribute('data-since')")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert f"since={since}" in page.url
        watched.assert_clean()


def test_a_saved_search_feed_lists_a_new_incident(base_url: str, browser: Any) -> None:
    with watched_page(browser) as watched:
        page = watched.page
        page.goto(base_url + "/?type=cyber_theft")
        page.fill("#save-search-form input[name=name]", "Thefts")
        with page.expect_navigation():
            page.click("#save-search-form button[type=submit]")
        assert page.url.endswith("/searches")
        feed_href = page.locator("#search-table a.feed-link").first.get_attribute("href")
        feed = page.request.get(base_url + feed_href)
        assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
        assert feed.text().count("<entry>") == 1
        # A new theft is stored (as ingest would): the feed now lists it, first.
        text = "Hackers stole tokens from a bridge."
        new = Incident(article_id="a-new-theft", type="cyber_theft", evidence=(text,), evidence_spans=((0, len(text)),), extractor_version="t")
        engine = create_database_engine(DATABASE_PATHS[base_url])
        with engine.begin() as connection:
            upsert_article(connection, Article(id="a-new-theft", text=text, published=date(2025, 2, 1)))
            replace_incidents(connection, "a-new-theft", [new], run_id=None)
        engine.dispose()
        entries = page.request.get(base_url + feed_href).text().split("<entry>")[1:]
        assert len(entries) == 2 and f"urn:sanctionwatch:incident:{new.id}" in entries[0]
        page.goto(base_url + "/?type=cyber_theft")
        assert page.locator("link[rel=alternate][type='application/atom+xml']").count() == 1
        watched.assert_clean()
