"""Artifacts: the mlflow-artifacts proxy (PUT/GET/DELETE .../artifacts/<path>, GET
.../artifacts?path=<dir>), runs' artifacts/list, and path traversal refusal.

References: mlflow/server/handlers.py (_upload_artifact, _download_artifact,
_list_artifacts_mlflow_artifacts: entries are basenames relative to the listed dir,
_delete_artifact_mlflow_artifacts, list_artifacts_impl: root_uri and run-relative paths);
mlflow/utils/uri.py validate_path_is_safe: percent-decodes, then refuses '..' segments,
absolute paths, backslashes and '#', with 400 INVALID_PARAMETER_VALUE "Invalid path";
mlflow/store/artifact/http_artifact_repo.py is the client side (PUT the bytes, list with
?path=, GET to download).
"""

import hashlib
import os
import unittest
import urllib.parse
import uuid

from kiln_server import ARTIFACTS, ServerTestCase, uniq


class ArtifactProxyTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        st, body = cls.server.call("POST", "experiments/create", body={"name": uniq("art")})
        assert st == 200, body
        cls.exp_id = body["experiment_id"]

    def new_run(self):
        run = self.create_run(self.exp_id)
        info = run["info"]
        prefix = "mlflow-artifacts:/"
        self.assertTrue(info["artifact_uri"].startswith(prefix), info)
        return info["run_id"], info["artifact_uri"][len(prefix):]

    def put(self, path, data):
        quoted = urllib.parse.quote(path)
        return self.server.raw("PUT", f"{ARTIFACTS}/{quoted}", body=data,
                               headers={"Content-Type": "application/octet-stream"})

    def download(self, path):
        return self.server.raw("GET", f"{ARTIFACTS}/{urllib.parse.quote(path)}")

    def listing(self, path):
        out = self.ok(self.call("GET", ARTIFACTS, query={"path": path}), f"list {path}")
        return {f["path"]: f for f in out.get("files", [])}

    def test_upload_download_roundtrip(self):
        _, root = self.new_run()
        data = bytes(range(256)) * 17
        status, _, body = self.put(f"{root}/blob.bin", data)
        self.assertEqual(status, 200, body)
        status, _, got = self.download(f"{root}/blob.bin")
        self.assertEqual(status, 200)
        self.assertEqual(got, data)

    def test_nested_and_listing(self):
        _, root = self.new_run()
        self.assertEqual(self.put(f"{root}/model/MLmodel", b"flavors: {}\n")[0], 200)
        self.assertEqual(self.put(f"{root}/model/data/weights.bin", b"\x00" * 100)[0], 200)
        self.assertEqual(self.put(f"{root}/metrics.json", b"{}")[0], 200)

        top = self.listing(root)
        self.assertEqual(set(top), {"model", "metrics.json"})
        self.assertTrue(top["model"]["is_dir"])
        self.assertFalse(top["metrics.json"].get("is_dir", False))
        self.assertEqual(top["metrics.json"]["file_size"], 2)

        model = self.listing(f"{root}/model")
        self.assertEqual(set(model), {"MLmodel", "data"})
        self.assertEqual(model["MLmodel"]["file_size"], len(b"flavors: {}\n"))
        self.assertTrue(model["data"]["is_dir"])
        self.assertEqual(self.listing(f"{root}/model/data")["weights.bin"]["file_size"], 100)

    def test_list_missing_dir_is_empty(self):
        _, root = self.new_run()
        self.assertEqual(self.listing(f"{root}/nothing-here"), {})

    def test_overwrite(self):
        _, root = self.new_run()
        self.put(f"{root}/f.txt", b"first")
        self.assertEqual(self.put(f"{root}/f.txt", b"second!")[0], 200)
        self.assertEqual(self.download(f"{root}/f.txt")[2], b"second!")
        self.assertEqual(self.listing(root)["f.txt"]["file_size"], 7)

    def test_empty_file(self):
        _, root = self.new_run()
        self.assertEqual(self.put(f"{root}/empty", b"")[0], 200)
        status, _, body = self.download(f"{root}/empty")
        self.assertEqual((status, body), (200, b""))

    def test_special_characters_in_names(self):
        _, root = self.new_run()
        name = "my file (1)+ä.txt"
        self.assertEqual(self.put(f"{root}/dir with space/{name}", b"x")[0], 200)
        self.assertEqual(set(self.listing(f"{root}/dir with space")), {name})
        self.assertEqual(self.download(f"{root}/dir with space/{name}")[2], b"x")

    def test_delete_file_and_dir(self):
        _, root = self.new_run()
        self.put(f"{root}/keep.txt", b"k")
        self.put(f"{root}/gone.txt", b"g")
        self.put(f"{root}/sub/a.txt", b"a")
        self.put(f"{root}/sub/deeper/b.txt", b"b")
        status, _, _ = self.server.raw("DELETE", f"{ARTIFACTS}/{root}/gone.txt")
        self.assertEqual(status, 200)
        status, _, _ = self.server.raw("DELETE", f"{ARTIFACTS}/{root}/sub")
        self.assertEqual(status, 200)
        self.assertEqual(set(self.listing(root)), {"keep.txt"})
        status, _, body = self.download(f"{root}/gone.txt")
        self.assertEqual(status, 404, body)
        status, _, body = self.download(f"{root}/sub/a.txt")
        self.assertEqual(status, 404, body)

    def test_download_missing(self):
        _, root = self.new_run()
        resp = self.call("GET", f"{ARTIFACTS}/{root}/does-not-exist.txt")
        self.assertError(resp, 404)

    def test_download_directory_is_not_a_file(self):
        _, root = self.new_run()
        self.put(f"{root}/d/x.txt", b"x")
        status, _, body = self.download(f"{root}/d")
        self.assertGreaterEqual(status, 400, body)
        self.assertLess(status, 500, body)

    def test_large_file(self):
        _, root = self.new_run()
        data = os.urandom(5 * 1024 * 1024 + 3)
        self.assertEqual(self.put(f"{root}/big.bin", data)[0], 200)
        status, _, got = self.download(f"{root}/big.bin")
        self.assertEqual(status, 200)
        self.assertEqual(hashlib.sha256(got).hexdigest(), hashlib.sha256(data).hexdigest())
        self.assertEqual(self.listing(root)["big.bin"]["file_size"], len(data))

    def test_run_artifacts_list(self):
        run_id, root = self.new_run()
        self.put(f"{root}/model/MLmodel", b"m")
        self.put(f"{root}/model/env/conda.yaml", b"c")
        self.put(f"{root}/readme.md", b"hello")
        out = self.ok(self.get("artifacts/list", run_id=run_id))
        self.assertEqual(out["root_uri"], f"mlflow-artifacts:/{root}")
        files = {f["path"]: f for f in out.get("files", [])}
        self.assertEqual(set(files), {"model", "readme.md"})
        self.assertTrue(files["model"]["is_dir"])
        self.assertEqual(files["readme.md"]["file_size"], 5)
        out = self.ok(self.get("artifacts/list", run_id=run_id, path="model"))
        files = {f["path"]: f for f in out.get("files", [])}
        self.assertEqual(set(files), {"model/MLmodel", "model/env"})
        self.assertTrue(files["model/env"]["is_dir"])
        out = self.ok(self.get("artifacts/list", run_id=run_id, path="model/env"))
        self.assertEqual([f["path"] for f in out.get("files", [])], ["model/env/conda.yaml"])

    def test_run_artifacts_list_empty_and_errors(self):
        run_id, _ = self.new_run()
        out = self.ok(self.get("artifacts/list", run_id=run_id))
        self.assertEqual(out.get("files", []), [])
        self.assertNotFound(self.get("artifacts/list", run_id="0" * 32))
        for bad in ("../", "../../..", "a/../../b", "/etc", "//etc", "a//b/../../.."):
            self.assertInvalid(self.get("artifacts/list", run_id=run_id, path=bad), what=bad)

    def test_run_artifacts_list_encoded_path_refused(self):
        # The path parameter arrives already URL-decoded; MLflow's validate_path_is_safe
        # decodes it again (until stable) before checking, so '%2e%2e' counts as '..'.
        run_id, _ = self.new_run()
        for bad in ("%2e%2e/%2e%2e", "%2E%2E", "..%2f..", "%2e%2e%2f%2e%2e%2fetc"):
            self.assertInvalid(self.get("artifacts/list", run_id=run_id, path=bad), what=bad)


class TraversalTest(ServerTestCase):
    """Nothing may be read or written outside the artifact root, whatever the encoding."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        st, body = cls.server.call("POST", "experiments/create", body={"name": uniq("trav")})
        assert st == 200, body
        cls.exp_id = body["experiment_id"]

    def setUp(self):
        super().setUp()
        self.sentinel = f"kiln-trav-{uuid.uuid4().hex}"

    def outside_locations(self):
        """Every place a traversal write could land, outside the artifact area."""
        places = []
        d = self.server.data_dir
        while True:
            places.append(os.path.join(d, self.sentinel))
            parent = os.path.dirname(d)
            if parent == d:
                break
            d = parent
        places.append(os.path.join("/tmp", self.sentinel))
        return places

    def assert_nothing_outside(self):
        leaked = [p for p in self.outside_locations() if os.path.lexists(p)]
        # A literal (harmless) name may live below the data dir's own folders (the artifact
        # root, whatever its layout), never beside kiln.db or above the data dir.
        data_dir = self.server.data_dir
        sandbox = os.path.dirname(data_dir)
        for dirpath, dirnames, filenames in os.walk(sandbox):
            inside = dirpath.startswith(data_dir + os.sep)
            for n in filenames + dirnames:
                if self.sentinel in n and not inside:
                    leaked.append(os.path.join(dirpath, n))
        for p in leaked:  # leave no litter behind, but still fail
            try:
                os.remove(p)
            except OSError:
                pass
        self.assertEqual(leaked, [], "traversal wrote outside the artifact root")

    def assert_refused(self, method, raw_suffix, body=None):
        status, _, data = self.server.raw(method, f"{ARTIFACTS}/{raw_suffix}", body=body)
        self.assertGreaterEqual(status, 400, f"{method} {raw_suffix}: {status} {data[:200]!r}")
        self.assertLess(status, 500, f"{method} {raw_suffix}: {status} {data[:200]!r}")
        return status, data

    def write_vectors(self):
        s = self.sentinel
        vectors = []
        for depth in range(1, 9):
            vectors += [
                "../" * depth + s,
                "a/" + "../" * (depth + 1) + s,
                "%2e%2e%2f" * depth + s,
                "%2E%2E%2F" * depth + s,
                "..%2f" * depth + s,
                "%2e%2e/" * depth + s,
                "a/%2e%2e/" + "%2e%2e/" * depth + s,
            ]
        vectors += [
            f"%2Ftmp%2F{s}",
            f"%2F%2Ftmp%2F{s}",
            f"/tmp/{s}",
            f"//tmp/{s}",
            f"{self.exp_id}/../../{s}",
            f"file:%2F%2F%2Ftmp%2F{s}",
            f"{self.exp_id}/x/..%2F..%2F..%2F{s}",
        ]
        return vectors

    def put_all(self, vectors):
        """PUTs every vector, then checks the filesystem (and cleans up) before failing."""
        accepted = []
        for v in vectors:
            status, _, data = self.server.raw("PUT", f"{ARTIFACTS}/{v}", body=b"pwned")
            if not 400 <= status < 500:
                accepted.append((v, status, data[:100]))
        self.assert_nothing_outside()
        self.assertEqual(accepted, [], "traversal PUTs not refused with 4xx")

    def test_put_traversal_refused(self):
        self.put_all(self.write_vectors())

    def test_delete_traversal_refused(self):
        # A decoy outside the artifact root that a traversal DELETE would remove.
        decoy = os.path.join(self.server.data_dir, self.sentinel)
        with open(decoy, "w") as f:
            f.write("keep me")
        try:
            for depth in range(1, 4):
                for enc in ("../", "%2e%2e%2f", "..%2f"):
                    self.assert_refused("DELETE", enc * depth + self.sentinel)
            self.assertTrue(os.path.exists(decoy), "traversal DELETE removed a file")
        finally:
            if os.path.exists(decoy):
                os.remove(decoy)

    def test_get_traversal_refused(self):
        targets = ["etc/passwd"]
        for depth in range(1, 10):
            for enc in ("../", "%2e%2e%2f", "..%2f", "%2e%2e/", "%252e%252e%252f"):
                for t in targets:
                    _, data = self.assert_refused("GET", enc * depth + t)
                    self.assertNotIn(b"root:", data)
        for v in ("%2Fetc%2Fpasswd", "//etc/passwd", "/etc/passwd", "%2F%2Fetc%2Fpasswd",
                  "file:%2F%2F%2Fetc%2Fpasswd"):
            _, data = self.assert_refused("GET", v)
            self.assertNotIn(b"root:", data)
        # A backslash is an ordinary byte on POSIX (MLflow only refuses os.altsep); Kiln may
        # refuse it, but it must never be treated as a separator.
        for depth in range(1, 10):
            status, _, data = self.server.raw("GET", f"{ARTIFACTS}/" + "..%5c" * depth +
                                              "etc%5cpasswd")
            self.assertLess(status, 500)
            self.assertNotIn(b"root:", data)

    def test_get_database_refused(self):
        for v in ("../kiln.db", "..%2fkiln.db", "%2e%2e%2fkiln.db", "../../data/kiln.db",
                  "%2e%2e%2f%2e%2e%2fdata%2fkiln.db", "../kiln.db-wal"):
            _, data = self.assert_refused("GET", v)
            self.assertFalse(data.startswith(b"SQLite format 3"), v)

    def test_list_traversal_refused(self):
        for v in ("..", "../..", "../../..", "a/../..", "/", "/etc", "//etc", "%2e%2e",
                  "..%2f..", "%2Fetc"):
            status, _, data = self.server.raw(
                "GET", f"{ARTIFACTS}?path={urllib.parse.quote(v, safe='%')}")
            self.assertGreaterEqual(status, 400, f"{v}: {status} {data[:200]!r}")
            self.assertLess(status, 500, f"{v}: {status} {data[:200]!r}")
            self.assertNotIn(b"passwd", data)
            self.assertNotIn(b"kiln.db", data)

    def test_double_encoded_never_escapes(self):
        # Decoding twice and then trusting the result would escape; decoding once leaves a
        # harmless literal name. Either refuse or keep it inside the artifact root.
        s = self.sentinel
        for depth in range(1, 6):
            for v in ("%252e%252e%252f" * depth + s, "..%5c" * depth + s,
                      "%2e%2e%5c" * depth + s):
                status, _, data = self.server.raw("PUT", f"{ARTIFACTS}/{v}", body=b"x")
                self.assertLess(status, 500, f"{v}: {data[:200]!r}")
        self.assert_nothing_outside()

    def test_legit_write_still_works_after_attacks(self):
        self.put_all(self.write_vectors()[:10])
        run = self.create_run(self.exp_id)
        root = run["info"]["artifact_uri"][len("mlflow-artifacts:/"):]
        status, _, _ = self.server.raw("PUT", f"{ARTIFACTS}/{root}/ok.txt", body=b"fine")
        self.assertEqual(status, 200)
        self.assertEqual(self.server.raw("GET", f"{ARTIFACTS}/{root}/ok.txt")[2], b"fine")
        self.assert_nothing_outside()


if __name__ == "__main__":
    unittest.main()
