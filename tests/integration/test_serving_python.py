"""Python models served on a real server: examples/sklearn trains scikit-learn's
LogisticRegression and registers it as iris-sklearn@champion (a package of flavor python); a
deployment serves it through Python worker processes the server starts and supervises. The
answers must be scikit-learn's own predict_proba (through float32), and killing the workers must
not fail a request."""

import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiln_server import ServerTestCase  # noqa: E402
from test_ml_iris import PEER_PYTHON, tree_file  # noqa: E402
from test_pipelines import kiln  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
MODEL = "iris-sklearn"
PEER = """
import json, pickle, sys
model = pickle.load(open(sys.argv[1], "rb"))
rows = json.load(open(sys.argv[2]))
print(json.dumps({"classes": [str(c) for c in model.classes_],
                  "proba": model.predict_proba(rows).tolist()}))
"""


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def state(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


class PythonServingTest(ServerTestCase):
    # Pipelines sent over HTTP must lie in the server's pipeline roots; this one runs from a
    # copy in the (temporary) data folder.
    server_args = ("--pipeline-roots", tempfile.gettempdir())
    # The server's python3 must have scikit-learn: Debian's (steps run python3 from PATH, the
    # workers KILN_PYTHON).
    server_env = {"KILN_PYTHON": PEER_PYTHON, "PATH": "/usr/bin:" + os.environ.get("PATH", "")}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        work = os.path.join(cls.server.data_dir, "work")
        for name in ("iris", "sklearn"):
            shutil.copytree(os.path.join(REPO, "examples", name), os.path.join(work, name))
        result = kiln("run", os.path.join(work, "sklearn", "pipeline.yaml"), "--server",
                      cls.server.base_url, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        with open(os.path.join(work, "iris", "iris.csv")) as f:
            lines = f.read().split()[1:]
        cls.rows = [dict(zip(FEATURES, map(float, line.split(",")[:4]))) for line in lines[::7]]

    def deploy(self, name):
        result = kiln("deploy", name, "--model", f"{MODEL}@champion", "--server",
                      self.server.base_url)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        deadline = time.time() + 60
        while time.time() < deadline:
            d = self.ok(self.get(f"/api/v1/deployments/{name}"))["deployment"]
            if d["primary"]["state"] == "ready":
                return d
            self.assertNotEqual(d["primary"]["state"], "failed", d)
            time.sleep(0.1)
        self.fail(f"deployment {name} not ready: {d}")

    def sklearn_answers(self):
        """scikit-learn's own predict_proba of self.rows, from the registered pickle."""
        version = self.ok(self.get("model-versions/get", name=MODEL, version="1"))
        digest = version["model_version"]["source"].split(":", 1)[1]
        peer = tempfile.mkdtemp(prefix="kiln-peer-")
        self.addCleanup(shutil.rmtree, peer, True)
        with open(os.path.join(peer, "model.pkl"), "wb") as f:
            f.write(tree_file(self.server.data_dir, digest, "model.pkl"))
        with open(os.path.join(peer, "rows.json"), "w") as f:
            json.dump([[r[c] for c in FEATURES] for r in self.rows], f)
        out = subprocess.run([PEER_PYTHON, "-c", PEER, os.path.join(peer, "model.pkl"),
                              os.path.join(peer, "rows.json")], capture_output=True, text=True,
                             timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout)

    def check_predictions(self, name, expected):
        answer = self.ok(self.call("POST", f"/serve/{name}/predict", body={"rows": self.rows}))
        self.assertEqual(answer["model"], {"name": MODEL, "version": 1})
        for row, got, proba in zip(self.rows, answer["predictions"], expected["proba"]):
            want = {c: f32(p) for c, p in zip(expected["classes"], proba)}
            self.assertEqual({c: f32(p) for c, p in got["probabilities"].items()}, want, row)
            self.assertEqual(got["predicted"], max(want, key=want.get), row)

    def workers(self):
        return [p for p in children(self.server.proc.pid) if state(p) not in (None, "Z")]

    def test_predictions_are_sklearns_and_killed_workers_are_replaced(self):
        self.deploy("sk")
        expected = self.sklearn_answers()
        self.check_predictions("sk", expected)
        split = {"dataframe_split": {"columns": FEATURES,
                                     "data": [[r[c] for c in FEATURES] for r in self.rows]}}
        labels = self.ok(self.call("POST", "/serve/sk/invocations", body=split))["predictions"]
        self.assertEqual(len(labels), len(self.rows))

        before = self.workers()
        self.assertTrue(before, "no Python worker among the server's children")
        for pid in before:
            os.kill(pid, signal.SIGKILL)
        for _ in range(5):  # every request still succeeds: dead workers are replaced
            self.check_predictions("sk", expected)
        after = self.workers()
        self.assertTrue(after)
        self.assertFalse(set(before) & set(after), (before, after))
        # Workers of other deployments, killed while idle, are reaped by the supervisor.
        deadline = time.time() + 5
        while True:
            zombies = [p for p in children(self.server.proc.pid) if state(p) == "Z"]
            if not zombies or time.time() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual(zombies, [], "the killed workers were not reaped")

    def test_bad_rows_get_400_and_the_deployment_keeps_serving(self):
        self.deploy("sk-strict")
        bad = dict(self.rows[0], sepal_length="wide")
        self.assertInvalid(self.call("POST", "/serve/sk-strict/predict", body={"rows": [bad]}),
                           "sepal_length")
        self.ok(self.call("POST", "/serve/sk-strict/predict", body={"rows": self.rows[:1]}))
