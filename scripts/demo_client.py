"""Logs one example run through the MLflow REST API and registers it, as the mlflow client
would. Standard library only. Usage: demo_client.py BASE_URL"""
import json
import sys
import time
import urllib.request


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + "/api/2.0/mlflow/" + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def main(base):
    now = int(time.time() * 1000)
    name = "iris-demo"
    found = call(base, "POST", "experiments/search",
                 {"filter": f"name = '{name}'", "max_results": 1}).get("experiments", [])
    experiment_id = found[0]["experiment_id"] if found else call(
        base, "POST", "experiments/create", {"name": name})["experiment_id"]
    run = call(base, "POST", "runs/create",
               {"experiment_id": experiment_id, "run_name": "demo", "start_time": now})["run"]
    run_id = run["info"]["run_id"]
    metrics = [{"key": "accuracy", "value": 0.8 + 0.03 * step, "timestamp": now + step,
                "step": step} for step in range(6)]
    call(base, "POST", "runs/log-batch", {
        "run_id": run_id, "metrics": metrics,
        "params": [{"key": "max_depth", "value": "3"}, {"key": "eta", "value": "0.3"}]})
    call(base, "POST", "runs/update", {"run_id": run_id, "status": "FINISHED", "end_time": now + 10})
    try:
        call(base, "POST", "registered-models/create", {"name": name})
    except urllib.error.HTTPError as error:  # already registered by an earlier demo
        if error.code != 400:
            raise
    version = call(base, "POST", "model-versions/create", {
        "name": name, "source": run["info"]["artifact_uri"] + "/model", "run_id": run_id})
    call(base, "POST", "registered-models/alias",
         {"name": name, "alias": "production", "version": version["model_version"]["version"]})
    print(f"logged run {run_id} in experiment {experiment_id}; "
          f"registered {name} version {version['model_version']['version']} as @production")


if __name__ == "__main__":
    main(sys.argv[1])
