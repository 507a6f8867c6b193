"""Builtin modules (code inside kiln, run as `kiln builtin-step` child processes) in real
pipelines: read-csv -> select-columns -> split -> write-csv, their metrics, determinism, and
bad data failing the step with a message that names the line or column."""

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiln_server import KILN_BIN  # noqa: E402
from test_pipelines import kiln  # noqa: E402

ROWS = [("id", "x", "label", "note")] + [
    (str(i), f"{i * 0.5}", "a" if i % 2 else "b", f"n{i}") for i in range(1, 11)]

PIPELINE = """name: builtins
params:
  seed: {type: int, default: 7}
steps:
  read:
    uses: read-csv@1.0.0
    inputs: {source: data/table.csv}
  pick:
    uses: select-columns@1.0.0
    inputs: {table: read.table}
    params: {drop: [note]}
  split:
    uses: split@1.0.0
    inputs: {table: pick.table}
    params: {test_fraction: 0.4, stratify: label, seed: "${params.seed}"}
  train_csv:
    uses: write-csv@1.0.0
    inputs: {table: split.train}
  test_csv:
    uses: write-csv@1.0.0
    inputs: {table: split.test}
"""


def blob_text(data, digest):
    with open(os.path.join(data, "artifacts", "blobs", "sha256", digest[:2], digest)) as f:
        return f.read()


class BuiltinPipelineTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="kiln-builtins-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.data = os.path.join(self.dir, "kiln-data")
        os.makedirs(os.path.join(self.dir, "data"))
        self.write_csv(ROWS)
        with open(os.path.join(self.dir, "p.yaml"), "w") as f:
            f.write(PIPELINE)

    def write_csv(self, rows, name="table.csv"):
        with open(os.path.join(self.dir, "data", name), "w", newline="") as f:
            csv.writer(f).writerows(rows)

    def run_pipeline(self, *args):
        result = kiln("run", os.path.join(self.dir, "p.yaml"), "--data", self.data, "--json", *args)
        return result, (json.loads(result.stdout)["runs"][0] if result.stdout.strip() else None)

    def output(self, run, step, name):
        found = [s for s in run["steps"] if s["step"] == step][0]
        return [o for o in found["outputs"] if o["name"] == name][0]["digest"]

    def table(self, run, step):
        return list(csv.reader(io.StringIO(blob_text(self.data, self.output(run, step, "csv")))))

    def test_read_select_split_write(self):
        result, run = self.run_pipeline()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual({s["step"]: s["status"] for s in run["steps"]},
                         {k: "SUCCEEDED" for k in ("read", "pick", "split", "train_csv", "test_csv")})
        train, test = self.table(run, "train_csv"), self.table(run, "test_csv")
        self.assertEqual(train[0], ["id", "x", "label"])  # note dropped
        self.assertEqual(test[0], ["id", "x", "label"])
        self.assertEqual((len(train) - 1, len(test) - 1), (6, 4))
        # stratified: 2 of each label in test; together exactly the input rows, in order
        self.assertEqual(sorted(r[2] for r in test[1:]), ["a", "a", "b", "b"])
        expected = [[r[0], r[1], r[2]] for r in ROWS[1:]]
        self.assertEqual(sorted(train[1:] + test[1:], key=lambda r: int(r[0])), expected)
        self.assertEqual(train[1:], sorted(train[1:], key=lambda r: int(r[0])))
        # typed values survive the trip: ints stay ints, floats keep their point
        self.assertIn(["1", "0.5", "a"], train[1:] + test[1:])
        self.assertIn(["2", "1.0", "b"], train[1:] + test[1:])

        split_run = [s for s in run["steps"] if s["step"] == "split"][0]["run_id"]
        shown = json.loads(kiln("runs", "show", split_run, "--data", self.data, "--json").stdout)
        metrics = {m["key"]: m["value"] for m in shown["run"]["data"]["metrics"]}
        self.assertEqual((metrics["train_rows"], metrics["test_rows"]), (6, 4))

        # the same seed gives the same split when recomputed; another seed another one
        _, again = self.run_pipeline("--no-cache")
        self.assertEqual(self.output(again, "split", "test"), self.output(run, "split", "test"))
        _, other = self.run_pipeline("seed=8")
        self.assertNotEqual(self.table(other, "test_csv"), test)

    def test_csv_head_takes_csv_files_and_planning_refuses_a_kiln_table(self):
        head = """
  head:
    uses: csv-head@2.0.0
    inputs: {table: SOURCE}
    params: {rows: 2}
"""
        with open(os.path.join(self.dir, "p.yaml"), "w") as f:
            f.write(PIPELINE + head.replace("SOURCE", "read.table"))
        result = kiln("run", os.path.join(self.dir, "p.yaml"), "--data", self.data)
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertIn("expects a file", result.stderr)
        self.assertIn("'table'", result.stderr)
        with open(os.path.join(self.dir, "p.yaml"), "w") as f:
            f.write(PIPELINE + head.replace("SOURCE", "test_csv.csv"))
        result, run = self.run_pipeline()
        self.assertEqual(result.returncode, 0, result.stderr)
        rows = list(csv.reader(io.StringIO(blob_text(self.data, self.output(run, "head", "head")))))
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[0], ["id", "x", "label"])

    def test_bad_data_fails_the_step_naming_line_or_column(self):
        self.write_csv(ROWS[:3] + [("4", "2.0")] + ROWS[4:])  # line 4 has 2 fields
        result, run = self.run_pipeline()
        self.assertEqual(result.returncode, 1, result.stderr)
        read = [s for s in run["steps"] if s["step"] == "read"][0]
        self.assertEqual(read["status"], "FAILED")
        # the live view shows the failed step's log tail
        self.assertIn("table.csv line 4: expected 4 fields, found 2", result.stderr)
        self.assertEqual([s["status"] for s in run["steps"] if s["step"] != "read"],
                         ["SKIPPED"] * 4)

    def test_unknown_columns_are_named(self):
        for old, new, needle in [("drop: [note]", "drop: [nope]", "nope"),
                                 ("stratify: label", "stratify: lbl", "lbl")]:
            with open(os.path.join(self.dir, "p.yaml"), "w") as f:
                f.write(PIPELINE.replace(old, new))
            result = kiln("run", os.path.join(self.dir, "p.yaml"), "--data", self.data)
            self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
            self.assertIn(f"no column '{needle}'", result.stdout + result.stderr)

    def test_check_fails_the_step_with_a_report_of_every_violation(self):
        spec = PIPELINE.replace("""  pick:
    uses: select-columns@1.0.0
    inputs: {table: read.table}""", """  check:
    uses: check@1.0.0
    inputs: {table: read.table}
    params: {required: [id, weight], ranges: ["x:0..4"], allowed: ["label:a"]}
  pick:
    uses: select-columns@1.0.0
    inputs: {table: check.table}""")
        with open(os.path.join(self.dir, "p.yaml"), "w") as f:
            f.write(spec)
        result, run = self.run_pipeline()
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("step:read.table failed 3 check(s):", result.stderr)
        self.assertIn("column 'weight' is missing", result.stderr)
        self.assertIn("column 'x': 2 value(s) outside 0..4 (first at row 8: 4.5)", result.stderr)
        self.assertIn("column 'label' row 1: 'b' is not one of a", result.stderr)
        self.assertEqual([s["status"] for s in run["steps"] if s["step"] == "pick"], ["SKIPPED"])

    def test_bad_builtin_request_exits_2(self):
        bad = os.path.join(self.dir, "bad.json")
        with open(bad, "w") as f:
            f.write("{not json")
        result = subprocess.run([KILN_BIN, "builtin-step", bad], capture_output=True, text=True)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("bad.json", result.stderr)
        with open(bad, "w") as f:
            json.dump({"builtin": "no-such", "inputs": {}, "outputs": {}}, f)
        result = subprocess.run([KILN_BIN, "builtin-step", bad], capture_output=True, text=True)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("no builtin 'no-such'", result.stderr)
        self.assertIn("read-csv", result.stderr)


if __name__ == "__main__":
    unittest.main()
