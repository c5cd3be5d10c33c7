"""Building blocks of a self-contained HTML report: one file, styles inline, images as
base64 data, CSV downloads as data URIs, no script and nothing fetched from a network.

Any command that wants a report puts a page together from these blocks:
``html_page(title, [answer_block(...), figure_block(...), table_block(...), ...])``.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING

from .charts import png_bytes
from .tables import Table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "STYLE",
    "answer_block",
    "details_block",
    "figure_block",
    "html_page",
    "list_block",
    "section",
    "table_block",
]

STYLE = """
:root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --pass: #1a7f37; --fail: #c62828;
        --mixed: #b7791f; --info: #0072b2; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
       "Noto Sans CJK SC", sans-serif; color: var(--ink); margin: 0; background: #f5f7fa; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 2px solid var(--line);
     padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; }
p.sub { color: var(--muted); margin: 0 0 16px; }
.answer { border-left: 6px solid var(--info); background: #f0f7fc; padding: 12px 20px;
          margin: 16px 0; border-radius: 4px; }
.answer.pass { border-color: var(--pass); background: #eef8f0; }
.answer.fail { border-color: var(--fail); background: #fdeeee; }
.answer.mixed { border-color: var(--mixed); background: #fdf6e9; }
.answer h2 { border: 0; margin: 4px 0 8px; font-size: 22px; }
.warnings { border-left: 6px solid var(--mixed); background: #fffaf0; padding: 8px 20px;
            border-radius: 4px; }
figure { margin: 16px 0 28px; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
table { border-collapse: collapse; margin: 8px 0 4px; font-size: 14px; width: 100%; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left;
         vertical-align: top; }
th { background: #f0f4f8; }
td.part { padding-left: 28px; color: var(--muted); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num span { white-space: nowrap; }
td.long { overflow-wrap: anywhere; min-width: 8em; }
.wide { max-width: 100%; overflow-x: auto; }
tr.verdict-pass td:last-child { color: var(--pass); font-weight: 600; }
tr.verdict-fail td:last-child { color: var(--fail); font-weight: 600; }
tr.verdict-inconclusive td:last-child { color: var(--mixed); font-weight: 600; }
.table-note { color: var(--muted); font-size: 13px; margin: 0 0 4px; }
tr.chosen td { background: #e8f3ec; font-weight: 600; }
tr.chosen td:first-child { box-shadow: inset 4px 0 0 var(--pass); }
.chosen-mark { font-size: 11px; color: var(--pass); border: 1px solid var(--pass);
  border-radius: 3px; padding: 0 3px; margin-left: 4px; font-weight: 600; }
th[title] { text-decoration: underline dotted; cursor: help; }
.table-paths { color: var(--muted); font-size: 12px; margin: 2px 0 4px; }
.table-paths code { font-size: 12px; }
a.csv { font-size: 13px; }
.scroll { max-height: 420px; overflow: auto; border: 1px solid var(--line); }
pre { background: #f5f7fa; padding: 10px 14px; overflow-x: auto; font-size: 13px;
      border: 1px solid var(--line); border-radius: 4px; white-space: pre-wrap; }
details { margin: 12px 0; }
summary { cursor: pointer; font-weight: 600; font-size: 16px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
"""


#: tables whose last column is a verdict, coloured by it
_VERDICT_TABLES = frozenset({"pledges", "configurations"})
_VERDICT_CLASS = {
    "pass": "pass",
    "fail": "fail",
    "inconclusive": "inconclusive",
    "met": "pass",
    "failed": "fail",
}


def html_page(title: str, blocks: Iterable[str], *, subtitle: str = "") -> str:
    """A whole HTML document: ``title`` as its heading, then the blocks in order."""
    sub = f'<p class="sub">{escape(subtitle)}</p>' if subtitle else ""
    body = "\n".join(blocks)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{escape(title)}</h1>\n{sub}\n{body}\n</main>\n</body>\n</html>\n"
    )


def section(title: str, *blocks: str, anchor: str = "") -> str:
    """A titled section (``anchor``: its id, for links)."""
    ident = f' id="{escape(anchor)}"' if anchor else ""
    return f"<section{ident}>\n<h2>{escape(title)}</h2>\n" + "\n".join(blocks) + "\n</section>"


def answer_block(headline: str, points: Sequence[str], tone: str = "info") -> str:
    """The answer, first and coloured by its tone (``pass``, ``fail``, ``mixed``, ``info``)."""
    items = "".join(f"<li>{escape(p)}</li>" for p in points)
    return (
        f'<section class="answer {escape(tone)}" id="answer">\n<h2>{escape(headline)}</h2>\n'
        f"<ul>{items}</ul>\n</section>"
    )


def list_block(items: Sequence[str], css: str = "") -> str:
    """A bulleted list of sentences (``css``: a class for the list's box)."""
    if not items:
        return ""
    inner = "".join(f"<li>{escape(i)}</li>" for i in items)
    return f'<div class="{escape(css)}"><ul>{inner}</ul></div>' if css else f"<ul>{inner}</ul>"


def figure_block(figure: Figure, caption: str, name: str = "") -> str:
    """A chart as an embedded PNG with its caption (``name``: the file name it has with
    ``--plots``)."""
    data = base64.b64encode(png_bytes(figure)).decode("ascii")
    title = figure.get_suptitle().split("\n")[0]
    file_note = f" (<code>{escape(name)}</code>)" if name else ""
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{escape(title)}">'
        f"<figcaption>{escape(caption)}{file_note}</figcaption></figure>"
    )


def _th(header: str, *, numeric: bool, hint: str) -> str:
    """A header cell; ``hint`` (the code it stands for) as its hover title."""
    css = ' class="num"' if numeric else ""
    title = f' title="{escape(hint)}"' if hint else ""
    return f"<th{css}{title}>{escape(header)}</th>"


def table_block(table: Table, *, scroll: bool = False, heading: bool = True) -> str:
    """A table with its note and a link that downloads it as CSV (embedded)."""
    hints = [*table.hints, *[""] * len(table.headers)]
    head = "".join(
        _th(h, numeric=i in table.numeric, hint=hints[i]) for i, h in enumerate(table.headers)
    )
    body = []
    for n, row in enumerate(table.rows):
        verdict = _VERDICT_CLASS.get(row[-1], "") if table.name in _VERDICT_TABLES else ""
        classes = [f"verdict-{verdict}"] if verdict else []
        classes += ["chosen"] if n in table.chosen else []
        css = f' class="{escape(" ".join(classes))}"' if classes else ""
        cells = "".join(_cell(c, i in table.numeric) for i, c in enumerate(row))
        if n in table.chosen:  # the answer's row, said in words too
            cells = cells.replace("</td>", '<span class="chosen-mark">chosen</span></td>', 1)
        body.append(f"<tr{css}>{cells}</tr>")
    data = base64.b64encode(table.csv().encode("utf-8")).decode("ascii")
    grid = f'<table data-name="{escape(table.name)}"><thead><tr>{head}</tr></thead><tbody>'
    grid += "".join(body) + "</tbody></table>"
    # inside its panel: long texts wrap (:func:`_cell`), and a table wider still scrolls
    grid = f'<div class="{"scroll" if scroll else "wide"}">{grid}</div>'
    title = f"<h3>{escape(table.title)}</h3>" if heading else ""
    note = f'<p class="table-note">{escape(table.note)}</p>' if table.note else ""
    paths = [
        f"{escape(h)}: <code>{escape(hint)}</code>"
        for h, hint in zip(table.headers, hints, strict=False)
        if hint
    ]
    if paths:  # the footnote: what each header in words stands for
        grid += f'\n<p class="table-paths">The headers stand for: {"; ".join(paths)}.</p>'
    link = (
        f'<a class="csv" download="{escape(table.name)}.csv" '
        f'href="data:text/csv;charset=utf-8;base64,{data}">Download {escape(table.name)}.csv</a>'
    )
    return f"{title}\n{note}\n{grid}\n<p>{link}</p>"


#: a text cell longer than this wraps anywhere, not only between words (a source's file
#: name, a long note), so that its column, not the table, gives way
LONG = 30


def _cell(text: str, numeric: bool) -> str:
    """A cell: a number kept on one line, its interval on the next if the column must narrow
    (``12.0 min`` above ``(10.3 – 13.7)``); a long text wrapping within its column."""
    if numeric:
        value, bracket, interval = text.partition(" (")
        parts = [value, f"({interval}"] if bracket else [value]
        return '<td class="num">' + " ".join(f"<span>{escape(p)}</span>" for p in parts) + "</td>"
    if text.startswith("  "):  # a part of the row above (a lane group of a stage)
        return f'<td class="part">{escape(text.strip())}</td>'
    if len(text) > LONG:
        return f'<td class="long">{escape(text)}</td>'
    return f"<td>{escape(text)}</td>"


def details_block(summary: str, *blocks: str, open_: bool = False) -> str:
    """A part the reader opens when wanted."""
    attribute = " open" if open_ else ""
    return (
        f"<details{attribute}><summary>{escape(summary)}</summary>\n"
        + "\n".join(blocks)
        + "\n</details>"
    )
