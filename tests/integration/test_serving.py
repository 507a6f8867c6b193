"""Deployments end to end on a real server: the iris model trained by examples/iris, served
through the native, MLflow and KServe v2 routes; hot swap under continuous concurrent load while
the alias moves back and forth and while a broken version is pointed at (every request must get
a 200 from a valid version); a canary split; bad requests refused with 4xx naming the field;
deployments surviving a restart; and the CLI."""

import http.client
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiln_server import ServerTestCase  # noqa: E402
from test_pipelines import kiln  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROW = {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}
FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
MODEL = "iris-classifier"


class Load:
    """Threads posting predictions on keep-alive connections until stopped; records every
    answer's status and model version."""

    def __init__(self, port, path, threads=6):
        self.port, self.path = port, path
        self.stop = threading.Event()
        self.results = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run) for _ in range(threads)]

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        body = json.dumps({"rows": [ROW]})
        seen = []
        while not self.stop.is_set():
            try:
                conn.request("POST", self.path, body, {"Content-Type": "application/json"})
                resp = conn.getresponse()
                data = resp.read()
                if resp.status == 200:
                    answer = json.loads(data)
                    seen.append((200, answer["model"]["version"], answer["request_id"]))
                else:
                    seen.append((resp.status, data))
            except (OSError, http.client.HTTPException) as e:
                seen.append((0, repr(e)))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.close()
        with self.lock:
            self.results.extend(seen)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join()


class ServingTest(ServerTestCase):
    # Pipelines sent over HTTP must lie in the server's pipeline roots; this one runs from a
    # copy in the (temporary) data folder.
    server_args = ("--pipeline-roots", tempfile.gettempdir())

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.work = os.path.join(cls.server.data_dir, "work")
        shutil.copytree(os.path.join(REPO, "examples", "iris"), cls.work)
        url = cls.server.base_url
        spec = os.path.join(cls.work, "pipeline.yaml")
        for overrides in ([], ["max_depth=1", "num_rounds=3"]):  # v1 (champion), v2 (worse)
            result = kiln("run", spec, *overrides, "--server", url, timeout=300)
            assert result.returncode == 0, result.stderr
        # v3: registered, but its package does not exist
        cls.server.post_ok("model-versions/create",
                           {"name": MODEL, "source": "kiln-package:" + "0" * 64})

    def set_alias(self, version):
        self.ok(self.post("registered-models/alias",
                          {"name": MODEL, "alias": "champion", "version": str(version)}))

    def deployment(self, name):
        return self.ok(self.get(f"/api/v1/deployments/{name}"))["deployment"]

    def wait_for(self, name, predicate, what, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            d = self.deployment(name)
            if predicate(d):
                return d
            time.sleep(0.05)
        self.fail(f"{what}: {json.dumps(self.deployment(name))}")

    def deploy(self, name, model, **extra):
        body = {"name": name, "model": model, **extra}
        self.ok(self.post("/api/v1/deployments", body))
        return self.wait_for(name, lambda d: d["primary"]["state"] == "ready" and (
            d["canary_status"] is None or d["canary_status"]["state"] == "ready"), "not ready")

    def predict(self, name, body, path="predict"):
        return self.call("POST", f"/serve/{name}/{path}", body=body)

    def test_predictions_in_every_protocol_agree(self):
        self.set_alias(1)
        self.deploy("agree", f"{MODEL}@champion")
        rows = [ROW, {"sepal_length": 6.3, "sepal_width": 3.3, "petal_length": 6.0,
                      "petal_width": 2.5}]
        native = self.ok(self.predict("agree", {"rows": rows}))
        self.assertEqual(native["model"], {"name": MODEL, "version": 1})
        self.assertTrue(native["request_id"])
        labels = [p["predicted"] for p in native["predictions"]]
        self.assertEqual(labels, ["setosa", "virginica"])
        for p in native["predictions"]:
            self.assertAlmostEqual(sum(p["probabilities"].values()), 1.0, places=5)
        split = {"columns": FEATURES, "data": [[r[f] for f in FEATURES] for r in rows]}
        self.assertEqual([p["predicted"] for p in self.ok(self.predict("agree", split))[
            "predictions"]], labels)
        for body in ({"dataframe_split": split}, {"dataframe_records": rows},
                     {"instances": rows}, {"inputs": split["data"]},
                     {"inputs": {f: [r[f] for r in rows] for f in FEATURES}}):
            self.assertEqual(self.ok(self.predict("agree", body, "invocations"))["predictions"],
                             labels, body)
        # KServe v2: one tensor per feature, or one [N, 4] tensor
        per_feature = {"inputs": [{"name": f, "shape": [2], "datatype": "FP64",
                                   "data": [r[f] for r in rows]} for f in FEATURES]}
        matrix = {"id": "mine", "inputs": [{"name": "x", "shape": [2, 4], "datatype": "FP64",
                                            "data": split["data"]}]}
        for body in (per_feature, matrix):
            status, answer = self.call("POST", "/v2/models/agree/infer", body=body)
            self.assertEqual(status, 200, answer)
            self.assertEqual(answer["outputs"][0]["data"], labels)
            self.assertEqual(answer["outputs"][1]["shape"], [2, 3])
        self.assertEqual(answer["id"], "mine")
        self.assertTrue(answer["parameters"]["request_id"])
        meta = self.ok(self.get("/v2/models/agree"))
        self.assertEqual([i["name"] for i in meta["inputs"]], FEATURES)
        self.assertEqual(self.ok(self.get("/v2/health/live")), {"live": True})
        self.ok(self.get("/v2/models/agree/ready"))
        doc = self.ok(self.get("/serve/agree/openapi.json"))
        self.assertEqual(doc["openapi"], "3.0.3")
        self.assertEqual(doc["components"]["schemas"]["Row"]["required"], FEATURES)
        self.assertIn("/serve/agree/predict", doc["paths"])

    def test_bad_requests_get_4xx_naming_the_field(self):
        self.set_alias(1)
        self.deploy("strict", f"{MODEL}@champion", strict_inputs=True)
        bad_row = dict(ROW, sepal_length="wide")
        missing = {k: v for k, v in ROW.items() if k != "petal_width"}
        cases = [
            ("{not json", "not valid JSON"),
            ("[1, 2]", "must be a JSON object"),
            ({"rows": []}, "holds no rows"),
            ({"rows": [ROW] * 10001}, "more than the limit of 10000"),
            ({"rows": [bad_row]}, "rows[0]: feature 'sepal_length': expected a number"),
            ({"rows": [ROW, missing]}, "rows[1]: missing feature 'petal_width'"),
            ({"rows": [dict(ROW, color="red")]}, "unknown feature 'color'"),
            ({"rows": "x"}, "list of row objects"),
            ({"columns": FEATURES, "data": [[1, 2, 3]]}, "data[0]: expected a list of 4 values"),
            ({"columns": FEATURES + ["x"], "data": [[1, 2, 3, 4, 5]]}, "unknown feature 'x'"),
            ({"something": 1}, "give 'rows'"),
            ("[" * 100 + "]" * 100, "nests deeper"),
        ]
        for body, needle in cases:
            self.assertInvalid(self.predict("strict", body), needle, what=str(body)[:60])
        self.assertInvalid(self.predict("strict", {"instances": 5}, "invocations"), "instances")
        self.assertInvalid(self.predict("strict", {"nothing": 1}, "invocations"),
                           "dataframe_split")
        self.assertInvalid(self.call("POST", "/v2/models/strict/infer", body={"inputs": []}),
                           "inputs")
        self.assertInvalid(self.call("POST", "/v2/models/strict/infer", body={"inputs": [
            {"name": "x", "shape": [1, 4], "datatype": "FP64", "data": [1, 2, 3]}]}),
            "not a multiple of 4")
        self.assertNotFound(self.predict("nosuch", {"rows": [ROW]}), "no deployment 'nosuch'")
        self.assertNotFound(self.get("/v2/models/nosuch"), "nosuch")
        # deployment API mistakes
        for body, needle in [({"name": "x y", "model": f"{MODEL}/1"}, "'name'"),
                             ({"name": "x", "model": "iris"}, "MODEL@ALIAS or MODEL/VERSION"),
                             ({"name": "x", "model": f"{MODEL}/0"}, "MODEL/VERSION"),
                             ({"name": "x", "model": "nosuch@champion"}, "nosuch"),
                             ({"name": "x", "model": f"{MODEL}/99"}, "99"),
                             ({"name": "x", "model": f"{MODEL}/1", "canary_weight": 5},
                              "needs 'canary'"),
                             ({"name": "x", "model": f"{MODEL}/1", "canary": f"{MODEL}/2",
                               "canary_weight": 101}, "canary_weight"),
                             ({"model": f"{MODEL}/1"}, "name")]:
            self.assertError(self.post("/api/v1/deployments", body), (400, 404),
                             msg_contains=needle, what=str(body))
        self.assertNotFound(self.get("/api/v1/deployments/x"))
        # still serving
        self.ok(self.predict("strict", {"rows": [ROW]}))

    def test_hot_swap_under_load_never_fails_a_request(self):
        self.set_alias(1)
        self.deploy("swap", f"{MODEL}@champion")
        with Load(self.server.port, "/serve/swap/predict") as load:
            for version in (2, 1, 2, 1, 2):
                self.set_alias(version)
                self.wait_for("swap", lambda d, v=version: d["primary"]["serving_version"] == v,
                              f"did not move to v{version}")
                time.sleep(0.2)
            self.set_alias(3)  # broken: the old version keeps serving, the failure is visible
            broken = self.wait_for("swap", lambda d: "version 3 failed to load" in
                                   d["primary"]["error"], "the broken version's error not shown")
            self.assertEqual(broken["primary"]["serving_version"], 2)
            self.assertEqual(broken["primary"]["state"], "ready")
            time.sleep(0.3)
            self.set_alias(1)
            self.wait_for("swap", lambda d: d["primary"]["serving_version"] == 1 and
                          d["primary"]["error"] == "", "did not recover to v1")
            time.sleep(0.2)
        statuses = {}
        for result in load.results:
            statuses[result[0]] = statuses.get(result[0], 0) + 1
        self.assertEqual(set(statuses), {200}, [r for r in load.results if r[0] != 200][:5])
        versions = {r[1] for r in load.results}
        self.assertEqual(versions, {1, 2})
        self.assertGreater(len(load.results), 200)

    def test_canary_takes_its_share_and_reports_per_version(self):
        self.set_alias(1)
        d = self.deploy("canary", f"{MODEL}@champion", canary=f"{MODEL}/2", canary_weight=30)
        self.assertEqual(d["canary_status"]["serving_version"], 2)
        versions = [self.ok(self.predict("canary", {"rows": [ROW]}))["model"]["version"]
                    for _ in range(200)]
        self.assertEqual(versions.count(2), 60)
        self.assertEqual(versions.count(1), 140)

    def test_deployments_survive_a_restart_and_the_cli_manages_them(self):
        self.set_alias(1)
        self.deploy("durable", f"{MODEL}/2")
        self.server.restart()
        self.wait_for("durable", lambda d: d["primary"]["serving_version"] == 2, "not reloaded")
        self.assertEqual(self.ok(self.predict("durable", {"rows": [ROW]}))["model"]["version"], 2)
        url = self.server.base_url
        result = kiln("deploy", "cli-made", "--model", f"{MODEL}@champion", "--server", url)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("/serve/cli-made/predict", result.stdout)
        listed = kiln("deployments", "ls", "--server", url)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertIn("cli-made", listed.stdout)
        shown = kiln("deployments", "show", "cli-made", "--json", "--server", url)
        self.assertEqual(json.loads(shown.stdout)["deployment"]["primary"]["state"], "ready")
        for args, needle in [(["deploy", "bad name", "--model", f"{MODEL}/1"], "'name'"),
                             (["deploy", "x", "--model", "nosuch@a"], "nosuch"),
                             (["undeploy", "nosuch"], "nosuch"),
                             (["deployments", "show", "nosuch"], "nosuch")]:
            result = kiln(*args, "--server", url)
            self.assertEqual(result.returncode, 2, (args, result.stderr))
            self.assertIn(needle, result.stderr)
        self.assertEqual(kiln("undeploy", "cli-made", "--server", url).returncode, 0)
        self.assertNotFound(self.predict("cli-made", {"rows": [ROW]}))

    def test_requests_are_logged_take_feedback_and_show_in_metrics(self):
        self.set_alias(1)
        self.deploy("watched", f"{MODEL}/1")
        virginica = {"sepal_length": 6.3, "sepal_width": 3.3, "petal_length": 6.0,
                     "petal_width": 2.5}
        ids = [self.ok(self.predict("watched", {"rows": [ROW]}))["request_id"] for _ in range(3)]
        pair = self.ok(self.predict("watched", {"rows": [ROW, virginica]}))["request_id"]
        self.assertInvalid(self.predict("watched", {"rows": []}))
        logged = self.ok(self.get("/api/v1/deployments/watched/requests",
                                  limit=100))["requests"]
        self.assertEqual([r["request_id"] for r in logged], ids + [pair])
        self.assertEqual(logged[-1]["inputs"], {"rows": [ROW, virginica]})
        self.assertEqual([o["predicted"] for o in logged[-1]["outputs"]], ["setosa", "virginica"])
        self.assertEqual(logged[0]["version"], 1)
        self.assertEqual(self.ok(self.get("/api/v1/deployments/watched/requests", limit=2,
                                          since_ms=0))["requests"], logged[-2:])
        feedback = "/serve/watched/feedback"
        self.ok(self.post(feedback, {"request_id": ids[0], "label": "setosa"}))
        self.ok(self.post(feedback, {"request_id": ids[1], "label": "versicolor"}))
        answer = self.ok(self.post(feedback, {"request_id": pair,
                                              "labels": ["setosa", "virginica"]}))
        self.assertEqual(answer["quality"], [{"model": MODEL, "version": 1, "requests": 3,
                                              "rows": 4, "correct": 3, "accuracy": 0.75}])
        self.assertError(self.post(feedback, {"request_id": ids[0], "label": "setosa"}), 400,
                         "RESOURCE_ALREADY_EXISTS", "already has feedback")
        self.assertNotFound(self.post(feedback, {"request_id": "nosuch", "label": "a"}),
                            "nosuch")
        self.assertInvalid(self.post(feedback, {"label": "setosa"}), "request_id")
        self.assertInvalid(self.post(feedback, {"request_id": ids[2], "label": "a",
                                                "labels": ["a"]}), "exactly one")
        self.assertInvalid(self.post(feedback, {"request_id": ids[2],
                                                "labels": ["a", "b"]}), "labels")
        shown = self.deployment("watched")
        self.assertEqual(shown["quality"][0]["accuracy"], 0.75)
        status, text = self.call("GET", "/metrics")
        self.assertEqual(status, 200)
        text = text.decode() if isinstance(text, bytes) else text
        series = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, value = line.rsplit(" ", 1)
                series[name] = float(value)
        key = 'kiln_serving_requests_total{deployment="watched",version="1",code="%s"}'
        self.assertEqual(series[key % "200"], 4)
        self.assertEqual(series[key % "400"], 1)
        self.assertEqual(series['kiln_serving_predictions_total{deployment="watched",'
                                'version="1",class="setosa"}'], 4)
        self.assertEqual(series['kiln_serving_request_duration_seconds_count{'
                                'deployment="watched",version="1"}'], 5)
        self.assertInvalid(self.get("/api/v1/deployments/watched/requests", limit=0), "limit")
        self.assertNotFound(self.get("/api/v1/deployments/nosuch/requests"))
        listed = kiln("deployments", "requests", "watched", "--limit", "2", "--server",
                      self.server.base_url)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertIn(pair, listed.stdout)

    def test_sigkill_under_load_loses_no_answered_request(self):
        self.set_alias(1)
        self.deploy("killed", f"{MODEL}@champion")
        with Load(self.server.port, "/serve/killed/predict", threads=4) as load:
            time.sleep(1.5)
            self.server.kill()
            time.sleep(0.2)
        answered = [r[2] for r in load.results if r[0] == 200]
        self.assertGreater(len(answered), 50)
        self.server.start()  # replays the log and cuts a torn tail
        logged = self.ok(self.get("/api/v1/deployments/killed/requests", limit=10))
        self.assertEqual(len(logged["requests"]), 10)
        # every line of the log's segments (plain JSON lines; the API lists at most 10,000)
        found = set()
        log_dir = os.path.join(self.server.data_dir, "serving", "requests")
        for name in sorted(os.listdir(log_dir)):
            if name.startswith("requests-"):
                with open(os.path.join(log_dir, name)) as f:
                    found.update(json.loads(line)["request_id"] for line in f if line.strip())
        missing = [i for i in answered if i not in found]
        self.assertEqual(missing, [], f"{len(missing)} of {len(answered)} answered requests lost")

    def test_kiln_serve_is_a_standalone_replica_with_the_same_routes(self):
        import re
        import subprocess
        from test_pipelines import KILN_BIN
        log_dir = os.path.join(self.server.data_dir, "replica-log")
        replica = subprocess.Popen(
            [KILN_BIN, "serve", f"models:/{MODEL}/2", "--name", "iris", "--port", "0",
             "--server", self.server.base_url, "--log-dir", log_dir, "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = replica.stdout.readline()
            match = re.search(r"Kiln serving iris-classifier/2 as iris on http://[\d.]+:(\d+)", line)
            self.assertTrue(match, line + replica.stderr.read() if not line else line)
            conn = http.client.HTTPConnection("127.0.0.1", int(match.group(1)), timeout=30)
            conn.request("POST", "/serve/iris/predict", json.dumps({"rows": [ROW]}),
                         {"Content-Type": "application/json"})
            answer = json.loads(conn.getresponse().read())
            self.assertEqual(answer["model"], {"name": MODEL, "version": 2})
            conn.request("POST", "/serve/iris/feedback", json.dumps(
                {"request_id": answer["request_id"], "label": "setosa"}),
                {"Content-Type": "application/json"})
            self.assertEqual(conn.getresponse().read() and 200, 200)
            conn.request("POST", "/serve/other/predict", json.dumps({"rows": [ROW]}),
                         {"Content-Type": "application/json"})
            response = conn.getresponse()
            self.assertEqual(response.status, 404, response.read())
            conn.request("GET", "/metrics")
            self.assertIn(b'kiln_serving_requests_total{deployment="iris",version="2",code="200"} 1',
                          conn.getresponse().read())
            conn.close()
        finally:
            replica.terminate()
            code = replica.wait(timeout=10)
            replica.stdout.close()
            replica.stderr.close()
            self.assertEqual(code, 0)
        bad = kiln("serve", "models:/nosuch@x", "--server", self.server.base_url, "--port", "0")
        self.assertEqual(bad.returncode, 2, bad.stderr)
        self.assertIn("nosuch", bad.stderr)

    def test_drift_compares_live_rows_with_the_training_profile(self):
        import csv
        self.set_alias(1)
        d = self.deploy("drifty", f"{MODEL}/1")
        self.assertEqual([f["feature"] for f in d["primary"]["drift"]], FEATURES)
        self.assertEqual({f["level"] for f in d["primary"]["drift"]}, {"no_data"})
        with open(os.path.join(REPO, "examples", "iris", "iris.csv")) as f:
            rows = [{k: float(r[k]) for k in FEATURES} for r in csv.DictReader(f)]
        self.ok(self.predict("drifty", {"rows": rows}))  # the data it was trained on
        drift = {f["feature"]: f for f in self.deployment("drifty")["primary"]["drift"]}
        for f in drift.values():
            self.assertEqual(f["live_rows"], 150)
            self.assertLess(f["psi"], 0.1, f)
        shifted = [dict(r, petal_length=r["petal_length"] + 10) for r in rows]
        self.ok(self.predict("drifty", {"rows": shifted}))
        drift = {f["feature"]: f for f in self.deployment("drifty")["primary"]["drift"]}
        self.assertEqual(drift["petal_length"]["level"], "major")
        self.assertLess(drift["sepal_width"]["psi"], 0.1)
        status, text = self.call("GET", "/metrics")
        self.assertIn('kiln_deployment_feature_psi{deployment="drifty",version="1",'
                      'feature="petal_length"}', text.decode() if isinstance(text, bytes) else text)
        shown = kiln("deployments", "show", "drifty", "--server", self.server.base_url)
        self.assertIn(f"drift   {MODEL}/1 petal_length: PSI", shown.stdout)


if __name__ == "__main__":
    unittest.main()
