"""Extraction quality and speed: our pipeline vs plain readability-lxml + markdownify, in one interleaved run.

Run (from the repo root, with ../shared beside it):
    /work/venv/bin/python benchmarks/bench_extract.py [--limit N] [--rounds 3] [--clock cpu] [--output FILE]
        [--before SRC] [--profile N]

--before SRC adds an older termreader (SRC holds its `termreader` package, e.g. after
`git archive <commit> src | tar -x -C /tmp/before`, SRC=/tmp/before/src) as a third pipeline in the same
interleaved run, so before/after figures share the machine's load. --profile N ends with the N functions
that cost most (internal time) in one cProfile'd pass of our pipeline over the pages.

Scoring is `../shared/eval/extract_eval.py`'s (word 4-gram shingles, per-page P/R, corpus F1; title and
byline exact after case/whitespace folding), imported from that file so the numbers match its CLI:
    python ../shared/eval/extract_eval.py --callable termreader.extract:to_eval --corpus readability
Both pipelines run on each page in turn (alternating which goes first), so machine load hits them alike;
each page's time is the fastest of `--rounds` runs. Skips with a message when the corpus is absent.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import importlib.util
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from types import ModuleType
from typing import Any

SHARED = Path(__file__).resolve().parents[2] / "shared"
EVAL = SHARED / "eval" / "extract_eval.py"
CORPUS = SHARED / "corpus" / "readability"

Extractor = Callable[[str, str | None], dict[str, Any]]


def load_eval() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extract_eval", EVAL)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {EVAL}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["extract_eval"] = module
    spec.loader.exec_module(module)
    return module


def plain_pipeline() -> Extractor:
    """The issue's baseline: readability-lxml summary -> markdownify(ATX), title from short_title()."""
    from markdownify import markdownify
    from readability import Document

    def run(html: str, url: str | None) -> dict[str, Any]:
        doc = Document(html)
        summary = doc.summary(html_partial=True)
        return {"markdown": markdownify(summary, heading_style="ATX"), "title": doc.short_title()}

    return run


def our_pipeline() -> Extractor:
    from termreader.extract import to_eval

    def run(html: str, url: str | None) -> dict[str, Any]:
        return dict(to_eval(html, url))

    return run


def before_pipeline(src: Path) -> Extractor:
    """An older termreader, copied under the name `termreader_before` so both versions load side by side."""
    package = src / "termreader" if (src / "termreader").is_dir() else src
    if not (package / "extract.py").is_file():
        raise SystemExit(f"--before: no termreader package (extract.py) in {src}")
    root = Path(tempfile.mkdtemp(prefix="termreader-before-"))
    target = root / "termreader_before"
    shutil.copytree(package, target, ignore=shutil.ignore_patterns("__pycache__"))
    imports = re.compile(r"\b(from|import) termreader(\.|\b)")
    for path in target.rglob("*.py"):
        text = imports.sub(r"\1 termreader_before\2", path.read_text(encoding="utf-8"))
        # fastreadability registers a private copy of readability-lxml under a fixed module name.
        text = text.replace('"readability._termreader_fast"', '"readability._termreader_fast_before"')
        path.write_text(text, encoding="utf-8")
    sys.path.insert(0, str(root))
    to_eval = importlib.import_module("termreader_before.extract").to_eval

    def run(html: str, url: str | None) -> dict[str, Any]:
        return dict(to_eval(html, url))

    return run


def profile_pass(fn: Extractor, htmls: list[str], top: int) -> str:
    """The `top` functions by internal time over one pass of `fn` on every page."""
    profiler = cProfile.Profile()
    profiler.enable()
    for html in htmls:
        fn(html, None)
    profiler.disable()
    out = StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


@dataclass
class Tally:
    name: str
    scores: list[tuple[float, float, float]] = field(default_factory=list)
    ms: list[float] = field(default_factory=list)
    titles: list[float] = field(default_factory=list)
    bylines: list[float] = field(default_factory=list)
    page_f1: dict[str, float] = field(default_factory=dict)
    errors: int = 0


def timed(
    fn: Extractor, html: str, rounds: int, clock: Callable[[], float]
) -> tuple[dict[str, Any], float, bool]:
    best = float("inf")
    out: dict[str, Any] = {}
    failed = False
    for _ in range(rounds):
        start = clock()
        try:
            out = fn(html, None) or {}
        except Exception:  # a crash counts as an empty answer, as in extract_eval.py
            out, failed = {}, True
        best = min(best, (clock() - start) * 1000)
    return out, best, failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--rounds", type=int, default=3, help="runs per page; the fastest is kept")
    parser.add_argument("--output", type=Path, help="also write the Markdown report here")
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="wall: perf_counter (as extract_eval.py); cpu: process CPU time, steadier on a busy machine",
    )
    parser.add_argument(
        "--before",
        type=Path,
        help="source folder of an older termreader, timed as a third pipeline in the same run",
    )
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="end with the N costliest functions (cProfile)"
    )
    args = parser.parse_args(argv)

    if not EVAL.exists() or not CORPUS.is_dir():
        print(f"skipped: {EVAL} or {CORPUS} is absent (the shared corpus sits beside the repo in dev)")
        return 0
    ev = load_eval()
    pages = ev.load_mozilla(CORPUS)
    if args.limit:
        pages = pages[: args.limit]

    clock = time.perf_counter if args.clock == "wall" else time.process_time
    pipelines = [("readability-lxml + markdownify", plain_pipeline())]
    if args.before:
        pipelines.append((f"termreader before ({args.before})", before_pipeline(args.before)))
    pipelines.append(("termreader", our_pipeline()))
    tallies = [Tally(name) for name, _ in pipelines]
    warm = pages[0].html()
    for _, fn in pipelines:  # imports and first-call caches stay out of the timings
        fn(warm, None)

    for index, page in enumerate(pages):
        html = page.html()
        order = list(range(len(pipelines)))
        if index % 2:
            order.reverse()
        for i in order:
            out, ms, failed = timed(pipelines[i][1], html, args.rounds, clock)
            tally = tallies[i]
            tally.errors += failed
            tally.ms.append(ms)
            pred = (
                ev.strip_markdown(out.get("markdown") or "") if "markdown" in out else out.get("text") or ""
            )
            score = ev.tp_fp_fn(page.truth, pred)
            tally.scores.append(score)
            tally.page_f1[page.id] = ev.page_f1(*score)
            for key, bucket in (("title", tally.titles), ("byline", tally.bylines)):
                expected = page.meta.get(key)
                if expected:
                    bucket.append(float(ev._norm_field(out.get(key)) == ev._norm_field(expected)))

    report = render(ev, tallies, len(pages), args.rounds, args.clock)
    if args.profile:
        report += "\n\nOne profiled pass of termreader (cProfile, internal time):\n\n```\n"
        report += profile_pass(pipelines[-1][1], [page.html() for page in pages], args.profile).strip()
        report += "\n```"
    print(report)
    if args.output:
        args.output.write_text(report + "\n", encoding="utf-8")
    return 0


def render(ev: ModuleType, tallies: list[Tally], pages: int, rounds: int, clock: str) -> str:
    out = [
        f"Corpus: ../shared/corpus/readability, {pages} pages; time = fastest of {rounds} runs per page "
        f"({clock} clock).",
        "",
        "| pipeline | F1 | P | R | title exact | byline exact | ms/page median | ms/page p95 | errors |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for t in tallies:
        m = ev.corpus_metrics(t.scores)
        title = f"{statistics.mean(t.titles):.3f}" if t.titles else "-"
        byline = f"{statistics.mean(t.bylines):.3f}" if t.bylines and any(t.bylines) else "0 (none given)"
        out.append(
            f"| {t.name} | {m['f1']:.3f} | {m['precision']:.3f} | {m['recall']:.3f} | {title} | {byline} "
            f"| {statistics.median(t.ms):.1f} | {ev.percentile(t.ms, 95):.1f} | {t.errors} |"
        )
    base, ours = tallies[0], tallies[-1]
    worse = sorted(
        (
            (ours.page_f1[k] - base.page_f1[k], k)
            for k in ours.page_f1
            if ours.page_f1[k] < base.page_f1[k] - 0.01
        ),
    )
    out += [
        "",
        f"Pages where termreader scores lower than the plain pipeline (by > 0.01 F1): {len(worse)}",
        "",
    ]
    out += [f"- {k}: {base.page_f1[k]:.3f} -> {ours.page_f1[k]:.3f}" for _, k in worse]
    worst = sorted(ours.page_f1.items(), key=lambda kv: kv[1])[:10]
    out += ["", "The 10 lowest-scoring pages for termreader (F1):", ""]
    out += [f"- {k}: {f1:.3f} (plain pipeline {base.page_f1[k]:.3f})" for k, f1 in worst]
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
