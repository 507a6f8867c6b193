"""Durability and process behaviour: no acknowledged write is lost on SIGKILL, SIGTERM and
SIGINT exit 0, the server is ready quickly, and a restart on the same data dir sees all data.
"""

import http.client
import json
import signal
import threading
import time
import unittest

from kiln_server import API, ARTIFACTS, KilnServer, now_ms, uniq


class Writer(threading.Thread):
    """Streams log-batch calls on one keep-alive connection; records acknowledged values."""

    def __init__(self, server, run_id, base, stop):
        super().__init__(daemon=True)
        self.server, self.run_id, self.base, self.stop = server, run_id, base, stop
        self.acked = []        # values whose batch got 200
        self.sent = set()      # every value ever sent
        self.failures = []     # non-200 answers (while the server was up)

    def run(self):
        conn = self.server.connection(timeout=10)
        n = 0
        try:
            while not self.stop.is_set():
                values = [self.base + n * 10 + j for j in range(10)]
                self.sent.update(values)
                body = json.dumps({"run_id": self.run_id, "metrics": [
                    {"key": "m", "value": v, "timestamp": now_ms(), "step": n}
                    for v in values]})
                try:
                    conn.request("POST", API + "runs/log-batch", body=body,
                                 headers={"Content-Type": "application/json"})
                    resp = conn.getresponse()
                    data = resp.read()
                except (OSError, http.client.HTTPException):
                    return  # the server is gone: this batch was not acknowledged
                if resp.status == 200:
                    self.acked.extend(values)
                else:
                    self.failures.append((resp.status, data[:200]))
                n += 1
        finally:
            conn.close()


class ProcessTestBase(unittest.TestCase):

    def setUp(self):
        self.server = KilnServer()
        self.addCleanup(self.server.cleanup)

    def call_ok(self, method, path, body=None, query=None):
        status, out = self.server.call(method, path, body=body, query=query)
        self.assertEqual(status, 200, f"{method} {path}: {out!r}")
        return out

    def history(self, run_id, key):
        values, token = [], None
        for _ in range(10000):
            query = {"run_id": run_id, "metric_key": key}
            if token:
                query["page_token"] = token
            out = self.call_ok("GET", "metrics/get-history", query=query)
            values += [m["value"] for m in out.get("metrics", [])]
            token = out.get("next_page_token")
            if not token:
                return values
        self.fail("get-history pagination does not terminate")


class KillTest(ProcessTestBase):

    def test_sigkill_keeps_every_acknowledged_batch(self):
        self.server.start()
        exp_id = self.call_ok("POST", "experiments/create", {"name": uniq("dur")})["experiment_id"]
        run_id = self.call_ok("POST", "runs/create", {"experiment_id": exp_id,
                                                      "start_time": now_ms()})["run"]["info"]["run_id"]
        stop = threading.Event()
        writers = [Writer(self.server, run_id, base=t * 10_000_000, stop=stop) for t in range(3)]
        for w in writers:
            w.start()
        time.sleep(1.5)
        self.server.kill()  # SIGKILL mid-stream
        stop.set()
        for w in writers:
            w.join(timeout=15)
            self.assertFalse(w.is_alive())
        acked = [v for w in writers for v in w.acked]
        sent = set().union(*(w.sent for w in writers))
        for w in writers:
            self.assertEqual(w.failures, [], "log-batch failed while the server was up")
        self.assertGreater(len(acked), 0, "no batch was acknowledged in 1.5 s")

        print(f"\n  {len(acked) // 10} log-batch calls acknowledged before SIGKILL")
        self.server.start()  # same data dir
        stored = self.history(run_id, "m")
        missing = set(acked) - set(stored)
        self.assertEqual(len(missing), 0,
                         f"{len(missing)} of {len(acked)} acknowledged values lost, e.g. "
                         f"{sorted(missing)[:10]}")
        self.assertTrue(set(stored) <= sent, "history holds values that were never sent")
        self.assertEqual(len(stored), len(set(stored)), "a batch was stored twice")
        # Batches are atomic: each step has all 10 of its values or none.
        by_batch = {}
        for v in stored:
            by_batch.setdefault(int(v) // 10, set()).add(v)
        torn = {k: len(s) for k, s in by_batch.items() if len(s) != 10}
        self.assertEqual(torn, {}, "a log-batch was partially applied")

    def test_sigkill_keeps_acknowledged_entities(self):
        self.server.start()
        created = []
        stop = threading.Event()

        def creator():
            conn = self.server.connection(timeout=10)
            try:
                while not stop.is_set():
                    name = uniq("killexp")
                    try:
                        conn.request("POST", API + "experiments/create",
                                     body=json.dumps({"name": name}),
                                     headers={"Content-Type": "application/json"})
                        resp = conn.getresponse()
                        data = resp.read()
                    except (OSError, http.client.HTTPException):
                        return
                    if resp.status == 200:
                        created.append((name, json.loads(data)["experiment_id"]))
            finally:
                conn.close()

        t = threading.Thread(target=creator, daemon=True)
        t.start()
        time.sleep(1.0)
        self.server.kill()
        stop.set()
        t.join(timeout=15)
        self.assertGreater(len(created), 0)
        self.server.start()
        for name, exp_id in created:
            out = self.call_ok("GET", "experiments/get-by-name", query={"experiment_name": name})
            self.assertEqual(out["experiment"]["experiment_id"], exp_id)

    def test_sigkill_keeps_acknowledged_artifact(self):
        self.server.start()
        exp_id = self.call_ok("POST", "experiments/create", {"name": uniq("art")})["experiment_id"]
        run = self.call_ok("POST", "runs/create", {"experiment_id": exp_id,
                                                   "start_time": now_ms()})["run"]
        root = run["info"]["artifact_uri"][len("mlflow-artifacts:/"):]
        blobs = {f"{root}/f{i}.bin": bytes([i]) * (1000 + i) for i in range(20)}
        for path, data in blobs.items():
            status, _, body = self.server.raw("PUT", f"{ARTIFACTS}/{path}", body=data)
            self.assertEqual(status, 200, body)
        self.server.kill()
        self.server.start()
        for path, data in blobs.items():
            status, _, body = self.server.raw("GET", f"{ARTIFACTS}/{path}")
            self.assertEqual((status, body), (200, data), path)


class LifecycleTest(ProcessTestBase):

    def test_ready_quickly_and_sigterm_exits_zero(self):
        seconds = self.server.start()
        print(f"\n  kiln server ready in {seconds * 1000:.0f} ms (fresh data dir)")
        self.assertLess(seconds, 5.0)  # the target is < 1 s; generous to avoid flakiness
        self.assertEqual(self.server.stdout_before_ready, [],
                         "stdout must hold only the ready line")
        self.call_ok("GET", "experiments/get", query={"experiment_id": "0"})
        code = self.server.stop(signal.SIGTERM, timeout=10)
        self.assertEqual(code, 0)

    def test_sigint_exits_zero(self):
        self.server.start()
        self.call_ok("GET", "experiments/get", query={"experiment_id": "0"})
        self.assertEqual(self.server.stop(signal.SIGINT, timeout=10), 0)

    def test_sigterm_during_writes_exits_zero_and_keeps_acks(self):
        self.server.start()
        exp_id = self.call_ok("POST", "experiments/create", {"name": uniq("term")})["experiment_id"]
        run_id = self.call_ok("POST", "runs/create", {"experiment_id": exp_id,
                                                      "start_time": now_ms()})["run"]["info"]["run_id"]
        stop = threading.Event()
        writers = [Writer(self.server, run_id, base=t * 10_000_000, stop=stop) for t in range(2)]
        for w in writers:
            w.start()
        time.sleep(0.7)
        code = self.server.stop(signal.SIGTERM, timeout=15)
        stop.set()
        for w in writers:
            w.join(timeout=15)
        self.assertEqual(code, 0)
        acked = {v for w in writers for v in w.acked}
        self.assertGreater(len(acked), 0)
        seconds = self.server.start()
        print(f"\n  kiln server ready in {seconds * 1000:.0f} ms (restart with data)")
        self.assertLess(seconds, 5.0)
        stored = set(self.history(run_id, "m"))
        self.assertEqual(acked - stored, set())

    def test_restart_preserves_everything(self):
        self.server.start()
        exp_name = uniq("keep")
        exp_id = self.call_ok("POST", "experiments/create",
                              {"name": exp_name, "tags": [{"key": "t", "value": "1"}]})["experiment_id"]
        run = self.call_ok("POST", "runs/create", {"experiment_id": exp_id, "run_name": "kept",
                                                   "start_time": now_ms()})["run"]
        run_id = run["info"]["run_id"]
        self.call_ok("POST", "runs/log-batch", {
            "run_id": run_id,
            "metrics": [{"key": "acc", "value": 0.5, "timestamp": 1, "step": 0},
                        {"key": "nan", "value": "NaN", "timestamp": 1, "step": 0}],
            "params": [{"key": "lr", "value": "0.01"}],
            "tags": [{"key": "color", "value": "red"}]})
        self.call_ok("POST", "runs/update", {"run_id": run_id, "status": "FINISHED",
                                             "end_time": now_ms()})
        model = uniq("keepmodel")
        self.call_ok("POST", "registered-models/create", {"name": model})
        self.call_ok("POST", "model-versions/create", {
            "name": model, "source": run["info"]["artifact_uri"] + "/model", "run_id": run_id})
        self.call_ok("POST", "registered-models/alias", {"name": model, "alias": "prod",
                                                         "version": "1"})
        before = {
            "exp": self.call_ok("GET", "experiments/get", query={"experiment_id": exp_id}),
            "run": self.call_ok("GET", "runs/get", query={"run_id": run_id}),
            "model": self.call_ok("GET", "registered-models/get", query={"name": model}),
        }
        self.assertEqual(self.server.stop(), 0)
        self.server.start()
        after = {
            "exp": self.call_ok("GET", "experiments/get", query={"experiment_id": exp_id}),
            "run": self.call_ok("GET", "runs/get", query={"run_id": run_id}),
            "model": self.call_ok("GET", "registered-models/get", query={"name": model}),
        }
        self.assertEqual(after, before)
        mv = self.call_ok("GET", "registered-models/alias", query={"name": model,
                                                                   "alias": "prod"})
        self.assertEqual(mv["model_version"]["version"], "1")
        # New ids after a restart never collide with old ones.
        exp2 = self.call_ok("POST", "experiments/create", {"name": uniq("new")})["experiment_id"]
        self.assertNotEqual(exp2, exp_id)
        self.assertEqual(self.server.stop(), 0)

    def test_two_servers_on_ephemeral_ports(self):
        other = KilnServer()
        self.addCleanup(other.cleanup)
        self.server.start()
        other.start()
        self.assertNotEqual(self.server.port, other.port)
        self.call_ok("GET", "experiments/get", query={"experiment_id": "0"})
        status, _ = other.call("GET", "experiments/get", query={"experiment_id": "0"})
        self.assertEqual(status, 200)


if __name__ == "__main__":
    unittest.main()
