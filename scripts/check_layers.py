#!/usr/bin/env python3
"""Fails when an #include in src/ crosses a layer the wrong way.

cmake/layers.txt gives each folder of src/ a tier and the folders it uses directly. A file in
folder F may include "G/..." only when G is F or is reachable from F through those uses. The
table itself must point only down (each use on a lower tier) and name every folder of src/.
Each violation is printed as "path:line: F -> G is not allowed (F may use: ...)"; the exit code
is 1 when there is any. usage: scripts/check_layers.py [SRC_ROOT]  (default: src/ of the repo)
"""
import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INCLUDE = re.compile(r'^\s*#\s*include\s+"([A-Za-z0-9_]+)/')


def read_table(path):
    tiers, uses = {}, {}
    with open(path) as f:
        for number, line in enumerate(f, 1):
            fields = line.split('#', 1)[0].split()
            if not fields:
                continue
            if len(fields) < 2 or not fields[1].isdigit():
                sys.exit(f"{path}:{number}: expected 'folder tier [uses...]'")
            tiers[fields[0]] = int(fields[1])
            uses[fields[0]] = fields[2:]
    return tiers, uses


def check_table(path, tiers, uses, folders):
    errors = []
    for folder, used in uses.items():
        for lower in used:
            if lower not in tiers:
                errors.append(f"{path}: {folder} uses {lower}, which has no line")
            elif tiers[lower] >= tiers[folder]:
                errors.append(f"{path}: {folder} (tier {tiers[folder]}) uses {lower} "
                              f"(tier {tiers[lower]}): a layer may use only lower tiers")
    for folder in sorted(folders - set(tiers)):
        errors.append(f"{path}: src/{folder}/ has no line; give it a tier and its uses")
    return errors


def reachable(uses):
    memo = {}

    def visit(folder):
        if folder not in memo:
            memo[folder] = set()
            for lower in uses.get(folder, []):
                memo[folder] |= {lower} | visit(lower)
        return memo[folder]

    return {folder: visit(folder) for folder in uses}


def check_includes(src, allowed):
    errors = []
    for root, _, files in os.walk(src):
        rel = os.path.relpath(root, src)
        if rel == '.':
            continue  # main.cc sits above every layer
        folder = rel.split(os.sep)[0]
        for name in sorted(files):
            if not name.endswith(('.h', '.cc')):
                continue
            path = os.path.join(root, name)
            with open(path, encoding='utf-8', errors='replace') as f:
                for number, line in enumerate(f, 1):
                    match = INCLUDE.match(line)
                    if not match:
                        continue
                    target = match.group(1)
                    if not os.path.isdir(os.path.join(src, target)) or target == folder:
                        continue
                    if target not in allowed.get(folder, set()):
                        may = ' '.join(sorted(allowed.get(folder, set()))) or 'nothing'
                        errors.append(f"{os.path.relpath(path, REPO)}:{number}: {folder} -> "
                                      f"{target} is not allowed ({folder} may use: {may})")
    return errors


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, 'src')
    table = os.path.join(REPO, 'cmake', 'layers.txt')
    tiers, uses = read_table(table)
    folders = {d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d))}
    errors = check_table(os.path.relpath(table, REPO), tiers, uses, folders)
    errors += check_includes(src, reachable(uses))
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        print(f"layers: {len(errors)} forbidden edge(s); see cmake/layers.txt", file=sys.stderr)
        return 1
    print(f"layers: {len(tiers)} layers, every include points down")
    return 0


if __name__ == '__main__':
    sys.exit(main())
