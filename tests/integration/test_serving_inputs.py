"""What a deployment does with the inputs it is sent, and the numbers it reports about them, on a
real server with a model trained by a real pipeline (a one-hot `color`, two numbers, a 0/1
label):
- drift has no level below a minimum of live rows (one request reads "insufficient data", not
  PSI 6-9 "major"), everywhere: API, `kiln deployments show`, /metrics; at 200 in-distribution
  rows it reads "stable" and equals a PSI computed here in Python from the rows sent;
- extra fields are ignored and unseen categories encoded as all zeros (python3-xgboost scores
  the same zeros from model.json), with warnings, counted in /metrics and drift; strict inputs
  (per deployment or per request) refuse them, counting rows from 0;
- `kiln deployments show` prints drift per version (model and canary);
- the OpenAPI document has both predict forms and both feedback forms;
- feedback with a label that is not a class is refused."""

import bisect
import csv
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiln_server import ServerTestCase  # noqa: E402
from test_ml_iris import PEER_PYTHON, read_blob, tree_file  # noqa: E402
from test_pipelines import kiln  # noqa: E402

MODEL = "churn"
COLORS = ["blue", "green", "red"]

PIPELINE = """name: churn
params:
  seed: {type: int, default: 5}
steps:
  read:
    uses: read-csv@1.0.0
    inputs: {source: "file:churn.csv"}
  split:
    uses: split@1.0.0
    inputs: {table: read.table}
    params: {test_fraction: 0.25, seed: "${params.seed}"}
  features:
    uses: preprocess@1.0.0
    inputs: {train: split.train, test: split.test}
    params: {one_hot: [color]}
  train:
    uses: train-xgboost@1.0.0
    inputs: {train: features.train, preprocess: features.preprocess}
    params: {label: churned, task: binary, num_rounds: 20, max_depth: 3, seed: "${params.seed}"}
  train_csv:
    uses: write-csv@1.0.0
    inputs: {table: split.train}
  register:
    uses: register@1.0.0
    inputs: {model: train.model}
    params: {name: churn, alias: champion}
"""


def make_rows(n=500, seed=3):
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        age, spend, color = rng.uniform(18, 70), rng.gauss(50, 15), rng.choice(COLORS)
        score = 0.05 * (age - 40) - 0.03 * (spend - 50) + (0.8 if color == "red" else 0)
        rows.append({"age": round(age, 3), "spend": round(spend, 3), "color": color,
                     "churned": 1 if score + rng.gauss(0, 0.7) > 0 else 0})
    return rows


# Scores rows with python3-xgboost from model.json alone; argv: model.json, JSON list of
# feature vectors. Prints p(class 1) per row.
PEER = r"""
import json, sys
import numpy as np
import xgboost
booster = xgboost.Booster(model_file=sys.argv[1])
x = np.array(json.loads(sys.argv[2]), dtype=np.float32)
print(json.dumps([float(p) for p in booster.predict(xgboost.DMatrix(x))]))
"""


def psi(train, live, eps=1e-4):
    return sum((max(l, eps) - max(t, eps)) * math.log(max(l, eps) / max(t, eps))
               for t, l in zip(train, live))


def fractions(profile, values):
    """The live fractions of `values` over the profile's bins then the missing bin."""
    if profile["kind"] == "numeric":
        bins = len(profile["edges"]) + 1
        counts = [0] * (bins + 1)
        for v in values:
            counts[bins if v is None else bisect.bisect_left(profile["edges"], v)] += 1
    else:
        cats = profile["categories"]
        counts = [0] * (len(cats) + 2)
        for v in values:
            counts[len(cats) + 1 if v is None else cats.index(v) if v in cats else len(cats)] += 1
    return [c / len(values) for c in counts]


class ServingInputsTest(ServerTestCase):
    # `kiln run --server` sends the pipeline's folder (beside the temporary data folder) as
    # base_dir: it must lie in the server's pipeline roots.
    server_args = ("--pipeline-roots", tempfile.gettempdir())

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.work = os.path.join(os.path.dirname(cls.server.data_dir), "work")
        os.makedirs(cls.work)
        with open(os.path.join(cls.work, "churn.csv"), "w", newline="") as f:
            writer = csv.DictWriter(f, ["age", "spend", "color", "churned"])
            writer.writeheader()
            writer.writerows(make_rows())
        spec = os.path.join(cls.work, "pipeline.yaml")
        with open(spec, "w") as f:
            f.write(PIPELINE)
        outputs = {}
        for seed in (5, 6):  # versions 1 (champion) and 2
            result = kiln("run", spec, f"seed={seed}", "--server", cls.server.base_url, "--json",
                          timeout=300)
            assert result.returncode == 0, result.stderr
            run = json.loads(result.stdout)["runs"][0]
            outputs[seed] = {(s["step"], o["name"]): o["digest"] for s in run["steps"]
                             for o in s["outputs"]}
        cls.server.post_ok("registered-models/alias",
                           {"name": MODEL, "alias": "champion", "version": "1"})
        data = cls.server.data_dir
        cls.package = json.loads(tree_file(data, outputs[5][("train", "model")],
                                           "kiln-model.json"))
        cls.model_json = os.path.join(cls.work, "model.json")
        with open(cls.model_json, "wb") as f:
            f.write(tree_file(data, outputs[5][("train", "model")], "model.json"))
        train_csv = read_blob(data, outputs[5][("train_csv", "csv")]).decode()
        cls.train_rows = [{"age": float(r["age"]), "spend": float(r["spend"]),
                           "color": r["color"]} for r in csv.DictReader(train_csv.splitlines())]

    def deploy(self, name, **extra):
        self.ok(self.post("/api/v1/deployments", {"name": name, "model": f"{MODEL}@champion",
                                                  **extra}))
        return self.wait_ready(name)

    def wait_ready(self, name, timeout=30):
        deadline = time.time() + timeout
        while True:
            d = self.ok(self.get(f"/api/v1/deployments/{name}"))["deployment"]
            slots = [d["primary"]] + ([d["canary_status"]] if d["canary_status"] else [])
            if all(s["state"] == "ready" for s in slots):
                return d
            if time.time() > deadline:
                self.fail(f"{name} not ready: {d}")
            time.sleep(0.05)

    def predict(self, name, body, path="predict", query=None):
        return self.call("POST", f"/serve/{name}/{path}", body=body, query=query)

    def drift(self, name, slot="primary"):
        d = self.ok(self.get(f"/api/v1/deployments/{name}"))["deployment"]
        return {f["feature"]: f for f in d[slot]["drift"]}

    def metrics(self):
        status, _, text = self.server.raw("GET", "/metrics")
        self.assertEqual(status, 200)
        return text.decode()

    def show(self, name):
        result = kiln("deployments", "show", name, "--server", self.server.base_url)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout

    def test_drift_has_no_level_below_the_minimum_then_matches_python(self):
        d = self.deploy("drift")
        sent = self.train_rows[:200]
        self.ok(self.predict("drift", {"rows": sent[:1]}))
        drift = self.drift("drift")
        self.assertEqual(set(drift), {"age", "spend", "color"})
        for f in drift.values():
            self.assertEqual((f["level"], f["psi"], f["live_rows"], f.get("min_rows")),
                             ("insufficient_data", None, 1, 100), f)
        self.assertEqual(d["drift_min_rows"], 100)  # the server's default
        shown = self.show("drift")
        self.assertIn(f"drift   {MODEL}/1 age: insufficient data (1 of 100 rows)", shown)
        self.assertNotIn("major", shown)
        text = self.metrics()
        self.assertNotIn('kiln_deployment_feature_psi{deployment="drift"', text)
        self.assertIn('kiln_deployment_feature_live_rows{deployment="drift",version="1",'
                      'feature="age"} 1\n', text)
        # 200 in-distribution rows: stable, and the PSI computed here from the rows sent
        for i in range(1, 200, 50):
            self.ok(self.predict("drift", {"rows": sent[i:i + 50]}))
        drift = self.drift("drift")
        profiles = {p["name"]: p for p in self.package["profile"]}
        text = self.metrics()
        for name, f in drift.items():
            self.assertEqual((f["level"], f["live_rows"]), ("stable", 200), f)
            p = profiles[name]
            train = p["fractions"] + [p["missing"]]
            # the profile's training fractions, recounted here from the train split
            self.assertEqual([round(x, 9) for x in fractions(p, [r[name] for r in
                                                                 self.train_rows])],
                             [round(x, 9) for x in train])
            expected = psi(train, fractions(p, [r[name] for r in sent]))
            self.assertAlmostEqual(f["psi"], expected, places=9, msg=name)
            line = re.search(r'kiln_deployment_feature_psi\{deployment="drift",version="1",'
                             rf'feature="{name}"\}} (\S+)', text)
            self.assertIsNotNone(line, text)
            self.assertAlmostEqual(float(line.group(1)), expected, places=9)
        self.assertIn(f"drift   {MODEL}/1 age: PSI ", self.show("drift"))
        # a deployment's own minimum
        self.deploy("drift-one", drift_min_rows=1)
        self.ok(self.predict("drift-one", {"rows": sent[:1]}))
        self.assertNotEqual(self.drift("drift-one")["age"]["level"], "insufficient_data")
        self.assertInvalid(self.post("/api/v1/deployments", {
            "name": "bad", "model": f"{MODEL}@champion", "drift_min_rows": -1}),
            "'drift_min_rows'")

    def peer(self, vectors):
        out = subprocess.run([PEER_PYTHON, "-c", PEER, self.model_json, json.dumps(vectors)],
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout)

    def test_extra_fields_and_unseen_categories_are_taken_with_warnings(self):
        self.deploy("lenient")
        row = {"age": 52.0, "spend": 31.5, "color": "red"}
        rows = [dict(row, id=7), dict(row, color="purple", note="x"), dict(row, id=8)]
        answer = self.ok(self.predict("lenient", {"rows": rows}))  # the fast path
        self.assertEqual(answer["warnings"], [
            "column 'id' is not a model input and was ignored",
            "column 'note' is not a model input and was ignored",
            "row 1: 'purple' is not a known category of 'color' (encoded as all zeros)"])
        # all zeros, as python3-xgboost scores them from model.json
        features = self.package["features"]
        self.assertEqual(features, ["age", "spend"] + [f"color={c}" for c in COLORS])
        theirs = self.peer([[52.0, 31.5, 0, 0, 1], [52.0, 31.5, 0, 0, 0]])
        got = [p["probabilities"]["1"] for p in answer["predictions"]]
        self.assertAlmostEqual(got[0], theirs[0], places=6)
        self.assertAlmostEqual(got[1], theirs[1], places=6)
        self.assertEqual(got[0], got[2])
        self.assertNotAlmostEqual(got[0], got[1], places=3)
        # the same in the other protocols
        columns = ["age", "spend", "color", "id"]
        split = {"columns": columns, "data": [[52.0, 31.5, "purple", 1]]}
        for path, body in [("predict", split), ("invocations", {"dataframe_split": split}),
                           ("invocations", {"dataframe_records": [dict(row, id=1)]})]:
            answer = self.ok(self.predict("lenient", body, path))
            self.assertIn("column 'id' is not a model input and was ignored", answer["warnings"])
        answer = self.ok(self.call("POST", "/v2/models/lenient/infer", body={"inputs": [
            {"name": c, "shape": [1], "datatype": "BYTES" if c == "color" else "FP64",
             "data": [v]} for c, v in zip(columns, [52.0, 31.5, "red", 1])]}))
        self.assertEqual(answer["parameters"]["warnings"],
                         ["column 'id' is not a model input and was ignored"])
        # a request with neither carries no warnings
        self.assertNotIn("warnings", self.ok(self.predict("lenient", {"rows": [row]})))
        text = self.metrics()
        labels = 'deployment="lenient",version="1"'
        # per request, each ignored name once: 2 + 1 + 1 + 1 + 1
        self.assertIn(f"kiln_serving_ignored_fields_total{{{labels}}} 6\n", text)
        self.assertIn(f"kiln_serving_unseen_categories_total{{{labels}}} 3\n", text)
        self.assertIn(f'kiln_deployment_feature_unseen_values_total{{{labels},feature="color"}} 3',
                      text)
        self.assertEqual(self.drift("lenient")["color"]["unseen_values"], 3)

    def test_strict_inputs_refuse_extra_fields_and_unseen_categories(self):
        d = self.deploy("strict", strict_inputs=True)
        row = {"age": 52.0, "spend": 31.5, "color": "red"}
        self.assertInvalid(self.predict("strict", {"rows": [row, dict(row, id=1)]}),
                           "rows[1]: unknown feature 'id' (the model takes age, spend, color)")
        # rows count from 0, as in every other error
        self.assertInvalid(self.predict("strict", {"rows": [row, dict(row, color="purple")]}),
                           "column 'color' row 1: 'purple' was not seen in training "
                           "(known: blue, green, red)")
        self.assertInvalid(self.predict("strict", {"dataframe_records": [dict(row, id=1)]},
                                        "invocations"), "unknown feature 'id'")
        self.ok(self.predict("strict", {"rows": [row]}))
        self.assertTrue(d["strict_inputs"])
        # a request can ask for strictness, not relax it
        self.assertInvalid(self.predict("strict", {"rows": [dict(row, id=1)]},
                                        query={"strict_inputs": "false"}), "unknown feature")
        self.deploy("lenient2")
        self.assertInvalid(self.predict("lenient2", {"rows": [dict(row, id=1)]},
                                        query={"strict_inputs": "true"}), "unknown feature 'id'")
        self.assertInvalid(self.predict("lenient2", {"rows": [row]},
                                        query={"strict_inputs": "maybe"}),
                           "'strict_inputs': 'maybe' is not true or false")
        requests = self.ok(self.get("/api/v1/deployments/lenient2/requests"))["requests"]
        self.assertEqual(requests, [])  # refused requests are not logged
        # the CLI flag
        result = kiln("deploy", "strict-cli", "--model", f"{MODEL}@champion", "--strict-inputs",
                      "--server", self.server.base_url)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("inputs  strict", result.stdout)
        self.assertTrue(self.ok(self.get("/api/v1/deployments/strict-cli"))["deployment"][
            "strict_inputs"])

    def test_show_prints_drift_per_version(self):
        self.deploy("canaried", canary=f"{MODEL}/2", canary_weight=50, drift_min_rows=2)
        for row in self.train_rows[:6]:
            self.ok(self.predict("canaried", {"rows": [row]}))
        shown = self.show("canaried")
        for version in (1, 2):
            self.assertRegex(shown, rf"drift   {MODEL}/{version} age: PSI \S+ \(\w+, 3 live rows\)")

    def test_openapi_has_both_forms_of_predict_and_feedback(self):
        self.deploy("documented")
        doc = self.ok(self.get("/serve/documented/openapi.json"))
        predict = doc["paths"]["/serve/documented/predict"]["post"]
        forms = predict["requestBody"]["content"]["application/json"]["schema"]["oneOf"]
        self.assertEqual([sorted(f["properties"]) for f in forms], [["rows"], ["columns", "data"]])
        self.assertEqual(predict["parameters"][0]["name"], "strict_inputs")
        feedback = doc["paths"]["/serve/documented/feedback"]["post"]
        forms = feedback["requestBody"]["content"]["application/json"]["schema"]["oneOf"]
        self.assertEqual([f["required"] for f in forms],
                         [["request_id", "label"], ["request_id", "labels"]])
        answer = feedback["responses"]["200"]
        self.assertNotEqual(answer["description"], "predictions")
        self.assertIn("quality", answer["content"]["application/json"]["schema"]["properties"])
        # both documented forms work
        row = {"age": 30.0, "spend": 60.0, "color": "blue"}
        answer = self.ok(self.predict("documented", {"columns": ["age", "spend", "color"],
                                                     "data": [[30.0, 60.0, "blue"]] * 2}))
        self.ok(self.call("POST", "/serve/documented/feedback",
                          body={"request_id": answer["request_id"], "labels": [0, 1]}))
        answer = self.ok(self.predict("documented", {"rows": [row]}))
        self.ok(self.call("POST", "/serve/documented/feedback",
                          body={"request_id": answer["request_id"], "label": 0}))

    def test_feedback_label_outside_the_classes_is_refused(self):
        self.deploy("feedback")
        answer = self.ok(self.predict("feedback", {"rows": [{"age": 30.0, "spend": 60.0,
                                                             "color": "blue"}]}))
        rid = answer["request_id"]
        self.assertInvalid(self.call("POST", "/serve/feedback/feedback",
                                     body={"request_id": rid, "label": "yes"}),
                           f"request '{rid}' labels[0]: 'yes' is not a class of the model "
                           "(classes: 0, 1)")
        quality = self.ok(self.get("/api/v1/deployments/feedback"))["deployment"]["quality"]
        self.assertEqual(quality, [])  # not counted as a wrong answer
        self.ok(self.call("POST", "/serve/feedback/feedback", body={"request_id": rid,
                                                                   "label": 1}))


if __name__ == "__main__":
    unittest.main()
