"""The step cache must never serve a stale or empty result (issue 14, items 1 and 2):
- a step whose purpose is a side effect (the builtin `register`, or any step saying
  `cache: false`) runs every time: a registered model deleted through the MLflow API is
  registered again by the next run of the unchanged pipeline;
- a cache hit whose outputs are no longer stored (a file blob, or one file of a folder output)
  is a miss: the step runs again and stores them again;
- an inline command's script (any argument naming a file or folder in the pipeline's folder)
  and the files a step lists under `deps:` are part of its cache key: editing them re-runs the
  step, leaving them alone keeps it cached; a deps path outside the folder or missing is
  refused before anything runs (HTTP 400 / exit 2) naming the step and the path."""

import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiln_server import API, ServerTestCase, uniq  # noqa: E402
from test_pipelines import FINAL, RUNS, kiln, steps_of, wait_for  # noqa: E402

REGISTER_PIPELINE = """name: {name}
steps:
  read:
    uses: read-csv@1.0.0
    inputs: {{source: "file:data.csv"}}
  train:
    uses: train-linear@1.0.0
    inputs: {{train: read.table}}
    params: {{label: y, task: regression}}
  register:
    uses: register@1.0.0
    inputs: {{model: train.model}}
    params: {{name: {model}}}
"""

# clean.py reads helpers/ (a folder named on the command line too) and writes its output.
CLEAN_PIPELINE = """name: clean
params:
  script: {type: string, default: scale.py}
steps:
  clean:
    command: [python3, clean.py, helpers, "${outputs.out}"]
    outputs: {out: file}
  scaled:
    command: [python3, "${params.script}", "${inputs.table}", "${outputs.out}"]
    inputs: {table: clean.out}
    params: {script: "${params.script}"}
    outputs: {out: file}
"""

# Steps using the keys issue 14 added: deps (a folder the command does not name) and cache.
EXTRA_STEPS = """  settings:
    command: [sh, -c, "cat conf/settings.txt > ${outputs.out}; echo settings >> executions.log"]
    deps: [conf]
    outputs: {out: file}
  always:
    command: [sh, -c, "echo always >> executions.log; echo x > ${outputs.out}"]
    cache: false
    outputs: {out: file}
"""

CLEAN_PY = """import os, sys
sys.path.insert(0, sys.argv[1])
import helper
with open("executions.log", "a") as log:
    log.write("clean\\n")
with open(sys.argv[2], "w") as out:
    out.write(helper.TEXT + "\\n")
"""

SCALE_PY = """import sys
with open("executions.log", "a") as log:
    log.write("scaled\\n")
text = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(text.upper())
"""

TREE_PIPELINE = """name: tree
steps:
  make:
    command: [sh, -c, "mkdir -p ${outputs.d}; echo alpha > ${outputs.d}/a.txt; echo beta > ${outputs.d}/b.txt; echo make >> executions.log"]
    outputs: {d: dir}
  flat:
    command: [sh, -c, "echo flat > ${outputs.out}; echo flat >> executions.log"]
    outputs: {out: file}
  use:
    command: [sh, -c, "cat ${inputs.d}/a.txt ${inputs.d}/b.txt ${inputs.f} > ${outputs.out}"]
    inputs: {d: make.d, f: flat.out}
    outputs: {out: file}
"""


def blob_path(data, digest):
    return os.path.join(data, "artifacts", "blobs", "sha256", digest[:2], digest)


def read_lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


class ProjectMixin:
    def make_project(self):
        self.tmp = tempfile.mkdtemp(prefix="kiln-cache-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.dir = os.path.join(self.tmp, "project")
        os.makedirs(self.dir)

    def write(self, rel, text):
        path = os.path.join(self.dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    def executions(self):
        return read_lines(os.path.join(self.dir, "executions.log"))


class SideEffectsAndMissingObjectsTest(ProjectMixin, ServerTestCase):
    """Against a real server, through the HTTP API and the MLflow API."""

    server_args = ("--pipeline-roots", tempfile.gettempdir())

    def setUp(self):
        super().setUp()
        self.make_project()

    def submit_and_wait(self, file, timeout=120):
        with open(os.path.join(self.dir, file)) as f:
            body = {"spec": f.read(), "file": file, "base_dir": self.dir}
        run_id = self.ok(self.call("POST", RUNS, body=body), "submit")["runs"][0]["run_id"]

        def final():
            run = self.ok(self.call("GET", f"{RUNS}/{run_id}"), "get run")
            return run if run["status"] in FINAL else None

        run = wait_for(final, timeout, 0.1)
        self.assertTrue(run, f"run {run_id} not final after {timeout} s")
        return run

    def registered_versions(self, model):
        status, body = self.get("registered-models/get", name=model)
        if status == 404:
            return None
        self.assertEqual(status, 200, body)
        status, found = self.get("model-versions/search", filter=f"name='{model}'")
        self.assertEqual(status, 200, found)
        return sorted(int(v["version"]) for v in found.get("model_versions", []))

    def test_register_runs_again_after_the_model_was_deleted(self):
        model = uniq("cache-model")
        rows = "x,y\n" + "".join(f"{i},{2 * i + 1}\n" for i in range(20))
        self.write("data.csv", rows)
        self.write("p.yaml", REGISTER_PIPELINE.format(name=uniq("reg"), model=model))

        first = self.submit_and_wait("p.yaml")
        self.assertEqual(first["status"], "SUCCEEDED", first)
        self.assertEqual(self.registered_versions(model), [1])

        self.ok(self.call("DELETE", API + "registered-models/delete", body={"name": model},
                          prefix=""), "delete model")
        self.assertIsNone(self.registered_versions(model))

        again = self.submit_and_wait("p.yaml")
        self.assertEqual(again["status"], "SUCCEEDED", again)
        steps = steps_of(again)
        self.assertEqual(steps["read"]["status"], "CACHED", steps["read"])
        self.assertEqual(steps["train"]["status"], "CACHED", steps["train"])
        self.assertEqual(steps["register"]["status"], "SUCCEEDED", steps["register"])
        self.assertFalse(steps["register"]["cached"], steps["register"])
        self.assertEqual(self.registered_versions(model), [1])

        # Unchanged and nothing deleted: register still runs (a new version), the rest cached.
        third = self.submit_and_wait("p.yaml")
        self.assertEqual(steps_of(third)["register"]["status"], "SUCCEEDED", third)
        self.assertEqual(self.registered_versions(model), [1, 2])

        # The module says so, and the modules API shows it.
        shown = self.ok(self.call("GET", "/api/v1/modules/register", prefix=""), "module")
        self.assertIs(shown["module"]["cache"], False, shown)
        shown = self.ok(self.call("GET", "/api/v1/modules/train-linear", prefix=""), "module")
        self.assertIs(shown["module"]["cache"], True, shown)


    def test_missing_output_objects_make_a_cache_miss(self):
        self.write("tree.yaml", TREE_PIPELINE)
        first = self.submit_and_wait("tree.yaml")
        self.assertEqual(first["status"], "SUCCEEDED", first)
        self.assertEqual(sorted(self.executions()), ["flat", "make"])
        data = self.server.data_dir

        again = self.submit_and_wait("tree.yaml")
        self.assertEqual({s["status"] for s in again["steps"]}, {"CACHED"}, again)
        self.assertEqual(len(self.executions()), 2)

        # One file of the folder output is gone from the store (and its unpacked copy): the
        # folder step runs again and stores it again; the other steps stay cached.
        tree = steps_of(first)["make"]["outputs"][0]["digest"]
        inner = _tree_entry_digest(data, tree, "a.txt")
        os.remove(blob_path(data, inner))
        shutil.rmtree(os.path.join(data, "trees"), ignore_errors=True)
        third = self.submit_and_wait("tree.yaml")
        self.assertEqual(third["status"], "SUCCEEDED", third)
        steps = steps_of(third)
        self.assertEqual(steps["make"]["status"], "SUCCEEDED", steps["make"])
        self.assertEqual(steps["flat"]["status"], "CACHED", steps["flat"])
        self.assertEqual(steps["use"]["status"], "CACHED", steps["use"])
        self.assertTrue(os.path.exists(blob_path(data, inner)))
        self.assertEqual(self.executions()[2:], ["make"])

        # A file output's blob is gone: its step runs again; and the recomputed entry is
        # remembered, so the run after that is fully cached again.
        flat = steps["flat"]["outputs"][0]["digest"]
        os.remove(blob_path(data, flat))
        fourth = self.submit_and_wait("tree.yaml")
        self.assertEqual(steps_of(fourth)["flat"]["status"], "SUCCEEDED", fourth)
        self.assertTrue(os.path.exists(blob_path(data, flat)))
        fifth = self.submit_and_wait("tree.yaml")
        self.assertEqual({s["status"] for s in fifth["steps"]}, {"CACHED"}, fifth)
        self.assertEqual(self.executions()[3:], ["flat"])

    def test_deps_outside_the_folder_or_missing_are_400_naming_step_and_path(self):
        with open(os.path.join(self.tmp, "outside.txt"), "w") as f:
            f.write("secret\n")
        for dep, needle in (("../outside.txt", "not inside"), ("/etc/hostname", "not inside"),
                            ("nope/missing.txt", "does not exist")):
            spec = ("name: esc\nsteps:\n  grab:\n    command: [sh, -c, \"true > ${outputs.o}\"]\n"
                    f"    deps: [\"{dep}\"]\n    outputs: {{o: file}}\n")
            before = self.ok(self.call("GET", RUNS, query={"pipeline_name": "esc"}), "list")
            resp = self.call("POST", RUNS, body={"spec": spec, "file": "p.yaml",
                                                 "base_dir": self.dir})
            self.assertInvalid(resp, ["steps.grab.deps[0]", dep, needle], what=dep)
            after = self.ok(self.call("GET", RUNS, query={"pipeline_name": "esc"}), "list")
            self.assertEqual(len(after.get("runs", [])), len(before.get("runs", [])))


def _tree_entry_digest(data, tree_digest, name):
    """The blob digest of file `name` in a stored folder (manifest lines: path, digest, ...)."""
    with open(blob_path(data, tree_digest)) as f:
        for line in f.read().splitlines()[1:]:
            path, digest = line.split("\t")[:2]
            if path == name:
                return digest
    raise AssertionError(f"no entry {name} in tree {tree_digest}")


class ScriptEditsTest(ProjectMixin, unittest.TestCase):
    """`kiln run --data DIR`, in-process: what the cache key covers."""

    def setUp(self):
        self.make_project()
        self.data = os.path.join(self.tmp, "data")
        self.write("p.yaml", CLEAN_PIPELINE)
        self.write("clean.py", CLEAN_PY)
        self.write("helpers/helper.py", 'TEXT = "hello"\n')
        self.write("scale.py", SCALE_PY)
        self.write("conf/settings.txt", "fast\n")

    def run_ok(self, *args, expect=0):
        result = kiln("run", os.path.join(self.dir, "p.yaml"), *args, "--data", self.data,
                      "--json")
        self.assertEqual(result.returncode, expect, result.stdout + result.stderr)
        return result, (json.loads(result.stdout)["runs"][0] if expect in (0, 1) else None)

    def statuses(self, run):
        return {name: step["status"] for name, step in steps_of(run).items()}

    def new_executions(self, before):
        return sorted(self.executions()[before:])

    def test_editing_named_files_reruns_only_their_steps(self):
        _, first = self.run_ok()
        self.assertEqual(self.statuses(first), {"clean": "SUCCEEDED", "scaled": "SUCCEEDED"})
        _, again = self.run_ok()
        self.assertEqual(self.statuses(again), {"clean": "CACHED", "scaled": "CACHED"})
        self.assertEqual(sorted(self.executions()), ["clean", "scaled"])

        # the script named on the command line changes (even to fail): clean runs again
        self.write("clean.py", CLEAN_PY + "raise SystemExit('broken on purpose')\n")
        _, broken = self.run_ok(expect=1)
        self.assertEqual(self.statuses(broken)["clean"], "FAILED", broken)
        self.write("clean.py", CLEAN_PY)
        _, restored = self.run_ok()
        self.assertEqual(self.statuses(restored), {"clean": "CACHED", "scaled": "CACHED"})
        seen = len(self.executions())

        # a file inside a folder named on the command line: clean and its dependant re-run
        self.write("helpers/helper.py", 'TEXT = "bye"\n')
        _, edited = self.run_ok()
        self.assertEqual(self.statuses(edited), {"clean": "SUCCEEDED", "scaled": "SUCCEEDED"})
        self.assertEqual(self.new_executions(seen), ["clean", "scaled"])
        out = steps_of(edited)["scaled"]["outputs"][0]["digest"]
        with open(blob_path(self.data, out)) as f:
            self.assertEqual(f.read(), "BYE\n")

        # a script named through a param placeholder
        self.write("scale.py", SCALE_PY + "# edited\n")
        _, scaled = self.run_ok()
        self.assertEqual(self.statuses(scaled), {"clean": "CACHED", "scaled": "SUCCEEDED"})

    def test_deps_and_cache_false(self):
        self.write("p.yaml", CLEAN_PIPELINE + EXTRA_STEPS)
        _, first = self.run_ok()
        self.assertEqual(self.statuses(first)["settings"], "SUCCEEDED", first)
        seen = len(self.executions())

        # unchanged: everything but the cache: false step is cached
        _, again = self.run_ok()
        self.assertEqual(self.statuses(again), {"clean": "CACHED", "scaled": "CACHED",
                                                "settings": "CACHED", "always": "SUCCEEDED"})
        self.assertEqual(self.new_executions(seen), ["always"])
        seen = len(self.executions())

        # a file under a deps folder changes: only its step re-runs
        self.write("conf/settings.txt", "slow\n")
        _, deps = self.run_ok()
        self.assertEqual(self.statuses(deps), {"clean": "CACHED", "scaled": "CACHED",
                                               "settings": "SUCCEEDED", "always": "SUCCEEDED"})
        self.assertEqual(self.new_executions(seen), ["always", "settings"])
        _, steady = self.run_ok()
        self.assertEqual(self.statuses(steady)["settings"], "CACHED", steady)

    def test_deps_escaping_the_folder_is_exit_2_naming_step_and_path(self):
        with open(os.path.join(self.tmp, "outside.txt"), "w") as f:
            f.write("x\n")
        self.write("p.yaml", CLEAN_PIPELINE + EXTRA_STEPS.replace("deps: [conf]",
                                                                  "deps: [conf, ../outside.txt]"))
        result, _ = self.run_ok(expect=2)
        self.assertIn("steps.settings.deps[1]", result.stderr)
        self.assertIn("'../outside.txt'", result.stderr)
        self.assertEqual(self.executions(), [])
        self.assertFalse(os.path.exists(os.path.join(self.data, "work")), "nothing may run")


if __name__ == "__main__":
    unittest.main()
