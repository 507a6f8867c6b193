"""One configuration (issue 15): flags over KILN_* variables over the --config file over the
defaults, `kiln server --print-config` naming every value's source, exit code 2 naming the key,
file and line for bad settings, and the seams chosen from --store, --artifacts, --executor."""

import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from kiln_server import KILN_BIN, KilnServer

# The variables these tests set; cleared from the inherited environment so a developer's own
# KILN_* settings cannot change what is asserted.
SETTING_VARS = ("KILN_DATA", "KILN_HOST", "KILN_PORT", "KILN_THREADS", "KILN_MAX_BODY_MB",
                "KILN_STORE", "KILN_ARTIFACTS", "KILN_EXECUTOR", "KILN_EXECUTOR_CPUS",
                "KILN_EXECUTOR_MEMORY_MB", "KILN_LOG_FORMAT", "KILN_CONFIG", "KILN_SERVER")


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in SETTING_VARS}
    env.update(extra)
    return env


def kiln(*args, env=None, timeout=60):
    return subprocess.run([KILN_BIN, *args], capture_output=True, text=True, timeout=timeout,
                          env=env or clean_env())


def settings_of(text):
    """{key: (value, source)} from --print-config's 'KEY = VALUE  (SOURCE)' lines."""
    out = {}
    for line in text.splitlines():
        key, _, rest = line.partition(" = ")
        value, _, source = rest.rpartition("  (")
        out[key.strip()] = (value, source.rstrip(")"))
    return out


class ConfigTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="kiln-config-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.file = os.path.join(self.dir, "kiln.yaml")

    def write(self, text):
        with open(self.file, "w") as f:
            f.write(text)
        return self.file

    def test_print_config_names_every_source(self):
        self.write("host: 0.0.0.0\nport: 9000\nthreads: 3\nlog_format: json\n")
        data = os.path.join(self.dir, "data")
        proc = kiln("server", "--config", self.file, "--port", "9200", "--data", data,
                    "--print-config", env=clean_env(KILN_THREADS="5", KILN_EXECUTOR_CPUS="2"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        got = settings_of(proc.stdout)
        self.assertEqual(got["port"], ("9200", "--port"))
        self.assertEqual(got["threads"], ("5", "KILN_THREADS"))
        self.assertEqual(got["executor_cpus"], ("2", "KILN_EXECUTOR_CPUS"))
        self.assertEqual(got["host"], ("0.0.0.0", self.file + ":1:7"))
        self.assertEqual(got["log_format"], ("json", self.file + ":4:13"))
        self.assertEqual(got["max_body_mb"], ("64", "default"))
        self.assertEqual(got["store"], ("sqlite:///" + data + "/kiln.db", "default"))
        self.assertEqual(got["artifacts"], ("file://" + data + "/artifacts", "default"))
        self.assertEqual(got["executor"], ("local", "default"))
        # Printing changes nothing: the data folder is not even created.
        self.assertFalse(os.path.exists(data))

    def test_bad_settings_exit_2_naming_key_and_source(self):
        config = ["--config", self.file]
        cases = [
            (config, "host: 127.0.0.1\nprot: 9000\n", {},
             self.file + ":2:1: unknown setting 'prot'; did you mean 'port'?"),
            (config, "port: eighty\n", {},
             self.file + ":1:7: port: expected an integer from 0 to 65535, got 'eighty'"),
            (config, "store: mysql://db/kiln\n", {},
             "store (from " + self.file + ":1:8): unknown metadata store scheme 'mysql'"),
            (config, "port: [1\n", {}, self.file + ":"),
            ([], None, {"KILN_PORT": "70000"},
             "KILN_PORT: port: expected an integer from 0 to 65535, got '70000'"),
            (["--artifacts", "s4://bucket"], None, {},
             "artifacts (from --artifacts): unknown artifact store scheme 's4'"),
            (["--artifacts", "file://relative/folder"], None, {},
             "artifacts (from --artifacts): a file URI is file:///ABSOLUTE/FOLDER"),
            (["--executor", "slurn"], None, {},
             "executor (from --executor): unknown executor 'slurn'"),
            (["--config", os.path.join(self.dir, "missing.yaml")], None, {},
             "--config: cannot read"),
            (["--log-format", "xml"], None, {},
             "--log-format: log_format: expected one of text, json"),
        ]
        data = os.path.join(self.dir, "data")
        for args, text, env, needle in cases:
            with self.subTest(args=args, text=text, env=env):
                if text is not None:
                    self.write(text)
                proc = kiln("server", "--data", data, *args, env=clean_env(**env), timeout=30)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertIn(needle, proc.stderr)
                self.assertFalse(os.path.exists(data), "a refused start created the data folder")

    def test_client_commands_take_the_same_settings(self):
        self.write("prot: 1\n")
        proc = kiln("runs", "ls", "--config", self.file)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn(":1:1: unknown setting 'prot'", proc.stderr)
        proc = kiln("run", "nothing.yaml", "--store", "mysql://x/y")
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("store (from --store): unknown metadata store scheme 'mysql'", proc.stderr)


class SeamsTest(unittest.TestCase):
    """--store and --artifacts put the metadata and the blobs where they say, for the server, for
    its steps (the register step opens the store in-process) and for in-process commands."""

    def test_store_and_artifacts_elsewhere(self):
        root = tempfile.mkdtemp(prefix="kiln-seams-")
        self.addCleanup(shutil.rmtree, root, True)
        data = os.path.join(root, "data")
        db = os.path.join(root, "meta", "other.db")
        os.makedirs(os.path.dirname(db))
        blobs = os.path.join(root, "blobs")
        pipeline_dir = os.path.join(data, "pipelines", "seams")
        os.makedirs(pipeline_dir)
        with open(os.path.join(pipeline_dir, "iris.csv"), "w") as f:
            f.write("a,b,label\n")
            for i in range(60):
                f.write(f"{i % 7},{(i * 3) % 11},{i % 2}\n")
        spec = """name: seams
steps:
  read:
    uses: read-csv@1.0.0
    inputs: {source: "file:iris.csv"}
  train:
    uses: train-xgboost@1.0.0
    inputs: {train: read.table}
    params: {label: label, num_rounds: 3}
  register:
    uses: register@1.0.0
    inputs: {model: train.model}
    params: {name: seams-model}
"""
        server = KilnServer(data_dir=data, env=clean_env(),
                            extra_args=["--store", "sqlite:///" + db,
                                        "--artifacts", "file://" + blobs])
        server.start()
        try:
            status, body = server.call("POST", "/api/v1/pipeline-runs",
                                       body={"spec": spec, "base_dir": pipeline_dir})
            self.assertEqual(status, 200, body)
            run_id = body["runs"][0]["run_id"]
            final = None
            for _ in range(600):
                status, body = server.call("GET", f"/api/v1/pipeline-runs/{run_id}")
                if body.get("status") in ("SUCCEEDED", "FAILED", "CANCELLED"):
                    final = body
                    break
                time.sleep(0.1)
            self.assertIsNotNone(final, "the run did not finish")
            self.assertEqual(final["status"], "SUCCEEDED", json.dumps(final)[:2000])
            status, body = server.call("GET", "registered-models/get",
                                       query={"name": "seams-model"})
            self.assertEqual(status, 200, body)
        finally:
            server.stop()
        self.assertTrue(os.path.exists(db))
        self.assertFalse(os.path.exists(os.path.join(data, "kiln.db")),
                         "the default store was opened besides --store")
        self.assertTrue(os.path.isdir(os.path.join(blobs, "blobs")) or os.listdir(blobs))
        self.assertFalse(os.path.exists(os.path.join(data, "artifacts")),
                         "the default artifact store was opened besides --artifacts")
        # An in-process command over the same settings sees the model; the default store does
        # not exist, so without --store the command says so.
        proc = kiln("models", "ls", "--data", data, "--store", "sqlite:///" + db, "--json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("seams-model", proc.stdout)
        proc = kiln("models", "ls", "--data", data, env=clean_env(KILN_STORE="sqlite:///" + db))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("seams-model", proc.stdout)
        proc = kiln("models", "ls", "--data", data)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("no Kiln data", proc.stderr)

    def test_json_log_lines(self):
        server = KilnServer(env=clean_env(), extra_args=["--log-format", "json"])
        server.start()
        try:
            server.call("GET", "experiments/search", query={"max_results": "1"})
            # The access line is written after the answer is sent: wait for it, then stop.
            deadline = time.monotonic() + 30
            while "experiments/search" not in open(server.log_path).read():
                self.assertLess(time.monotonic(), deadline, "no access log line")
                time.sleep(0.05)
        finally:
            server.stop()
        with open(server.log_path) as f:
            lines = [line for line in f.read().splitlines() if line.strip()]
        self.assertTrue(lines)
        for line in lines:
            record = json.loads(line)
            self.assertEqual(set(record), {"time", "level", "message"}, line)
        messages = [json.loads(x)["message"] for x in lines]
        self.assertTrue(any("experiments/search" in m for m in messages), messages)


if __name__ == "__main__":
    unittest.main()
