"""Pages per second of decode_page against bare `bytes.decode("utf-8", "replace")`.

    python bench/decode_speed.py [--rounds 5]

Synthetic pages of 10 KB and 1 MB (a news paragraph repeated inside realistic markup) in
several charsets, declared in the header, in a <meta>, mislabelled or not at all. Both are
timed in the same run and process, interleaved round by round, so the ratio holds on a noisy
machine; the figure kept is the best round of each. The bare decode is the floor, not a
rival: it reads every non-UTF-8 page wrong. Pin to one core for single-core figures:
`taskset -c 0 python bench/decode_speed.py`.
"""

from __future__ import annotations

import argparse
import time

from scraper.cleaning import decode_page

TEXT = {
    "ru": "Правительство Москвы объявило о строительстве новой линии метро, которая "
    "соединит северные и южные районы города. По словам мэра, первые станции откроются "
    "уже через три года.",
    "fr": "Le café du coin a rouvert ses portes après trois mois de travaux. « C’est très "
    "réussi », déclare un habitué, qui apprécie la nouvelle terrasse.",
    "zh": "上海特舟实业有限公司成立于二零零五年，主要从事船舶配件的研发、生产和销售。"
    "公司总部位于上海市浦东新区，在江苏和浙江设有两家工厂，员工超过三百人。",
    "ja": "東京都は来年度から、都内の公立小学校で英語の授業時間を増やす方針を明らかにしました。"
    "教育委員会によると、外国人講師の数も現在の二倍に増やす予定です。",
}
# (name, language, bytes' charset, Content-Type charset, <meta> charset)
CASES = [
    ("utf-8, meta", "ru", "utf-8", None, "utf-8"),
    ("utf-8, nothing declared", "zh", "utf-8", None, None),
    ("windows-1252, header", "fr", "cp1252", "windows-1252", None),
    ("gbk, meta", "zh", "gbk", None, "gbk"),
    ("shift_jis, nothing declared", "ja", "shift_jis", None, None),
    ("windows-1251, nothing declared", "ru", "cp1251", None, None),
    ("utf-8 labelled iso-8859-1", "fr", "utf-8", "iso-8859-1", None),
    ("windows-1251 labelled koi8-r", "ru", "cp1251", "koi8-r", None),
]
SIZES = {"10 KB": 10_000, "1 MB": 1_000_000}


def page(text: str, charset: str, meta: str | None, size: int, number: int = 0) -> bytes:
    """A page of about `size` bytes: head with scripts, then paragraphs of `text`; `number`
    in the first one makes pages differ (charset-normalizer caches its mess measure)."""
    head = (
        "<!DOCTYPE html><html><head>"
        + (f'<meta charset="{meta}">' if meta else "")
        + "<title>News</title><script>var cfg = {lang: 'x', ads: [1, 2, 3]};</script>"
        + '<link rel="stylesheet" href="/static/site.css"></head><body><nav><a href="/">Home</a>'
        + f'<a href="/world">World</a></nav><article><p class="lead">{number}. {text}</p>'
    ).encode(charset)
    block = f'<p class="body">{text}</p>\n<div class="share"><a href="/s">Share</a></div>\n'
    block_bytes = block.encode(charset)
    body = block_bytes * max(1, (size - len(head)) // len(block_bytes))
    return head + body + b"</article></body></html>"


def best_rate(fn, pages: list[bytes], rounds: int, other) -> tuple[float, float]:
    """Best pages/s of `fn` and of `other` over `rounds` interleaved rounds."""
    ours, theirs = [], []
    for _ in range(rounds):
        for f, out in ((fn, ours), (other, theirs)):
            start = time.perf_counter()
            for p in pages:
                f(p)
            out.append(len(pages) / (time.perf_counter() - start))
    return max(ours), max(theirs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"{'case':32} {'size':>6} {'how':>9} {'decode_page':>12} {'bare':>12} {'ratio':>6}")
    for size_name, size in SIZES.items():
        copies = 200 if size < 100_000 else 10
        for name, lang, charset, header, meta in CASES:
            data = page(TEXT[lang], charset, meta, size, -1)
            content_type = f"text/html; charset={header}" if header else None
            got = decode_page(data, content_type)
            assert TEXT[lang] in got.text, (name, got.encoding)
            pages = [page(TEXT[lang], charset, meta, size, i) for i in range(copies)]

            def ours(p: bytes, ct: str | None = content_type) -> None:
                decode_page(p, ct)

            def bare(p: bytes) -> None:
                p.decode("utf-8", "replace")

            rate, floor = best_rate(ours, pages, args.rounds, bare)
            print(
                f"{name:32} {size_name:>6} {got.how:>9} {rate:10.0f}/s {floor:10.0f}/s "
                f"{floor / rate:5.1f}x"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
