"""The lineage of a model version (GET /api/v1/models/{name}/versions/{version}/lineage) on a
real server: a 4-step pipeline (prep -> read -> train -> register) run once, re-run three
times unchanged (every step re-used from the cache, or register run again), once more with
another train param (prep and read cached, train computed again), and an unrelated pipeline
whose step writes a byte-identical file. The lineage leads to the runs that first computed
each step, one node per step with the re-uses folded into a count, and none of the unrelated
pipeline's steps; the version's package is linked to its producing step."""

import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiln_server import ServerTestCase  # noqa: E402
from test_pipelines import kiln  # noqa: E402

MODEL = "lineage-model"

PIPELINE = """name: lineage-main
params:
  l2: {type: float, default: 1.0}
steps:
  prep:
    command: [sh, -c, "cp ${inputs.src} ${outputs.csv}"]
    inputs: {src: "file:data.csv"}
    outputs: {csv: file}
  read:
    uses: read-csv@1.0.0
    inputs: {source: prep.csv}
  train:
    uses: train-linear@1.0.0
    inputs: {train: read.table}
    params: {label: y, task: regression, l2: "${params.l2}"}
  register:
    uses: register@1.0.0
    inputs: {model: train.model}
    params: {name: %s}
""" % MODEL

# Another pipeline: a different command (another cache key) writes the same bytes as `prep`.
UNRELATED = """name: lineage-other
steps:
  copy:
    command: [sh, -c, "cat ${inputs.src} > ${outputs.out}"]
    inputs: {src: "file:data.csv"}
    outputs: {out: file}
"""


class ModelLineageTest(ServerTestCase):
    server_args = ("--pipeline-roots", tempfile.gettempdir())

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.work = tempfile.mkdtemp(prefix="kiln-lineage-")
        with open(os.path.join(cls.work, "data.csv"), "w") as f:
            f.write("x,y\n" + "".join(f"{i},{2 * i + 1}\n" for i in range(20)))
        cls.runs = [cls.run_file("main.yaml", PIPELINE) for _ in range(4)]
        # another l2: prep and read re-used from the cache, train computed again
        cls.changed = cls.run_file("main.yaml", PIPELINE, "l2=2.0")
        cls.other = cls.run_file("other.yaml", UNRELATED)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, True)
        super().tearDownClass()

    @classmethod
    def run_file(cls, name, text, *overrides):
        path = os.path.join(cls.work, name)
        with open(path, "w") as f:
            f.write(text)
        result = kiln("run", path, *overrides, "--server", cls.server.base_url, "--json",
                      timeout=300)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)["runs"][0]

    def step(self, run, name):
        return [s for s in run["steps"] if s["step"] == name][0]

    def lineage(self, version):
        return self.ok(self.get(f"/api/v1/models/{MODEL}/versions/{version}/lineage"))

    def test_fixture_reruns_are_cached_and_the_other_file_is_identical(self):
        for run in self.runs[1:]:
            for name in ("prep", "read", "train"):
                self.assertEqual(self.step(run, name)["status"], "CACHED", name)
        prep_csv = self.step(self.runs[0], "prep")["outputs"][0]["digest"]
        self.assertEqual(self.step(self.other, "copy")["outputs"][0]["digest"], prep_csv)
        # the raw edges hold the tangle a walk by digest would draw: every re-run's prep and the
        # unrelated copy step all wrote that file
        raw = self.ok(self.get("/api/v1/lineage", kind="artifact", id=prep_csv))["edges"]
        writers = {e["src_id"] for e in raw if e["label"].startswith("output:")}
        self.assertEqual(writers, {self.step(r, "prep")["run_id"] for r in [*self.runs, self.changed]}
                         | {self.step(self.other, "copy")["run_id"]})

    def versions_of(self, run):
        package = self.step(run, "train")["outputs"][0]["digest"]
        versions = self.ok(self.get(f"/api/v1/models/{MODEL}"))["model"]["versions"]
        return [v for v in versions if v["source"] == "kiln-package:" + package]

    def test_every_version_leads_to_the_first_runs_steps_with_reuses_folded(self):
        first = self.runs[0]
        versions = self.versions_of(first)
        self.assertTrue(versions)
        for version in versions:
            graph = self.lineage(version["version"])
            steps = [n for n in graph["nodes"] if n["kind"] == "step_run"]
            by_step = {n["step"]: n for n in steps}
            # one node per step, each the first run's (no cached copies, nothing unrelated)
            self.assertEqual(sorted(n["step"] for n in steps), ["prep", "read", "train"], graph)
            for name, node in by_step.items():
                self.assertEqual(node["id"], self.step(first, name)["run_id"], name)
                self.assertEqual(node["pipeline_run_id"], first["run_id"], name)
                self.assertEqual(node["pipeline_name"], "lineage-main", name)
                # prep and read: the 3 re-runs and the run with another l2; train: 3
                self.assertEqual(node["reused_by"], 3 if name == "train" else 4, name)
            self.assertEqual(graph["source_run"]["id"], by_step["train"]["id"])
            unrelated = self.step(self.other, "copy")["run_id"]
            ids = {n["id"] for n in graph["nodes"]}
            self.assertNotIn(unrelated, ids)
            for run in self.runs[1:]:
                for name in ("prep", "read", "train"):
                    self.assertNotIn(self.step(run, name)["run_id"], ids)
            self.assert_chain(graph, version, by_step, first)

    def test_a_step_computed_again_links_to_the_first_runs_upstream_steps(self):
        (version,) = self.versions_of(self.changed)
        graph = self.lineage(version["version"])
        by_step = {n["step"]: n for n in graph["nodes"] if n["kind"] == "step_run"}
        self.assertEqual(sorted(by_step), ["prep", "read", "train"])
        self.assertEqual(by_step["train"]["id"], self.step(self.changed, "train")["run_id"])
        self.assertEqual(by_step["train"]["pipeline_run_id"], self.changed["run_id"])
        self.assertEqual(by_step["train"]["reused_by"], 0)
        self.assertEqual(graph["source_run"]["id"], by_step["train"]["id"])
        for name in ("prep", "read"):
            self.assertEqual(by_step[name]["id"], self.step(self.runs[0], name)["run_id"])
        self.assert_chain(graph, version, by_step, self.changed)

    def assert_chain(self, graph, version, by_step, run):
        """data.csv -> prep -> csv -> read -> table -> train -> package -> the version."""
        out = {n: self.step(run, n)["outputs"][0]["digest"] for n in ("prep", "read", "train")}
        mv = f"{MODEL}/{version['version']}"
        edges = {(e["src_kind"], e["src_id"], e["dst_kind"], e["dst_id"], e["label"])
                 for e in graph["edges"]}
        self.assertEqual(version["source"], "kiln-package:" + out["train"])
        expected = {
            ("artifact", out["train"], "model_version", mv, "source"),
            ("step_run", by_step["train"]["id"], "artifact", out["train"], "output:model"),
            ("artifact", out["read"], "step_run", by_step["train"]["id"], "input:train"),
            ("step_run", by_step["read"]["id"], "artifact", out["read"], "output:table"),
            ("artifact", out["prep"], "step_run", by_step["read"]["id"], "input:source"),
            ("step_run", by_step["prep"]["id"], "artifact", out["prep"], "output:csv"),
        }
        self.assertLessEqual(expected, edges)
        # the only other edge: data.csv into prep; every edge's ends are nodes
        self.assertEqual(len(edges - expected), 1, edges - expected)
        (extra,) = edges - expected
        self.assertEqual(extra[2:], ("step_run", by_step["prep"]["id"], "input:src"))
        nodes = {(n["kind"], n["id"]) for n in graph["nodes"]}
        for e in edges:
            self.assertIn(e[:2], nodes)
            self.assertIn(e[2:4], nodes)
        self.assertEqual(len(nodes), len(graph["nodes"]))

    def test_a_version_registered_outside_a_pipeline_shows_its_run(self):
        exp = self.create_experiment()
        run_id = self.create_run(exp)["info"]["run_id"]
        self.ok(self.post("registered-models/create", {"name": "outside"}))
        self.ok(self.post("model-versions/create",
                          {"name": "outside", "source": f"runs:/{run_id}/model", "run_id": run_id}))
        graph = self.ok(self.get("/api/v1/models/outside/versions/1/lineage"))
        self.assertEqual(sorted((n["kind"], n["id"]) for n in graph["nodes"]),
                         [("model_version", "outside/1"), ("run", run_id)])
        self.assertNotIn("source_run", graph)

    def test_unknown_model_or_version_is_404(self):
        self.assertNotFound(self.get(f"/api/v1/models/{MODEL}/versions/99/lineage"))
        self.assertNotFound(self.get("/api/v1/models/no-such-model/versions/1/lineage"))


# The same steps reading their rows from a file, then from a dataset holding the same bytes: the
# second run re-uses every step from the cache, yet read a dataset.
FROM_SOURCE = """name: lineage-%s
steps:
  read:
    uses: read-csv@1.0.0
    inputs: {source: "%s"}
  train:
    uses: train-linear@1.0.0
    inputs: {train: read.table}
    params: {label: y, task: regression}
  register:
    uses: register@1.0.0
    inputs: {model: train.model}
    params: {name: lineage-source}
"""


class LineageFollowsTheRunsOwnInputsTest(ServerTestCase):
    server_args = ("--pipeline-roots", tempfile.gettempdir())

    def test_a_cached_run_that_read_a_dataset_shows_the_dataset(self):
        work = tempfile.mkdtemp(prefix="kiln-lineage-ds-")
        self.addCleanup(shutil.rmtree, work, True)
        data = os.path.join(work, "data.csv")
        with open(data, "w") as f:
            f.write("x,y\n" + "".join(f"{i},{3 * i}\n" for i in range(20)))
        added = kiln("data", "add", data, "--name", "rows", "--server", self.server.base_url)
        self.assertEqual(added.returncode, 0, added.stderr)
        runs = []
        for name, source in (("file", "file:data.csv"), ("dataset", "dataset:rows@latest")):
            path = os.path.join(work, name + ".yaml")
            with open(path, "w") as f:
                f.write(FROM_SOURCE % (name, source))
            result = kiln("run", path, "--server", self.server.base_url, "--json", timeout=300)
            self.assertEqual(result.returncode, 0, result.stderr)
            runs.append(json.loads(result.stdout)["runs"][0])
        by_run = [{s["step"]: s for s in run["steps"]} for run in runs]
        self.assertEqual(by_run[1]["read"]["status"], "CACHED")
        self.assertEqual(by_run[1]["train"]["status"], "CACHED")
        read_id = by_run[0]["read"]["run_id"]  # the computing run's, in both graphs
        for version, datasets in (("1", set()), ("2", {"rows@1"})):
            graph = self.ok(self.get(f"/api/v1/models/lineage-source/versions/{version}/lineage"))
            inputs = {(e["src_kind"], e["src_id"]) for e in graph["edges"]
                      if e["dst_id"] == read_id and e["label"] == "input:source"}
            # the rows' blob in both (the same bytes), and the dataset it came from in version 2
            self.assertEqual({k for k, _ in inputs}, {"artifact"} | ({"dataset"} if datasets else set()))
            self.assertEqual({i for k, i in inputs if k == "dataset"}, datasets, version)
            nodes = {(n["kind"], n["id"]) for n in graph["nodes"]}
            self.assertEqual({i for k, i in nodes if k == "dataset"}, datasets, version)
