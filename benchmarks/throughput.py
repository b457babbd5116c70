"""Throughput and memory of the whole pipeline on HTML pages. Prints figures; never asserts.

    .venv/bin/python benchmarks/throughput.py [--runs 3] [--pages 1200] [--weight news|light]

Pages are ``../shared/corpus/`` articles rendered as news pages with furniture (navigation,
header, related stories, most-read list, share bar, ads, footer, inline and linked scripts and
styles, JSON-LD), written to a temporary folder. The furniture has the weight of a real news page
(``--weight news``, the default): about 640 elements, 140 links and 14,000 characters of inline
script and style a page, fitted to the median of 991 real article pages (trafilatura's
evaluation set: 700 elements, 125 links, 15,000 characters), on which trafilatura still spends
less than on the real pages (9 against 15 ms a page), so the pages are if anything light.
``--weight light`` renders the earlier pages (90 elements, 7 KB: a tenth of a real page), on
which the pipeline's fixed costs per page weigh most; their ratio is printed too. Every figure
is a whole process, start-up included, timed from outside (the median of ``--runs`` runs, with
the range). The figures that a ratio compares run in turn (trafilatura alone, the pipeline, two
workers, then again), and the ratio is the median of the run-by-run ratios, so that a machine
whose speed drifts during the benchmark moves both sides alike:

- one report page through ``extract``, with the disk cache of built indexes empty and filled
  (the start-up a user waits for on a single article; later figures run with it filled);
- trafilatura only: one process that imports trafilatura and extracts every page's main text;
- the pipeline: ``sanctionwatch ingest`` of the same pages into a new store (HTML to stored
  incidents), on the 95/5 mix of general news and North Korea reports;
- the same two on light pages (with ``--weight news``);
- North Korea reports alone (``sanctionwatch extract``, one process, start-up included: reports/s
  per core; the NLP path alone, models loaded, is ``benchmarks/nlp_path.py``);
- ``sanctionwatch reextract`` of the mix's store (stored text, no page reading), 1 process and
  2 workers;
- 1 against 2 workers (``--engine process``), on the mix and on a larger mix of light pages
  (``--scaling-pages``, where the workers' start-up weighs less), the Dask local cluster
  against the pool, SQLite against PostgreSQL (a throwaway server from ``scripts/postgres_cluster.py``, or
  ``SANCTIONWATCH_TEST_POSTGRES_URL``);
- peak RSS of a single-process ingest of ``--memory-pages`` pages (run once).
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PYTHON = sys.executable
PUBLISHED_FALLBACK = "2024-01-01"


# Pages ---------------------------------------------------------------------------------------


def _furniture(rng: random.Random, title: str) -> tuple[str, str]:
    """Light furniture (the benchmark's pages before 2026-12-04): about 90 elements and 7 KB a
    page, a tenth of a real news page. Kept for the light-pages ratio, where the pipeline's fixed
    costs per page weigh most."""
    sections = ["World", "Asia", "Politics", "Business", "Tech", "Opinion", "Sport", "Culture", "Video", "Podcasts"]
    nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in sections)
    related = "".join(
        f'<li><a href="/story/{rng.randrange(10**6)}">{html.escape(w)} and what it means for the region</a></li>'
        for w in rng.sample(["Markets", "Elections", "Weather", "Trade talks", "Energy", "Shipping", "Football"], 5)
    )
    head = (
        f"<header><div class='logo'>The Daily Record</div><nav><ul>{nav}</ul></nav>"
        "<form class='search'><input name='q' placeholder='Search'></form></header>"
        "<div class='cookie-banner'>We use cookies to improve your experience. <button>Accept</button></div>"
    )
    tail = (
        f"<aside class='related'><h2>Related stories</h2><ul>{related}</ul></aside>"
        "<div class='newsletter'><h3>Sign up for our newsletter</h3><p>The day's top stories in your inbox.</p></div>"
        "<footer><p>&copy; 2024 The Daily Record. All rights reserved.</p><ul><li><a href='/about'>About us</a></li>"
        "<li><a href='/privacy'>Privacy policy</a></li><li><a href='/terms'>Terms</a></li></ul></footer>"
        "<script src='/static/app.js'></script>"
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());"
        f"var article={{id:{rng.randrange(10**6)},section:'world'}};</script>"
    )
    return head, tail


TOPICS = [
    "Markets", "Elections", "Weather", "Trade talks", "Energy", "Shipping", "Football", "Housing", "Rail strike",
    "Interest rates", "Wildfires", "Film festival", "Vaccines", "Tennis", "Farm prices", "Space launch", "Schools",
]
SECTIONS = ["World", "Politics", "Business", "Tech", "Science", "Opinion", "Sport", "Culture", "Lifestyle", "Travel"]
SUBSECTIONS = ["Europe", "Americas", "Africa", "Middle East", "Economy", "Markets", "Media", "Climate", "Health"]


def _headline(rng: random.Random) -> str:
    return html.escape(f"{rng.choice(TOPICS)}: what the week's {rng.choice(TOPICS).lower()} news means for readers")


def _news_furniture(rng: random.Random, title: str) -> tuple[str, str, str]:
    """Furniture of the weight of a real news page: head, start and end of the body. Fitted to
    991 real article pages (trafilatura's evaluation set, read on 2026-12-04), whose median page
    has about 700 elements, 125 links and 15,000 characters of inline script and style, and takes
    trafilatura 15 ms to extract."""

    def cls(name: str) -> str:  # a component class and a generated one, as CSS-in-JS sites write them
        return f"class='{name} css-{rng.randrange(16**6):06x} e{rng.randrange(16**4):04x}0' data-component='{name.split('__')[0]}'"

    config = {f"flag_{i}": rng.choice([True, False, rng.randrange(10**6), f"v{rng.randrange(99)}"]) for i in range(120)}
    state = {"page": {"id": rng.randrange(10**9), "section": "world", "tags": rng.sample(TOPICS, 6)}, "config": config}
    head = (
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        + "".join(f"<meta property='og:{k}' content='{html.escape(v)}'>" for k, v in
                  [("title", title), ("type", "article"), ("site_name", "The Daily Record"), ("locale", "en_GB")])
        + "".join(f"<meta name='twitter:{k}' content='{v}'>" for k, v in [("card", "summary_large_image"), ("site", "@dailyrecord")])
        + "".join(f"<link rel='preload' href='/static/font-{i}.woff2' as='font' crossorigin>" for i in range(8))
        + "".join(f"<link rel='alternate' hreflang='{lang}' href='/{lang}/story'>" for lang in ("en", "fr", "de", "es"))
        + "<style>" + "".join(f".c{i}{{margin:{i % 9}px;color:#{rng.randrange(16**6):06x}}}" for i in range(150)) + "</style>"
        + f"<script>window.__STATE__={json.dumps(state) * 4};</script><script async src='/static/ads.js'></script>"
        + "<script async src='/static/analytics.js'></script><script defer src='/static/vendor.js'></script>"
    )  # fmt: skip
    icon = f"<svg {cls('icon')} viewBox='0 0 24 24' aria-hidden='true'><path d='M12 2L2 7l10 5 10-5z'></path><path d='M2 17l10 5 10-5'></path></svg>"
    menu = "".join(
        f"<li {cls('nav__item')}><a {cls('nav__link')} href='/{s.lower()}'>{s}</a><div {cls('nav__panel')}><ul {cls('nav__sub')}>"
        + "".join(f"<li><a href='/{s.lower()}/{sub.lower().replace(' ', '-')}'>{sub}</a></li>" for sub in rng.sample(SUBSECTIONS, 4))
        + "</ul></div></li>"
        for s in SECTIONS
    )  # fmt: skip
    share = "".join(f"<li {cls('share__item')}><a {cls('share__link')} href='#' aria-label='Share on {n}'>{icon}</a></li>"
                    for n in ("facebook", "x", "whatsapp", "linkedin", "email", "copy"))  # fmt: skip
    trending = "".join(f"<li><a href='/topic/{t.lower().replace(' ', '-')}'>{t}</a></li>" for t in rng.sample(TOPICS, 8))
    ad_classes = cls("ad"), cls("ad__label"), cls("ad__slot")  # one ad markup, in four slots

    def ad(slot: str) -> str:
        box, label, inner = ad_classes
        return f"<div {box} data-slot='{slot}'><div {label}><span>Advertisement</span></div><div {inner}></div></div>"

    start = (
        f"<div id='app'><div {cls('layout')}><div {cls('cookie-banner')} role='dialog'><p>We use cookies to improve your experience.</p>"
        "<button>Accept</button><button>Settings</button></div>"
        + ad("top")
        + f"<header {cls('site-header')}><div {cls('container')}><a {cls('logo')} href='/'>{icon}<span>The Daily Record</span></a>"
        f"<nav {cls('nav')} aria-label='Sections'><ul {cls('nav__list')}>{menu}</ul></nav>"
        f"<form {cls('search')} action='/search'><input name='q' placeholder='Search'><button>Go</button></form>"
        f"<a {cls('subscribe')} href='/subscribe'>Subscribe</a></div>"
        f"<div {cls('trending')}><span>Trending</span><ul>{trending}</ul></div></header>"
        f"<div {cls('container')}><ol {cls('breadcrumbs')}><li><a href='/'>Home</a></li><li><a href='/world'>World</a></li>"
        f"<li><a href='/world/asia'>Asia</a></li></ol><ul {cls('share-bar')}>{share}</ul>"
    )  # fmt: skip
    most_read = "".join(
        f"<li {cls('most-read__item')}><span {cls('rank')}>{n}</span><a href='/story/{rng.randrange(10**7)}'>{_headline(rng)}</a>"
        f"<img src='/img/{rng.randrange(10**6)}.jpg' alt='' loading='lazy'><span {cls('meta')}>{rng.randrange(2, 9)} min read</span></li>"
        for n in range(1, 11)
    )  # fmt: skip
    cards = "".join(
        f"<div {cls('card')}><a {cls('card__link')} href='/story/{rng.randrange(10**7)}'><div {cls('card__media')}><picture>"
        f"<source srcset='/img/{rng.randrange(10**6)}.webp' type='image/webp'><img src='/img/{rng.randrange(10**6)}.jpg' alt=''></picture></div>"
        f"<div {cls('card__body')}><h3 {cls('card__title')}>{_headline(rng)}</h3></div></a><p {cls('card__standfirst')}>A look at "
        f"{rng.choice(TOPICS).lower()} and {rng.choice(TOPICS).lower()}, and what comes next.</p>"
        f"<span {cls('card__meta')}>{rng.randrange(2, 59)} minutes ago</span><span {cls('card__section')}>{rng.choice(SECTIONS)}</span></div>"
        for _ in range(16)
    )  # fmt: skip
    footer_columns = "".join(
        f"<div {cls('footer__col')}><h4>{s}</h4><ul>"
        + "".join(f"<li><a href='/{s.lower()}/{sub.lower().replace(' ', '-')}'>{sub}</a></li>" for sub in rng.sample(SUBSECTIONS, 6))
        + "</ul></div>"
        for s in SECTIONS[:5]
    )  # fmt: skip
    end = (
        ad("mid")
        + f"<aside {cls('sidebar')}><section {cls('most-read')}><h2>Most read</h2><ol>{most_read}</ol></section>"
        + ad("side")
        + f"</aside><section {cls('related')}><h2>More on this story</h2><div {cls('cards')}>{cards}</div></section>"
        f"<section {cls('comments')}><h2>Comments</h2><p>Comments are closed for this article.</p></section>"
        f"<div {cls('newsletter')}><h3>Sign up for our newsletter</h3><p>The day's top stories in your inbox.</p>"
        "<form><label>Email<input type='email' name='email'></label><button>Sign up</button></form></div></div>"
        f"<footer {cls('site-footer')}><div {cls('container')}><div {cls('footer__cols')}>{footer_columns}</div>"
        f"<ul {cls('social')}>{share}</ul><p>&copy; 2024 The Daily Record. All rights reserved.</p>"
        f"<ul {cls('legal')}><li><a href='/about'>About us</a></li><li><a href='/privacy'>Privacy policy</a></li>"
        "<li><a href='/terms'>Terms</a></li><li><a href='/cookies'>Cookies</a></li><li><a href='/contact'>Contact</a></li></ul></div></footer>"
        + ad("bottom")
        + "</div></div><script src='/static/app.js'></script>"
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());"
        f"var article={{id:{rng.randrange(10**6)},section:'world'}};</script>"
    )  # fmt: skip
    return head, start, end


def render_page(record: dict, rng: random.Random, weight: str = "news") -> str:
    """A news page of the record: ``weight`` "news" (furniture of a real page's weight) or
    "light" (the earlier, tenth-weight furniture)."""
    title = record.get("title") or (record["text"].split("\n", 1)[0][:90])
    paragraphs = [p.strip() for p in record["text"].split("\n") if p.strip()]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    published = record.get("published") or ""
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    json_ld = json.dumps({"@type": "NewsArticle", "headline": title, "datePublished": published or None})
    if weight == "light":
        extra_head, (start, end) = "", _furniture(rng, title)
        article = f"<main><article><h1>{html.escape(title)}</h1><div class='byline'>By Staff Reporter</div>{body}</article></main>"
    else:
        extra_head, start, end = _news_furniture(rng, title)
        figure = (f"<figure class='lead'><img src='/img/{rng.randrange(10**6)}.jpg' alt=''><figcaption>File photo. "
                  "Photograph: Agency</figcaption></figure>")  # fmt: skip
        article = (
            f"<main class='main'><article class='article'><h1 class='article__title'>{html.escape(title)}</h1>"
            f"<div class='byline'>By Staff Reporter</div>{figure}<div class='article__body'>{body}</div>"
            "<div class='article__tags'><a href='/topic/asia'>Asia</a><a href='/topic/world'>World</a></div></article></main>"
        )
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>{meta}"
        f"<script type='application/ld+json'>{json_ld}</script><link rel='stylesheet' href='/static/site.css'>{extra_head}</head>"
        f"<body>{start}{article}{end}</body></html>"
    )


def _records(name: str) -> list[dict]:
    with (SHARED / "corpus" / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_pages(directory: Path, records: list[dict], prefix: str, rng: random.Random, weight: str = "news") -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, record in enumerate(records):
        path = directory / f"{prefix}-{number:05d}.html"
        path.write_text(render_page(record, rng, weight), encoding="utf-8")
        paths.append(path)
    return paths


def mix(background: list[dict], reports: list[dict], total: int, rng: random.Random) -> list[dict]:
    """``total`` records, 5% North Korea reports, the rest general news (reused when short)."""
    wanted_reports = max(1, round(total * 0.05))
    chosen = [reports[i % len(reports)] for i in range(wanted_reports)]
    chosen += [background[i % len(background)] for i in range(total - wanted_reports)]
    rng.shuffle(chosen)
    # Copies of one record get distinct text, so that the store keeps each as its own article.
    return [{**r, "text": r["text"] + f"\n\nRef {n}."} for n, r in enumerate(chosen)]


# Timing --------------------------------------------------------------------------------------


def run_process(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB: the largest of the process and the children it waited
    for) of ``command``."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            tail = errors.read().decode(errors="replace")[-2000:]
            raise SystemExit(f"benchmark command failed ({process.returncode}): {' '.join(command[:6])} …\n{tail}")
    return seconds, usage.ru_maxrss / 1024


class Figure:
    def __init__(self, label: str, count: int, unit: str) -> None:
        self.label, self.count, self.unit = label, count, unit
        self.rates: list[float] = []

    def add(self, seconds: float) -> None:
        self.rates.append(self.count / seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.rates)

    def line(self, extra: str = "") -> str:
        low, high = min(self.rates), max(self.rates)
        return (
            f"{self.label:<44} {self.median:8.1f} {self.unit}/s  (range {low:.1f}-{high:.1f}, "
            f"{len(self.rates)} runs, {self.count} {self.unit}){extra}"
        )


def measure_in_turn(runs: int, *figures: tuple[Figure, Callable[[], list[str]]]) -> list[Figure]:
    """Figures run in turn (the first, the second, ..., then the first again), so that a machine
    that speeds up or slows down during the runs moves them alike; their ratios are then taken
    run by run (``ratio_line``)."""
    for _ in range(runs):
        for figure, command in figures:
            figure.add(run_process(command())[0])
    for figure, _ in figures:
        print(figure.line(), flush=True)
    return [figure for figure, _ in figures]


def ratio_line(label: str, numerator: Figure, denominator: Figure, target: str, suffix: str = "") -> str:
    """The median of the run-by-run ratios of two figures run in turn, with their range."""
    ratios = [a / b for a, b in zip(numerator.rates, denominator.rates, strict=True)]
    return (
        f"{label:<44} {statistics.median(ratios):8.2f}{suffix}  "
        f"(runs {min(ratios):.2f}-{max(ratios):.2f}{suffix}; target {target})"
    )


def measure(figure: Figure, runs: int, command: Callable[[], list[str]], before: Callable[[], None] | None = None) -> Figure:
    for _ in range(runs):
        if before:
            before()
        seconds, _ = run_process(command())
        figure.add(seconds)
    print(figure.line(), flush=True)
    return figure


TRAFILATURA_ONLY = (
    "import sys, trafilatura\n"
    "for path in sys.argv[1:]:\n"
    "    with open(path, 'rb') as handle:\n"
    "        trafilatura.extract(handle.read(), include_comments=False)\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the median is printed; default 3)")
    parser.add_argument("--pages", type=int, default=1200, help="pages in the 95/5 mix (default 1200)")
    parser.add_argument(
        "--weight", choices=["news", "light"], default="news",
        help="furniture of the pages: of a real news page's weight (default), or the earlier tenth of it",
    )  # fmt: skip
    parser.add_argument("--memory-pages", type=int, default=10000, help="pages of the peak-memory run (0: skip)")
    parser.add_argument(
        "--scaling-pages", type=int, default=4800,
        help="pages of a second 1-against-2-workers comparison, where start-up weighs less (0: skip; default 4800)",
    )  # fmt: skip
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL store figure")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask figure")
    parser.add_argument("--no-reextract", action="store_true", help="skip the reextract figures")
    args = parser.parse_args()
    if not (SHARED / "corpus").exists():
        print("../shared/corpus not found: nothing to measure")
        return
    rng = random.Random(20240516)
    background, reports = _records("background.jsonl"), _records("articles.jsonl")
    cli = [PYTHON, "-m", "sanctionwatch"]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; {args.runs} runs per figure; pages with {args.weight} furniture")
    with tempfile.TemporaryDirectory(prefix="sanctionwatch-bench-") as folder:
        work = Path(folder)
        records = mix(background, reports, args.pages, rng)
        pages = [str(p) for p in write_pages(work / "mix", records, "mix", rng, args.weight)]
        nk_pages = [str(p) for p in write_pages(work / "nk", reports, "nk", rng, args.weight)]
        databases: list[str] = []

        def new_sqlite() -> str:
            path = work / f"store-{uuid.uuid4().hex[:8]}.db"
            databases.append(str(path))
            return str(path)

        def ingest(db: str, *options: str) -> list[str]:
            return [*cli, "--db", db, "ingest", "--published", PUBLISHED_FALLBACK, *options, *pages]

        # The disk cache of built indexes (sanctionwatch.cache) in a folder of the benchmark's own:
        # the first figure measures one report with it empty and with it filled; every later figure
        # runs with it filled, as every run after a user's first does.
        cache_folder = work / "cache"
        os.environ["SANCTIONWATCH_CACHE_DIR"] = str(cache_folder)
        one_report = [*cli, "extract", "--no-progress", "--published", PUBLISHED_FALLBACK, nk_pages[0]]
        cold = measure(Figure("one report (extract), cache empty", 1, "reports"), args.runs, lambda: one_report,
                       before=lambda: shutil.rmtree(cache_folder, ignore_errors=True))  # fmt: skip
        warm = measure(Figure("one report (extract), cache filled", 1, "reports"), args.runs, lambda: one_report)
        print(f"{'  seconds, empty / filled':<44} {1 / cold.median:8.2f} / {1 / warm.median:.2f} s")
        # In turn, so that each ratio compares runs of the same minutes.
        trafilatura, one, two = measure_in_turn(
            args.runs,
            (Figure("trafilatura only (whole process)", len(pages), "pages"), lambda: [PYTHON, "-c", TRAFILATURA_ONLY, *pages]),
            (Figure("pipeline, 95/5 mix, 1 process, SQLite", len(pages), "pages"), lambda: ingest(new_sqlite())),
            (Figure("pipeline, 95/5 mix, 2 processes (pool)", len(pages), "pages"),
             lambda: ingest(new_sqlite(), "--engine", "process", "--workers", "2")),
        )  # fmt: skip
        print(ratio_line("  ratio pipeline / trafilatura only", one, trafilatura, ">= 0.5"))
        print(ratio_line("  2 workers / 1", two, one, ">= 1.7", "x"))
        if args.weight == "news":
            light = [str(p) for p in write_pages(work / "light", records, "light", rng, "light")]
            light_trafilatura, light_one = measure_in_turn(
                args.runs,
                (Figure("light pages: trafilatura only", len(light), "pages"), lambda: [PYTHON, "-c", TRAFILATURA_ONLY, *light]),
                (Figure("light pages: pipeline, 1 process", len(light), "pages"),
                 lambda: [*cli, "--db", new_sqlite(), "ingest", "--published", PUBLISHED_FALLBACK, *light]),
            )  # fmt: skip
            print(ratio_line("  ratio on light pages (fixed costs weigh most)", light_one, light_trafilatura, "(>= 0.5)"))
        nk = measure(Figure("North Korea reports alone, 1 process", len(nk_pages), "reports"), args.runs,
                     lambda: [*cli, "extract", "--no-progress", "--published", PUBLISHED_FALLBACK, *nk_pages])  # fmt: skip
        # The target of 20 reports/s per core is the NLP path with its models loaded
        # (benchmarks/nlp_path.py); this figure adds a whole process's start-up to it.
        print(f"{'  per core, start-up included':<44} {nk.median:8.1f} reports/s  (NLP path alone: benchmarks/nlp_path.py)")
        if not args.no_reextract:
            measure_reextract(args.runs, len(pages), ingest(new_sqlite()), work, cli)
        if args.scaling_pages:
            # Each worker loads the parser and the gazetteer itself (about 2 s), once per run:
            # on a larger input that start-up weighs less.
            large_records = mix(background, reports, args.scaling_pages, rng)
            large = [str(p) for p in write_pages(work / "large", large_records, "large", rng, "light")]
            one_large, two_large = measure_in_turn(
                args.runs,
                (Figure("light pages: pipeline, 1 process", len(large), "pages"),
                 lambda: [*cli, "--db", new_sqlite(), "ingest", "--published", PUBLISHED_FALLBACK, *large]),
                (Figure("light pages: pipeline, 2 processes (pool)", len(large), "pages"),
                 lambda: [*cli, "--db", new_sqlite(), "ingest", "--published", PUBLISHED_FALLBACK,
                          "--engine", "process", "--workers", "2", *large]),
            )  # fmt: skip
            print(ratio_line(f"  2 workers / 1, {len(large)} light pages", two_large, one_large, ">= 1.7", "x"))
        if not args.no_dask:
            dask = measure(Figure("pipeline, 95/5 mix, Dask local cluster of 2", len(pages), "pages"), args.runs,
                           lambda: ingest(new_sqlite(), "--engine", "dask", "--workers", "2"))  # fmt: skip
            print(f"{'  Dask / process pool':<44} {dask.median / two.median:8.2f}x")
        if not args.no_postgres:
            measure_postgres(args.runs, pages, one, ingest)
        if args.memory_pages:
            many = [str(p) for p in write_pages(work / "many", mix(background, reports, args.memory_pages, rng), "many", rng, args.weight)]
            seconds, peak = run_process([*cli, "--db", new_sqlite(), "ingest", "--published", PUBLISHED_FALLBACK, *many])
            print(f"{'peak RSS, 1 process, ' + str(len(many)) + ' pages':<44} {peak:8.0f} MiB  "
                  f"({len(many) / seconds:.1f} pages/s; target < 1536 MiB)")  # fmt: skip


def measure_reextract(runs: int, count: int, ingest_command: list[str], work: Path, cli: list[str]) -> None:
    """``reextract`` of the mix's store (the extractor run again over stored text: no page
    reading), 1 process and 2 workers, each run on a fresh copy of the same store."""
    import shutil

    stored = Path(ingest_command[ingest_command.index("--db") + 1])
    run_process(ingest_command)
    copy = work / "reextract.db"

    def fresh() -> None:
        shutil.copyfile(stored, copy)

    one = measure(Figure("reextract of the mix's store, 1 process", count, "articles"), runs,
                  lambda: [*cli, "--db", str(copy), "reextract"], before=fresh)  # fmt: skip
    two = measure(Figure("reextract of the mix's store, 2 processes", count, "articles"), runs,
                  lambda: [*cli, "--db", str(copy), "reextract", "--engine", "process", "--workers", "2"], before=fresh)  # fmt: skip
    print(f"{'  2 workers / 1':<44} {two.median / one.median:8.2f}x")


def measure_postgres(runs: int, pages: list[str], sqlite_figure: Figure, ingest: Callable[..., list[str]]) -> None:
    spec = importlib.util.spec_from_file_location("postgres_cluster", ROOT / "scripts" / "postgres_cluster.py")
    assert spec is not None and spec.loader is not None
    cluster_module = importlib.util.module_from_spec(spec)
    sys.modules["postgres_cluster"] = cluster_module  # dataclasses look their module up
    spec.loader.exec_module(cluster_module)
    server = os.environ.get("SANCTIONWATCH_TEST_POSTGRES_URL")
    directory = None
    if not server:
        directory = Path(tempfile.mkdtemp(prefix="sanctionwatch-bench-pg-"))
        try:
            server = cluster_module.start(directory).url
        except cluster_module.ClusterUnavailable as exc:
            print(f"PostgreSQL store: skipped ({exc})")
            return
    import psycopg

    def new_database() -> str:
        name = f"bench_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"'.encode())
        return server.rsplit("/", 1)[0] + "/" + name

    try:
        figure = measure(Figure("pipeline, 95/5 mix, 1 process, PostgreSQL", len(pages), "pages"), runs,
                         lambda: ingest(new_database()))  # fmt: skip
        print(f"{'  PostgreSQL / SQLite':<44} {figure.median / sqlite_figure.median:8.2f}x")
    finally:
        if directory is not None:
            cluster_module.stop(directory)


if __name__ == "__main__":
    main()
