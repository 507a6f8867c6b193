"""sklearn-logreg: fits LogisticRegression on a CSV, scores a test CSV, and reports to Kiln.

Kiln gives every step KILN_METRICS_FILE: each JSON line appended there ({"key": ..., "value":
...}) becomes a metric of the step's tracking run. Outputs are plain files or folders at the
paths Kiln passes; Kiln stores them by content once the step succeeds.

The model output is a Kiln model package of flavor python: a folder with the pickled estimator
(model.pkl) and kiln-model.json describing it (task, label, classes, input columns), so that
`register` can register it and a deployment serves it through a Python worker.

Usage: python3 train.py TRAIN.csv TEST.csv LABEL C MAX_ITER MODEL_DIR PREDICTIONS.csv
"""

import csv
import json
import os
import pickle
import sys

from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss


def load(path, label):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit(f"{path}: no rows")
    if label not in rows[0]:
        sys.exit(f"{path}: no column '{label}' (columns: {', '.join(rows[0])})")
    features = [c for c in rows[0] if c != label]
    x = [[float(r[c]) for c in features] for r in rows]
    y = [r[label] for r in rows]
    return features, x, y


def write_package(path, model, label, features, metrics, params):
    """A Kiln model package (format kiln-model-v1, flavor python) in the folder `path`."""
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "model.pkl"), "wb") as f:
        pickle.dump(model, f)
    classes = [str(c) for c in model.classes_]
    manifest = {
        "format": "kiln-model-v1",
        "flavor": "python",
        "python": {"file": "model.pkl"},
        "task": "binary" if len(classes) == 2 else "multiclass",
        "label": label,
        "classes": classes,
        "features": features,
        "signature": [{"name": f, "type": "float64"} for f in features],
        "params": params,
        "metrics": metrics,
        "preprocess_file": None,
    }
    with open(os.path.join(path, "kiln-model.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


def log_metric(key, value):
    with open(os.environ["KILN_METRICS_FILE"], "a") as f:
        f.write(json.dumps({"key": key, "value": float(value)}) + "\n")


def main(argv):
    if len(argv) != 8:
        sys.exit(__doc__.strip().splitlines()[-1])
    train_path, test_path, label, c, max_iter, model_path, predictions_path = argv[1:]
    features, x_train, y_train = load(train_path, label)
    _, x_test, y_test = load(test_path, label)
    model = LogisticRegression(C=float(c), max_iter=int(max_iter))
    model.fit(x_train, y_train)
    predicted = model.predict(x_test)
    metrics = {"accuracy": accuracy_score(y_test, predicted),
               "log_loss": log_loss(y_test, model.predict_proba(x_test), labels=model.classes_)}
    for key, value in metrics.items():
        log_metric(key, value)
    write_package(model_path, model, label, features, metrics,
                  {"C": float(c), "max_iter": int(max_iter)})
    with open(predictions_path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow([label, "predicted"])
        writer.writerows(zip(y_test, predicted))


if __name__ == "__main__":
    main(sys.argv)
