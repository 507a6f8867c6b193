"""Seeds an experiment with N runs (params, metrics, tags) through the MLflow REST API over one
keep-alive connection, for bench/run_ui_bench.sh. usage: ui_seed_runs.py BASE_URL N"""

import http.client
import json
import random
import sys
import time
import urllib.parse


def main():
    base, count = sys.argv[1], int(sys.argv[2])
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port)

    def call(path, body):
        conn.request("POST", "/api/2.0/mlflow/" + path, json.dumps(body),
                     {"Content-Type": "application/json"})
        response = conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: {response.status} {data[:200]!r}")
        return json.loads(data)

    experiment = call("experiments/create", {"name": f"ui-bench-{int(time.time())}"})
    experiment_id = experiment["experiment_id"]
    rng = random.Random(7)
    started = time.time()
    for i in range(count):
        now = int(time.time() * 1000)
        run = call("runs/create", {"experiment_id": experiment_id, "start_time": now,
                                   "run_name": f"run-{i}"})["run"]["info"]["run_id"]
        depth, eta = rng.randint(2, 10), round(rng.uniform(0.01, 0.5), 3)
        call("runs/log-batch", {
            "run_id": run,
            "params": [{"key": "max_depth", "value": str(depth)},
                       {"key": "eta", "value": str(eta)}],
            "metrics": [{"key": "accuracy", "value": rng.uniform(0.6, 1.0), "timestamp": now,
                         "step": 0},
                        {"key": "log_loss", "value": rng.uniform(0.05, 0.9), "timestamp": now,
                         "step": 0}],
            "tags": [{"key": "team", "value": rng.choice(["a", "b", "c"])}]})
        call("runs/update", {"run_id": run, "status": "FINISHED", "end_time": now + 1})
    print(json.dumps({"experiment_id": experiment_id, "runs": count,
                      "seconds": round(time.time() - started, 1)}))


if __name__ == "__main__":
    main()
