"""The peer for the serving benchmark: the iris XGBoost model served the way the classic
FastAPI tutorial does it. A pydantic model of the inputs, a pandas DataFrame built per request,
the feature engineering written out in pandas, an xgboost.Booster predicting on a DMatrix made
from that DataFrame, labels and probabilities answered as JSON.

How to run (bench/run_serving_bench.sh does all of this):
    KILN_BENCH_PACKAGE=/path/to/package /usr/bin/python3 -m uvicorn fastapi_app:app \
        --app-dir bench/serving --port 8000 --workers 1 --no-access-log
where the package folder holds the files of Kiln's model package for iris-classifier:
model.json (the XGBoost JSON model), kiln-model.json (classes, feature order, best
iteration) and preprocess.json (the fitted cross features, checked against the code below).

Routes:
    POST /predict        {"rows": [{"sepal_length": 5.1, ...}, ...]}  (the body Kiln takes)
    POST /predict_one    {"sepal_length": 5.1, ...}                 (the tutorial's single row)
Answer: {"predictions": [{"label": "setosa", "probabilities": {"setosa": 0.99, ...}}, ...]}
Needs Debian python3-fastapi python3-uvicorn python3-pydantic python3-pandas python3-xgboost.
"""
import json
import os
from typing import List

import pandas as pd
import xgboost as xgb
from fastapi import FastAPI
from pydantic import BaseModel, conlist

PACKAGE = os.environ.get("KILN_BENCH_PACKAGE", os.path.dirname(os.path.abspath(__file__)))


class IrisFeatures(BaseModel):
    sepal_length: float
    sepal_width: float
    petal_length: float
    petal_width: float


class IrisBatch(BaseModel):
    rows: conlist(IrisFeatures, min_items=1)


with open(os.path.join(PACKAGE, "kiln-model.json")) as f:
    META = json.load(f)
with open(os.path.join(PACKAGE, "preprocess.json")) as f:
    PREPROCESS = json.load(f)
# The feature engineering below is written out by hand, as in the tutorial; make sure it is
# the chain the model was trained with.
assert [(c["left"], c["right"]) for c in PREPROCESS["cross_product"]] == [
    ("petal_length", "petal_width"), ("sepal_length", "sepal_width")], PREPROCESS
assert not any(PREPROCESS[k] for k in ("cross_concat", "impute", "label_encode", "minmax",
                                       "one_hot", "standardize")), PREPROCESS
CLASSES: List[str] = META["classes"]
FEATURES: List[str] = META["features"]
# Early stopping: Kiln's package scores with the first best_iteration rounds (a count of
# rounds, as tests/integration/test_ml_iris.py's peer uses it); 0 or absent means all trees.
ITERATIONS = (0, int(META.get("best_iteration", 0)))

booster = xgb.Booster()
booster.load_model(os.path.join(PACKAGE, META.get("model_file", "model.json")))

app = FastAPI(title="iris-classifier (FastAPI + XGBoost peer)")


def predict_frame(df: pd.DataFrame) -> dict:
    df["petal_length*petal_width"] = df["petal_length"] * df["petal_width"]
    df["sepal_length*sepal_width"] = df["sepal_length"] * df["sepal_width"]
    probabilities = booster.predict(xgb.DMatrix(df[FEATURES]), iteration_range=ITERATIONS)
    return {"predictions": [
        {"label": CLASSES[int(p.argmax())],
         "probabilities": {c: float(v) for c, v in zip(CLASSES, p)}}
        for p in probabilities]}


@app.post("/predict")
def predict(batch: IrisBatch) -> dict:
    return predict_frame(pd.DataFrame([row.dict() for row in batch.rows]))


@app.post("/predict_one")
def predict_one(features: IrisFeatures) -> dict:
    return predict_frame(pd.DataFrame([features.dict()]))
