"""Concurrent clients: parallel writers to one run, racing creates of one name, readers
during writes. Every answer < 500, nothing lost, ids unique."""

import threading
import unittest

from kiln_server import ServerTestCase, now_ms, uniq


def in_threads(n, fn):
    results, errors = [None] * n, []

    def wrap(i):
        try:
            results[i] = fn(i)
        except Exception as e:  # reported by the caller
            errors.append(repr(e))

    threads = [threading.Thread(target=wrap, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, errors


class ConcurrencyTest(ServerTestCase):

    def test_parallel_log_batch_to_one_run(self):
        run_id = self.create_run("0")["info"]["run_id"]

        def writer(t):
            statuses = []
            for n in range(40):
                st, _ = self.log_batch(run_id, metrics=[
                    {"key": "m", "value": t * 1000 + n, "timestamp": now_ms(), "step": n}],
                    params=[{"key": f"p{t}-{n}", "value": str(n)}],
                    tags=[{"key": "shared", "value": str(t)}])
                statuses.append(st)
            return statuses

        results, errors = in_threads(8, writer)
        self.assertEqual(errors, [])
        self.assertEqual({s for r in results for s in r}, {200})
        values = sorted(m["value"] for m in self.metric_history(run_id, "m"))
        self.assertEqual(values, sorted(t * 1000 + n for t in range(8) for n in range(40)))
        params = {p["key"] for p in self.get_run(run_id)["data"]["params"]}
        self.assertEqual(len(params), 8 * 40)

    def test_racing_creates_of_one_name(self):
        name = uniq("race")
        results, errors = in_threads(16, lambda i: self.post("experiments/create",
                                                              {"name": name}))
        self.assertEqual(errors, [])
        ok = [b for st, b in results if st == 200]
        self.assertEqual(len(ok), 1, results)
        for st, body in results:
            if st != 200:
                self.assertError((st, body), 400, "RESOURCE_ALREADY_EXISTS")
        model = uniq("racemodel")
        results, errors = in_threads(16, lambda i: self.post("registered-models/create",
                                                              {"name": model}))
        self.assertEqual(errors, [])
        self.assertEqual(sum(1 for st, _ in results if st == 200), 1, results)

    def test_parallel_creates_get_unique_ids(self):
        results, errors = in_threads(16, lambda i: [self.create_experiment() for _ in range(10)])
        self.assertEqual(errors, [])
        ids = [i for r in results for i in r]
        self.assertEqual(len(ids), len(set(ids)))
        model = uniq("versions")
        self.ok(self.post("registered-models/create", {"name": model}))
        run = self.create_run("0")

        def make_versions(i):
            out = []
            for _ in range(5):
                body = self.ok(self.post("model-versions/create", {
                    "name": model, "source": run["info"]["artifact_uri"] + "/model",
                    "run_id": run["info"]["run_id"]}))
                out.append(body["model_version"]["version"])
            return out

        results, errors = in_threads(8, make_versions)
        self.assertEqual(errors, [])
        versions = sorted(int(v) for r in results for v in r)
        self.assertEqual(versions, list(range(1, 41)))

    def test_readers_during_writes(self):
        exp_id = self.create_experiment()
        run_id = self.create_run(exp_id)["info"]["run_id"]
        stop = threading.Event()
        problems = []

        def reader():
            seen = 0
            try:
                while not stop.is_set():
                    st, body = self.post("runs/search", {"experiment_ids": [exp_id],
                                                         "filter": "metrics.m >= 0"})
                    if st != 200:
                        problems.append(("search", st, body))
                    st, body = self.get("metrics/get-history", run_id=run_id, metric_key="m")
                    if st != 200:
                        problems.append(("history", st, body))
                        continue
                    n = len(body.get("metrics", []))
                    if n < seen:
                        problems.append(("history shrank", seen, n))
                    seen = n
            except Exception as e:
                problems.append(repr(e))

        threads = [threading.Thread(target=reader) for _ in range(4)]
        for t in threads:
            t.start()
        try:
            for n in range(200):
                self.ok(self.post("runs/log-metric", {"run_id": run_id, "key": "m",
                                                      "value": n, "timestamp": now_ms(),
                                                      "step": n}))
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=60)
        self.assertEqual(problems, [])
        self.assertEqual(len(self.metric_history(run_id, "m")), 200)


if __name__ == "__main__":
    unittest.main()
