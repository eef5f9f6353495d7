"""Popular-posts detection on every real Blogger and WordPress page of ../shared/corpus: what was found,
whether it matches what SOURCES.md says the page holds, and the time per page.

Run: /work/venv/bin/python benchmarks/bench_popular.py [--repeat N] [--out benchmarks/results-popular.md]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import lxml.html

from termreader.popular import PopularScan, find_popular

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FOLDERS = ("blogger", "wordpress")

# What each page holds according to ../shared/corpus/SOURCES.md (None: no popular list at all).
EXPECTED: dict[str, str | None] = {
    "blogger/classic-customdomain-post-popularposts-hot-topics.html": "blogger-popularposts",
    "blogger/classic-hanna-footer-popularposts-ul2-li2.html": "blogger-popularposts",
    "blogger/classic-minima-blue-post-popularposts-no-thumbs.html": "blogger-popularposts",
    "blogger/classic-plentylife-post-popularposts.html": "blogger-popularposts",
    "blogger/classic-pretty-bookshelf-post-popularposts-protocol-relative.html": "blogger-popularposts",
    "blogger/classic-python-insider-post-no-popularposts.html": None,
    "blogger/classic-simple-archive-page-no-popularposts.html": None,
    "blogger/classic-simple-bold-post-css-only-popular-posts.html": None,
    "blogger/classic-simple-post-popularposts-readability.html": "blogger-popularposts",
    "blogger/dynamic-views-post-browser-saved.html": None,
    "blogger/dynamic-views-post-js-only.html": None,
    "blogger/google-blog-custom-template-no-popularposts.html": None,
    "blogger/thirdparty-frameify-post-popularposts-v2-lazythumbs.html": "blogger-popularposts",
    "wordpress/jetpack-top-posts-and-popular-news.html": "jetpack-top-posts",
    "wordpress/jetpack-top-posts-selfhosted.html": "jetpack-top-posts",
    "wordpress/jetpack-top-posts-wordpresscom.html": "jetpack-top-posts",
    "wordpress/wordpresscom-post-jetpack.html": "jetpack-top-posts",
    "wordpress/wpp-ajax-placeholder.html": "wpp",
    "wordpress/wpp-cards-compact-lazy.html": "wpp",
    "wordpress/wpp-list-wayback-sidebar.html": "wpp",
    "wordpress/wpp-ol-styled-news.html": "wpp",
}


def page_url(html: str, path: Path) -> str:
    """The page's own address (canonical link or og:url), as a browser that saved it would have had."""
    try:
        doc = lxml.html.document_fromstring(html.encode("utf-8"))
    except (lxml.etree.ParserError, ValueError):
        return path.as_uri()
    for ref in doc.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content"):
        if str(ref).startswith("http"):
            return str(ref)
    return path.as_uri()


def cell(text: str | None, width: int = 60) -> str:
    if not text:
        return "—"
    text = text.replace("|", "\\|")
    return text if len(text) <= width else text[: width - 1] + "…"


def share(scan: PopularScan, field: str) -> str:
    if not scan.items:
        return "—"
    count = sum(1 for item in scan.items if getattr(item, field))
    return f"{count}/{len(scan.items)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per page (median reported)")
    parser.add_argument("--out", type=Path, help="also write the Markdown report to this file")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent (the shared corpus is only beside the repo)")
        return 0

    rows: list[str] = []
    timings: list[float] = []
    parse_timings: list[float] = []
    failures: list[str] = []
    for folder in FOLDERS:
        for path in sorted((CORPUS / folder).glob("*.html")):
            name = f"{folder}/{path.name}"
            html = path.read_bytes().decode("utf-8", "replace")
            url = page_url(html, path)
            scan = find_popular(html, url)
            runs = []
            for _ in range(max(1, args.repeat)):
                start = time.perf_counter()
                find_popular(html, url)
                runs.append((time.perf_counter() - start) * 1000)
            ms = statistics.median(runs)
            timings.append(ms)
            parse_runs = []
            for _ in range(max(1, args.repeat)):
                start = time.perf_counter()
                lxml.html.document_fromstring(html.encode("utf-8"))
                parse_runs.append((time.perf_counter() - start) * 1000)
            parse_ms = statistics.median(parse_runs)
            parse_timings.append(parse_ms)
            expected = EXPECTED.get(name, "?")
            ok = scan.widget == expected and (scan.widget is None or bool(scan.items) or bool(scan.rest_url))
            if not ok:
                failures.append(name)
            first = scan.items[0] if scan.items else None
            verdict = "ok" if ok else f"**FAIL** (want {expected})"
            fields = " | ".join(share(scan, name) for name in ("snippet", "author", "published", "thumbnail"))
            rows.append(
                f"| `{path.name}` | {scan.widget or '—'} | {verdict} | {cell(scan.heading, 30)} "
                f"| {len(scan.items)} | {cell(first.title if first else None, 45)} "
                f"| {cell(first.url if first else scan.rest_url, 70)} | {fields} "
                f"| {ms:.1f} | {parse_ms:.1f} |"
            )

    header = (
        "| file | widget | expected | heading | items | first title | first URL (or REST URL) | snippet "
        "| author | date | thumb | ms | parse ms |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    )
    summary = (
        f"{len(rows)} pages, {len(rows) - len(failures)} as expected, {len(failures)} wrong. "
        f"find_popular time per page: median {statistics.median(timings):.1f} ms, "
        f"max {max(timings):.1f} ms; lxml parsing alone: median {statistics.median(parse_timings):.1f} ms "
        f"(median of {args.repeat} runs each, lxml {lxml.etree.__version__}, "
        f"Python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
        "when measured)."
    )
    report = "\n".join([header, *rows, "", summary])
    print(report)
    if args.out is not None:
        args.out.write_text(
            "# Popular posts on the real corpus pages\n\n"
            "Command: `/work/venv/bin/python benchmarks/bench_popular.py --repeat 20 "
            "--out benchmarks/results-popular.md` (from the repo root).\n\n"
            "`expected` compares with SOURCES.md (which pages hold a popular-posts widget); "
            "snippet/author/date/thumb give how many items carry that field. "
            "The WPP AJAX page holds only a placeholder: "
            "its REST URL is shown instead of a first item.\n\n" + report + "\n",
            encoding="utf-8",
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
