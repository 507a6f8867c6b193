"""The model file of a package is the model Kiln scores: train-xgboost with early stopping saves
model.json sliced at the best round, so Debian's python3-xgboost, loading that file with no
options, predicts exactly what Kiln predicts (binary, multiclass and regression; stopping before
the last round and at it). Also: feature importance carries the feature names, and the
validation metric is logged once per boosting round (a learning curve)."""

import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiln_server import KilnServer  # noqa: E402
from test_ml_iris import PEER_PYTHON, read_blob, tree_file  # noqa: E402
from test_pipelines import kiln  # noqa: E402

FEATURES = ["age", "income", "tenure", "score"]

PIPELINE = """name: model-file-{task}
steps:
  read:
    uses: read-csv@1.0.0
    inputs: {{source: "file:data.csv"}}
  split:
    uses: split@1.0.0
    inputs: {{table: read.table}}
    params: {{test_fraction: 0.3, seed: 3}}
  train:
    uses: train-xgboost@1.0.0
    inputs: {{train: split.train, validation: split.test}}
    params:
      label: y
      task: {task}
      num_rounds: {rounds}
      early_stopping_rounds: {patience}
      eta: {eta}
      max_depth: 5
      seed: 1
  evaluate:
    uses: evaluate@1.0.0
    inputs: {{model: train.model, test: split.test}}
  test_csv:
    uses: write-csv@1.0.0
    inputs: {{table: split.test}}
  predictions_csv:
    uses: write-csv@1.0.0
    inputs: {{table: evaluate.predictions}}
"""

# Scores the test rows with python3-xgboost from model.json alone (no options: all its trees)
# and prints the largest difference from Kiln's predictions.
PEER = r"""
import csv, json, sys
import numpy as np
import xgboost

model_json, test_csv, predictions_csv, features, columns = sys.argv[1:6]
features, columns = json.loads(features), json.loads(columns)
booster = xgboost.Booster(model_file=model_json)
rows = list(csv.DictReader(open(test_csv)))
x = np.array([[float(r[f]) for f in features] for r in rows], dtype=np.float32)
peer = booster.predict(xgboost.DMatrix(x)).reshape(len(rows), -1)
kiln = np.array([[float(r[c]) for c in columns] for r in csv.DictReader(open(predictions_csv))])
if peer.shape[1] == 1 and kiln.shape[1] == 2:  # binary: Kiln lists p(no), p(yes)
    kiln = kiln[:, 1:]
print(json.dumps({"max_abs_diff": float(np.abs(kiln - peer).max()), "rows": len(rows)}))
"""


def make_rows(task, n=600, seed=11):
    """Noisy data on which boosting overfits after a few rounds at a high eta."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        x = [rng.uniform(18, 80), rng.uniform(1, 200), rng.uniform(0, 30), rng.gauss(0, 1)]
        signal = 0.04 * (x[0] - 50) + 0.01 * (x[1] - 100) + 0.8 * x[3] + rng.gauss(0, 1.5)
        if task == "binary":
            y = "yes" if signal > 0 else "no"
        elif task == "multiclass":
            y = "low" if signal < -0.7 else ("mid" if signal < 0.7 else "high")
        else:
            y = f"{100 + 20 * signal:.4f}"
        rows.append([f"{v:.4f}" for v in x] + [y])
    return rows


class ModelFileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="kiln-model-file-")
        cls.data = os.path.join(cls.dir, "kiln-data")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, True)

    def train(self, task, rounds, patience, eta):
        work = os.path.join(self.dir, f"{task}-{rounds}-{patience}")
        os.makedirs(work)
        with open(os.path.join(work, "data.csv"), "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(FEATURES + ["y"])
            writer.writerows(make_rows(task))
        path = os.path.join(work, "p.yaml")
        with open(path, "w") as f:
            f.write(PIPELINE.format(task=task, rounds=rounds, patience=patience, eta=eta))
        result = kiln("run", path, "--data", self.data, "--json", timeout=300)
        self.assertEqual(result.returncode, 0, result.stderr)
        run = json.loads(result.stdout)["runs"][0]
        outputs = {(s["step"], o["name"]): o["digest"] for s in run["steps"]
                   for o in s["outputs"]}
        train_run = [s for s in run["steps"] if s["step"] == "train"][0]["run_id"]
        files = {}
        for name in ("test_csv", "predictions_csv"):
            files[name] = os.path.join(work, name + ".csv")
            with open(files[name], "wb") as f:
                f.write(read_blob(self.data, outputs[(name, "csv")]))
        files["model.json"] = os.path.join(work, "model.json")
        with open(files["model.json"], "wb") as f:
            f.write(tree_file(self.data, outputs[("train", "model")], "model.json"))
        package = json.loads(tree_file(self.data, outputs[("train", "model")], "kiln-model.json"))
        return package, files, train_run

    def peer_diff(self, package, files):
        columns = (["predicted"] if package["task"] == "regression"
                   else ["p_" + c for c in package["classes"]])
        peer = subprocess.run([PEER_PYTHON, "-c", PEER, files["model.json"], files["test_csv"],
                               files["predictions_csv"], json.dumps(package["features"]),
                               json.dumps(columns)],
                              capture_output=True, text=True, timeout=300)
        self.assertEqual(peer.returncode, 0, peer.stderr)
        return json.loads(peer.stdout)

    def trees_in(self, files):
        with open(files["model.json"]) as f:
            model = json.load(f)["learner"]["gradient_booster"]["model"]
        return int(model["gbtree_model_param"]["num_trees"])

    def history(self, server, run_id, key):
        status, body = server.call("GET", "/api/2.0/mlflow/metrics/get-history",
                                   query={"run_id": run_id, "metric_key": key})
        self.assertEqual(status, 200, body)
        return sorted(body.get("metrics", []), key=lambda m: (m["step"], m["timestamp"]))

    def check(self, task, rounds, patience, eta, stops_early):
        package, files, run_id = self.train(task, rounds, patience, eta)
        best = package["best_iteration"]
        self.assertGreater(best, 0, package)
        per_round = 3 if task == "multiclass" else 1
        theirs = self.peer_diff(package, files)
        self.assertGreater(theirs["rows"], 100)
        self.assertLess(theirs["max_abs_diff"], 1e-6, (task, theirs))
        # the file holds exactly the rounds up to the best, and says so
        self.assertEqual(self.trees_in(files), best * per_round)
        self.assertEqual(package.get("model_rounds"), best)
        # importance names the features, on the same trees
        names = [f["feature"] for f in package["feature_importance"]]
        self.assertTrue(names and set(names) <= set(FEATURES), names)
        # one validation point per round trained (+ the kept model's value when it stopped early)
        metric = {"binary": "valid_logloss", "multiclass": "valid_mlogloss",
                  "regression": "valid_rmse"}[task]
        server = KilnServer(data_dir=self.data)
        server.start()
        try:
            points = self.history(server, run_id, metric)
        finally:
            server.cleanup()
        trained = best + patience if stops_early else rounds
        if stops_early:
            self.assertLess(best, rounds)
            self.assertEqual([p["step"] for p in points], list(range(trained + 1)))
            self.assertEqual(points[-1]["value"], points[best - 1]["value"])
        else:
            self.assertEqual(best, rounds)
            self.assertEqual([p["step"] for p in points], list(range(rounds)))
        self.assertAlmostEqual(points[-1]["value"], package["metrics"][metric], places=5)
        self.assertEqual(min(p["value"] for p in points), points[best - 1]["value"])

    def test_binary_stopped_before_the_last_round(self):
        self.check("binary", rounds=200, patience=4, eta=0.5, stops_early=True)

    def test_binary_best_at_the_last_round(self):
        self.check("binary", rounds=6, patience=3, eta=0.05, stops_early=False)

    def test_multiclass_stopped_before_the_last_round(self):
        self.check("multiclass", rounds=200, patience=4, eta=0.5, stops_early=True)

    def test_multiclass_best_at_the_last_round(self):
        self.check("multiclass", rounds=6, patience=3, eta=0.05, stops_early=False)

    def test_regression_stopped_before_the_last_round(self):
        self.check("regression", rounds=200, patience=4, eta=0.6, stops_early=True)

    def test_regression_best_at_the_last_round(self):
        self.check("regression", rounds=6, patience=3, eta=0.05, stops_early=False)


if __name__ == "__main__":
    unittest.main()
