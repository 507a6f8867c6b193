"""Times tracking calls over HTTP against two servers speaking MLflow's REST API, side by side:
`kiln server` and MLflow's own tracking server (the peer). One keep-alive connection per server,
the same request bodies, the rounds alternating between the servers so that the shared
machine's noise falls on both alike. Prints per operation the median (p50) and p90 latency of
each server and the ratio MLflow/Kiln (how many times faster Kiln answers).

usage: peer_ops.py KILN_URL MLFLOW_URL [ROUNDS] [CALLS_PER_ROUND]"""

import http.client
import json
import statistics
import sys
import time
import urllib.parse

API = "/api/2.0/mlflow/"


class Client:
    def __init__(self, url):
        parts = urllib.parse.urlparse(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data else {}
        self.conn.request(method, API + path, body=data, headers=headers)
        resp = self.conn.getresponse()
        raw = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"{method} {path}: {resp.status} {raw[:200]!r}")
        return json.loads(raw) if raw else {}


def setup(client, tag):
    exp = client.call("POST", "experiments/create", {"name": f"peer-bench-{tag}-{time.time_ns()}"})
    exp_id = exp["experiment_id"]
    run = client.call("POST", "runs/create", {"experiment_id": exp_id, "start_time": 1})
    run_id = run["run"]["info"]["run_id"]
    for i in range(200):  # something to search
        r = client.call("POST", "runs/create", {"experiment_id": exp_id, "start_time": i})
        client.call("POST", "runs/log-metric", {"run_id": r["run"]["info"]["run_id"], "key": "acc",
                                                "value": i / 200, "timestamp": i, "step": 0})
    return exp_id, run_id


def operations(exp_id, run_id):
    step = [0]

    def log_metric():
        step[0] += 1
        return "POST", "runs/log-metric", {"run_id": run_id, "key": "loss", "value": 0.5,
                                           "timestamp": step[0], "step": step[0]}

    def log_batch():
        step[0] += 1
        metrics = [{"key": f"m{k}", "value": k * 0.1, "timestamp": step[0], "step": step[0]}
                   for k in range(100)]
        return "POST", "runs/log-batch", {"run_id": run_id, "metrics": metrics}

    def get_run():
        return "GET", "runs/get?run_id=" + run_id, None

    def search():
        return "POST", "runs/search", {"experiment_ids": [exp_id], "max_results": 50,
                                       "filter": "metrics.acc > 0.5",
                                       "order_by": ["metrics.acc DESC"]}

    return {"log-metric": log_metric, "log-batch (100 metrics)": log_batch, "runs/get": get_run,
            "runs/search (filter, order by metric, 50 of 200)": search}


def main():
    kiln_url, mlflow_url = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    calls = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    servers = {"kiln": Client(kiln_url), "mlflow": Client(mlflow_url)}
    ops = {name: operations(*setup(c, name)) for name, c in servers.items()}
    times = {name: {op: [] for op in ops[name]} for name in servers}
    for _ in range(rounds):
        for op in ops["kiln"]:
            for name in ("kiln", "mlflow"):
                make = ops[name][op]
                for _ in range(calls):
                    method, path, body = make()
                    start = time.perf_counter()
                    servers[name].call(method, path, body)
                    times[name][op].append((time.perf_counter() - start) * 1e3)
    print(f"| operation | Kiln p50 | Kiln p90 | MLflow p50 | MLflow p90 | MLflow/Kiln (p50) |")
    print("|---|---|---|---|---|---|")
    for op in ops["kiln"]:
        k, m = sorted(times["kiln"][op]), sorted(times["mlflow"][op])
        p = lambda xs, q: xs[min(len(xs) - 1, int(q * len(xs)))]
        print(f"| {op} | {statistics.median(k):.2f} ms | {p(k, 0.9):.2f} ms | "
              f"{statistics.median(m):.2f} ms | {p(m, 0.9):.2f} ms | "
              f"{statistics.median(m) / statistics.median(k):.1f}x |")


if __name__ == "__main__":
    main()
