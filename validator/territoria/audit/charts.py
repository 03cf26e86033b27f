"""The dashboard's charts, drawn once at build time with matplotlib and kept as SVG text.

Why matplotlib, and why SVG: a well-kept plotting library instead of drawing by
hand; SVG so the page stays one self-contained file that scales and prints, with
no script and nothing loaded from the network. matplotlib is in the
``territoria[audit]`` extra: without it the dashboard has its tables and no
charts. The labels come from a portal's listing, so they are shown as plain
text (no ``$…$`` mathematics) and shortened; each chart's identifiers start with
its own name, so two SVGs inlined in one page never share one.
"""
from __future__ import annotations

import contextlib
import io
import re
COLORS = {"valid": "#1a7f37", "invalid": "#b42318", "failed": "#9a6700", "bar": "#0969da", "line": "#1a7f37"}
MAX_LABEL = 48


def available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _short(text: str) -> str:
    text = " ".join(str(text).split()) or "—"
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _settings(salt: str) -> dict:
    return {"svg.fonttype": "none", "svg.hashsalt": salt, "text.parse_math": False,
            "font.family": "sans-serif", "font.size": 10}


@contextlib.contextmanager
def _drawing(salt: str, height: float):
    """``(figure, axes)`` of an 8-inch-wide figure drawn under the charts' settings."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_settings(salt)):
        figure = Figure(figsize=(8, height))
        yield figure, figure.subplots()


def _whole_ticks(axis) -> None:
    """Counts of files on an axis: whole numbers only (matplotlib would mark 0.2, 0.4... below 2)."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _svg(figure, salt: str) -> str:
    """The figure as an ``<svg>`` element whose identifiers (and the references to them) start with ``salt``:
    matplotlib names the groups of every figure alike (``figure_1``), and one page holds several."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight",
                   metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{salt}-{m[1]}"', text)
    text = re.sub(r'url\(#([^)]+)\)', lambda m: f"url(#{salt}-{m[1]})", text)
    return re.sub(r'href="#([^"]+)"', lambda m: f'href="#{salt}-{m[1]}"', text)


def validity(groups: list, labels: dict, salt: str) -> str:
    """Stacked horizontal bars: ``groups`` is ``[(label, valid, invalid, failed), ...]``, top first."""
    if not groups or not available():
        return ""
    with _drawing(salt, 0.8 + 0.32 * len(groups)) as (figure, axes):
        names = [_short(g[0]) for g in groups][::-1]
        left = [0] * len(groups)
        for index, status in enumerate(("valid", "invalid", "failed"), start=1):
            values = [g[index] for g in groups][::-1]
            axes.barh(names, values, left=left, color=COLORS[status], label=labels[status])
            left = [a + b for a, b in zip(left, values)]
        for y, (total, group) in enumerate(zip(left, groups[::-1])):
            checked = group[1] + group[2]
            if checked:
                axes.text(total, y, f"  {100 * group[1] / checked:.0f} %", va="center", fontsize=9)
        axes.set_xlabel(labels["resources"])
        _whole_ticks(axes.xaxis)
        axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, frameon=False, fontsize=9)
        axes.spines[["top", "right"]].set_visible(False)
        axes.margins(x=0.12)
        return _svg(figure, salt)


def bars(items: list, xlabel: str, salt: str) -> str:
    """Horizontal bars of ``[(label, value), ...]``, largest first."""
    if not items or not available():
        return ""
    with _drawing(salt, 0.8 + 0.32 * len(items)) as (figure, axes):
        axes.barh([_short(label) for label, _ in items][::-1], [value for _, value in items][::-1],
                  color=COLORS["bar"])
        axes.set_xlabel(xlabel)
        _whole_ticks(axes.xaxis)
        axes.spines[["top", "right"]].set_visible(False)
        return _svg(figure, salt)


def trend(points: list, labels: dict, salt: str) -> str:
    """The validity rate over runs: ``points`` is ``[(run label, rate in %, resources), ...]``, oldest first."""
    if len(points) < 2 or not available():
        return ""
    with _drawing(salt, 3) as (figure, axes):
        x = list(range(len(points)))
        axes.plot(x, [p[1] for p in points], marker="o", color=COLORS["line"], label=labels["rate"])
        axes.set_ylim(0, 100)
        axes.set_ylabel(labels["rate"])
        axes.set_xticks(x, [_short(p[0]) for p in points], rotation=30, ha="right", fontsize=8)
        other = axes.twinx()
        other.bar(x, [p[2] for p in points], alpha=0.15, color=COLORS["bar"], label=labels["resources"])
        other.set_ylabel(labels["resources"])
        axes.set_zorder(other.get_zorder() + 1)
        axes.patch.set_visible(False)
        axes.spines[["top"]].set_visible(False)
        return _svg(figure, salt)
