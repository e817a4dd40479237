#!/usr/bin/env python3
"""Copies a spec with a one-line edit: TAG is prepended to the first description under
`components` (a doc comment in the generated code), as a developer's small spec change.

Usage: bench/edit_spec.py SRC DST TAG
Exit status 1 when no description under `components` is found.
"""

import re
import sys


def edit(text, tag):
    if text.lstrip().startswith("{"):
        start = text.find('"components"')
        if start < 0:
            return None
        m = re.compile(r'"description"\s*:\s*"').search(text, start)
        if not m:
            return None
        return text[: m.end()] + tag + " " + text[m.end():]
    lines = text.split("\n")
    start = next((i for i, l in enumerate(lines) if l.rstrip() == "components:"), None)
    if start is None:
        return None
    plain = re.compile(r"^(\s*description:\s+)([A-Za-z][^#]*)$")
    for i in range(start, len(lines)):
        m = plain.match(lines[i])
        if m and ": " not in m.group(2):
            lines[i] = m.group(1) + tag + " " + m.group(2)
            return "\n".join(lines)
    return None


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: edit_spec.py SRC DST TAG")
    src, dst, tag = sys.argv[1:]
    with open(src, encoding="utf-8") as f:
        edited = edit(f.read(), tag)
    if edited is None:
        sys.exit(f"{src}: no description under components to edit")
    with open(dst, "w", encoding="utf-8") as f:
        f.write(edited)


if __name__ == "__main__":
    main()
