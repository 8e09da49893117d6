#!/usr/bin/env python3
"""Merges the Java (BenchMain) and CPython (mp_baseline.py) JSON lines of one bench/run.

Usage: merge.py JAVA_JSONL PYTHON_JSONL   (either may be missing or empty)

stdout: one JSON line per (case, metric):
    {"case", "metric", "unit", "python", "java", "speedup"}
then an aligned table. speedup > 1 means Java is better: python/java for times,
java/python for rates; null when a side is missing or the unit has no better direction
(ratios such as "x").
"""
import json
import sys

TIME_UNITS = {"ns", "us", "ms", "s"}


def load(path):
    rows = []
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    try:
                        rows.append(json.loads(line))
                    except ValueError:
                        print("merge.py: skipping a bad line in %s: %s" % (path, line), file=sys.stderr)
    except OSError:
        pass
    return rows


def speedup(unit, py, java):
    if py is None or java is None or py <= 0 or java <= 0:
        return None
    if unit in TIME_UNITS:
        return py / java
    if unit.endswith("/s"):
        return java / py
    return None


def spread(rec):
    """(max - min) / median of the samples, in percent: how noisy the median is."""
    s = (rec or {}).get("samples") or []
    v = (rec or {}).get("value")
    if len(s) < 2 or not v:
        return None
    return (max(s) - min(s)) / abs(v) * 100


def fmt(x, pct=False):
    if x is None:
        return "-"
    if pct:
        return "%.0f%%" % x
    return "%.4g" % x


def main():
    java_rows, py_rows = load(sys.argv[1]), load(sys.argv[2])
    # Case order: the peer's (it has every case), then Java-only cases; metrics likewise.
    keys, seen = [], {}
    by = {"java": {}, "python": {}}
    for side, rows in (("python", py_rows), ("java", java_rows)):
        for r in rows:
            k = (r.get("case"), r.get("metric"))
            by[side][k] = r
            if k not in seen:
                seen[k] = len(keys)
                keys.append(k)
    case_rank = {}
    for c, _ in keys:
        case_rank.setdefault(c, len(case_rank))
    keys.sort(key=lambda k: (case_rank[k[0]], seen[k]))

    table = []
    for k in keys:
        p, j = by["python"].get(k), by["java"].get(k)
        unit = (p or j).get("unit", "")
        pv, jv = (p or {}).get("value"), (j or {}).get("value")
        rec = {"case": k[0], "metric": k[1], "unit": unit, "python": pv, "java": jv,
               "speedup": None if speedup(unit, pv, jv) is None else float("%.4g" % speedup(unit, pv, jv))}
        errors = [x["error"] for x in (p, j) if x and x.get("error")]
        if errors:
            rec["error"] = "; ".join(errors)
        print(json.dumps(rec))
        table.append([k[0], k[1], unit, fmt(pv), fmt(spread(p), True), fmt(jv), fmt(spread(j), True),
                      fmt(rec["speedup"]) + ("x" if rec["speedup"] is not None else "")])

    head = ["case", "metric", "unit", "python", "py ±", "java", "java ±", "speedup"]
    right = {3, 4, 5, 6, 7}
    w = [max(len(r[i]) for r in [head] + table) for i in range(len(head))]
    line = lambda r: "  ".join(c.rjust(w[i]) if i in right else c.ljust(w[i]) for i, c in enumerate(r)).rstrip()
    print()
    print(line(head))
    print(line(["-" * x for x in w]))
    for r in table:
        print(line(r))
    print()
    print("speedup > 1: Java better (time: python/java, rate: java/python). "
          "±: (max-min)/median of the samples.")


if __name__ == "__main__":
    main()
