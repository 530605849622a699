#!/usr/bin/env python3
"""Checks executed notebooks against the lines the tutorial prints.

    tools/notebooks/check_outputs.py notebooks/01-introduction-and-standard-convolutions.ipynb ...

For each notebook:
  * every code cell must have been executed (an execution count) and hold no error output;
  * if tools/notebooks/expected/<notebook name without .ipynb>.txt exists, each of its lines
    (blank lines and lines starting with '#' aside) must appear, in that order, as a whole line of
    the notebook's printed output (stdout of the code cells, trailing spaces ignored).

The expected lines are what BrainState's tutorial "Convolution Layers in BrainState" prints (see the
header of each file for where each value comes from), never output of this project's code. A line
that is missing is reported with the printed lines that start the same way (the same text before
the first ':'), so a differing shape shows as "tutorial: ... / printed: ...".
Exit status 0 when every notebook passes, 1 otherwise.
"""
import json
import os
import sys

EXPECTED_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "expected")


def printed_lines(nb):
    lines = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stdout":
                text = out["text"] if isinstance(out["text"], str) else "".join(out["text"])
                lines.extend(l.rstrip() for l in text.split("\n"))
    return lines


def expected_lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n").rstrip() for l in f if l.strip() and not l.startswith("#")]


def check(nb_path):
    problems = []
    with open(nb_path, encoding="utf-8") as f:
        nb = json.load(f)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    for i, cell in enumerate(code, 1):
        if cell.get("execution_count") is None:
            problems.append(f"code cell {i} was not executed")
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                problems.append(f"code cell {i} failed: {out.get('ename')}: {out.get('evalue')}")
    name = os.path.splitext(os.path.basename(nb_path))[0]
    exp_path = os.path.join(EXPECTED_DIR, name + ".txt")
    matched = total = 0
    if os.path.exists(exp_path):
        printed = printed_lines(nb)
        expected = expected_lines(exp_path)
        total = len(expected)
        pos = 0
        for line in expected:
            try:
                pos = printed.index(line, pos) + 1
                matched += 1
            except ValueError:
                key = line.split(":")[0] + ":" if ":" in line else line
                similar = [p for p in printed[pos:] if p.startswith(key)][:3]
                msg = f"tutorial: {line!r}"
                msg += ("\n      printed: " + "\n      printed: ".join(repr(s) for s in similar)) if similar \
                    else "\n      printed: no line starting with " + repr(key) + " after the previous match"
                problems.append(msg)
    status = "FAIL" if problems else "ok"
    detail = f"{len(code)} code cells executed" + (f", {matched} of {total} tutorial lines printed" if total else
                                                   ", no tutorial lines to compare")
    print(f"check_outputs: {status} {nb_path}: {detail}")
    for p in problems:
        print("    " + p)
    return not problems


def main(argv):
    if not argv:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    results = [check(p) for p in argv]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
