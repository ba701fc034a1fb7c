#!/usr/bin/env python3
"""Turns one benches/run.sh run into the Markdown tables of BENCHMARKS.md.

Usage: summarize.py RESULTS_DIR CRITERION_DIR > results.md

Reads criterion's `*/new/benchmark.json` + `estimates.json` (median per iteration), the load
runs' `load.tsv`, `build.tsv` and `machine.txt`. Ratios compare figures of the same run.
"""

import json
import pathlib
import sys

results, criterion = map(pathlib.Path, sys.argv[1:3])


def read_criterion():
    benches = {}
    for meta in criterion.glob("**/new/benchmark.json"):
        b = json.loads(meta.read_text())
        est = json.loads((meta.parent / "estimates.json").read_text())
        tp = b.get("throughput") or {}
        benches[(b["group_id"], b["function_id"])] = {
            "ns": est["median"]["point_estimate"],
            "bytes": tp.get("Bytes"),
            "elements": tp.get("Elements"),
        }
    return benches


B = read_criterion()


def ns(group, fn):
    return B[(group, fn)]["ns"]


def mib_s(group, fn):
    b = B[(group, fn)]
    return b["bytes"] / (b["ns"] / 1e9) / 2**20


def fmt_time(n):
    if n >= 1e6:
        return f"{n / 1e6:.2f} ms"
    if n >= 1e3:
        return f"{n / 1e3:.2f} µs"
    return f"{n:.0f} ns"


def target(ok):
    return "met" if ok else "**missed**"


out = []
p = out.append

p("### Machine\n")
p("```")
p((results / "machine.txt").read_text().rstrip())
p("```\n")

p("### Response decoding (criterion, median thread CPU time per document)\n")
p("Throughput is body bytes per second (MiB/s) of each format's own body. `SDK JSON / floor` "
  "compares times (target ≤ 1.1); `XML / floor` compares throughputs (target ≥ 0.5). "
  "SDK JSON is a body with `Content-Length` (the usual case), chunked one without.\n")
p("| document | JSON bytes | XML bytes | JSON floor | SDK JSON | SDK JSON / floor | SDK JSON, chunked | chunked / floor | SDK XML | XML / floor (MiB/s) | XML time / floor time | XML via `Value` |")
p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for doc in ["create_results", "webcam_booking", "phone_chat_booking", "create_results_1000"]:
    g = f"decode/{doc}"
    if (g, "json_floor") not in B:
        continue
    floor, sdk, chunked, xml, via = (
        ns(g, f) for f in ["json_floor", "sdk_json", "sdk_json_chunked", "sdk_xml", "xml_from_value"]
    )
    r_json = sdk / floor
    r_xml = mib_s(g, "sdk_xml") / mib_s(g, "json_floor")
    p(f"| {doc} | {B[(g, 'json_floor')]['bytes']} | {B[(g, 'sdk_xml')]['bytes']} "
      f"| {fmt_time(floor)} ({mib_s(g, 'json_floor'):.0f} MiB/s) "
      f"| {fmt_time(sdk)} ({mib_s(g, 'sdk_json'):.0f} MiB/s) | {r_json:.2f}x ({target(r_json <= 1.1)}) "
      f"| {fmt_time(chunked)} | {chunked / floor:.2f}x "
      f"| {fmt_time(xml)} ({mib_s(g, 'sdk_xml'):.0f} MiB/s) | {r_xml:.2f}x ({target(r_xml >= 0.5)}) "
      f"| {xml / floor:.1f}x | {fmt_time(via)} |")
p("")

p("### Request preparation (criterion, median thread CPU time per request)\n")
p("| request | `serde_json::to_vec` floor | SDK: `IntoWire` + `validate` + builder + `to_vec` | ratio | added |")
p("|---|---:|---:|---:|---:|")
for req in ["create_webcam_booking", "create_phone_chat_booking"]:
    g = f"request/{req}"
    if (g, "sdk") not in B:
        continue
    floor, sdk = ns(g, "to_vec_floor"), ns(g, "sdk")
    p(f"| {req} | {fmt_time(floor)} | {fmt_time(sdk)} | {sdk / floor:.2f}x | {fmt_time(sdk - floor)} |")
p("")

p("### Full calls on loopback (criterion, median thread CPU time per call: client and canned axum server on one thread)\n")
p("Concurrent rows: 64 calls in flight per iteration; time is per call (iteration / 64).\n")
p("| call | mode | bare reqwest + serde_json | SDK `Client` | SDK / floor | target ≤ 1.05 |")
p("|---|---|---:|---:|---:|---|")
for op in ["details_get", "create_post"]:
    g = f"call/{op}"
    for mode in ["sequential", "concurrent64"]:
        key_floor, key_sdk = (g, f"bare_floor/{mode}"), (g, f"sdk/{mode}")
        if key_floor not in B or key_sdk not in B:
            continue
        per = B[key_floor]["elements"] or 1
        floor, sdk = B[key_floor]["ns"] / per, B[key_sdk]["ns"] / per
        r = sdk / floor
        p(f"| {op} | {mode} | {fmt_time(floor)} ({1e9 / floor:,.0f}/s) | {fmt_time(sdk)} ({1e9 / sdk:,.0f}/s) | {r:.3f}x | {target(r <= 1.05)} |")
p("")

load = results / "load.tsv"
if load.exists():
    rows = [l.split("\t") for l in load.read_text().splitlines() if l.strip()]
    p("### Load: sandbox vs Prism (benches/load.rs, loopback)\n")
    p("| server | op | concurrency | requests | errors | seconds | req/s | p50 | p99 | max |")
    p("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    by = {}
    for label, op, c, n, err, secs, rps, p50, p99, mx in rows:
        by[(label, op, int(c))] = (float(rps), float(p99))
        p(f"| {label} | {op} | {c} | {n} | {err} | {float(secs):.2f} | {float(rps):,.0f} | {p50} ms | {p99} ms | {mx} ms |")
    p("")
    p("| op | sandbox req/s at 16 | Prism req/s at 16 | ratio (target ≥ 10x) | sandbox p99 at 16 |")
    p("|---|---:|---:|---:|---:|")
    for op in ["details", "create"]:
        s, pr = by.get(("sandbox", op, 16)), by.get(("prism", op, 16))
        if s and pr:
            r = s[0] / pr[0]
            p(f"| {op} | {s[0]:,.0f} | {pr[0]:,.0f} | {r:.1f}x ({target(r >= 10)}) | {s[1]} ms |")
    for c in [1, 16, 64]:
        s = by.get(("sandbox", "details", c))
        if s:
            p(f"\nSandbox details GET p99 at concurrency {c}: {s[1]} ms (target < 5 ms: {target(s[1] < 5)})")
    p("")

build = results / "build.tsv"
if build.exists():
    p("### Build cost of the SDK crate (`cargo build -p adultwork`, debug)\n")
    names = {
        "cold": "from scratch: the crate and all its dependencies, empty target directory",
        "clean": "after `cargo clean -p adultwork` (dependencies cached): build script + crate",
        "noop": "no-op rebuild (target < 1 s)",
        "spec_touch": "after `touch openapi.yaml` (target < 30 s)",
        "noop_after": "no-op rebuild after that",
    }
    p("| build | seconds | target |")
    p("|---|---:|---|")
    for line in build.read_text().splitlines():
        kind, secs = line.split("\t")
        t = {"noop": float(secs) < 1, "noop_after": float(secs) < 1, "spec_touch": float(secs) < 30}.get(kind)
        p(f"| {names.get(kind, kind)} | {float(secs):.2f} | {'' if t is None else target(t)} |")
    p("")

print("\n".join(out))
