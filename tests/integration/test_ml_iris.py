"""The iris example end to end (read-csv -> split -> preprocess (two cross features) ->
train-xgboost -> evaluate), checked against the peers: the same training in Debian's
python3-xgboost gives the same probabilities, and scikit-learn computes the same metrics from
them. evaluate scores the raw test rows through the model package, which re-applies the fitted
cross features itself, so agreeing with the peer (fed the preprocess step's own output) also
shows train/serve consistency. Also model-package and data errors."""

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_pipelines import kiln  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(REPO, "examples", "iris")
PEER_PYTHON = "/usr/bin/python3"  # Debian's, where python3-xgboost and python3-sklearn live

EXPORTS = """
  train_csv:
    uses: write-csv@1.0.0
    inputs: {table: features.train}
  test_csv:
    uses: write-csv@1.0.0
    inputs: {table: features.test}
  predictions_csv:
    uses: write-csv@1.0.0
    inputs: {table: evaluate.predictions}
  raw_test_csv:
    uses: write-csv@1.0.0
    inputs: {table: split.test}
"""

# Trains with python3-xgboost on Kiln's own train split, with the params Kiln recorded in the
# model package, and prints its test probabilities and sklearn's metrics of Kiln's predictions.
PEER = r"""
import csv, json, sys
import numpy as np
import xgboost
from sklearn import metrics

train_csv, test_csv, predictions_csv, package_json = sys.argv[1:5]
package = json.load(open(package_json))
classes = package["classes"]

def load(path):
    rows = list(csv.DictReader(open(path)))
    x = np.array([[float(r[f]) for f in package["features"]] for r in rows], dtype=np.float32)
    y = np.array([classes.index(r[package["label"]]) for r in rows], dtype=np.float32)
    return x, y

x_train, y_train = load(train_csv)
x_test, y_test = load(test_csv)
booster = xgboost.train(package["params"], xgboost.DMatrix(x_train, label=y_train),
                        num_boost_round=package["best_iteration"])
peer = booster.predict(xgboost.DMatrix(x_test)).reshape(len(y_test), len(classes))

kiln_rows = list(csv.DictReader(open(predictions_csv)))
kiln = np.array([[float(r["p_" + c]) for c in classes] for r in kiln_rows])
predicted = [classes.index(r["predicted"]) for r in kiln_rows]
print(json.dumps({
    "max_abs_diff": float(np.abs(kiln - peer).max()),
    "accuracy": metrics.accuracy_score(y_test, predicted),
    "log_loss": metrics.log_loss(y_test, kiln, labels=list(range(len(classes)))),
    "precision": metrics.precision_score(y_test, predicted, average="macro"),
    "recall": metrics.recall_score(y_test, predicted, average="macro"),
    "f1": metrics.f1_score(y_test, predicted, average="macro"),
}))
"""


def read_blob(data, digest):
    with open(os.path.join(data, "artifacts", "blobs", "sha256", digest[:2], digest), "rb") as f:
        return f.read()


def tree_file(data, tree_digest, name):
    """A file of a stored folder (blob_tree manifest: 'kiln-tree-v1' then path TAB digest ...)."""
    for line in read_blob(data, tree_digest).decode().splitlines()[1:]:
        path, digest = line.split("\t")[:2]
        if path == name:
            return read_blob(data, digest)
    raise AssertionError(f"{name} not in tree {tree_digest}")


class IrisTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="kiln-iris-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.data = os.path.join(self.dir, "kiln-data")
        shutil.copy(os.path.join(EXAMPLE, "iris.csv"), self.dir)
        with open(os.path.join(EXAMPLE, "pipeline.yaml")) as f:
            self.spec = f.read()

    def run_spec(self, spec, *args):
        path = os.path.join(self.dir, "p.yaml")
        with open(path, "w") as f:
            f.write(spec)
        result = kiln("run", path, "--data", self.data, "--json", *args, timeout=300)
        run = json.loads(result.stdout)["runs"][0] if result.stdout.strip() else None
        return result, run

    def outputs(self, run):
        return {(s["step"], o["name"]): o["digest"] for s in run["steps"] for o in s["outputs"]}

    def metrics_of(self, run, step):
        run_id = [s for s in run["steps"] if s["step"] == step][0]["run_id"]
        shown = json.loads(kiln("runs", "show", run_id, "--data", self.data, "--json").stdout)
        return {m["key"]: m["value"] for m in shown["run"]["data"]["metrics"]}

    def test_iris_trains_well_and_agrees_with_python_xgboost_and_sklearn(self):
        result, run = self.run_spec(self.spec + EXPORTS)
        self.assertEqual(result.returncode, 0, result.stderr)
        metrics = self.metrics_of(run, "evaluate")
        self.assertGreaterEqual(metrics["accuracy"], 0.9, metrics)
        self.assertLess(metrics["log_loss"], 0.3, metrics)
        out = self.outputs(run)
        files = {}
        for key in [("train_csv", "csv"), ("test_csv", "csv"), ("predictions_csv", "csv")]:
            files[key[0]] = os.path.join(self.dir, key[0] + ".csv")
            with open(files[key[0]], "wb") as f:
                f.write(read_blob(self.data, out[key]))
        # the evaluation plots are well-formed SVG images
        import xml.dom.minidom
        for plot in ("confusion_matrix.svg", "feature_importance.svg"):
            svg = tree_file(self.data, out[("evaluate", "plots")], plot)
            self.assertEqual(xml.dom.minidom.parseString(svg).documentElement.tagName, "svg")
        package = json.loads(tree_file(self.data, out[("train", "model")], "kiln-model.json"))
        self.assertEqual(package["task"], "multiclass")
        self.assertEqual(package["classes"], ["setosa", "versicolor", "virginica"])
        self.assertIn("petal_length*petal_width", package["features"])
        # callers send the raw measurements; the package derives the cross features itself
        self.assertEqual(package["signature"], [
            {"name": n, "type": "float64"}
            for n in ("sepal_length", "sepal_width", "petal_length", "petal_width")])
        self.assertEqual(package["preprocess_file"], "preprocess.json")
        self.assertGreater(package["best_iteration"], 0)
        with open(os.path.join(self.dir, "package.json"), "w") as f:
            json.dump(package, f)
        peer = subprocess.run([PEER_PYTHON, "-c", PEER, files["train_csv"], files["test_csv"],
                               files["predictions_csv"], os.path.join(self.dir, "package.json")],
                              capture_output=True, text=True, timeout=300)
        self.assertEqual(peer.returncode, 0, peer.stderr)
        theirs = json.loads(peer.stdout)
        # same trees, same probabilities (float32 through CSV's shortest round-trip text)
        self.assertLess(theirs["max_abs_diff"], 1e-6, theirs)
        for key in ("accuracy", "log_loss", "precision", "recall", "f1"):
            self.assertAlmostEqual(metrics[key], theirs[key], places=6, msg=key)

        # train/serve consistency: the registered package scores the raw test rows offline with
        # exactly the probabilities the evaluation step computed
        raw_test = os.path.join(self.dir, "raw_test.csv")
        with open(raw_test, "wb") as f:
            f.write(read_blob(self.data, out[("raw_test_csv", "csv")]))
        offline = kiln("models", "predict", "iris-classifier@champion", "--input", raw_test,
                       "--data", self.data)
        self.assertEqual(offline.returncode, 0, offline.stderr)
        with open(files["predictions_csv"]) as f:
            evaluated = [r[1:] for r in csv.reader(f)]
        self.assertEqual([r for r in csv.reader(offline.stdout.splitlines())], evaluated)
        shown = json.loads(kiln("models", "show", "iris-classifier", "--data", self.data,
                                "--json").stdout)
        self.assertIn("champion", json.dumps(shown))

    def test_string_features_and_bad_labels_fail_with_the_column_named(self):
        spec = self.spec.replace("label: species", "label: species\n      features: [species2]")
        result, _ = self.run_spec(spec)
        self.assertEqual(result.returncode, 1)
        self.assertIn("no column 'species2'", result.stderr)
        spec = self.spec.replace("label: species", "label: nope")
        result, _ = self.run_spec(spec)
        self.assertEqual(result.returncode, 1)
        self.assertIn("no column 'nope'", result.stderr)
        # a string feature must be encoded first
        with open(os.path.join(self.dir, "iris.csv")) as f:
            rows = list(csv.reader(f))
        with open(os.path.join(self.dir, "iris.csv"), "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(rows[0] + ["color"])
            for i, r in enumerate(rows[1:]):
                writer.writerow(r + ["red" if i % 2 else "blue"])
        result, _ = self.run_spec(self.spec)
        self.assertEqual(result.returncode, 1)
        self.assertIn("column 'color' holds strings: encode it first", result.stderr)

    def test_register_moves_the_alias_only_for_a_better_metric(self):
        self.assertEqual(self.run_spec(self.spec)[0].returncode, 0)
        worse = self.spec.replace("max_depth: {type: int, default: 3", "max_depth: {type: int, default: 1")
        worse = worse.replace("num_rounds: {type: int, default: 50", "num_rounds: {type: int, default: 1")
        result, run = self.run_spec(worse)
        self.assertEqual(result.returncode, 0, result.stderr)
        metrics = self.metrics_of(run, "register")
        self.assertEqual((metrics["registered_version"], metrics["alias_moved"]), (2, 0))
        listed = kiln("models", "show", "iris-classifier", "--data", self.data).stdout
        champion = [line for line in listed.splitlines() if "champion" in line][0]
        self.assertTrue(champion.split()[0] == "1", listed)
        for bad, needle in [("iris-classifier@nope", "nope"), ("nosuch@1", "nosuch"),
                            ("iris-classifier", "MODEL@ALIAS")]:
            result = kiln("models", "predict", bad, "--input", os.path.join(self.dir, "iris.csv"),
                          "--data", self.data)
            self.assertEqual(result.returncode, 2, (bad, result.stderr))
            self.assertIn(needle, result.stderr)
        with open(os.path.join(self.dir, "bad.json"), "w") as f:
            json.dump([{"sepal_length": 1.0}], f)
        result = kiln("models", "predict", "iris-classifier@champion", "--input",
                      os.path.join(self.dir, "bad.json"), "--data", self.data)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertRegex(result.stderr, r"column '(sepal_width|petal_length|petal_width)' is missing")

    def test_early_stopping_needs_validation(self):
        spec = self.spec.replace("validation: features.test, ", "")
        self.assertNotEqual(spec, self.spec)
        result, _ = self.run_spec(spec)
        self.assertEqual(result.returncode, 1)
        self.assertIn("'early_stopping_rounds' needs the 'validation' input", result.stderr)
        result, run = self.run_spec(spec.replace("early_stopping_rounds: 10",
                                                 "early_stopping_rounds: 0"))
        self.assertEqual(result.returncode, 0, result.stderr)


class SklearnExampleTest(unittest.TestCase):
    """examples/sklearn: a team's own Python script (scikit-learn) as a project module whose
    model, a package of flavor python, is registered as iris-sklearn@champion."""

    def test_custom_python_module_trains_and_logs_metrics(self):
        work = tempfile.mkdtemp(prefix="kiln-sklearn-")
        self.addCleanup(shutil.rmtree, work, True)
        for name in ("iris", "sklearn"):
            shutil.copytree(os.path.join(REPO, "examples", name), os.path.join(work, name))
        data = os.path.join(work, "kiln-data")
        # Steps find python3 on PATH: Debian's, which has python3-sklearn.
        env = {"PATH": "/usr/bin:" + os.environ.get("PATH", "")}
        result = kiln("run", os.path.join(work, "sklearn", "pipeline.yaml"), "--data", data,
                      "--json", env=env, timeout=300)
        self.assertEqual(result.returncode, 0, result.stderr)
        run = json.loads(result.stdout)["runs"][0]
        logreg = [s for s in run["steps"] if s["step"] == "logreg"][0]
        self.assertEqual(logreg["status"], "SUCCEEDED")
        shown = json.loads(kiln("runs", "show", logreg["run_id"], "--data", data, "--json").stdout)
        metrics = {m["key"]: m["value"] for m in shown["run"]["data"]["metrics"]}
        self.assertGreaterEqual(metrics["accuracy"], 0.9, metrics)
        self.assertLess(metrics["log_loss"], 0.5, metrics)
        predictions = [o for o in logreg["outputs"] if o["name"] == "predictions"][0]
        rows = read_blob(data, predictions["digest"]).decode().splitlines()
        self.assertEqual(rows[0], "species,predicted")
        self.assertEqual(len(rows), 46)  # header + 30% of 150
        # The model is a package of flavor python (the pickle beside kiln-model.json), registered.
        model = [o for o in logreg["outputs"] if o["name"] == "model"][0]["digest"]
        manifest = json.loads(tree_file(data, model, "kiln-model.json"))
        self.assertEqual((manifest["flavor"], manifest["python"]), ("python", {"file": "model.pkl"}))
        self.assertEqual(manifest["classes"], ["setosa", "versicolor", "virginica"])
        self.assertTrue(tree_file(data, model, "model.pkl"))
        register = [s for s in run["steps"] if s["step"] == "register"][0]
        self.assertEqual(register["status"], "SUCCEEDED")


class BreastCancerExampleTest(unittest.TestCase):
    """examples/breast-cancer: a binary classifier on data Debian's python3-sklearn ships,
    with ROC AUC checked against scikit-learn's roc_auc_score on the same probabilities."""

    def test_binary_example_and_roc_auc_match_sklearn(self):
        work = tempfile.mkdtemp(prefix="kiln-bc-")
        self.addCleanup(shutil.rmtree, work, True)
        shutil.copytree(os.path.join(REPO, "examples", "breast-cancer"), os.path.join(work, "bc"))
        data = os.path.join(work, "kiln-data")
        spec_path = os.path.join(work, "bc", "pipeline.yaml")
        with open(spec_path, "a") as f:
            f.write("  predictions_csv:\n    uses: write-csv@1.0.0\n"
                    "    inputs: {table: evaluate.predictions}\n")
        env = {"PATH": "/usr/bin:" + os.environ.get("PATH", "")}
        result = kiln("run", spec_path, "--data", data, "--json", env=env, timeout=300)
        self.assertEqual(result.returncode, 0, result.stderr)
        run = json.loads(result.stdout)["runs"][0]
        evaluate = [s for s in run["steps"] if s["step"] == "evaluate"][0]
        shown = json.loads(kiln("runs", "show", evaluate["run_id"], "--data", data, "--json").stdout)
        metrics = {m["key"]: m["value"] for m in shown["run"]["data"]["metrics"]}
        self.assertGreater(metrics["roc_auc"], 0.95, metrics)
        plots = [o for o in evaluate["outputs"] if o["name"] == "plots"][0]["digest"]
        self.assertIn(b"ROC curve", tree_file(data, plots, "roc_curve.svg"))
        digest = [o for s in run["steps"] if s["step"] == "predictions_csv"
                  for o in s["outputs"]][0]["digest"]
        path = os.path.join(work, "predictions.csv")
        with open(path, "wb") as f:
            f.write(read_blob(data, digest))
        peer = subprocess.run([PEER_PYTHON, "-c", (
            "import csv, sys\n"
            "from sklearn.metrics import roc_auc_score\n"
            "rows = list(csv.DictReader(open(sys.argv[1])))\n"
            "y = [r['diagnosis'] == 'malignant' for r in rows]\n"
            "print(roc_auc_score(y, [float(r['p_malignant']) for r in rows]))\n"), path],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(peer.returncode, 0, peer.stderr)
        self.assertAlmostEqual(metrics["roc_auc"], float(peer.stdout), places=9)


if __name__ == "__main__":
    unittest.main()
