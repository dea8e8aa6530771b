#!/usr/bin/env python3
"""docs/ against the tree: the folder map in docs/architecture.md, README's size and links.

The map (the indented block under '## Folder map') must name every folder that holds a
tracked file, every path it names must exist, and each core/include/hbar/<folder>/ line
must name exactly the headers in that folder. README.md stays a front door (<= 250 lines)
and every relative link in README.md and docs/*.md points at a file that exists.
Usage: check_docs.py SOURCE_DIR
"""
import os
import re
import subprocess
import sys

root = sys.argv[1]
errors = []


def tracked_files():
    try:
        out = subprocess.run(["git", "-C", root, "ls-files"], check=True, capture_output=True, text=True).stdout
        files = [f for f in out.splitlines() if f]
        if files:
            return files
    except (OSError, subprocess.CalledProcessError):
        pass
    # Not a git checkout (an unpacked source tarball): walk it, leaving out build trees.
    files = []
    for d, dirs, names in os.walk(root):
        dirs[:] = [x for x in dirs if not x.startswith(("build", ".git", "exports"))]
        files += [os.path.relpath(os.path.join(d, n), root) for n in names]
    return files


arch = open(os.path.join(root, "docs", "architecture.md"), encoding="utf-8").read()
m = re.search(r"^## Folder map\n(.*?)(?=^## |\Z)", arch, re.S | re.M)
if not m:
    sys.exit("docs/architecture.md: no '## Folder map' section")
entries = {}
for line in m.group(1).splitlines():
    if line.startswith("    ") and line.strip():
        path, _, what = line.strip().partition(" ")
        entries[path.rstrip("/")] = what.strip()
if len(entries) < 20:
    errors.append(f"the folder map has only {len(entries)} entries")

for path in entries:
    if not os.path.exists(os.path.join(root, path)):
        errors.append(f"folder map: '{path}' does not exist")

folders = sorted({os.path.dirname(f) for f in tracked_files()} - {""})
for d in folders:
    if d not in entries:
        errors.append(f"folder map: '{d}/' holds tracked files but is not in docs/architecture.md")

inc = os.path.join(root, "core", "include", "hbar")
for g in sorted(os.listdir(inc)):
    key = f"core/include/hbar/{g}"
    if key not in entries:
        continue
    listed = set(entries[key].split())
    present = {os.path.splitext(h)[0] for h in os.listdir(os.path.join(inc, g)) if h.endswith(".hpp")}
    if listed != present:
        errors.append(f"folder map: {key}/ lists {sorted(listed)} but holds {sorted(present)}")

readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()
n = readme.count("\n")
if n > 250:
    errors.append(f"README.md has {n} lines (a front door: at most 250)")

docs = ["README.md"] + [os.path.join("docs", f) for f in os.listdir(os.path.join(root, "docs")) if f.endswith(".md")]
for doc in docs:
    text = open(os.path.join(root, doc), encoding="utf-8").read()
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto:
        if not os.path.exists(os.path.normpath(os.path.join(root, os.path.dirname(doc), target))):
            errors.append(f"{doc}: the link '{target}' points at nothing")

for e in errors:
    print(e, file=sys.stderr)
print(f"check_docs: {len(entries)} map entries, {len(folders)} folders, {len(docs)} documents, {len(errors)} problems")
sys.exit(1 if errors else 0)
