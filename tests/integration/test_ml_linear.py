"""train-linear against scikit-learn on the same rows: L2 logistic regression (multinomial on
iris, binary on generated data) against LogisticRegression(C=1/l2), ridge regression against
Ridge(alpha=l2). Both fit the same convex objective, so the predictions agree to the solvers'
precision. The package scores raw rows itself (the fitted standardization inside), so the
offline `kiln models predict` must equal the evaluation step's predictions. Also bad data."""

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
from test_pipelines import kiln  # noqa: E402
from test_ml_iris import PEER_PYTHON, read_blob, tree_file  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PIPELINE = """
name: linear
steps:
  read:
    uses: read-csv@1.0.0
    inputs: {{source: "file:data.csv"}}
  split:
    uses: split@1.0.0
    inputs: {{table: read.table}}
    params: {{test_fraction: 0.3, seed: 3{stratify}}}
  scale:
    uses: preprocess@1.0.0
    inputs: {{train: split.train, test: split.test}}
    params: {{standardize: {features}}}
  train:
    uses: train-linear@1.0.0
    inputs: {{train: scale.train, preprocess: scale.preprocess}}
    params: {{label: {label}, l2: {l2}, task: {task}}}
  evaluate:
    uses: evaluate@1.0.0
    inputs: {{model: train.model, test: split.test}}
  register:
    uses: register@1.0.0
    inputs: {{model: train.model, report: evaluate.report}}
    params: {{name: linear-model, alias: champion}}
  train_csv:
    uses: write-csv@1.0.0
    inputs: {{table: scale.train}}
  test_csv:
    uses: write-csv@1.0.0
    inputs: {{table: scale.test}}
  raw_test_csv:
    uses: write-csv@1.0.0
    inputs: {{table: split.test}}
  predictions_csv:
    uses: write-csv@1.0.0
    inputs: {{table: evaluate.predictions}}
"""

# Fits scikit-learn on Kiln's standardized train split and compares with Kiln's predictions of
# the test split; prints the largest difference and sklearn's metrics of Kiln's predictions.
PEER = r"""
import csv, json, sys
import numpy as np
from sklearn import linear_model, metrics

train_csv, test_csv, predictions_csv, package_json = sys.argv[1:5]
package = json.load(open(package_json))
features, label, l2 = package["features"], package["label"], package["params"]["l2"]

def load(path):
    rows = list(csv.DictReader(open(path)))
    return np.array([[float(r[f]) for f in features] for r in rows]), [r[label] for r in rows]

x_train, y_train = load(train_csv)
x_test, y_test = load(test_csv)
kiln_rows = list(csv.DictReader(open(predictions_csv)))
out = {}
if package["task"] == "regression":
    model = linear_model.Ridge(alpha=l2).fit(x_train, [float(v) for v in y_train])
    peer = model.predict(x_test)
    kiln = np.array([float(r["predicted"]) for r in kiln_rows])
    truth = [float(v) for v in y_test]
    out["rmse"] = metrics.mean_squared_error(truth, kiln) ** 0.5
    out["mae"] = metrics.mean_absolute_error(truth, kiln)
    out["r2"] = metrics.r2_score(truth, kiln)
else:
    classes = package["classes"]
    # newton-cg: lbfgs stops with gradients near 1e-4, too early to compare closely
    model = linear_model.LogisticRegression(C=1.0 / l2, solver="newton-cg", tol=1e-10,
                                            max_iter=1000)
    model.fit(x_train, [classes.index(v) for v in y_train])
    peer = model.predict_proba(x_test)
    kiln = np.array([[float(r["p_" + c]) for c in classes] for r in kiln_rows])
    truth = [classes.index(v) for v in y_test]
    out["log_loss"] = metrics.log_loss(truth, kiln, labels=list(range(len(classes))))
    out["accuracy"] = metrics.accuracy_score(truth, [classes.index(r["predicted"]) for r in kiln_rows])
out["max_abs_diff"] = float(np.abs(kiln - peer).max())
print(json.dumps(out))
"""


class LinearTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="kiln-linear-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.data = os.path.join(self.dir, "kiln-data")

    def write_data(self, header, rows):
        with open(os.path.join(self.dir, "data.csv"), "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(rows)

    def run_spec(self, **fields):
        path = os.path.join(self.dir, "p.yaml")
        with open(path, "w") as f:
            f.write(PIPELINE.format(**fields))
        result = kiln("run", path, "--data", self.data, "--json", timeout=300)
        run = json.loads(result.stdout)["runs"][0] if result.stdout.strip() else None
        return result, run

    def export(self, run, step):
        digest = [o["digest"] for s in run["steps"] if s["step"] == step for o in s["outputs"]][0]
        path = os.path.join(self.dir, step + ".csv")
        with open(path, "wb") as f:
            f.write(read_blob(self.data, digest))
        return path

    def metrics_of(self, run, step):
        run_id = [s for s in run["steps"] if s["step"] == step][0]["run_id"]
        shown = json.loads(kiln("runs", "show", run_id, "--data", self.data, "--json").stdout)
        return {m["key"]: m["value"] for m in shown["run"]["data"]["metrics"]}

    def check_against_sklearn(self, run, tolerance):
        package_digest = [o["digest"] for s in run["steps"] if s["step"] == "train"
                          for o in s["outputs"]][0]
        package = json.loads(tree_file(self.data, package_digest, "kiln-model.json"))
        self.assertEqual(package["flavor"], "linear")
        package_path = os.path.join(self.dir, "package.json")
        with open(package_path, "w") as f:
            json.dump(package, f)
        peer = subprocess.run([PEER_PYTHON, "-c", PEER, self.export(run, "train_csv"),
                               self.export(run, "test_csv"), self.export(run, "predictions_csv"),
                               package_path], capture_output=True, text=True, timeout=300)
        self.assertEqual(peer.returncode, 0, peer.stderr)
        theirs = json.loads(peer.stdout)
        self.assertLess(theirs["max_abs_diff"], tolerance, theirs)
        ours = self.metrics_of(run, "evaluate")
        for key, value in theirs.items():
            if key != "max_abs_diff":
                self.assertAlmostEqual(ours[key], value, places=5, msg=key)
        # the registered package scores the raw rows offline exactly as evaluate did
        offline = kiln("models", "predict", "linear-model@champion", "--input",
                       self.export(run, "raw_test_csv"), "--data", self.data)
        self.assertEqual(offline.returncode, 0, offline.stderr)
        with open(os.path.join(self.dir, "predictions_csv.csv")) as f:
            evaluated = [r[1:] for r in csv.reader(f)]
        self.assertEqual(list(csv.reader(offline.stdout.splitlines())), evaluated)
        return ours

    def test_multinomial_logistic_on_iris_matches_sklearn(self):
        shutil.copy(os.path.join(REPO, "examples", "iris", "iris.csv"),
                    os.path.join(self.dir, "data.csv"))
        features = "[sepal_length, sepal_width, petal_length, petal_width]"
        result, run = self.run_spec(stratify=", stratify: species", features=features,
                                    label="species", l2=0.5, task="auto")
        self.assertEqual(result.returncode, 0, result.stderr)
        ours = self.check_against_sklearn(run, 1e-6)
        self.assertGreaterEqual(ours["accuracy"], 0.9, ours)

    def test_binary_logistic_matches_sklearn(self):
        rng = random.Random(5)
        rows = []
        for _ in range(400):
            a, b, c = rng.gauss(3, 2), rng.gauss(-1, 0.5), rng.randint(0, 10)
            z = 0.8 * (a - 3) - 2 * (b + 1) + 0.1 * c - 0.5
            rows.append([a, b, c, "yes" if rng.random() < 1 / (1 + 2.718281828 ** -z) else "no"])
        self.write_data(["a", "b", "c", "buys"], rows)
        result, run = self.run_spec(stratify="", features="[a, b]", label="buys", l2=2.0,
                                    task="binary")
        self.assertEqual(result.returncode, 0, result.stderr)
        ours = self.check_against_sklearn(run, 1e-6)
        self.assertIn("roc_auc", ours)

    def test_ridge_regression_matches_sklearn(self):
        rng = random.Random(9)
        rows = []
        for _ in range(300):
            a, b, c = rng.gauss(0, 1), rng.uniform(-5, 5), rng.randint(0, 3)
            rows.append([a, b, c, 3 * a - 2 * b + 0.5 * c + 10 + rng.gauss(0, 0.3)])
        self.write_data(["a", "b", "c", "y"], rows)
        result, run = self.run_spec(stratify="", features="[a, b]", label="y", l2=2.5,
                                    task="regression")
        self.assertEqual(result.returncode, 0, result.stderr)
        ours = self.check_against_sklearn(run, 1e-5)
        self.assertGreater(ours["r2"], 0.95, ours)

    def test_bad_data_fails_the_step_naming_the_column(self):
        rows = [[1.0, 2.0, "x", 1.0], [2.0, "", "y", 2.0], [3.0, 1.0, "x", 4.0]] * 10
        self.write_data(["a", "b", "s", "y"], rows)
        for label, task, needle in [
                ("y", "regression", "column 'b' is missing a value at row"),
                ("s", "regression", "task regression needs a numeric label, but 's' holds strings"),
                ("nope", "auto", "no column 'nope'")]:
            result, _ = self.run_spec(stratify="", features="[a]", label=label, l2=1.0, task=task)
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertIn(needle, result.stderr)


if __name__ == "__main__":
    unittest.main()
