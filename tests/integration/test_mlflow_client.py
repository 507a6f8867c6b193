"""The real, unchanged MLflow 2.12.2 Python client against `kiln server`: a team's existing
`mlflow` code (fluent API, MlflowClient, mlflow.artifacts, the sklearn and xgboost flavors and
the model registry) must keep working, and what it logs must read back through Kiln's API.

The client is the peer in ../shared/peers/mlflow (MLflow's source on Debian's python3), set up
with `bash ../shared/peers/mlflow/setup.sh build/peers/mlflow` (scripts/test.sh does it in CI).
It is found through $KILN_MLFLOW_PEER (the folder given to setup.sh), else
peers/mlflow beside $KILN_BIN, else build/peers/mlflow. Without it these tests skip with a
message, except under KILN_REQUIRE_PEERS=1 (CI), where a missing peer is a failure.

Each test runs one client script in a subprocess (MLFLOW_TRACKING_URI pointing at the server)
that batches many client calls and prints its findings as JSON; the test then checks them and
reads the same entities back through Kiln's MLflow REST and native APIs. A 5xx in the server's
access log during a test fails it, like ServerTestCase does for its own requests.

MlflowClientAuthTest does the same against `kiln server --auth on` with the client's own ways of
signing in (MLFLOW_TRACKING_TOKEN, MLFLOW_TRACKING_USERNAME/PASSWORD with a password or a
token): an editor logs, searches, registers and downloads; a viewer reads but its writes are
PERMISSION_DENIED; no or wrong credentials are UNAUTHENTICATED."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import textwrap
import unittest

from kiln_server import ARTIFACTS, KILN_BIN, KilnServer, ServerTestCase, kv, run_data, uniq

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SETUP_HINT = ("set it up with `bash ../shared/peers/mlflow/setup.sh build/peers/mlflow` "
              "(from the repository; needs root for its Debian packages) or point "
              "KILN_MLFLOW_PEER at the folder it was set up in")
RESULT_MARK = "KILN-CLIENT-RESULT "
ACCESS_5XX = re.compile(r"\s(GET|POST|PUT|PATCH|DELETE|HEAD)\s(\S+)\s(5\d\d)\s")

PEER = {}  # "python", "pythonpath": filled by setUpModule


def peer_dirs():
    if os.environ.get("KILN_MLFLOW_PEER"):
        return [os.environ["KILN_MLFLOW_PEER"]]
    return [os.path.join(os.path.dirname(os.path.abspath(KILN_BIN)), "peers", "mlflow"),
            os.path.join(REPO, "build", "peers", "mlflow")]


def find_peer():
    """Returns (python, pythonpath) from the peer's env.sh, or (None, reason)."""
    tried = []
    for d in peer_dirs():
        env_sh = os.path.join(d, "env.sh")
        tried.append(env_sh)
        if not os.path.isfile(env_sh):
            continue
        probe = subprocess.run(
            ["bash", "-c", '. "$0" && "$MLFLOW_PY" -c "import mlflow, sys; '
             'sys.stdout.write(mlflow.__version__)" && printf "\\n%s\\n%s" "$MLFLOW_PY" '
             '"$PYTHONPATH"', env_sh], capture_output=True, text=True, timeout=120)
        lines = probe.stdout.split("\n")
        if probe.returncode != 0 or len(lines) != 3:
            return None, f"{env_sh} does not give an importable mlflow: {probe.stderr[-800:]}"
        if lines[0] != "2.12.2":
            return None, f"{env_sh} gives mlflow {lines[0]}, not 2.12.2"
        return (lines[1], lines[2]), None
    return None, "no MLflow peer at " + " or ".join(tried)


def setUpModule():
    found, reason = find_peer()
    if found is None:
        message = f"the MLflow 2.12.2 client peer is missing: {reason}; {SETUP_HINT}"
        if os.environ.get("KILN_REQUIRE_PEERS") == "1":
            raise RuntimeError(message + " (KILN_REQUIRE_PEERS=1: a missing peer fails)")
        raise unittest.SkipTest(message)
    PEER["python"], PEER["pythonpath"] = found


# Every client script starts with this: the client, a results dict printed as JSON at the end,
# and error_of(fn), which runs fn and returns the MlflowException's error_code (or None); the
# artifact proxy's refusals reach the client as requests' HTTPError, given as "HTTP<status>:"
# and the error_code of the JSON body.
PRELUDE = '''
import json, os, sys, tempfile
import requests
import mlflow
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag
from mlflow.exceptions import MlflowException

client = MlflowClient()
out = {}


def error_of(fn):
    try:
        fn()
    except MlflowException as e:
        return e.error_code
    except requests.HTTPError as e:
        try:
            code = e.response.json().get("error_code")
        except ValueError:
            code = None
        return f"HTTP{e.response.status_code}:{code}"
    return None


'''
EPILOGUE = f'''
print({RESULT_MARK!r} + json.dumps(out, default=str))
'''


class MlflowClientCase(ServerTestCase):
    """A server per class; run_client() runs a script with the real client against it."""

    client_env = {}  # extra environment for every client script (e.g. credentials)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.work = tempfile.mkdtemp(prefix="kiln-mlflow-client-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.log_offset = os.path.getsize(self.server.log_path)

    def tearDown(self):
        with open(self.server.log_path, "rb") as f:
            f.seek(self.log_offset)
            new = f.read().decode("utf-8", "replace")
        errors = [m.group(0).strip() for m in ACCESS_5XX.finditer(new)]
        super().tearDown()
        if errors:
            self.fail(f"the server answered the client with 5xx: {errors}")

    def client_environment(self, extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
        env.update({
            "PYTHONPATH": PEER["pythonpath"],
            "MLFLOW_TRACKING_URI": self.server.base_url,
            "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0",  # a refusal shows at once, not after backoff
            "MLFLOW_HTTP_REQUEST_TIMEOUT": "60",
            "GIT_PYTHON_REFRESH": "quiet",
            "PYTHONDONTWRITEBYTECODE": "1",
        })
        env.update(self.client_env)
        env.update(extra or {})
        return env

    def run_client(self, body, env=None, helpers=""):
        """Runs PRELUDE, `helpers` (module-level code) and `body` (dedented) with the peer's
        python; returns the script's `out` dict."""
        path = os.path.join(self.work, uniq("client") + ".py")
        with open(path, "w") as f:
            f.write(PRELUDE + helpers + textwrap.dedent(body) + EPILOGUE)
        proc = subprocess.run([PEER["python"], path], capture_output=True, text=True,
                              cwd=self.work, env=self.client_environment(env), timeout=300)
        results = [ln for ln in proc.stdout.splitlines() if ln.startswith(RESULT_MARK)]
        if proc.returncode != 0 or len(results) != 1:
            self.fail(f"client script failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}"
                      f"\nstdout:\n{proc.stdout[-2000:]}\nserver log:\n{self.server.log_tail()}")
        return json.loads(results[0][len(RESULT_MARK):])

    def artifact_bytes(self, run_id, path):
        """Reads a run's artifact through Kiln's artifact proxy (not the client)."""
        uri = self.get_run(run_id)["info"]["artifact_uri"]
        self.assertTrue(uri.startswith("mlflow-artifacts:/"), uri)
        status, _, data = self.server.raw(
            "GET", f"{ARTIFACTS}/{uri[len('mlflow-artifacts:/'):]}/{path}")
        self.assertEqual(status, 200, f"{path}: {data[:300]!r}")
        return data


class MlflowClientTest(MlflowClientCase):
    def test_runs_params_metrics_tags_statuses(self):
        exp_name = uniq("client-exp")
        out = self.run_client(f'''
            exp = mlflow.set_experiment({exp_name!r})
            out["experiment_id"] = exp.experiment_id
            with mlflow.start_run(run_name="parent") as parent:
                mlflow.log_param("alpha", 0.5)
                mlflow.log_params({{"layers": 3, "optimizer": "adam"}})
                for step in range(4):
                    mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
                mlflow.log_metrics({{"acc": 0.75, "f1": 0.5}}, step=2)
                mlflow.set_tag("team", "vision")
                mlflow.set_tags({{"stage": "dev", "owner": "ana"}})
                with mlflow.start_run(run_name="child", nested=True) as child:
                    mlflow.log_metric("child_metric", 7.0)
            run_id = parent.info.run_id
            out["run_id"], out["child_id"] = run_id, child.info.run_id
            client.log_batch(run_id,
                             metrics=[Metric("batch", 1.5, 1700000000000, 0),
                                      Metric("batch", 2.5, 1700000000001, 1)],
                             params=[Param("batch_param", "b")],
                             tags=[RunTag("batch_tag", "t")])
            out["history"] = [(m.step, m.value) for m in client.get_metric_history(run_id, "loss")]
            out["batch_history"] = [(m.step, m.value)
                                    for m in client.get_metric_history(run_id, "batch")]
            run = mlflow.get_run(run_id)
            out["params"], out["metrics"], out["tags"] = (
                run.data.params, run.data.metrics, run.data.tags)
            out["status"] = run.info.status
            out["child_parent"] = mlflow.get_parent_run(child.info.run_id).info.run_id

            statuses = {{}}
            for status in ("FAILED", "KILLED"):
                mlflow.start_run(run_name=status.lower())
                statuses[status] = mlflow.active_run().info.run_id
                mlflow.end_run(status)
            out["ended"] = {{s: client.get_run(r).info.status for s, r in statuses.items()}}

            client.delete_run(child.info.run_id)
            out["deleted_stage"] = client.get_run(child.info.run_id).info.lifecycle_stage
            out["active_after_delete"] = [r.info.run_id for r in client.search_runs(
                [exp.experiment_id], filter_string="attributes.run_name = 'child'")]
            client.restore_run(child.info.run_id)
            out["restored_stage"] = client.get_run(child.info.run_id).info.lifecycle_stage

            out["unknown_run"] = error_of(lambda: client.get_run("0" * 32))
            out["param_change"] = error_of(lambda: client.log_param(run_id, "alpha", "0.9"))
        ''')
        run_id, child_id = out["run_id"], out["child_id"]
        self.assertEqual(out["history"], [[0, 1.0], [1, 0.5], [2, 1 / 3], [3, 0.25]])
        self.assertEqual(out["batch_history"], [[0, 1.5], [1, 2.5]])
        self.assertEqual(out["params"], {"alpha": "0.5", "layers": "3", "optimizer": "adam",
                                         "batch_param": "b"})
        self.assertEqual(out["metrics"], {"loss": 0.25, "acc": 0.75, "f1": 0.5, "batch": 2.5})
        for key, value in {"team": "vision", "stage": "dev", "owner": "ana", "batch_tag": "t",
                           "mlflow.runName": "parent"}.items():
            self.assertEqual(out["tags"].get(key), value, key)
        self.assertEqual(out["status"], "FINISHED")
        self.assertEqual(out["child_parent"], run_id)
        self.assertEqual(out["ended"], {"FAILED": "FAILED", "KILLED": "KILLED"})
        self.assertEqual(out["deleted_stage"], "deleted")
        self.assertEqual(out["active_after_delete"], [])
        self.assertEqual(out["restored_stage"], "active")
        self.assertEqual(out["unknown_run"], "RESOURCE_DOES_NOT_EXIST")
        self.assertEqual(out["param_change"], "INVALID_PARAMETER_VALUE")

        # The same run read through Kiln's MLflow REST API and its native API.
        run = self.get_run(run_id)
        data = run_data(run)
        self.assertEqual(run["info"]["experiment_id"], out["experiment_id"])
        self.assertEqual(run["info"]["status"], "FINISHED")
        self.assertEqual(data["params"]["optimizer"], "adam")
        self.assertEqual(data["metrics"]["acc"]["step"], 2)
        self.assertEqual([(m["step"], m["value"]) for m in self.metric_history(run_id, "loss")],
                         [(0, 1.0), (1, 0.5), (2, 1 / 3), (3, 0.25)])
        self.assertEqual(run_data(self.get_run(child_id))["tags"]["mlflow.parentRunId"], run_id)
        exp = self.ok(self.get("experiments/get-by-name", experiment_name=exp_name))
        self.assertEqual(exp["experiment"]["experiment_id"], out["experiment_id"])
        native = self.ok(self.call("GET", f"/api/v1/runs/{run_id}"))["run"]
        self.assertEqual(kv(native["data"]["params"])["alpha"], "0.5")

    def test_search_runs_as_pandas_and_list(self):
        exp_name = uniq("client-search")
        out = self.run_client(f'''
            exp_id = mlflow.create_experiment({exp_name!r})
            for name, acc, model in [("a", 0.9, "tree"), ("b", 0.4, "linear"),
                                     ("c", 0.7, "tree"), ("d", 0.1, "tree")]:
                with mlflow.start_run(experiment_id=exp_id, run_name=name):
                    mlflow.log_metric("acc", acc)
                    mlflow.log_param("model", model)
                    mlflow.set_tag("group", "g1" if acc > 0.5 else "g2")
            frame = mlflow.search_runs([exp_id], filter_string="metrics.acc > 0.3",
                                       order_by=["metrics.acc DESC"])
            out["pandas_names"] = list(frame["tags.mlflow.runName"])
            out["pandas_acc"] = list(frame["metrics.acc"])
            out["pandas_columns"] = sorted(c for c in frame.columns if "." in c
                                           and not c.startswith("tags.mlflow."))
            runs = mlflow.search_runs(experiment_names=[{exp_name!r}],
                                      filter_string="params.model = 'tree' and tags.group = 'g1'",
                                      order_by=["attributes.run_name ASC"], output_format="list")
            out["list_names"] = [r.info.run_name for r in runs]
            page = client.search_runs([exp_id], order_by=["metrics.acc ASC"], max_results=3)
            out["page1"] = [r.info.run_name for r in page]
            out["page2"] = [r.info.run_name for r in client.search_runs(
                [exp_id], order_by=["metrics.acc ASC"], max_results=3, page_token=page.token)]
            out["bad_filter"] = error_of(lambda: client.search_runs([exp_id], "metrics.acc >>> 1"))
            out["exp_id"] = exp_id
        ''')
        self.assertEqual(out["pandas_names"], ["a", "c", "b"])
        self.assertEqual(out["pandas_acc"], [0.9, 0.7, 0.4])
        self.assertEqual(out["pandas_columns"], ["metrics.acc", "params.model", "tags.group"])
        self.assertEqual(out["list_names"], ["a", "c"])
        self.assertEqual(out["page1"], ["d", "b", "c"])
        self.assertEqual(out["page2"], ["a"])
        self.assertEqual(out["bad_filter"], "INVALID_PARAMETER_VALUE")
        # Kiln's own search answers the same.
        found = self.ok(self.post("runs/search", {
            "experiment_ids": [out["exp_id"]], "filter": "metrics.acc > 0.3",
            "order_by": ["metrics.acc DESC"]}))
        self.assertEqual([r["info"]["run_name"] for r in found["runs"]], ["a", "c", "b"])

    def test_artifacts_log_list_download(self):
        out = self.run_client('''
            src = tempfile.mkdtemp()
            with open(os.path.join(src, "weights.bin"), "wb") as f:
                f.write(bytes(range(256)) * 64)
            os.makedirs(os.path.join(src, "plots", "deep"))
            with open(os.path.join(src, "plots", "deep", "curve.csv"), "w") as f:
                f.write("x,y\\n1,2\\n")
            with open(os.path.join(src, "notes é.txt"), "w") as f:
                f.write("unicode name")
            with mlflow.start_run() as run:
                mlflow.log_dict({"lr": 0.1, "layers": [3, 4]}, "config/params.json")
                mlflow.log_text("hello kiln", "readme.txt")
                mlflow.log_artifact(os.path.join(src, "weights.bin"), "model")
                mlflow.log_artifact(os.path.join(src, "notes é.txt"))
                mlflow.log_artifacts(os.path.join(src, "plots"), artifact_path="plots")
            run_id = out["run_id"] = run.info.run_id
            out["root"] = sorted((f.path, f.is_dir) for f in client.list_artifacts(run_id))
            out["plots"] = [f.path for f in client.list_artifacts(run_id, "plots/deep")]
            out["sizes"] = {f.path: f.file_size for f in client.list_artifacts(run_id, "model")}
            out["missing_dir"] = [f.path for f in client.list_artifacts(run_id, "nope")]
            dst = mlflow.artifacts.download_artifacts(run_id=run_id, dst_path=tempfile.mkdtemp())
            out["downloaded"] = sorted(
                os.path.relpath(os.path.join(d, name), dst)
                for d, _, names in os.walk(dst) for name in names)
            with open(os.path.join(dst, "model", "weights.bin"), "rb") as f:
                out["weights_ok"] = f.read() == bytes(range(256)) * 64
            one = mlflow.artifacts.download_artifacts(f"runs:/{run_id}/plots/deep/curve.csv",
                                                      dst_path=tempfile.mkdtemp())
            with open(one) as f:
                out["curve"] = f.read()
            out["dict"] = mlflow.artifacts.load_dict(f"runs:/{run_id}/config/params.json")
            out["text"] = mlflow.artifacts.load_text(f"runs:/{run_id}/readme.txt")
        ''')
        run_id = out["run_id"]
        self.assertEqual(out["root"], [["config", True], ["model", True], ["notes é.txt", False],
                                       ["plots", True], ["readme.txt", False]])
        self.assertEqual(out["plots"], ["plots/deep/curve.csv"])
        self.assertEqual(out["sizes"], {"model/weights.bin": 256 * 64})
        self.assertEqual(out["missing_dir"], [])
        self.assertEqual(out["downloaded"], ["config/params.json", "model/weights.bin",
                                             "notes é.txt", "plots/deep/curve.csv",
                                             "readme.txt"])
        self.assertTrue(out["weights_ok"])
        self.assertEqual(out["curve"], "x,y\n1,2\n")
        self.assertEqual(out["dict"], {"lr": 0.1, "layers": [3, 4]})
        self.assertEqual(out["text"], "hello kiln")
        # Kiln's listing and proxy agree with what the client wrote.
        listed = self.ok(self.get("artifacts/list", run_id=run_id, path="model"))
        self.assertEqual([(f["path"], int(f["file_size"])) for f in listed["files"]],
                         [("model/weights.bin", 256 * 64)])
        self.assertEqual(self.artifact_bytes(run_id, "readme.txt"), b"hello kiln")
        self.assertEqual(json.loads(self.artifact_bytes(run_id, "config/params.json")),
                         {"lr": 0.1, "layers": [3, 4]})

    def test_models_and_registry(self):
        name, name2 = uniq("client-model"), uniq("client-model")
        out = self.run_client(f'''
            import numpy as np
            import xgboost as xgb
            from sklearn.linear_model import LogisticRegression
            X = np.array([[0.0], [1.0], [2.0], [3.0]])
            y = np.array([0, 0, 1, 1])
            mlflow.set_experiment("client-models")
            with mlflow.start_run() as run:
                sk = mlflow.sklearn.log_model(LogisticRegression().fit(X, y), "sk_model",
                                              pip_requirements=["scikit-learn"])
                booster = xgb.train({{"objective": "binary:logistic"}},
                                    xgb.DMatrix(X, label=y), num_boost_round=3)
                xg = mlflow.xgboost.log_model(booster, "xgb_model", pip_requirements=["xgboost"])
            out["run_id"] = run.info.run_id
            out["sk_predict"] = mlflow.pyfunc.load_model(sk.model_uri).predict(X).tolist()
            loaded = mlflow.xgboost.load_model(xg.model_uri)
            out["xgb_same"] = bool(np.allclose(loaded.predict(xgb.DMatrix(X)),
                                               booster.predict(xgb.DMatrix(X))))

            v1 = mlflow.register_model(sk.model_uri, {name!r})
            out["registered_version"] = v1.version
            client.create_registered_model({name2!r}, tags={{"task": "clf"}}, description="two")
            v = client.create_model_version({name2!r}, xg.model_uri, run_id=run.info.run_id)
            client.create_model_version({name2!r}, sk.model_uri, run_id=run.info.run_id)
            client.set_registered_model_alias({name2!r}, "champion", v.version)
            by_alias = client.get_model_version_by_alias({name2!r}, "champion")
            out["alias_version"], out["alias_source"] = by_alias.version, by_alias.source
            out["versions"] = sorted((m.name, m.version) for m in client.search_model_versions(
                "name='{name2}'"))
            out["by_run"] = sorted((m.name, m.version) for m in client.search_model_versions(
                f"run_id='{{run.info.run_id}}'"))
            champion = mlflow.xgboost.load_model("models:/{name2}@champion")
            out["champion_same"] = bool(np.allclose(champion.predict(xgb.DMatrix(X)),
                                                    booster.predict(xgb.DMatrix(X))))
            out["v1_predict"] = mlflow.pyfunc.load_model("models:/{name}/1").predict(X).tolist()
            out["unknown_alias"] = error_of(
                lambda: client.get_model_version_by_alias({name2!r}, "nope"))
            out["duplicate"] = error_of(lambda: client.create_registered_model({name2!r}))
        ''')
        self.assertEqual(out["sk_predict"], [0, 0, 1, 1])
        self.assertTrue(out["xgb_same"])
        self.assertTrue(out["champion_same"])
        self.assertEqual(out["v1_predict"], [0, 0, 1, 1])
        self.assertEqual(out["registered_version"], "1")
        self.assertEqual(out["alias_version"], "1")
        self.assertTrue(out["alias_source"].endswith("/xgb_model"), out["alias_source"])
        self.assertEqual(out["versions"], [[name2, "1"], [name2, "2"]])
        self.assertEqual(out["by_run"], sorted([[name, "1"], [name2, "1"], [name2, "2"]]))
        self.assertEqual(out["unknown_alias"], "RESOURCE_DOES_NOT_EXIST")
        self.assertEqual(out["duplicate"], "RESOURCE_ALREADY_EXISTS")
        # Kiln's registry and artifact store hold what the client registered and logged.
        model = self.ok(self.get("registered-models/get", name=name2))["registered_model"]
        self.assertEqual(model["description"], "two")
        self.assertEqual(kv(model.get("tags")), {"task": "clf"})
        self.assertEqual(model["aliases"], [{"alias": "champion", "version": "1"}])
        native = self.ok(self.call("GET", f"/api/v1/models/{name}"))["model"]
        self.assertEqual([v["run_id"] for v in native["versions"]], [out["run_id"]])
        mlmodel = self.artifact_bytes(out["run_id"], "sk_model/MLmodel").decode()
        self.assertIn("sklearn:", mlmodel)
        self.assertIn("xgboost:", self.artifact_bytes(out["run_id"], "xgb_model/MLmodel").decode())


def kiln_cli(data_dir, *args, stdin=None):
    """Runs `kiln ARGS --data DATA` (the local admin commands); returns its stdout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KILN_") or k == "KILN_BIN"}
    proc = subprocess.run([KILN_BIN, *args, "--data", data_dir], capture_output=True, text=True,
                          input=stdin, env=env, timeout=120)
    if proc.returncode != 0:
        raise RuntimeError(f"kiln {' '.join(args)}: exit {proc.returncode}: {proc.stderr}")
    return proc.stdout


# The editor's round trip, run once per way of signing in (CREDENTIALS names them; the client
# reads the MLFLOW_TRACKING_* variables on every request, so one script can switch).
AUTH_FLOW = """
CREDENTIALS = json.loads(os.environ["KILN_TEST_CREDENTIALS"])
MODEL = os.environ["KILN_TEST_MODEL"]
CRED_VARS = ("MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD")


def sign_in(creds):
    for var in CRED_VARS:
        os.environ.pop(var, None)
    os.environ.update(creds)


def editor_flow(mode):
    mlflow.set_experiment("auth-" + mode)
    with mlflow.start_run(run_name=mode) as run:
        mlflow.log_param("mode", mode)
        mlflow.log_metric("score", 0.5, step=1)
        mlflow.log_dict({"mode": mode}, "cfg.json")
    found = mlflow.search_runs(filter_string=f"params.mode = '{mode}'", output_format="list",
                               search_all_experiments=True)
    version = client.create_model_version(MODEL, f"runs:/{run.info.run_id}/cfg.json",
                                          run_id=run.info.run_id)
    dst = mlflow.artifacts.download_artifacts(run_id=run.info.run_id, dst_path=tempfile.mkdtemp())
    with open(os.path.join(dst, "cfg.json")) as f:
        downloaded = json.load(f)
    return {"run_id": run.info.run_id, "found": [r.info.run_id for r in found],
            "version": version.version, "downloaded": downloaded}
"""


class MlflowClientAuthTest(MlflowClientCase):
    """`kiln server --auth on` with the real client: an editor signs in with a Bearer token
    (MLFLOW_TRACKING_TOKEN), Basic user:password and Basic user:token; a viewer reads but its
    writes are PERMISSION_DENIED; no or wrong credentials are UNAUTHENTICATED."""

    server_args = ("--auth", "on")
    EDITOR_PASSWORD = "editor password 1"
    VIEWER_PASSWORD = "viewer password 1"

    @classmethod
    def setUpClass(cls):
        # Users, members and tokens are made locally on the data folder before the server starts.
        probe = KilnServer(extra_args=cls.server_args)
        data = probe.data_dir
        kiln_cli(data, "users", "add", "ed", "--password-stdin", stdin=cls.EDITOR_PASSWORD)
        kiln_cli(data, "users", "add", "vi", "--password-stdin", stdin=cls.VIEWER_PASSWORD)
        kiln_cli(data, "projects", "add-member", "default", "ed", "--role", "editor")
        kiln_cli(data, "projects", "add-member", "default", "vi", "--role", "viewer")
        cls.editor_token = kiln_cli(data, "tokens", "create", "--user", "ed").splitlines()[0]
        cls.viewer_token = kiln_cli(data, "tokens", "create", "--user", "vi").splitlines()[0]
        cls.server = probe
        try:
            cls.server.start()
        except Exception:
            cls.server.cleanup()
            raise
        cls.work = tempfile.mkdtemp(prefix="kiln-mlflow-client-")

    def bearer(self, token):
        return {"Authorization": f"Bearer {token}"}

    def test_editor_by_token_password_and_token_as_password(self):
        model = uniq("auth-model")
        status, body = self.call("POST", "registered-models/create", {"name": model},
                                 headers=self.bearer(self.editor_token))
        self.assertEqual(status, 200, body)
        credentials = {
            "bearer": {"MLFLOW_TRACKING_TOKEN": self.editor_token},
            "basic_password": {"MLFLOW_TRACKING_USERNAME": "ed",
                               "MLFLOW_TRACKING_PASSWORD": self.EDITOR_PASSWORD},
            "basic_token": {"MLFLOW_TRACKING_USERNAME": "ed",
                            "MLFLOW_TRACKING_PASSWORD": self.editor_token},
        }
        out = self.run_client("""
            for mode, creds in CREDENTIALS.items():
                sign_in(creds)
                try:
                    out[mode] = editor_flow(mode)
                except MlflowException as e:
                    out[mode] = {"error": e.error_code, "message": str(e)[:300]}
        """, helpers=AUTH_FLOW,
            env={"KILN_TEST_CREDENTIALS": json.dumps(credentials), "KILN_TEST_MODEL": model})
        for version, mode in enumerate(credentials, start=1):
            with self.subTest(mode=mode):
                got = out[mode]
                self.assertNotIn("error", got)
                self.assertEqual(got["found"], [got["run_id"]])
                self.assertEqual(got["version"], str(version))
                self.assertEqual(got["downloaded"], {"mode": mode})
                status, body = self.call("GET", "runs/get", query={"run_id": got["run_id"]},
                                         headers=self.bearer(self.editor_token))
                self.assertEqual(status, 200, body)
                self.assertEqual(kv(body["run"]["data"]["params"]), {"mode": mode})

    def test_viewer_is_denied_writes_and_anonymous_is_unauthenticated(self):
        credentials = {
            "editor": {"MLFLOW_TRACKING_TOKEN": self.editor_token},
            "viewer_token": {"MLFLOW_TRACKING_TOKEN": self.viewer_token},
            "viewer_password": {"MLFLOW_TRACKING_USERNAME": "vi",
                                "MLFLOW_TRACKING_PASSWORD": self.VIEWER_PASSWORD},
            "anonymous": {},
            "wrong_password": {"MLFLOW_TRACKING_USERNAME": "ed",
                               "MLFLOW_TRACKING_PASSWORD": "not the password"},
            "unknown_token": {"MLFLOW_TRACKING_TOKEN": "kiln_" + "A" * 43},
        }
        out = self.run_client("""
            sign_in(CREDENTIALS["editor"])
            exp_id = mlflow.create_experiment("auth-viewer-target")
            run_id = client.create_run(exp_id).info.run_id
            client.log_dict(run_id, {"a": 1}, "seen.json")
            out["run_id"] = run_id
            for who in ("viewer_token", "viewer_password"):
                sign_in(CREDENTIALS[who])
                out[who] = {
                    "read": client.get_run(run_id).info.run_id == run_id,
                    "search": len(client.search_runs([exp_id])),
                    "download": mlflow.artifacts.load_dict(f"runs:/{run_id}/seen.json"),
                    "log_metric": error_of(lambda: client.log_metric(run_id, "m", 1.0)),
                    "create_experiment": error_of(lambda: mlflow.create_experiment("nope")),
                    "upload": error_of(lambda: client.log_text(run_id, "x", "x.txt")),
                }
            for who in ("anonymous", "wrong_password", "unknown_token"):
                sign_in(CREDENTIALS[who])
                out[who] = {
                    "get_run": error_of(lambda: client.get_run(run_id)),
                    "log_metric": error_of(lambda: client.log_metric(run_id, "m", 1.0)),
                }
        """, helpers=AUTH_FLOW,
            env={"KILN_TEST_CREDENTIALS": json.dumps(credentials), "KILN_TEST_MODEL": "-"})
        for who in ("viewer_token", "viewer_password"):
            with self.subTest(who=who):
                self.assertEqual(out[who], {
                    "read": True, "search": 1, "download": {"a": 1},
                    "log_metric": "PERMISSION_DENIED", "create_experiment": "PERMISSION_DENIED",
                    "upload": "HTTP403:PERMISSION_DENIED"})
        for who in ("anonymous", "wrong_password", "unknown_token"):
            with self.subTest(who=who):
                self.assertEqual(out[who], {"get_run": "UNAUTHENTICATED",
                                            "log_metric": "UNAUTHENTICATED"})
        # Nothing the refused clients sent was written.
        status, body = self.call("GET", "runs/get", query={"run_id": out["run_id"]},
                                 headers=self.bearer(self.editor_token))
        self.assertEqual(status, 200, body)
        self.assertEqual(body["run"]["data"].get("metrics", []), [])
        status, body = self.call("GET", "experiments/get-by-name",
                                 query={"experiment_name": "nope"},
                                 headers=self.bearer(self.editor_token))
        self.assertEqual(status, 404, body)
        status, body = self.call("GET", "runs/get", query={"run_id": out["run_id"]})
        self.assertEqual((status, body.get("error_code")), (401, "UNAUTHENTICATED"), body)


if __name__ == "__main__":
    unittest.main()
