"""The `kiln` CLI: experiments/runs/models ls and show, against a data folder and against a
running server, with tables, --json, and exit code 2 plus a message for the user's mistakes."""

import json
import subprocess
import tempfile

from kiln_server import KILN_BIN, ServerTestCase, now_ms, uniq


def kiln(*args):
    return subprocess.run([KILN_BIN, *args], capture_output=True, text=True, timeout=60)


class CliTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.experiment = uniq("cli-exp")
        _, body = s.call("POST", "experiments/create", {"name": cls.experiment})
        cls.experiment_id = body["experiment_id"]
        cls.runs = {}
        for accuracy in (0.5, 0.95, 0.8):
            _, body = s.call("POST", "runs/create", {"experiment_id": cls.experiment_id,
                                                      "run_name": f"acc-{accuracy}"})
            run_id = body["run"]["info"]["run_id"]
            cls.runs[accuracy] = run_id
            s.call("POST", "runs/log-batch", {
                "run_id": run_id, "params": [{"key": "depth", "value": "3"}],
                "metrics": [{"key": "accuracy", "value": accuracy, "timestamp": now_ms()}]})
        cls.model = uniq("cli-model")
        s.call("POST", "registered-models/create", {"name": cls.model})
        s.call("POST", "model-versions/create", {
            "name": cls.model, "source": "mlflow-artifacts:/1/x/artifacts/model",
            "run_id": cls.runs[0.95]})
        s.call("POST", "registered-models/alias", {"name": cls.model, "alias": "production",
                                                    "version": "1"})

    def local(self, *args):
        return kiln(*args, "--data", self.server.data_dir)

    def remote(self, *args):
        return kiln(*args, "--server", self.server.base_url)

    def test_experiments_ls_table_local_and_remote(self):
        for result in (self.local("experiments", "ls"), self.remote("experiments", "ls")):
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("NAME", result.stdout.splitlines()[0])
            self.assertIn(self.experiment, result.stdout)
            self.assertIn("Default", result.stdout)

    def test_runs_ls_filter_and_order(self):
        result = self.remote("runs", "ls", "--experiment", self.experiment_id,
                             "--filter", "metrics.accuracy > 0.7",
                             "--order-by", "metrics.accuracy DESC", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        ids = [run["info"]["run_id"] for run in json.loads(result.stdout)["runs"]]
        self.assertEqual(ids, [self.runs[0.95], self.runs[0.8]])

    def test_runs_ls_table_shows_names_and_metrics(self):
        result = self.local("runs", "ls", "--experiment", self.experiment_id)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("acc-0.95", result.stdout)
        self.assertIn("accuracy=0.95", result.stdout)

    def test_runs_show(self):
        result = self.local("runs", "show", self.runs[0.5])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"run_id: {self.runs[0.5]}", result.stdout)
        self.assertIn("depth", result.stdout)
        self.assertIn("accuracy", result.stdout)

    def test_models_ls_and_show(self):
        listing = self.remote("models", "ls")
        self.assertEqual(listing.returncode, 0, listing.stderr)
        self.assertIn(self.model, listing.stdout)
        self.assertIn("production=1", listing.stdout)
        shown = self.local("models", "show", self.model, "--json")
        self.assertEqual(shown.returncode, 0, shown.stderr)
        model = json.loads(shown.stdout)["model"]
        self.assertEqual([v["version"] for v in model["versions"]], ["1"])
        self.assertEqual(model["versions"][0]["aliases"], ["production"])

    def test_bad_filter_exits_2_naming_the_position(self):
        result = self.remote("runs", "ls", "--filter", "metrics.accuracy >> 1")
        self.assertEqual(result.returncode, 2)
        self.assertIn("position", result.stderr)
        self.assertEqual(result.stdout, "")

    def test_unknown_ids_exit_2(self):
        for args in (("runs", "show", "0" * 32), ("models", "show", "no-such-model")):
            for result in (self.local(*args), self.remote(*args)):
                self.assertEqual(result.returncode, 2, args)
                self.assertIn("not found", result.stderr)

    def test_usage_errors_exit_2(self):
        for args in (("runs", "ls", "--max", "0"), ("runs", "frobnicate"),
                     ("experiments", "ls", "--no-such-flag"), ("runs", "show")):
            result = kiln(*args)
            self.assertEqual(result.returncode, 2, f"{args}: {result.stderr}")
            self.assertTrue(result.stderr.strip(), args)

    def test_unknown_subcommand_is_named_with_the_closest(self):
        result = kiln("runs", "lss")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("unknown command 'lss' for 'kiln runs'", result.stderr)
        self.assertIn("did you mean 'ls'?", result.stderr)
        top = kiln("deplyo", "x")
        self.assertEqual(top.returncode, 2, top.stderr)
        self.assertIn("unknown command 'deplyo'", top.stderr)
        self.assertIn("did you mean 'deploy'?", top.stderr)

    def test_canary_weight_without_canary_is_refused(self):
        result = self.remote("deploy", uniq("d"), "--model", f"{self.model}@production",
                             "--canary-weight", "20", "--no-wait")
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertIn("--canary", result.stderr)
        listing = self.remote("deployments", "ls", "--json")
        self.assertEqual(listing.returncode, 0, listing.stderr)
        self.assertEqual(json.loads(listing.stdout)["deployments"], [])

    def test_runs_ls_says_when_metrics_are_left_out(self):
        _, body = self.server.call("POST", "runs/create", {"experiment_id": self.experiment_id,
                                                            "run_name": "many-metrics"})
        run_id = body["run"]["info"]["run_id"]
        self.server.call("POST", "runs/log-batch", {"run_id": run_id, "metrics": [
            {"key": f"m{i}", "value": i, "timestamp": now_ms()} for i in range(5)]})
        result = self.local("runs", "ls", "--experiment", self.experiment_id)
        self.assertEqual(result.returncode, 0, result.stderr)
        line = next(ln for ln in result.stdout.splitlines() if "many-metrics" in ln)
        self.assertIn("(+2 more)", line)

    def test_missing_data_folder_exits_2(self):
        with tempfile.TemporaryDirectory() as empty:
            result = kiln("experiments", "ls", "--data", empty)
        self.assertEqual(result.returncode, 2)
        self.assertIn("no Kiln data", result.stderr)

    def test_unreachable_server_exits_1(self):
        result = kiln("experiments", "ls", "--server", "http://127.0.0.1:1")
        self.assertEqual(result.returncode, 1)
        self.assertTrue(result.stderr.strip())

    def test_server_bad_flags_exit_2(self):
        for args in (("server", "--port", "99999"), ("server", "--data", "/proc/no/such/dir"),
                     ("server", "--max-body-mb", "0")):
            result = kiln(*args)
            self.assertEqual(result.returncode, 2, f"{args}: {result.stderr}")
            self.assertTrue(result.stderr.strip(), args)

    def test_server_port_in_use_exits_1(self):
        result = kiln("server", "--port", str(self.server.port), "--data",
                      tempfile.mkdtemp(prefix="kiln-cli-"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("Address already in use", result.stderr)

    def test_bad_server_url_exits_2(self):
        result = kiln("experiments", "ls", "--server", "ftp://nowhere")
        self.assertEqual(result.returncode, 2)


if __name__ == "__main__":
    import unittest
    unittest.main()
