#!/usr/bin/env python3
"""Executes govind notebooks headlessly, papermill-style, for `govind notebook run`.

For each notebook: inject a code cell tagged `injected-parameters` right after the cell tagged
`parameters` (holding `%period M` and, when given, `%district D`), execute every cell with nbclient
on the kernel named by --kernel (stop at the first error), write the executed notebook and an HTML
export to --out, and record the outcome in <out>/run-summary.json:
  [{"notebook", "status": "ok"|"failed", "seconds", "ipynb", "html",
    "error": {"cell", "first_line", "ename", "evalue"}}]
Exit status 0 when every notebook ran without error, 1 otherwise (the failing cell is named on stderr).
Needs only the standard library, nbclient and nbconvert (Debian: python3-nbclient python3-nbconvert).
"""
import argparse
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def inject(nb, period, district):
    """Removes an earlier injected cell, then adds ours after the parameters cell (at the top without one)."""
    nb.cells = [c for c in nb.cells if "injected-parameters" not in tags(c)]
    lines = ["%period " + period]
    if district:
        lines.append("%district " + district)
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["tags"] = ["injected-parameters"]
    at = 0
    for i, c in enumerate(nb.cells):
        if c.cell_type == "code" and "parameters" in tags(c):
            at = i + 1
            break
    nb.cells.insert(at, cell)


def first_error(nb):
    """(index, cell, error output) of the first code cell with an error output, else None."""
    for i, c in enumerate(nb.cells):
        if c.cell_type != "code":
            continue
        for o in c.get("outputs", []):
            if o.get("output_type") == "error":
                return i, c, o
    return None


def first_line(source):
    for line in source.splitlines():
        if line.strip():
            return line.strip()
    return ""


def run_one(path, args):
    name = os.path.basename(path)
    stem = name[:-len(".ipynb")] if name.endswith(".ipynb") else name
    nb = nbformat.read(path, as_version=4)
    inject(nb, args.period, args.district)
    client = NotebookClient(nb, kernel_name=args.kernel, timeout=args.timeout, startup_timeout=args.startup_timeout,
                            allow_errors=False, record_timing=True,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    started = time.monotonic()
    result = {"notebook": name, "status": "ok"}
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
        result["status"] = "failed"
        found = first_error(nb)
        if found:
            i, cell, out = found
            result["error"] = {"cell": i, "first_line": first_line(cell.source),
                               "ename": out.get("ename", ""), "evalue": out.get("evalue", "")}
        else:
            text = str(e).strip().splitlines()
            result["error"] = {"cell": None, "first_line": "", "ename": type(e).__name__,
                               "evalue": text[-1] if text else type(e).__name__}
    result["seconds"] = round(time.monotonic() - started, 1)
    os.makedirs(args.out, exist_ok=True)
    ipynb = os.path.join(args.out, stem + ".ipynb")
    nbformat.write(nb, ipynb)
    html, _ = HTMLExporter().from_notebook_node(nb)
    html_path = os.path.join(args.out, stem + ".html")
    with open(html_path, "w", encoding="utf-8") as f:
        f.write(html)
    result["ipynb"] = ipynb
    result["html"] = html_path
    return result


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("notebooks", nargs="+")
    p.add_argument("--kernel", default="govind-sql")
    p.add_argument("--out", required=True)
    p.add_argument("--period", required=True)
    p.add_argument("--district")
    p.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    p.add_argument("--startup-timeout", type=int, default=180, help="seconds for the kernel to start")
    args = p.parse_args()
    results = []
    for path in args.notebooks:
        r = run_one(path, args)
        results.append(r)
        line = "%s  %s  %.1f s" % (r["notebook"], r["status"], r["seconds"])
        print(line, flush=True)
        if r["status"] != "ok":
            e = r["error"]
            where = "cell %s (%s)" % (e["cell"], e["first_line"]) if e["cell"] is not None else "the kernel"
            print("notebook %s failed in %s: %s: %s" % (r["notebook"], where, e["ename"], e["evalue"]), file=sys.stderr, flush=True)
    with open(os.path.join(args.out, "run-summary.json"), "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False, indent=1)
    return 0 if all(r["status"] == "ok" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
