"""Saved pipelines: /api/v1/pipelines (list, get, put, validate, delete), runs of a saved
pipeline by name, the `pipeline` filter of the run list, and CLI runs showing in the list."""

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time

from kiln_server import KILN_BIN, ServerTestCase, uniq

PIPELINES = "/api/v1/pipelines"
RUNS = "/api/v1/pipeline-runs"
FINAL = ("SUCCEEDED", "FAILED", "CANCELLED", "CACHED", "SKIPPED")
CSV = b"x,label\n" + b"".join(b"%d,%s\n" % (i, b"a" if i % 2 else b"b") for i in range(20))

SPEC = """name: {name}
params:
  fraction: {{type: float, default: 0.25, min: 0.0, max: 1.0}}
steps:
  read:
    uses: read-csv@1.0.0
    inputs: {{source: "dataset:{dataset}@latest"}}
  split:
    uses: split@1.0.0
    inputs: {{table: read.table}}
    params: {{test_fraction: "${{params.fraction}}", seed: 3}}
  test_csv:
    uses: write-csv@1.0.0
    inputs: {{table: split.test}}
"""


class SavedPipelinesTest(ServerTestCase):
    # Pipelines sent over HTTP must lie in the server's pipeline roots; these tests keep theirs
    # in temporary folders.
    server_args = ("--pipeline-roots", tempfile.gettempdir())

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        digest = hashlib.sha256(CSV).hexdigest()
        status, _ = cls.server.call("PUT", "/api/v1/blobs/" + digest, body=CSV,
                                    headers={"Content-Type": "application/octet-stream"})
        assert status == 200, status
        cls.dataset = uniq("table")
        status, out = cls.server.call("POST", "/api/v1/datasets",
                                      body={"name": cls.dataset, "digest": digest})
        assert status == 200, out

    def spec(self, name, dataset=None):
        return SPEC.format(name=name, dataset=dataset or self.dataset)

    def put(self, name, spec, **extra):
        return self.call("PUT", f"{PIPELINES}/{name}", body={"spec": spec, **extra})

    def assertNotStored(self, name):
        self.assertNotFound(self.call("GET", f"{PIPELINES}/{name}"))

    def wait_final(self, run_id, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run = self.ok(self.call("GET", f"{RUNS}/{run_id}"))
            if run["status"] in FINAL:
                return run
            time.sleep(0.1)
        self.fail(f"run {run_id} not final after {timeout} s")

    def test_put_get_run_by_name(self):
        name = uniq("saved")
        saved = self.ok(self.put(name, self.spec(name)))["pipeline"]
        self.assertEqual(saved["name"], name)
        self.assertEqual(saved["step_count"], 3)
        self.assertTrue(saved["base_dir"].endswith("/pipelines/" + name), saved)
        self.assertTrue(os.path.isdir(saved["base_dir"]))
        got = self.ok(self.call("GET", f"{PIPELINES}/{name}"))["pipeline"]
        self.assertEqual(got["spec"], self.spec(name))
        self.assertEqual(got["created_ms"], saved["created_ms"])
        listed = [p for p in self.ok(self.get(PIPELINES, max_results=1000))["pipelines"]
                  if p["name"] == name]
        self.assertEqual(len(listed), 1)
        self.assertIsNone(listed[0]["last_run"])
        self.assertNotIn("spec", listed[0])

        submitted = self.ok(self.post(RUNS, {"pipeline": name, "overrides": ["fraction=0.5"]}))
        self.assertEqual(submitted["pipeline"], name)
        run_id = submitted["runs"][0]["run_id"]
        run = self.wait_final(run_id)
        self.assertEqual(run["status"], "SUCCEEDED", run)
        for step in run["steps"]:  # another test may have read the same dataset already
            self.assertIn(step["status"], ("SUCCEEDED", "CACHED"), step)
        self.assertEqual(str(run["params"]["fraction"]), "0.5")

        listed = [p for p in self.ok(self.get(PIPELINES, max_results=1000))["pipelines"]
                  if p["name"] == name][0]
        self.assertEqual(listed["last_run"]["run_id"], run_id)
        self.assertEqual(listed["last_run"]["status"], "SUCCEEDED")
        # Running the saved spec again does not count as a change.
        self.assertEqual(listed["updated_ms"], saved["updated_ms"])
        runs = self.ok(self.get(RUNS, pipeline=name))["runs"]
        self.assertEqual([r["run_id"] for r in runs], [run_id])
        self.assertEqual(self.ok(self.get(RUNS, pipeline=uniq("none")))["runs"], [])

    def test_put_replaces_and_keeps_created(self):
        name = uniq("edit")
        first = self.ok(self.put(name, self.spec(name)))["pipeline"]
        time.sleep(0.01)
        edited = self.spec(name).replace("seed: 3", "seed: 4")
        second = self.ok(self.put(name, edited))["pipeline"]
        self.assertEqual(second["created_ms"], first["created_ms"])
        self.assertGreater(second["updated_ms"], first["updated_ms"])
        self.assertEqual(second["spec"], edited)

    def test_validate_gives_plan_order(self):
        name = uniq("check")
        out = self.ok(self.post(f"{PIPELINES}/validate", {"spec": self.spec(name)}))
        self.assertEqual(out["valid"], True)
        self.assertEqual(out["name"], name)
        self.assertEqual(out["steps"], ["read", "split", "test_csv"])
        self.assertNotStored(name)
        self.assertInvalid(self.post(f"{PIPELINES}/validate", {"spec": "name: [x"}))

    def test_invalid_specs_are_refused_and_nothing_is_stored(self):
        name = uniq("bad")
        good = self.spec(name)
        cases = {
            "yaml syntax": (good + "  broken: [\n", ["pipeline.yaml:"]),
            "unknown module": (good.replace("split@1.0.0", "nope-module@9.9.9"),
                               ["nope-module"]),
            "unknown output": (good.replace("inputs: {table: read.table}",
                                                 "inputs: {table: read.nothing}"),
                                    ["steps.split.inputs.table"]),
            "param out of range": (good.replace("default: 0.25", "default: 7.5"),
                                   ["fraction"]),
            "step param out of range": (good.replace('"${params.fraction}"', "1.5"),
                                        ["test_fraction"]),
            "unknown dataset": (self.spec(name, dataset=uniq("nodata")), ["dataset"]),
            "name mismatch": (self.spec(name + "-other"), [name + "-other", name]),
        }
        for what, (spec, needles) in cases.items():
            body = self.assertInvalid(self.put(name, spec), needles, what)
            if os.environ.get("SHOW_MESSAGES"):
                print(what, "->", body["message"])
            self.assertNotStored(name)
            if what == "yaml syntax":
                self.assertRegex(body["message"], r"pipeline\.yaml:\d+:\d+")
        # A type mismatch between connected ports: a table into a file input.
        typed = good.replace('inputs: {source: "dataset:%s@latest"}' % self.dataset,
                             "inputs: {source: split.test}")
        typed = typed.replace("inputs: {table: read.table}", 'inputs: {table: "dataset:%s@1"}'
                              % self.dataset)
        body = self.assertInvalid(self.put(name, typed), ["is a table", "expects a file"],
                                   "type mismatch")
        if os.environ.get("SHOW_MESSAGES"):
            print("type mismatch ->", body["message"])
        self.assertNotStored(name)

    def test_bad_requests_name_the_field(self):
        name = uniq("req")
        self.assertInvalid(self.call("PUT", f"{PIPELINES}/{name}", body={}), "spec")
        self.assertInvalid(self.call("PUT", f"{PIPELINES}/{name}", body="{not json"), "json")
        self.assertInvalid(self.put(name, self.spec(name), base_dir="relative/dir"), "base_dir")
        self.assertInvalid(self.put(name, 42), "spec")
        self.assertInvalid(self.post(RUNS, {}), ["spec", "pipeline"])
        self.assertInvalid(self.post(RUNS, {"spec": self.spec(name), "pipeline": name}),
                           ["spec", "pipeline"])
        self.assertNotFound(self.post(RUNS, {"pipeline": uniq("unknown")}), "not found")
        self.assertInvalid(self.get(PIPELINES, max_results=0), "max_results")
        self.assertInvalid(self.get(PIPELINES, page_token="garbage!"))
        bad_name = "bad name!"
        self.assertInvalid(self.call("PUT", f"{PIPELINES}/bad%20name!",
                                     body={"spec": self.spec(bad_name)}),
                           "not a valid pipeline name")
        self.assertInvalid(self.call("PUT", f"{PIPELINES}/", body={"spec": self.spec(name)}))
        self.assertNotFound(self.call("GET", f"{PIPELINES}/{uniq('missing')}"))
        self.assertNotFound(self.call("DELETE", f"{PIPELINES}/{uniq('missing')}"))

    def test_names_with_slashes(self):
        name = uniq("team") + "/demo"
        saved = self.ok(self.put(name, self.spec(name)))["pipeline"]
        self.assertTrue(saved["base_dir"].endswith("/pipelines/" + name), saved)
        self.assertEqual(self.ok(self.call("GET", f"{PIPELINES}/{name}"))["pipeline"]["name"],
                         name)
        self.assertEqual(self.ok(self.call("DELETE", f"{PIPELINES}/{name}")), {})
        self.assertNotStored(name)

    def test_delete_keeps_runs(self):
        name = uniq("gone")
        self.ok(self.put(name, self.spec(name)))
        run_id = self.ok(self.post(RUNS, {"pipeline": name}))["runs"][0]["run_id"]
        self.wait_final(run_id)
        self.assertEqual(self.ok(self.call("DELETE", f"{PIPELINES}/{name}")), {})
        self.assertNotStored(name)
        self.ok(self.call("GET", f"{RUNS}/{run_id}"))
        other = uniq("gone")
        self.ok(self.put(other, self.spec(other)))
        self.assertEqual(self.ok(self.post(f"{PIPELINES}/{other}/delete", {})), {})
        self.assertNotStored(other)

    def test_pagination(self):
        prefix = uniq("page")
        names = [f"{prefix}-{i:02d}" for i in range(5)]
        for name in reversed(names):
            self.ok(self.put(name, self.spec(name)))
        seen, token = [], None
        for _ in range(100):
            query = {"max_results": 2}
            if token:
                query["page_token"] = token
            page = self.ok(self.get(PIPELINES, **query))
            self.assertLessEqual(len(page["pipelines"]), 2)
            seen += [p["name"] for p in page["pipelines"]]
            token = page.get("next_page_token")
            if not token:
                break
        self.assertEqual(seen, sorted(seen))
        self.assertEqual([n for n in seen if n.startswith(prefix)], names)

    def test_cli_run_appears_in_the_list(self):
        name = uniq("cli")
        folder = tempfile.mkdtemp(prefix="kiln-cli-")
        try:
            path = os.path.join(folder, "p.yaml")
            with open(path, "w") as f:
                f.write(f"name: {name}\nsteps:\n  hello:\n    command: [sh, -c, 'echo hi > "
                        "${outputs.out}']\n    outputs: {out: file}\n")
            result = subprocess.run([KILN_BIN, "run", path, "--server", self.server.base_url,
                                     "--json"], capture_output=True, text=True, timeout=120)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            got = self.ok(self.call("GET", f"{PIPELINES}/{name}"))["pipeline"]
            self.assertEqual(got["base_dir"], folder)
            self.assertTrue(got["file"].endswith("p.yaml"), got)
            listed = [p for p in self.ok(self.get(PIPELINES, max_results=1000))["pipelines"]
                      if p["name"] == name][0]
            self.assertEqual(listed["step_count"], 1)
            self.assertEqual(listed["last_run"]["run_id"],
                             json.loads(result.stdout)["runs"][0]["run_id"])
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    import unittest
    unittest.main()
