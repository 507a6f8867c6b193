"""Versioned datasets: `kiln data add|ls|versions|get` on a data folder and against a real
`kiln server`, the /api/v1/datasets and /api/v1/blobs routes and their errors, and
`dataset:NAME@VERSION` pipeline inputs (pinning, caching, lineage, MLflow run inputs)."""

import hashlib
import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiln_server import ServerTestCase  # noqa: E402
from test_pipelines import kiln  # noqa: E402

DATASETS = "/api/v1/datasets"


def sha256(data):
    return hashlib.sha256(data if isinstance(data, bytes) else data.encode()).hexdigest()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def read(path):
    with open(path) as f:
        return f.read()


PIPELINE = """name: with-data
steps:
  count:
    command: [sh, -c, "wc -l < ${inputs.table} > ${outputs.lines}; ls ${inputs.folder} > ${outputs.files}"]
    inputs: {table: "dataset:iris@VERSION", folder: "dataset:docs@1"}
    outputs: {lines: file, files: file}
"""


class Workdir(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.dir = tempfile.mkdtemp(prefix="kiln-data-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.data = os.path.join(self.dir, "kiln-data")

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def data_cmd(self, *args):
        return kiln("data", *args, "--data", self.data)


class DataCommandsTest(Workdir):
    def test_add_versions_only_on_change_and_get_round_trips(self):
        write(self.path("iris.csv"), "a,b\n1,2\n")
        first = self.data_cmd("add", self.path("iris.csv"), "--name", "iris")
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertIn("added iris@1 (1 file, 8 B, sha256 " + sha256("a,b\n1,2\n")[:12], first.stdout)
        again = self.data_cmd("add", self.path("iris.csv"), "--name", "iris")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("iris@1 unchanged", again.stdout)
        write(self.path("iris.csv"), "a,b\n1,2\n3,4\n")
        second = self.data_cmd("add", self.path("iris.csv"), "--name", "iris", "--json")
        self.assertEqual(second.returncode, 0, second.stderr)
        answer = json.loads(second.stdout)
        self.assertTrue(answer["created"])
        self.assertEqual(answer["version"]["version"], 2)
        self.assertEqual(answer["version"]["digest"], sha256("a,b\n1,2\n3,4\n"))
        self.assertEqual(answer["version"]["size_bytes"], 12)

        versions = json.loads(self.data_cmd("versions", "iris", "--json").stdout)["versions"]
        self.assertEqual([v["version"] for v in versions], [2, 1])
        listed = json.loads(self.data_cmd("ls", "--json").stdout)["datasets"]
        self.assertEqual([(d["name"], d["latest_version"]) for d in listed], [("iris", 2)])
        self.assertEqual(listed[0]["latest_size_bytes"], 12)  # the latest version's, not the first's
        table = self.data_cmd("versions", "iris").stdout
        self.assertIn("VERSION", table)
        self.assertIn(self.path("iris.csv"), table)

        got = self.data_cmd("get", "iris@1", "-o", self.path("old.csv"))
        self.assertEqual(got.returncode, 0, got.stderr)
        self.assertEqual(read(self.path("old.csv")), "a,b\n1,2\n")
        latest = self.data_cmd("get", "iris@latest", "-o", self.path("new.csv"))
        self.assertEqual(latest.returncode, 0, latest.stderr)
        self.assertEqual(read(self.path("new.csv")), "a,b\n1,2\n3,4\n")
        exists = self.data_cmd("get", "iris@1", "-o", self.path("new.csv"))
        self.assertEqual(exists.returncode, 2)
        self.assertIn("exists", exists.stderr)
        self.assertEqual(read(self.path("new.csv")), "a,b\n1,2\n3,4\n")  # untouched

    def test_folders_keep_paths_and_executable_bits(self):
        write(self.path("docs", "a.txt"), "A\n")
        write(self.path("docs", "sub", "b.txt"), "BB\n")
        os.chmod(self.path("docs", "sub", "b.txt"), 0o755)
        added = self.data_cmd("add", self.path("docs"), "--name", "docs", "--json")
        self.assertEqual(added.returncode, 0, added.stderr)
        version = json.loads(added.stdout)["version"]
        self.assertEqual((version["kind"], version["file_count"], version["size_bytes"]),
                         ("folder", 2, 5))
        got = self.data_cmd("get", "docs", "-o", self.path("out"))
        self.assertEqual(got.returncode, 0, got.stderr)
        self.assertEqual(read(self.path("out", "a.txt")), "A\n")
        self.assertEqual(read(self.path("out", "sub", "b.txt")), "BB\n")
        self.assertTrue(os.access(self.path("out", "sub", "b.txt"), os.X_OK))
        self.assertFalse(os.access(self.path("out", "a.txt"), os.X_OK))
        # the same folder elsewhere is the same content
        shutil.copytree(self.path("docs"), self.path("copy"))
        same = self.data_cmd("add", self.path("copy"), "--name", "docs")
        self.assertIn("docs@1 unchanged", same.stdout)

    def test_user_mistakes_exit_2_and_record_nothing(self):
        write(self.path("x.csv"), "x\n")
        os.makedirs(self.path("empty"))
        write(self.path("linked", "real.txt"), "r\n")
        os.symlink(self.path("linked", "real.txt"), self.path("linked", "link.txt"))
        self.assertEqual(self.data_cmd("add", self.path("x.csv"), "--name", "x").returncode, 0)
        cases = [
            (("add", self.path("nope.csv"), "--name", "x"), "nope.csv"),
            (("add", self.path("x.csv"), "--name", "bad name"), "bad name"),
            (("add", self.path("x.csv"), "--name", "-x"), "-x"),
            (("add", self.path("empty"), "--name", "e"), "has no files"),
            (("add", self.path("linked"), "--name", "l"), "link.txt"),
            (("versions", "nosuch"), "nosuch"),
            (("get", "x@5"), "no version 5 (latest is 1)"),
            (("get", "x@zero"), "zero"),
            (("get", "nosuch@1"), "nosuch"),
        ]
        for args, needle in cases:
            result = self.data_cmd(*args)
            self.assertEqual(result.returncode, 2, (args, result.stdout, result.stderr))
            self.assertIn(needle, result.stderr, args)
        listed = json.loads(self.data_cmd("ls", "--json").stdout)["datasets"]
        self.assertEqual([d["name"] for d in listed], ["x"])


class DatasetPipelineTest(Workdir):
    def run_pipeline(self, version, *extra):
        write(self.path("p.yaml"), PIPELINE.replace("VERSION", version))
        return kiln("run", self.path("p.yaml"), "--data", self.data, "--json", *extra)

    def test_dataset_inputs_are_pinned_cached_and_traced(self):
        write(self.path("iris.csv"), "a\n1\n2\n")
        write(self.path("docs", "d1.txt"), "x")
        write(self.path("docs", "d2.txt"), "y")
        self.data_cmd("add", self.path("iris.csv"), "--name", "iris")
        self.data_cmd("add", self.path("docs"), "--name", "docs")
        result = self.run_pipeline("latest")
        self.assertEqual(result.returncode, 0, result.stderr)
        run = json.loads(result.stdout)["runs"][0]
        self.assertEqual(run["steps"][0]["status"], "SUCCEEDED")
        lines = [o for o in run["steps"][0]["outputs"] if o["name"] == "lines"][0]
        self.assertEqual(lines["digest"], sha256("3\n"))
        files = [o for o in run["steps"][0]["outputs"] if o["name"] == "files"][0]
        self.assertEqual(files["digest"], sha256("d1.txt\nd2.txt\n"))

        cached = json.loads(self.run_pipeline("latest").stdout)["runs"][0]
        self.assertEqual(cached["steps"][0]["status"], "CACHED")
        # a new version of the data is a new input: the step runs again
        write(self.path("iris.csv"), "a\n1\n2\n3\n")
        self.data_cmd("add", self.path("iris.csv"), "--name", "iris")
        rerun = json.loads(self.run_pipeline("latest").stdout)["runs"][0]
        self.assertEqual(rerun["steps"][0]["status"], "SUCCEEDED")
        self.assertEqual([o for o in rerun["steps"][0]["outputs"] if o["name"] == "lines"][0]
                         ["digest"], sha256("4\n"))
        # an explicit old version still reads the old content (and hits the cache)
        old = json.loads(self.run_pipeline("1").stdout)["runs"][0]
        self.assertEqual(old["steps"][0]["status"], "CACHED")

        # lineage: dataset iris@2 -> the step run of `rerun`
        edges = kiln("runs", "show", rerun["steps"][0]["run_id"], "--data", self.data, "--json")
        self.assertEqual(edges.returncode, 0, edges.stderr)
        shown = json.loads(edges.stdout)
        inputs = shown["run"]["inputs"]["dataset_inputs"]
        self.assertEqual(sorted((i["dataset"]["name"], i["dataset"]["source"]) for i in inputs),
                         [("docs", "dataset:docs@1"), ("iris", "dataset:iris@2")])
        # the table view shows them too (name, digest, source, context = the step's input)
        text = kiln("runs", "show", rerun["steps"][0]["run_id"], "--data", self.data)
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertIn("Dataset inputs:", text.stdout)
        for i in inputs:
            row = [line.split() for line in text.stdout.splitlines()
                   if line.startswith(i["dataset"]["name"] + " ")]
            context = {"iris": "table", "docs": "folder"}[i["dataset"]["name"]]
            self.assertEqual(row, [[i["dataset"]["name"], i["dataset"]["digest"],
                                    i["dataset"]["source"], context]], text.stdout)

    def test_unknown_dataset_or_version_is_refused_before_running(self):
        write(self.path("iris.csv"), "a\n1\n")
        write(self.path("docs", "d.txt"), "d")
        self.data_cmd("add", self.path("iris.csv"), "--name", "iris")
        self.data_cmd("add", self.path("docs"), "--name", "docs")
        for version, needle in [("7", "dataset 'iris' has no version 7 (latest is 1)"),
                                ("x", "'x'")]:
            result = self.run_pipeline(version)
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertIn("p.yaml:5:", result.stderr)
            self.assertIn("steps.count.inputs.table", result.stderr)
            self.assertIn(needle, result.stderr)
        runs = kiln("runs", "ls", "--data", self.data, "--json")
        self.assertNotIn("with-data", runs.stdout)


class DatasetServerTest(ServerTestCase, Workdir):
    def setUp(self):
        ServerTestCase.setUp(self)
        Workdir.setUp(self)

    def remote(self, *args):
        return kiln("data", *args, "--server", self.server.base_url)

    def test_cli_against_the_server(self):
        write(self.path("t.csv"), "k\n1\n")
        write(self.path("f", "one.txt"), "1")
        name = "remote-" + os.path.basename(self.dir)
        self.assertEqual(self.remote("add", self.path("t.csv"), "--name", name).returncode, 0)
        folder = self.remote("add", self.path("f"), "--name", name + "-f")
        self.assertEqual(folder.returncode, 0, folder.stderr)
        got = self.remote("get", name + "@1", "-o", self.path("back.csv"))
        self.assertEqual(got.returncode, 0, got.stderr)
        self.assertEqual(read(self.path("back.csv")), "k\n1\n")
        got = self.remote("get", name + "-f@latest", "-o", self.path("back"))
        self.assertEqual(got.returncode, 0, got.stderr)
        self.assertEqual(read(self.path("back", "one.txt")), "1")
        version = self.ok(self.call("GET", f"{DATASETS}/{name}-f/versions/1"))["version"]
        self.assertEqual(version["files"], [{"path": "one.txt", "digest": sha256("1"), "size": 1,
                                             "executable": False}])

    def test_runs_show_lists_dataset_inputs_logged_through_mlflow(self):
        exp = self.create_experiment()
        run_id = self.create_run(exp)["info"]["run_id"]
        dataset = {"name": "wine", "digest": "4f2a9c1d", "source_type": "local",
                   "source": "/data/wine.csv"}
        self.ok(self.post("runs/log-inputs", {
            "run_id": run_id, "datasets": [
                {"dataset": dataset,
                 "tags": [{"key": "mlflow.data.context", "value": "training"}]}]}))
        shown = kiln("runs", "show", run_id, "--server", self.server.base_url)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        lines = shown.stdout.splitlines()
        self.assertIn("Dataset inputs:", lines)
        table = lines[lines.index("Dataset inputs:") + 1:]
        self.assertEqual(table[0].split(), ["NAME", "DIGEST", "SOURCE", "CONTEXT"])
        self.assertEqual(table[1].split(), ["wine", "4f2a9c1d", "/data/wine.csv", "training"])

    def test_blob_upload_checks_the_digest(self):
        body = b"some bytes"
        status, out = self.call("PUT", "/api/v1/blobs/" + sha256(b"other"), body=body,
                                headers={"Content-Type": "application/octet-stream"})
        self.assertEqual(status, 400, out)
        self.assertIn(sha256(body), out["message"])
        ok = self.ok(self.call("PUT", "/api/v1/blobs/" + sha256(body), body=body,
                               headers={"Content-Type": "application/octet-stream"}))
        self.assertEqual(ok, {"digest": sha256(body), "size": len(body)})
        status, raw = self.call("GET", "/api/v1/blobs/" + sha256(body))
        self.assertEqual((status, raw), (200, body))
        missing = self.ok(self.post("/api/v1/blobs/missing",
                                    {"digests": [sha256(body), sha256(b"never")]}))
        self.assertEqual(missing, {"missing": [sha256(b"never")]})
        status, out = self.post("/api/v1/blobs/missing", {"digests": ["xyz"]})
        self.assertEqual(status, 400, out)
        status, out = self.call("GET", "/api/v1/blobs/" + sha256(b"never"))
        self.assertEqual(status, 404, out)

    def test_bad_dataset_requests_are_4xx_and_record_nothing(self):
        body = b"x,y\n"
        self.call("PUT", "/api/v1/blobs/" + sha256(body), body=body,
                  headers={"Content-Type": "application/octet-stream"})
        good = {"path": "a.csv", "digest": sha256(body), "size": len(body)}
        name = "bad-" + os.path.basename(self.dir)
        cases = [
            ({"name": name}, 400, "exactly one of"),
            ({"name": name, "digest": sha256(body), "files": [good]}, 400, "exactly one of"),
            ({"name": "a b", "digest": sha256(body)}, 400, "invalid dataset name"),
            ({"digest": sha256(body)}, 400, "name"),
            ({"name": name, "digest": "nothex"}, 400, None),
            ({"name": name, "digest": sha256(b"never")}, 404, None),
            ({"name": name, "files": []}, 400, "at least one"),
            ({"name": name, "files": [dict(good, path="../up.csv")]}, 400, "../up.csv"),
            ({"name": name, "files": [good, good]}, 400, "duplicate path"),
            ({"name": name, "files": [dict(good, size=99)]}, 400, "size"),
            ({"name": name, "files": [dict(good, digest=sha256(b"never"))]}, 404, "a.csv"),
            ({"name": name, "files": [{"path": "a.csv"}]}, 400, "digest"),
        ]
        for request, status, needle in cases:
            got, out = self.post(DATASETS, request)
            self.assertEqual(got, status, (request, out))
            if needle:
                self.assertIn(needle, out["message"], request)
        listed = self.ok(self.call("GET", DATASETS))["datasets"]
        self.assertNotIn(name, [d["name"] for d in listed])
        status, out = self.call("GET", f"{DATASETS}/{name}/versions")
        self.assertEqual(status, 404, out)
        self.ok(self.post(DATASETS, {"name": name, "digest": sha256(body)}))
        status, out = self.call("GET", f"{DATASETS}/{name}/versions/zero")
        self.assertEqual(status, 400, out)
        status, out = self.call("GET", f"{DATASETS}/{name}/versions/3")
        self.assertEqual(status, 404, out)


if __name__ == "__main__":
    unittest.main()
