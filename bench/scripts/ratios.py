#!/usr/bin/env python3
"""Prints the decode benchmark medians as a Markdown table, with ratios to `Value` and `IgnoredAny`.

The Atlas-like corpus pages (`atlas-*`) come first. Run after `cargo bench -p atlas-events-bench`; reads target/criterion (or the dir given as argv[1]).
"""
import json
import os
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../target/criterion")
print("| scope | page | size (events) | decoder | median | events/s | / Value | / IgnoredAny |")
print("|---|---|---|---|---:|---:|---:|---:|")
pages = [(k, "500") for k in ["atlas-p1", "atlas-p2", "atlas-p3", "atlas-p4", "atlas-p1-10pct-non-conforming"]]
pages += [(k, n) for k in ["mixed", "progenitor-accepted", "10pct-non-conforming"] for n in ["100", "500"]]
for scope in ["group", "org"]:
    for kind, n in pages:
        d = {}
        for dec in ["ours", "progenitor", "progenitor-rejects", "value", "ignored-any"]:
            p = os.path.join(root, f"{scope}_{kind}", dec, n, "new")
            if not os.path.exists(p):
                continue
            est = json.load(open(os.path.join(p, "estimates.json")))["median"]["point_estimate"]
            el = json.load(open(os.path.join(p, "benchmark.json")))["throughput"]["Elements"]
            d[dec] = (est, el)
        if not d:
            continue
        v, ig = d["value"][0], d["ignored-any"][0]
        for dec, (t, el) in d.items():
            print(f"| {scope} | {kind} | {n} ({el}) | {dec} | {t / 1000:.0f} µs "
                  f"| {el / (t / 1e9) / 1000:.0f} K | {t / v:.2f} | {t / ig:.2f} |")
