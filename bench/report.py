#!/usr/bin/env python3
"""Renders bench/run.sh's raw figures (a TSV of key, value) as the markdown report.

Usage: bench/report.py RESULTS.tsv > report.md
"""

import os
import statistics
import sys

TOOLS = [("apigen", "apigen"), ("progenitor", "cargo-progenitor"), ("oag", "openapi-generator")]
SPECS = ["gong", "medium", "github"]


def load(path):
    data = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("\t")
            data[key] = value
    return data


def nums(value):
    try:
        return [float(v) for v in value.split()] if value else []
    except ValueError:
        return []


def fmt_s(s):
    if s is None:
        return "n/a"
    if s < 1:
        return f"{s * 1000:.0f} ms" if s >= 0.01 else f"{s * 1000:.1f} ms"
    return f"{s:.2f} s" if s < 100 else f"{s:.0f} s"


def fmt_mb(kb):
    if kb is None:
        return "n/a"
    mb = kb / 1024
    return f"{mb:,.0f} MB" if mb >= 10 else f"{mb:.1f} MB"


def fmt_ratio(r):
    if r is None:
        return "n/a"
    return f"{r:.3f}" if r < 0.1 else f"{r:.2f}"


class Report:
    def __init__(self, data, raw_dir="."):
        self.d = data
        self.out = []
        # A file a section kept from an earlier run (`--only`) is looked for where it was
        # written, then beside the raw figures (the run may have been made from another
        # checkout sharing the bench directory).
        self.raw_dir = raw_dir

    def read_kept(self, path):
        """The text of a file the raw figures name, or None when it is gone."""
        for candidate in (path, os.path.join(self.raw_dir, os.path.basename(path))):
            if os.path.isfile(candidate):
                with open(candidate, encoding="utf-8") as f:
                    return f.read().strip()
        return None

    def p(self, line=""):
        self.out.append(line)

    def get(self, key):
        return self.d.get(key)

    def median(self, key):
        v = nums(self.get(key) or "")
        return statistics.median(v) if v else None

    def spread(self, key):
        """'median [min–max]' of a list of seconds, or None."""
        v = nums(self.get(key) or "")
        if not v:
            return None
        med = fmt_s(statistics.median(v))
        if len(v) == 1:
            return med
        return f"{med} [{fmt_s(min(v))}–{fmt_s(max(v))}]"

    def failure(self, prefix):
        """The failure text recorded under PREFIX.fail, if any."""
        reason = self.get(prefix + ".fail")
        if reason is None:
            return None
        took = self.median(prefix + ".failtime")
        after = f" after {fmt_s(took)}" if took else ""
        return f"failed{after} ({reason})"

    def spec_label(self, spec):
        path = self.get(f"spec.{spec}.path") or spec
        name = path.rsplit("/", 1)[-1]
        ops = self.get(f"spec.{spec}.ops")
        size = self.get(f"spec.{spec}.size")
        bits = []
        if ops:
            bits.append(f"{ops} ops")
        if size:
            bits.append(f"{int(size) / 1e6:.2f} MB" if int(size) >= 1e5 else f"{int(size) / 1e3:.0f} kB")
        return f"{name} ({', '.join(bits)})" if bits else name

    def cell(self, prefix, metric):
        """A table cell: TIME spread, memory, count, or the failure."""
        fail = self.failure(prefix)
        if metric in ("t", "cpu"):
            got = self.spread(prefix + "." + metric)
        elif metric == "rss":
            m = self.median(prefix + ".rss")
            got = fmt_mb(m) if m else None
        else:
            got = self.get(prefix + "." + metric)
            got = f"{int(got):,}" if got and got.isdigit() else got
        if got:
            return got
        if fail:
            return fail if metric == "t" else "—"
        return "n/a"

    def ratio(self, ours_key, peer_key):
        ours, peer = self.median(ours_key), self.median(peer_key)
        if ours is None or not peer:
            return None
        return ours / peer

    def ratio_lines(self, ours_key, peer_key):
        ours, peer = self.get(ours_key), self.get(peer_key)
        if not ours or not peer or not ours.isdigit() or not peer.isdigit() or peer == "0":
            return None
        return int(ours) / int(peer)

    # ------------------------------------------------------------------ sections
    def header(self):
        g = self.get
        self.p("# apigen benchmark")
        self.p()
        self.p(
            f"{g('meta.date')}. Machine: {g('meta.nproc')} cores ({g('meta.cpu')}), {g('meta.mem')} RAM, "
            f"{g('meta.os')}; {g('meta.rustc')}; Java: {g('meta.java')}. Load average at start "
            f"{g('meta.load_start')}, at end {g('meta.load_end')}."
        )
        self.p()
        self.p(
            f"Versions: apigen {g('version.apigen')}, cargo-progenitor {g('version.progenitor') or 'n/a'}, "
            f"openapi-generator {g('version.oag') or 'n/a'}. Peers: cargo-progenitor {g('install.progenitor')}; "
            f"openapi-generator-cli (PyPI) {g('install.oag')}. Mode: {g('meta.mode')}; "
            f"times are wall-clock medians of {g('meta.runs')} runs [min–max] unless marked single; "
            "memory is the peak resident set size of the largest process (GNU time)."
        )
        self.p()
        if g("meta.only"):
            self.p(
                f"Sections re-run with `--only {g('meta.only')}`; the other figures are from the run of "
                f"{g('meta.previous') or 'an earlier date'} (same machine)."
            )
            self.p()

    def generation(self):
        self.p("## Generation, whole process")
        self.p()
        self.p(
            "Each tool as a fresh process writing into an empty directory: `apigen generate SPEC --out DIR`, "
            "`cargo-progenitor progenitor -i SPEC -o DIR -n NAME -v 0.1.0` (the binary `cargo progenitor` runs), "
            "`openapi-generator-cli generate -i SPEC -g rust -o DIR` (JVM start-up included, as users run it). "
            "Lines: `.rs` lines in the output."
        )
        self.p()
        self.p("| spec | figure | apigen | cargo-progenitor | openapi-generator | apigen / progenitor | apigen / openapi-generator |")
        self.p("|---|---|---:|---:|---:|---:|---:|")
        for spec in SPECS:
            if not (self.get(f"spec.{spec}.path") or "").endswith((".json", ".yaml", ".yml")):
                continue
            label = self.spec_label(spec)
            note = self.get(f"gen.{spec}.oag.note")
            for metric, name in [("t", "time"), ("rss", "peak memory"), ("lines", "generated lines")]:
                cells = [self.cell(f"gen.{spec}.{tool}", metric) for tool, _ in TOOLS]
                if metric == "t" and note:
                    cells[2] += f" (with {note})"
                if metric == "lines":
                    ratios = [self.ratio_lines(f"gen.{spec}.apigen.lines", f"gen.{spec}.{t}.lines") for t in ("progenitor", "oag")]
                else:
                    ratios = [self.ratio(f"gen.{spec}.apigen.{metric}", f"gen.{spec}.{t}.{metric}") for t in ("progenitor", "oag")]
                self.p(f"| {label} | {name} | " + " | ".join(cells) + " | " + " | ".join(fmt_ratio(r) for r in ratios) + " |")
                label = ""
        self.p()

    def compile(self):
        self.p("## Compiling the generated crate, dependencies already built")
        self.p()
        self.p(
            "A scratch workspace per crate under `target/bench-work/compile`, one target dir per tool; "
            "built once to warm, then `touch src/lib.rs` and time `cargo check` / `cargo build` (dev profile). "
            "Memory: peak RSS of rustc."
        )
        self.p()
        self.p("| spec | figure | apigen | cargo-progenitor | openapi-generator | apigen / progenitor | apigen / openapi-generator |")
        self.p("|---|---|---:|---:|---:|---:|---:|")
        for spec in ["gong", "medium"]:
            if not any(self.get(f"build.{spec}.{t}.t") or self.get(f"build.{spec}.{t}.fail") for t, _ in TOOLS):
                continue
            label = self.spec_label(spec)
            for kind, metric, name in [
                ("check", "t", "`cargo check`"),
                ("build", "t", "`cargo build`"),
                ("build", "rss", "`cargo build` peak memory"),
            ]:
                cells = []
                for tool, _ in TOOLS:
                    if not self.get(f"gen.{spec}.{tool}.t"):
                        cells.append("n/a (not generated)")
                    else:
                        fail = self.get(f"build.{spec}.{tool}.fail") if kind == "build" or not self.get(f"check.{spec}.{tool}.t") else None
                        fail = fail or self.get(f"{kind}.{spec}.{tool}.fail")
                        got = self.cell(f"{kind}.{spec}.{tool}", metric)
                        cells.append(got if got != "n/a" or not fail else f"failed ({fail})")
                ratios = [self.ratio(f"{kind}.{spec}.apigen.{metric}", f"{kind}.{spec}.{t}.{metric}") for t in ("progenitor", "oag")]
                self.p(f"| {label} | {name} | " + " | ".join(cells) + " | " + " | ".join(fmt_ratio(r) for r in ratios) + " |")
                label = ""
        if any(self.get(f"ghbuild.{t}.t") or self.get(f"ghbuild.{t}.fail") for t, _ in TOOLS):
            label = self.spec_label("github")
            for metric, name in [("t", "`cargo build` (single run)"), ("rss", "`cargo build` peak memory")]:
                cells = [self.cell(f"ghbuild.{t}", metric) if (self.get(f"ghbuild.{t}.t") or self.get(f"ghbuild.{t}.fail")) else "n/a" for t, _ in TOOLS]
                ratios = [self.ratio(f"ghbuild.apigen.{metric}", f"ghbuild.{t}.{metric}") for t in ("progenitor", "oag")]
                self.p(f"| {label} | {name} | " + " | ".join(cells) + " | " + " | ".join(fmt_ratio(r) for r in ratios) + " |")
                label = ""
        self.p()

    def edit(self):
        if not any(k.startswith("edit.") for k in self.d):
            return
        self.p("## Rebuild after a one-line spec edit")
        self.p()
        self.p(
            "A description under `components` edited in a copy of the spec; then regenerate into the warm "
            "scratch crate and `cargo build` it (apigen rewrites only the files that changed)."
        )
        self.p()
        self.p("| spec | figure | apigen | cargo-progenitor | openapi-generator | apigen / progenitor | apigen / openapi-generator |")
        self.p("|---|---|---:|---:|---:|---:|---:|")
        for spec in ["gong", "medium"]:
            if not any(self.get(f"edit.{spec}.{t}.t") for t, _ in TOOLS):
                continue
            label = self.spec_label(spec)
            for key, name in [("regen", "regenerate"), ("build", "`cargo build`"), ("t", "total")]:
                cells = []
                for tool, _ in TOOLS:
                    got = self.spread(f"edit.{spec}.{tool}.{key}")
                    fail = self.get(f"edit.{spec}.{tool}.fail")
                    cells.append(got or (f"failed ({fail})" if fail else "n/a"))
                ratios = [self.ratio(f"edit.{spec}.apigen.{key}", f"edit.{spec}.{t}.{key}") for t in ("progenitor", "oag")]
                self.p(f"| {label} | {name} | " + " | ".join(cells) + " | " + " | ".join(fmt_ratio(r) for r in ratios) + " |")
                label = ""
        self.p()

    def clean(self):
        if not any(k.startswith("clean.") for k in self.d):
            return
        self.p("## Clean builds (`--full`, single runs, empty target dir, sources already downloaded)")
        self.p()
        self.p("| build | apigen | cargo-progenitor | openapi-generator | apigen / progenitor | apigen / openapi-generator |")
        self.p("|---|---:|---:|---:|---:|---:|")
        rows = [
            ("downstream", "downstream crate depending on the generated Gong crate, with TLS: rustls + ring for apigen (its default) and progenitor (reqwest 0.13 `rustls-no-provider` + rustls `ring`); openapi-generator's own default (native-tls)"),
            ("downstream-notls", "the same without TLS: apigen with `default-features = false`, progenitor's crate as generated"),
            ("downstream-awslc", "progenitor's crate with reqwest 0.13's own `rustls` feature (rustls + aws-lc-rs), against apigen's default (rustls + ring)"),
            ("buildrs", "build.rs mode: the root package `gong-users-dev` vs a crate whose build.rs runs `progenitor` on the Gong spec"),
        ]
        for key, name in rows:
            if not any(k.startswith(f"clean.{key}.") for k in self.d):
                continue
            stacks = [
                f"{tool}: {self.get(f'clean.{key}.{tool}.tls') or 'none'}"
                for tool, _ in TOOLS
                if self.get(f"clean.{key}.{tool}.tls") is not None
            ]
            full_name = name + (f" (TLS crates built: {'; '.join(stacks)})" if stacks else "")
            for metric, suffix in [("t", ""), ("cpu", " CPU time (user + system)"), ("rss", " peak memory")]:
                if not any(self.get(f"clean.{key}.{tool}.{metric}") for tool, _ in TOOLS):
                    continue
                cells = []
                for tool, _ in TOOLS:
                    prefix = f"clean.{key}.{tool}"
                    if self.get(prefix + ".t") or self.get(prefix + ".fail"):
                        cells.append(self.cell(prefix, metric))
                    else:
                        cells.append("n/a")
                ours = "downstream" if key == "downstream-awslc" else key
                ratios = [self.ratio(f"clean.{ours}.apigen.{metric}", f"clean.{key}.{t}.{metric}") for t in ("progenitor", "oag")]
                label = full_name if metric == "t" else f"″{suffix}"
                self.p(f"| {label} | " + " | ".join(cells) + " | " + " | ".join(fmt_ratio(r) for r in ratios) + " |")
        self.p()

    def percall(self):
        clients = [
            ("apigen", "apigen, retries and rate limit off"),
            ("apigen-defaults", "apigen with its defaults: retry policy, rate limiter on (at a rate never reached)"),
            ("floor", "hand-written reqwest 0.12 + serde derive (the floor)"),
            ("progenitor", "cargo-progenitor's client (reqwest 0.13)"),
        ]
        fail = self.get("percall.fail")
        if not any(k.startswith("percall.") for k in self.d):
            return
        self.p("## Per-call overhead (`bench/percall`, one process)")
        self.p()
        if fail:
            self.p(f"failed: {fail}")
            self.p()
            return
        calls, rounds, body = self.get("percall.calls"), self.get("percall.rounds"), self.get("percall.body")
        self.p(f"{int(calls):,} `GET /v2/users/{{id}}` calls per client and round ({body}-byte JSON body, the stand-in's first user) "
               f"against a keep-alive HTTP/1.1 server on 127.0.0.1, {rounds} rounds with the clients' order rotated; medians. "
               "CPU is the calling thread's clock (user + system: the client's whole work, the server's excluded); allocations are "
               "the calling thread's.")
        self.p()
        self.p("| client | CPU per call | wall per call | allocations per call | KB allocated per call | CPU / floor | allocations / floor |")
        self.p("|---|---:|---:|---:|---:|---:|---:|")
        floor_cpu, floor_allocs = self.median("percall.floor.cpu_ns"), self.median("percall.floor.allocs")
        for key, label in clients:
            cpu, wall = self.median(f"percall.{key}.cpu_ns"), self.median(f"percall.{key}.wall_ns")
            allocs, kb = self.median(f"percall.{key}.allocs"), self.median(f"percall.{key}.bytes")
            if cpu is None:
                self.p(f"| {label} | n/a | | | | | |")
                continue
            self.p(f"| {label} | {cpu / 1000:.1f} µs | {wall / 1000:.1f} µs | {allocs:.0f} | {kb / 1024:.1f} | "
                   f"{fmt_ratio(cpu / floor_cpu)} | {fmt_ratio(allocs / floor_allocs)} |")
        self.p()
        d_ours, d_floor = self.median("percall.decode.apigen.cpu_ns"), self.median("percall.decode.floor.cpu_ns")
        if d_ours is not None and d_floor:
            a_ours, a_floor = self.median("percall.decode.apigen.allocs"), self.median("percall.decode.floor.allocs")
            ours_cpu = self.median("percall.apigen.cpu_ns")
            ours_allocs = self.median("percall.apigen.allocs")
            self.p(f"Of that, decoding the body alone (`serde_json::from_slice`, no HTTP): apigen's generated types "
                   f"{d_ours / 1000:.2f} µs and {a_ours:.0f} allocations, serde's derive {d_floor / 1000:.2f} µs and "
                   f"{a_floor:.0f} ({fmt_ratio(d_ours / d_floor)} ×). Without decoding, a call costs apigen "
                   f"{(ours_cpu - d_ours) / 1000:.1f} µs and {ours_allocs - a_ours:.0f} allocations, the floor "
                   f"{(floor_cpu - d_floor) / 1000:.1f} µs and {floor_allocs - a_floor:.0f} "
                   f"({fmt_ratio((ours_cpu - d_ours) / (floor_cpu - d_floor))} ×).")
            self.p()

    def decode_rows(self):
        """The decode bench's payloads in order: (key, label)."""
        keys = ["repos", "github"] + [f"depth{n}" for n in (1, 2, 4, 8, 16)]
        return [(k, self.get(f"decode.{k}.label")) for k in keys if self.get(f"decode.{k}.dec_ratio")]

    def decode(self):
        if not any(k.startswith("decode.") for k in self.d):
            return
        self.p("## Decoding and encoding the generated models (`cargo bench -p apigen --bench decode`)")
        self.p()
        fail = self.get("decode.fail")
        if fail:
            self.p(f"failed: {fail}")
            self.p()
            return
        self.p(
            f"The generated readers and writers against serde's derive on the same structs, in one process; each "
            f"figure the median of {self.get('decode.runs')} runs, the time ratio the median of generated/derive over "
            "runs made back to back (below 1: generated is faster). Payloads: 5,000 small repositories with an "
            "owner and a parent; GitHub-shaped repositories (owner, licence, permissions, a parent with its own "
            "owner and licence, a template); objects nested N deep at the same total size, so a cost that grows "
            "with depth shows as falling throughput. Peak: the heap peak of one decode."
        )
        self.p()
        self.p("| payload | size | decode: derive | generated | time ratio | encode: derive | generated | time ratio | peak: derive | generated |")
        self.p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for key, label in self.decode_rows():
            g = lambda m: self.get(f"decode.{key}.{m}")  # noqa: E731
            self.p(
                f"| {label} | {g('size_mb')} MB | {g('dec_derive')} MiB/s | {g('dec_gen')} MiB/s | {g('dec_ratio')} "
                f"| {g('enc_derive')} MiB/s | {g('enc_gen')} MiB/s | {g('enc_ratio')} | {g('peak_derive')} MB | {g('peak_gen')} MB |"
            )
        self.p()

    def decode_figures(self):
        """(worst decode ratio, worst encode ratio, depth growth, worst extra peak MB), or None."""
        rows = self.decode_rows()
        if not rows:
            return None
        num = lambda key, m: float(self.get(f"decode.{key}.{m}"))  # noqa: E731
        worst_dec = max(num(k, "dec_ratio") for k, _ in rows)
        worst_enc = max(num(k, "enc_ratio") for k, _ in rows)
        growth = None
        if self.get("decode.depth1.dec_ratio") and self.get("decode.depth16.dec_ratio"):
            growth = num("depth16", "dec_ratio") / num("depth1", "dec_ratio")
        extra = max(num(k, "peak_gen") - num(k, "peak_derive") for k, _ in rows)
        return worst_dec, worst_enc, growth, extra

    def scaling(self):
        ns = sorted({int(k.split(".")[1]) for k in self.d if k.startswith("scale.")})
        if not ns:
            return
        self.p("## Scaling: apigen on synthetic specs (`bench/synth.py N N/2`)")
        self.p()
        self.p("| operations N | schemas | spec size | time | time per operation | peak memory | memory per operation | generated lines |")
        self.p("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for n in ns:
            t = self.median(f"scale.{n}.t")
            m = self.median(f"scale.{n}.rss")
            size = self.get(f"scale.{n}.size")
            lines = self.get(f"scale.{n}.lines")
            fail = self.get(f"scale.{n}.fail")
            if not (t and size and lines):
                self.p(f"| {n:,} | {n // 2:,} | n/a | {'failed (' + fail + ')' if fail else 'n/a'} | | | | |")
                continue
            self.p(
                f"| {n:,} | {n // 2:,} | {int(size) / 1e6:.1f} MB | {self.spread(f'scale.{n}.t')} "
                f"| {t / n * 1000:.2f} ms | {fmt_mb(m)} | {m / n:.0f} KB | {int(lines):,} |"
            )
        self.p()

    def targets(self):
        """The issue's targets, each with the measured ratio."""
        self.p("## Targets (issues 6 and 13)")
        self.p()
        self.p("| target | measured | met? |")
        self.p("|---|---:|---|")

        def row(name, ratio, limit, missing="not measured"):
            if ratio is None:
                self.p(f"| {name} | {missing} | n/a |")
            else:
                verdict = "yes" if ratio <= limit else f"no ({ratio / limit:.1f}× over)"
                self.p(f"| {name} | {fmt_ratio(ratio)} | {verdict} |")

        row("generation, Gong: ≤ 0.2 × progenitor's time", self.ratio("gen.gong.apigen.t", "gen.gong.progenitor.t"), 0.2)
        gh_fail = self.get("gen.github.apigen.fail")
        gh_missing = f"apigen {self.failure('gen.github.apigen')}" if gh_fail else "not measured"
        row("generation, github.json: ≤ 0.1 × openapi-generator's time", self.ratio("gen.github.apigen.t", "gen.github.oag.t"), 0.1, gh_missing)
        row("generation, github.json: ≤ 0.25 × openapi-generator's peak memory", self.ratio("gen.github.apigen.rss", "gen.github.oag.rss"), 0.25, gh_missing)
        row("Gong crate, `cargo check` with warm deps: ≤ 1.0 × progenitor's", self.ratio("check.gong.apigen.t", "check.gong.progenitor.t"), 1.0)
        row("Gong crate, downstream clean build, same TLS stack (rustls + ring): ≤ 0.8 × progenitor's", self.ratio("clean.downstream.apigen.t", "clean.downstream.progenitor.t"), 0.8, "needs --full")
        row("Gong crate, downstream clean build, both without TLS: ≤ 0.8 × progenitor's", self.ratio("clean.downstream-notls.apigen.t", "clean.downstream-notls.progenitor.t"), 0.8, "needs --full")
        row("the same in CPU time, rustls + ring (less sensitive to a loaded machine)", self.ratio("clean.downstream.apigen.cpu", "clean.downstream.progenitor.cpu"), 0.8, "needs --full")
        row("the same in CPU time, without TLS", self.ratio("clean.downstream-notls.apigen.cpu", "clean.downstream-notls.progenitor.cpu"), 0.8, "needs --full")
        row("GitHub crate, `cargo build` with warm deps: ≤ 0.25 × openapi-generator's time", self.ratio("ghbuild.apigen.t", "ghbuild.oag.t"), 0.25, "needs --github-build")
        row("GitHub crate, `cargo build` with warm deps: ≤ 0.25 × openapi-generator's peak memory", self.ratio("ghbuild.apigen.rss", "ghbuild.oag.rss"), 0.25, "needs --github-build")
        row("root package, build.rs mode, clean build: ≤ 0.8 × progenitor's build.rs mode", self.ratio("clean.buildrs.apigen.t", "clean.buildrs.progenitor.t"), 0.8, "needs --full")
        row("per call (issue 13): CPU ≤ 1.1 × the hand-written floor, retries and rate limit off", self.ratio("percall.apigen.cpu_ns", "percall.floor.cpu_ns"), 1.1, "needs the percall section")
        figures = self.decode_figures()
        if figures is None:
            row("decoding (issue 13): generated ≤ 1.0 × derive's time, worst payload", None, 1.0, "needs the decode section")
        else:
            worst_dec, worst_enc, growth, extra = figures
            row("decoding (issue 13): generated ≤ 1.0 × serde derive's time, worst of the payloads above", worst_dec, 1.0)
            row("encoding (issue 13): generated ≤ 1.0 × serde derive's time, worst of the payloads above", worst_enc, 1.0)
            row("decoding cost does not grow with depth: time ratio at depth 16 ÷ at depth 1 ≤ 1.1", growth, 1.1)
            verdict = "yes" if extra <= 1.0 else f"no ({extra:.1f} MB over derive)"
            self.p(f"| decode peak memory (issue 13): ≤ derive's + 1 MB, worst payload | {extra:+.1f} MB | {verdict} |")
        regen, build = self.median("edit.gong.apigen.regen"), self.median("edit.gong.apigen.build")
        if regen is not None and build is not None:
            self.p(f"| rebuild after a one-line Gong spec edit = regenerate + recompile the generated crate only | {fmt_s(regen)} + {fmt_s(build)} | see above |")
        self.p()

    def stages(self):
        self.p("## Where apigen's time goes (per stage, in process, one run)")
        self.p()
        for spec in SPECS:
            path = self.get(f"stages.{spec}")
            if not path:
                continue
            if path.startswith("failed"):
                self.p(f"{self.spec_label(spec)}: {path}")
                self.p()
                continue
            text = self.read_kept(path)
            if text is None:
                self.p(f"{self.spec_label(spec)}: the stage table ({path}) is no longer on disk; re-run with `--only stages`.")
                self.p()
                continue
            # Only the stage table and its caption; the per-module table for the big spec only.
            parts = text.split("\n\n")
            keep = parts[:2] if spec != "github" else parts[:3]
            self.p("\n\n".join(keep))
            self.p()
        crit = self.get("criterion")
        text = None if not crit or crit.startswith("failed") else self.read_kept(crit)
        if text is not None:
            self.p("Criterion (`cargo bench -p apigen --bench stages -- --quick`), [low estimate high]:")
            self.p()
            self.p("```text")
            lines = text.splitlines()
            name = ""
            for line in lines:
                if "time:" in line:
                    head = line.split("time:")[0].strip() or name
                    self.p(f"{head:<32} {line.split('time:')[1].strip()}")
                elif line and not line.startswith((" ", "Benchmarking", "Found", "Warning")):
                    name = line.strip()
            self.p("```")
            self.p()
        elif crit:
            self.p(f"Criterion: {crit}")
            self.p()

    def render(self):
        self.header()
        self.generation()
        self.compile()
        self.edit()
        self.clean()
        self.percall()
        self.decode()
        self.scaling()
        self.targets()
        self.stages()
        return "\n".join(self.out).rstrip() + "\n"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: report.py RESULTS.tsv")
    raw = sys.argv[1]
    sys.stdout.write(Report(load(raw), os.path.dirname(os.path.abspath(raw))).render())


if __name__ == "__main__":
    main()
