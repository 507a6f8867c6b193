"""sklearn-logreg: fits LogisticRegression on a CSV, scores a test CSV, and reports to Kiln.

Kiln gives every step KILN_METRICS_FILE: each JSON line appended there ({"key": ..., "value":
...}) becomes a metric of the step's tracking run. Outputs are plain files at the paths Kiln
passes; Kiln stores them by content once the step succeeds.

Usage: python3 train.py TRAIN.csv TEST.csv LABEL C MAX_ITER MODEL.pkl PREDICTIONS.csv
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
    log_metric("accuracy", accuracy_score(y_test, predicted))
    log_metric("log_loss", log_loss(y_test, model.predict_proba(x_test), labels=model.classes_))
    with open(model_path, "wb") as f:
        pickle.dump({"features": features, "estimator": model}, f)
    with open(predictions_path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow([label, "predicted"])
        writer.writerows(zip(y_test, predicted))


if __name__ == "__main__":
    main(sys.argv)
