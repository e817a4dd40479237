#!/usr/bin/env bash
# Builds the project in tests/downstream/project in a scratch folder outside this
# workspace, as a team using apigen would have it (apigen as a build-dependency by path; a
# spec split over files, an overlay and an apigen.toml), and runs its test, which calls the
# generated client against a server on 127.0.0.1. Dependencies come from this
# repository's Cargo.lock; the target folder is shared with the repository's (set
# CARGO_TARGET_DIR to choose another), so they are not compiled again.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -R "$ROOT/tests/downstream/project/." "$WORK/"
sed "s|@REPO@|$ROOT|g" "$WORK/Cargo.toml.in" > "$WORK/Cargo.toml"
rm "$WORK/Cargo.toml.in"
cp "$ROOT/Cargo.lock" "$WORK/Cargo.lock"
cd "$WORK"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
cargo test
