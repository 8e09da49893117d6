#!/usr/bin/env python3
"""Merges the Java (BenchMain) and CPython (mp_baseline.py) JSON lines of one bench/run.

Usage: merge.py JAVA_JSONL PYTHON_JSONL   (either may be missing or empty)

stdout: one JSON line per (case, metric):
    {"case", "metric", "unit", "python", "java", "speedup", "java_spawn", "speedup_spawn", "goal"}
then an aligned table.

- "java": the Java figure with warm children (the `warm` start method, bench/run's default),
  or with no children at all; "java_spawn": the same case with fresh child JVMs (`spawn`),
  null when the case starts no children or was not run that way. A Java record says which
  with its "start" field; another start method X (e.g. "thread") gets "java_X" and
  "speedup_X".
- speedup > 1 means Java is better: python/java for times, java/python for rates; null when
  a side is missing or the unit has no better direction (ratios such as "x"). Every Java
  column is compared with the same CPython figure (the peer's children come from `fork`).
- "python_metric": present when the CPython figure is another metric's, for a Java figure
  that has no namesake: Java's warm children against CPython's fork (COUNTERPARTS).
- "goal": the speedup an issue asks for, when one does (GOALS), with "goal_column" naming
  the column it applies to; "goal_met" says whether it is met.
"""
import json
import sys

TIME_UNITS = {"ns", "us", "ms", "s"}

# Java metrics without a namesake in the peer, and the peer's metric they are measured against:
# a warm child is the Java program's way to what `fork` gives a Python one.
COUNTERPARTS = {
    ("cold_child_burst", "ms_total_warm"): "ms_total_fork",
    ("process_start", "ms_per_process_warm"): "ms_per_process_fork",
}

# Speedup goals of the issues (3, 4 and 21): (case, metric) -> (goal, column it applies to).
GOALS = {
    ("pipe_small_msgs", "msgs_per_s"): (20, "java"),
    ("pipe_bytes_64k", "MB_per_s"): (1.5, "java"),
    ("pipe_pingpong", "round_trip_us"): (10, "java"),
    ("queue_small_msgs", "msgs_per_s"): (10, "java"),
    ("queue_small_msgs_2p2c", "msgs_per_s"): (10, "java"),
    ("joinable_queue", "msgs_per_s"): (10, "java"),
    ("floatchannel_vs_pipe", "ms_per_message_rawarray"): (20, "java"),
    ("value_lock_increments", "increments_per_s"): (10, "java"),
    ("lock_uncontended", "ns_per_pair"): (5, "java"),
    ("semaphore_pingpong", "round_trip_us"): (4, "java"),
    ("barrier_cycles", "us_per_cycle"): (4, "java"),
    ("event_wakeup", "round_trip_us"): (4, "java"),
    ("process_start", "ms_per_process_warm"): (1, "java"),
    ("pool_map_overhead", "us_per_item_chunksize1"): (10, "java"),
    ("pool_map_overhead", "us_per_item_default_chunksize"): (2, "java"),
    ("cold_child_burst", "ms_total_warm"): (1.5, "java"),
    ("cold_child_burst", "ms_total_spawn"): (1, "java_spawn"),
    ("manager_dict_scaling", "us_per_op_1k"): (10, "java"),
    ("manager_dict_scaling", "us_per_op_100k"): (10, "java"),
}
for _l in ("1k", "100k", "1m"):
    GOALS[("shareablelist_scaling", "read_us_" + _l)] = (50, "java")
    GOALS[("shareablelist_scaling", "write_us_" + _l)] = (50, "java")


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


def column(rec):
    """The merged column of a Java record: "java" for warm children or none, else "java_<start>"."""
    start = rec.get("start")
    return "java" if start in (None, "warm") else "java_" + start


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


def sig(x):
    return None if x is None else float("%.4g" % x)


def merge(java_rows, py_rows):
    """The merged records, in the peer's case order (then Java-only cases), and the Java columns present."""
    keys, seen = [], {}
    by = {"python": {}}
    columns = ["java", "java_spawn"]
    for side, rows in (("python", py_rows), ("java", java_rows)):
        for r in rows:
            k = (r.get("case"), r.get("metric"))
            col = "python" if side == "python" else column(r)
            if col not in by:
                by[col] = {}
            if col not in columns and col != "python":
                columns.append(col)
            by[col][k] = r
            if k not in seen:
                seen[k] = len(keys)
                keys.append(k)
    case_rank = {}
    for c, _ in keys:
        case_rank.setdefault(c, len(case_rank))
    keys.sort(key=lambda k: (case_rank[k[0]], seen[k]))

    merged = []
    for k in keys:
        p = by["python"].get(k)
        js = {col: by.get(col, {}).get(k) for col in columns}
        if p is None and k in COUNTERPARTS and any(js.values()):
            p = by["python"].get((k[0], COUNTERPARTS[k]))
        present = [x for x in [p] + list(js.values()) if x]
        unit = present[0].get("unit", "")
        pv = (p or {}).get("value")
        rec = {"case": k[0], "metric": k[1], "unit": unit, "python": pv}
        if p is not None and p.get("metric") != k[1]:
            rec["python_metric"] = p["metric"]
        for col in columns:
            jv = (js[col] or {}).get("value")
            rec[col] = jv
            rec["speedup" + col[len("java"):]] = sig(speedup(unit, pv, jv))
        if k in GOALS:
            goal, col = GOALS[k]
            got = rec.get("speedup" + col[len("java"):])
            rec.update(goal=goal, goal_column=col, goal_met=None if got is None else got >= goal)
        errors = [x["error"] for x in present if x.get("error")]
        if errors:
            rec["error"] = "; ".join(errors)
        rec["_spread"] = {"python": spread(p), **{col: spread(js[col]) for col in columns}}
        merged.append(rec)
    return merged, columns


def table(merged, columns):
    """The aligned table: Java columns that hold any figure, a goal column when any row has a goal."""
    shown = [c for c in columns if any(r.get(c) is not None for r in merged)] or ["java"]
    head = ["case", "metric", "unit", "python", "py ±"]
    for col in shown:
        suffix = col[len("java"):]
        head += [col, (col if suffix else "java") + " ±", "speedup" + suffix]
    has_goal = any("goal" in r for r in merged)
    if has_goal:
        head.append("goal")
    rows, notes = [], []
    for r in merged:
        py = fmt(r["python"])
        if "python_metric" in r:
            py += "*"
            notes.append("* %s %s: CPython's %s figure (no namesake: Java's warm child against CPython's fork)"
                         % (r["case"], r["metric"], r["python_metric"]))
        row = [r["case"], r["metric"], r["unit"], py, fmt(r["_spread"]["python"], True)]
        for col in shown:
            sp = r.get("speedup" + col[len("java"):])
            row += [fmt(r.get(col)), fmt(r["_spread"].get(col), True), fmt(sp) + ("x" if sp is not None else "")]
        if has_goal:
            if "goal" in r:
                mark = {True: " ok", False: " MISSED", None: ""}[r["goal_met"]]
                where = "" if r["goal_column"] == "java" else " (" + r["goal_column"][len("java_"):] + ")"
                row.append("%gx%s%s" % (r["goal"], where, mark))
            else:
                row.append("")
        rows.append(row)
    right = set(range(3, len(head) - (1 if has_goal else 0)))
    w = [max(len(x[i]) for x in [head] + rows) for i in range(len(head))]
    line = lambda x: "  ".join(c.rjust(w[i]) if i in right else c.ljust(w[i]) for i, c in enumerate(x)).rstrip()
    out = ["", line(head), line(["-" * n for n in w])] + [line(x) for x in rows] + [""]
    out.append("speedup > 1: Java better (time: python/java, rate: java/python). "
               "±: (max-min)/median of the samples.")
    out.append("java: warm children (or none); java_spawn: fresh child JVMs. "
               "goal: the speedup an issue asks for, in the java column unless named.")
    out += notes
    return "\n".join(out)


def main():
    merged, columns = merge(load(sys.argv[1]), load(sys.argv[2]))
    for rec in merged:
        print(json.dumps({k: v for k, v in rec.items() if not k.startswith("_")}))
    print(table(merged, columns))


if __name__ == "__main__":
    main()
