"""`postguard report --html FILE`: the report as one offline HTML file for communications managers.

Charts are drawn by matplotlib (the `report` extra) as SVG and embedded as data: URIs, so the file
refers to nothing outside itself: findings per week by category, the noisiest rules' actions, and
champions' response times per week. The tables beside them hold the same numbers. Everything shown is
an id from the pack or a number from the records (escaped all the same): never a draft.
"""

from __future__ import annotations

import base64
import html
import io
from typing import Any

from companion.records.responses import span

MISSING = "the HTML report draws its charts with matplotlib: pip install 'postguard[report]'"
COLORS = ["#1a73e8", "#e8710a", "#d93025", "#188038", "#9334e6", "#f9ab00", "#12b5cb", "#5f6368", "#b31412", "#174ea6"]
ACTION_COLORS = {"ignored": "#f9ab00", "overridden": "#d93025", "wrong": "#9334e6"}


def _figure(width: float, height: float):
    from matplotlib.figure import Figure  # no pyplot: no GUI backend, safe off the main thread

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig, fig.add_subplot()


def _data_uri(fig) -> str:
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "postguard", "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def findings_chart(report: dict[str, Any]) -> str | None:
    weeks = report["weeks"]
    categories = sorted({c for w in weeks for c in w["categories"]})
    if not categories:
        return None
    fig, ax = _figure(8, 3.4)
    labels = [w["week"] for w in weeks]
    bottom = [0] * len(weeks)
    for i, cat in enumerate(categories):
        values = [w["categories"].get(cat, {}).get("shown", 0) for w in weeks]
        ax.bar(labels, values, bottom=bottom, label=cat.replace("_", " "), color=COLORS[i % len(COLORS)])
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.set_title("Findings shown per week, by category")
    ax.set_ylabel("findings shown")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)   # beside, not over the bars
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    return _data_uri(fig)


def noisiest_chart(report: dict[str, Any]) -> str | None:
    rows = report["noisiest"]
    if not rows:
        return None
    rows = list(reversed(rows))   # the noisiest at the top
    fig, ax = _figure(8, 0.9 + 0.38 * len(rows))
    names = [r["rule"] for r in rows]
    left = [0.0] * len(rows)
    for action, color in ACTION_COLORS.items():
        rates = [(r[action] / r["shown"]) if r["shown"] else 0.0 for r in rows]
        ax.barh(names, rates, left=left, color=color, label={"overridden": "posted anyway"}.get(action, action))
        left = [a + b for a, b in zip(left, rates)]
    ax.set_title("The noisiest rules:\nshare of their findings ignored, posted past or marked wrong")
    ax.set_xlabel("share of the findings shown")
    ax.xaxis.set_major_formatter(lambda x, _pos: f"{x * 100:.0f}%")
    ax.tick_params(axis="y", labelsize=8)
    ax.legend(fontsize=8, loc="lower right")
    return _data_uri(fig)


def responses_chart(report: dict[str, Any]) -> str | None:
    weeks = report["responses"]["weeks"]
    if not weeks:
        return None
    fig, ax = _figure(8, 3.2)
    labels = [w["week"] for w in weeks]
    ax.plot(labels, [w["median_minutes"] / 60 for w in weeks], marker="o", color="#1a73e8", label="median")
    ax.plot(labels, [w["p90_minutes"] / 60 for w in weeks], marker="s", color="#d93025", label="p90")
    ax.set_ylabel("hours to answer")
    ax.set_ylim(bottom=0)
    share = ax.twinx()
    share.bar(labels, [(w["within_target_share"] or 0) * 100 for w in weeks], color="#188038", alpha=0.18,
              label="within target")
    share.set_ylim(0, 100)
    share.set_ylabel("% within target")
    ax.set_zorder(share.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.set_title("Answered conversations: time to answer and share within target, per week")
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    lines, names = ax.get_legend_handles_labels()
    bars, bar_names = share.get_legend_handles_labels()
    ax.legend(lines + bars, names + bar_names, fontsize=8, loc="upper left")
    return _data_uri(fig)


def _pct(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.0f}%"


def _table(header: list[str], rows: list[list[Any]]) -> str:
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _chart(uri: str | None, alt: str, empty: str) -> str:
    if uri is None:
        return f'<p class="empty">{html.escape(empty)}</p>'
    return f'<figure><img src="{uri}" alt="{html.escape(alt)}"></figure>'


def render(report: dict[str, Any]) -> str:
    """The whole HTML document (raises ImportError with MISSING when matplotlib is not installed)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ImportError(MISSING) from None
    e = html.escape
    t, r = report["totals"], report["responses"]
    cards = [("findings shown", t["shown"]), ("fixed", _pct(t["rates"]["fixed"])),
             ("ignored", _pct(t["rates"]["ignored"])), ("posted anyway", _pct(t["rates"]["overridden"])),
             ("marked wrong", _pct(t["rates"]["wrong"])), ("conversations answered", r["answered"]),
             ("median answer", span(r["median_minutes"])), ("within target", _pct(r["within_target_share"]))]
    parts = [
        "<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>PostGuard report {e(report['since'])} to {e(report['until'])}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>PostGuard report</h1><p class=\"sub\">{e(report['since'])} to {e(report['until'])}. "
        "Counts only: which rule, which day, what was done. Never what anyone wrote.</p>",
        '<div class="cards">' + "".join(f'<div class="card"><b>{e(str(v))}</b><span>{e(k)}</span></div>'
                                        for k, v in cards) + "</div>",
        "<h2>Findings per week</h2>",
        _chart(findings_chart(report), "Findings shown per week, stacked by category", "No findings in this period."),
        _table(["category", "shown", "fixed", "ignored", "posted anyway", "marked wrong"],
               [[c.replace("_", " "), v["shown"], _pct(v["rates"]["fixed"]), _pct(v["rates"]["ignored"]),
                 _pct(v["rates"]["overridden"]), _pct(v["rates"]["wrong"])] for c, v in report["categories"].items()]),
        "<h2>The noisiest rules</h2>",
        "<p>Rules people ignore, post past or call wrong: the first ones to look at in the next pack revision.</p>",
        _chart(noisiest_chart(report), "The noisiest rules by share of findings ignored, posted past or marked wrong",
               "No rule was ignored, posted past or marked wrong."),
        _table(["rule", "category", "shown", "ignored", "posted anyway", "marked wrong", "why wrong"],
               [[n["rule"], n["category"], n["shown"], n["ignored"], n["overridden"], n["wrong"],
                 ", ".join(f"{k.replace('_', ' ')} {c}" for k, c in report["wrong_reasons"].get(n["rule"], {}).items() if c)]
                for n in report["noisiest"]]),
        "<h2>Response times</h2>",
        _chart(responses_chart(report), "Median and p90 hours to answer and share within target, per week",
               "No answered conversations recorded in this period."),
        _table(["week / kind", "answered", "median", "p90", "within target"],
               [[w["week"], w["answered"], span(w["median_minutes"]), span(w["p90_minutes"]), _pct(w["within_target_share"])]
                for w in r["weeks"]]
               + [[k.replace("_", " "), s["answered"], span(s["median_minutes"]), span(s["p90_minutes"]),
                   _pct(s["within_target_share"])] for k, s in r["kinds"].items()]),
    ]
    if report["replies"]:
        parts += ["<h2>Canned replies used</h2>", _table(["reply", "used"], [[x["reply_id"], x["used"]] for x in report["replies"]])]
    if report["sites"]:
        parts += ["<h2>Sites paused</h2>", _table(["site", "paused", "resumed"],
                                                  [[s["site"], s["paused"], s["resumed"]] for s in report["sites"]])]
    parts.append("</body></html>")
    return "\n".join(parts)


CSS = """
body { font: 14px/1.5 system-ui, sans-serif; color: #202124; max-width: 960px; margin: 24px auto; padding: 0 16px; }
h1 { margin: 0; } h2 { margin-top: 32px; border-top: 1px solid #e8eaed; padding-top: 16px; }
.sub, .empty { color: #5f6368; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; margin: 16px 0; }
.card { background: #f8f9fa; border-radius: 8px; padding: 10px 12px; }
.card b { display: block; font-size: 22px; } .card span { color: #5f6368; font-size: 12px; }
figure { margin: 8px 0; } figure img { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid #f1f3f4; }
td:nth-child(n+2) { font-variant-numeric: tabular-nums; }
"""
