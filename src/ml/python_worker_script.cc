#include "ml/python_worker_script.h"

namespace kiln::ml {
namespace {

constexpr const char* kScript = R"PY(
import json
import os
import sys


def reply(out, answer):
    out.write(json.dumps(answer) + "\n")
    out.flush()


def load(package):
    with open(os.path.join(package, "kiln-model.json")) as f:
        manifest = json.load(f)
    sys.path.insert(0, package)  # modules shipped in the package, for pickled custom classes
    import pickle
    with open(os.path.join(package, manifest["python"]["file"]), "rb") as f:
        model = pickle.load(f)
    return manifest, model


def class_order(manifest, model):
    """Indices into predict_proba's columns, in the manifest's class order (None: no proba)."""
    if manifest["task"] == "regression" or not hasattr(model, "predict_proba"):
        return None
    known = [str(c) for c in model.classes_]
    missing = [c for c in manifest["classes"] if c not in known]
    if missing or len(known) != len(manifest["classes"]):
        raise ValueError("the manifest's classes %s do not match the model's %s"
                         % (manifest["classes"], known))
    return [known.index(c) for c in manifest["classes"]]


def matrix(manifest, model, request):
    import numpy as np
    columns = request["columns"]
    index = {name: i for i, name in enumerate(columns)}
    for feature in manifest["features"]:
        if feature not in index:
            raise ValueError("missing feature '%s'" % feature)
    picks = [index[f] for f in manifest["features"]]
    rows = [[row[i] for i in picks] for row in request["data"]]
    try:
        x = np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=np.float64)
    except (TypeError, ValueError):
        x = np.array(rows, dtype=object)  # strings: for pipelines that encode them
    x = x.reshape(len(rows), len(picks))
    if hasattr(model, "feature_names_in_"):  # fitted on a DataFrame: give it one
        import pandas
        x = pandas.DataFrame(x, columns=manifest["features"])
    return x


def predict(manifest, model, order, request):
    x = matrix(manifest, model, request)
    if order is not None:
        import numpy as np
        return {"probabilities": np.asarray(model.predict_proba(x))[:, order].tolist()}
    y = model.predict(x)
    if manifest["task"] == "regression":
        return {"values": [float(v) for v in y]}
    return {"labels": [str(v) for v in y]}


def main(package):
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        manifest, model = load(package)
        order = class_order(manifest, model)
    except Exception as e:
        reply(out, {"error": "cannot load the model in %s: %s: %s"
                    % (package, type(e).__name__, e)})
        return 1
    reply(out, {"ready": True})
    for line in sys.stdin:
        try:
            answer = predict(manifest, model, order, json.loads(line))
        except Exception as e:
            answer = {"error": "%s: %s" % (type(e).__name__, e)}
        reply(out, answer)
    return 0


sys.exit(main(sys.argv[1]))
)PY";

}  // namespace

const char* PythonWorkerScript() { return kScript; }

}  // namespace kiln::ml
