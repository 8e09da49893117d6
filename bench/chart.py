#!/usr/bin/env python3
"""Draws bench/run's merged results as an SVG bar chart: Java's speedup over CPython.

Usage: chart.py MERGED_JSONL [--title TEXT] > speedup.svg

MERGED_JSONL: merge.py's JSON lines. One row per (case, metric) that has a speedup; in each
row a bar for warm children ("speedup") and one for fresh child JVMs ("speedup_spawn"), on
a log scale, from the 1x line (right of it: Java faster), with the figure at its end and
the row's goal ("goal", "goal_column") as a black mark on the bar it applies to. Standard
library only.
"""
import html
import json
import math
import sys

SERIES = [("speedup", "warm children (or none)", "#4c78a8"),
          ("speedup_spawn", "fresh child JVMs (spawn)", "#f58518")]
FONT = "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\""


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                r = json.loads(line)
                if any(r.get(k) for k, _, _ in SERIES):
                    rows.append(r)
    return rows


def label(r):
    text = "%s  %s" % (r["case"], r["metric"])
    if r.get("python_metric"):
        text += " (vs %s)" % r["python_metric"].rsplit("_", 1)[-1]
    return text


def ticks(lo, hi):
    """Decades and their 2x and 5x steps between lo and hi (powers of ten)."""
    out, e = [], int(round(math.log10(lo)))
    while 10 ** e <= hi * 1.0001:
        for m in (1, 2, 5):
            v = m * 10 ** e
            if lo * 0.9999 <= v <= hi * 1.0001:
                out.append((v, m == 1))
        e += 1
    return out


def fmt_x(v):
    if v >= 100:
        return "%.0fx" % v
    if v >= 10:
        return "%.1fx" % v
    if v >= 0.1:
        return "%.2fx" % v
    return "%.2gx" % v


def draw(rows, title):
    vals = [r[k] for r in rows for k, _, _ in SERIES if r.get(k)] + [r["goal"] for r in rows if r.get("goal")]
    lo = 10 ** math.floor(math.log10(min(vals + [0.5])))
    hi = 10 ** math.ceil(math.log10(max(vals + [2])))
    row_h, bar_h, gap = 26, 9, 2
    left, plot_w, right, top = 420, 520, 70, 78
    width = left + plot_w + right
    height = top + row_h * len(rows) + 60
    x = lambda v: left + (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * plot_w
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" %s font-size="12">'
           % (width, height, width, height, FONT),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="22" font-size="15" font-weight="bold">%s</text>' % (10, html.escape(title)),
           '<text x="%d" y="40" fill="#444">Java speedup over CPython (log scale; right of 1x: Java faster)</text>' % 10]
    # legend
    lx = left
    for _, name, colour in SERIES:
        out.append('<rect x="%d" y="50" width="14" height="10" fill="%s"/>' % (lx, colour))
        out.append('<text x="%d" y="59">%s</text>' % (lx + 18, html.escape(name)))
        lx += 26 + 7 * len(name)
    out.append('<rect x="%d" y="49" width="3" height="12" fill="black"/>' % lx)
    out.append('<text x="%d" y="59">goal</text>' % (lx + 8))
    bottom = top + row_h * len(rows)
    # grid
    decades = round(math.log10(hi / lo))
    for v, major in ticks(lo, hi):
        gx = x(v)
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s" stroke-width="1"/>'
                   % (gx, top - 4, gx, bottom, "#ccc" if major else "#eee"))
        if major or decades <= 4:  # the 2x and 5x labels only where a decade is wide enough for them
            out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#444"%s>%s</text>'
                       % (gx, bottom + 16, "" if major else ' font-size="10"', ("%g" % v) + "x"))
    out.append('<text x="%d" y="%d" text-anchor="middle" fill="#444">speedup (python/java for times, java/python for rates)</text>'
               % (left + plot_w // 2, bottom + 36))
    # rows
    prev_case = None
    for i, r in enumerate(rows):
        y0 = top + i * row_h
        if r["case"] != prev_case and i > 0:
            out.append('<line x1="10" y1="%d" x2="%d" y2="%d" stroke="#ddd"/>' % (y0, width - 10, y0))
        prev_case = r["case"]
        out.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (left - 8, y0 + row_h // 2 + 4, html.escape(label(r))))
        for j, (key, _, colour) in enumerate(SERIES):
            v = r.get(key)
            by = y0 + (row_h - 2 * bar_h - gap) // 2 + j * (bar_h + gap)
            goal_key = "speedup" + (r.get("goal_column") or "java")[len("java"):]
            gx = x(r["goal"]) if r.get("goal") and goal_key == key else None
            if v:
                a, b = sorted((x(1), x(v)))
                out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"/>' % (a, by, max(b - a, 1), bar_h, colour))
                # the figure beyond the bar's end, and beyond the goal mark when that is close
                if v >= 1:
                    tx = x(v) + 4 if gx is None or not -6 < gx - x(v) < 40 else max(x(v), gx + 2) + 4
                else:
                    tx = x(v) - 4 if gx is None or not -40 < gx - x(v) < 6 else min(x(v), gx - 2) - 4
                out.append('<text x="%.1f" y="%d" font-size="10" text-anchor="%s">%s</text>'
                           % (tx, by + bar_h - 1, "start" if v >= 1 else "end", fmt_x(v)))
            if gx is not None:
                out.append('<rect x="%.1f" y="%d" width="3" height="%d" fill="black"><title>goal %gx</title></rect>'
                           % (gx - 1.5, by - 2, bar_h + 4, r["goal"]))
    # the 1x line, over the bars
    out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black" stroke-width="1.5"/>' % (x(1), top - 6, x(1), bottom))
    out.append('</svg>')
    return "\n".join(out) + "\n"


def main():
    args = sys.argv[1:]
    title = "bench/run"
    if "--title" in args:
        i = args.index("--title")
        title = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        sys.exit(2)
    rows = load(args[0])
    if not rows:
        print("chart.py: no speedups in %s" % args[0], file=sys.stderr)
        sys.exit(1)
    sys.stdout.write(draw(rows, title))


if __name__ == "__main__":
    main()
