"""Issue 13, findings 2, 3 and 5: files a user imports, crafted by an attacker, against a real
`kiln server`.

2. A package's tree manifest (kiln-tree-v1) naming `../` or absolute paths, uploaded as blobs
   and deployed as a model version, writes nothing outside the package's folder; the deployment
   fails with a clear error and the server keeps answering.
3. A model version source that is a path (`kiln-package:..`, `kiln-package:/abs/folder`) is
   refused when registered and, for rows stored before the check, when loaded: a Python
   package there (a pickle that writes a marker when unpickled) never runs.
4. Publishing a name@version that the standard library or a KILN_MODULE_PATH folder has with
   other files is refused; a conflict between layers stops only the pipelines that use that
   module; yanking a published version undoes it and is reflected everywhere.
"""

import base64
import hashlib
import json
import os
import pickle
import shutil
import sqlite3
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiln_server import ServerTestCase, uniq  # noqa: E402
from test_pipelines import FINAL, kiln, wait_for  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES = "/api/v1/modules"
RUNS = "/api/v1/pipeline-runs"
DEPLOYMENTS = "/api/v1/deployments"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def b64(data):
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()


def files_under(root, skip=None):
    """Every path below `root` (relative), leaving out the folder `skip`."""
    out = set()
    for folder, dirs, files in os.walk(root):
        if skip is not None and os.path.abspath(folder) == os.path.abspath(skip):
            dirs[:] = []
            continue
        for name in dirs + files:
            out.add(os.path.relpath(os.path.join(folder, name), root))
    return out


class Marker:
    """Unpickling this runs `touch PATH`: what a malicious Python model package does."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.system, ("touch '%s'" % self.path,))


def shell_module(name, version, description="test module"):
    return (f"name: {name}\nversion: {version}\ndescription: {description}\n"
            "params:\n  script: {type: string, required: true}\n"
            "outputs:\n  out: {type: file}\n"
            'command: [sh, -c, "${params.script}"]\n'
            'env:\n  KILN_OUTPUT: "${outputs.out}"\n')


class SecurityImportsTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.module_path = tempfile.mkdtemp(prefix="kiln-it-modpath-")
        cls.server_env = {"KILN_MODULE_PATH": cls.module_path}
        try:
            super().setUpClass()
        except Exception:
            shutil.rmtree(cls.module_path, ignore_errors=True)
            raise
        cls.sandbox = os.path.dirname(cls.server.data_dir)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.module_path, ignore_errors=True)

    # ---- helpers -------------------------------------------------------------------------

    def assert_responsive(self):
        t0 = time.monotonic()
        self.ok(self.get("/api/v1/health"))
        self.assertLess(time.monotonic() - t0, 1.0, "health took over a second")

    def put_blob(self, data):
        digest = sha256(data)
        status, _, body = self.server.raw("PUT", f"/api/v1/blobs/{digest}", body=data,
                                          headers={"Content-Type": "application/octet-stream"})
        self.assertEqual(status, 200, body)
        return digest

    def upload_blob(self, data):
        """Through the resumable upload routes, in two pieces."""
        digest = sha256(data)
        half = len(data) // 2
        for offset, piece in ((0, data[:half]), (half, data[half:])):
            status, _, body = self.server.raw(
                "PATCH", f"/api/v1/blobs/{digest}/upload?offset={offset}", body=piece,
                headers={"Content-Type": "application/octet-stream"})
            self.assertEqual(status, 200, body)
        self.ok(self.call("POST", f"/api/v1/blobs/{digest}/upload/finish", body={}))
        return digest

    def new_version(self, source):
        model = uniq("model")
        self.ok(self.post("registered-models/create", {"name": model}))
        out = self.ok(self.post("model-versions/create", {"name": model, "source": source}))
        return model, out["model_version"]["version"]

    def set_source(self, model, version, source):
        """Rewrites a version's source in the database, as a row stored before sources were
        checked would read."""
        db = sqlite3.connect(os.path.join(self.server.data_dir, "kiln.db"), timeout=30)
        try:
            db.execute("UPDATE model_versions SET source = ? WHERE name = ? AND version = ?",
                       (source, model, int(version)))
            db.commit()
        finally:
            db.close()

    def deploy_and_fail(self, model, version):
        name = uniq("dep")
        self.ok(self.call("POST", DEPLOYMENTS, body={"name": name, "model": f"{model}/{version}"}))
        state = {}

        def failed():
            state.update(self.ok(self.get(f"{DEPLOYMENTS}/{name}"))["deployment"]["primary"])
            return state["state"] == "failed"

        self.assertTrue(wait_for(failed, 30, 0.1), f"deployment did not fail: {state}")
        self.assertNotEqual(state["state"], "ready")
        return state["error"]

    def submit(self, spec):
        base = os.path.join(self.server.data_dir, "pipelines", uniq("p"))
        os.makedirs(base)
        return self.call("POST", RUNS, body={"spec": spec, "file": "p.yaml", "base_dir": base})

    def run_ok(self, spec):
        out = self.ok(self.submit(spec), "submit")
        run_id = out["runs"][0]["run_id"]
        run = wait_for(lambda: (lambda r: r if r["status"] in FINAL else None)(
            self.ok(self.get(f"{RUNS}/{run_id}"))), 60, 0.1)
        self.assertTrue(run, f"run {run_id} did not finish")
        self.assertEqual(run["status"], "SUCCEEDED", run)

    def publish(self, manifest, files=None):
        files = files if files is not None else {}
        body = {"manifest": manifest,
                "files": [{"path": "module.yaml", "content_base64": b64(manifest)}] +
                         [{"path": p, "content_base64": b64(c)} for p, c in files.items()]}
        return self.call("POST", MODULES, body=body)

    def shell_pipeline(self, uses):
        return (f"name: {uniq('pipe')}\nsteps:\n  a:\n    uses: {uses}\n"
                "    params: {script: 'echo ok > \"$KILN_OUTPUT\"'}\n")

    # ---- 2. zip-slip through a package manifest ------------------------------------------

    def test_crafted_package_manifest_writes_nothing_outside_its_folder(self):
        payload = b"#!/bin/sh\necho pwned\n"
        blob = self.put_blob(payload)
        name = uniq("escape")
        abs_in_sandbox = os.path.join(self.sandbox, uniq("abs"))
        abs_in_tmp = os.path.join(tempfile.gettempdir(), uniq("kiln-abs"))
        self.addCleanup(lambda: os.path.exists(abs_in_tmp) and os.remove(abs_in_tmp))
        # The package folder is <data>/serving/packages/<digest>: four levels up is the sandbox.
        entries = ["../../../../" + name, "../../" + name, "../../../" + name, abs_in_sandbox,
                   abs_in_tmp, "kiln-model.json"]
        manifest = "kiln-tree-v1\n" + "".join(
            f"{p}\t{blob}\t{len(payload)}\tx\n" for p in sorted(entries))
        digest = self.upload_blob(manifest.encode())
        # The listing route refuses to show it as a folder, too.
        self.assertInvalid(self.get(f"/api/v1/trees/{digest}"), "unsafe folder manifest")
        before = files_under(self.sandbox, skip=self.server.data_dir)
        model, version = self.new_version("kiln-package:" + digest)
        error = self.deploy_and_fail(model, version)
        self.assertIn("unsafe folder manifest", error)
        self.assertIn("'..' segments are not allowed", error)
        self.assertNotIn(self.server.data_dir, error)
        for target in (os.path.join(self.sandbox, name), os.path.join(self.server.data_dir, name),
                       os.path.join(self.server.data_dir, "serving", name), abs_in_sandbox,
                       abs_in_tmp):
            self.assertFalse(os.path.lexists(target), target)
        self.assertEqual(files_under(self.sandbox, skip=self.server.data_dir), before)
        self.assertEqual([p for p in files_under(self.server.data_dir) if name in p], [])
        self.assert_responsive()

    def test_folder_uploads_refuse_a_file_that_is_also_a_folder(self):
        blob = self.put_blob(b"x")
        files = [{"path": "a", "digest": blob, "size": 1},
                 {"path": "a/b", "digest": blob, "size": 1}]
        self.assertInvalid(self.call("POST", "/api/v1/datasets",
                                     body={"name": uniq("ds"), "files": files}),
                           "both a file and the folder")
        for path in ("../x", "/abs", "a/./b", "a\\b", "a\nb"):
            self.assertInvalid(self.call("POST", "/api/v1/datasets", body={
                "name": uniq("ds"), "files": [{"path": path, "digest": blob, "size": 1}]}),
                "files[0]")
        self.assert_responsive()

    # ---- 3. model sources that are paths -------------------------------------------------

    def make_python_package(self, marker):
        folder = os.path.join(self.sandbox, uniq("pkg"))
        os.makedirs(folder)
        with open(os.path.join(folder, "model.pkl"), "wb") as f:
            pickle.dump(Marker(marker), f)
        with open(os.path.join(folder, "kiln-model.json"), "w") as f:
            json.dump({"format": "kiln-model-v1", "flavor": "python",
                       "python": {"file": "model.pkl"}, "task": "binary", "label": "y",
                       "classes": ["0", "1"], "features": ["a"],
                       "signature": [{"name": "a", "type": "float64"}]}, f)
        return folder

    def test_path_sources_are_refused_when_registered(self):
        marker = os.path.join(self.sandbox, uniq("marker"))
        folder = self.make_python_package(marker)
        model = uniq("paths")
        self.ok(self.post("registered-models/create", {"name": model}))
        for source in ("kiln-package:..", "kiln-package:" + folder, "kiln-package:../../x",
                       "kiln-package:" + "A" * 64, "kiln-package:"):
            body = self.assertInvalid(
                self.post("model-versions/create", {"name": model, "source": source}),
                "source", what=source)
            self.assertNotIn(folder, body["message"])
        versions = self.ok(self.get("model-versions/search", filter=f"name='{model}'"))
        self.assertEqual(versions.get("model_versions", []), [])
        self.assertFalse(os.path.exists(marker))
        self.assert_responsive()

    def test_path_sources_stored_earlier_are_refused_when_loaded(self):
        marker = os.path.join(self.sandbox, uniq("marker"))
        folder = self.make_python_package(marker)
        errors = []
        for path in (folder, os.path.join(self.sandbox, uniq("absent")), ".."):
            model, version = self.new_version("kiln-package:" + "0" * 64)
            self.set_source(model, version, "kiln-package:" + path)
            error = self.deploy_and_fail(model, version)
            self.assertIn("64 lowercase hex", error)
            self.assertNotIn(self.sandbox, error)
            errors.append(error[error.index("source is not"):])  # without NAME/VERSION
        # Whether the folder exists or not, the answer is the same.
        self.assertEqual(len(set(errors)), 1, errors)
        time.sleep(0.5)  # a worker, had one started, would have unpickled by now
        self.assertFalse(os.path.exists(marker), "the pickle ran")
        self.assert_responsive()

    # ---- 5. one publish stops every pipeline ---------------------------------------------

    def test_publishing_a_standard_library_version_with_other_content_is_refused(self):
        with open(os.path.join(REPO, "modules", "read-csv", "module.yaml")) as f:
            original = f.read()
        evil = original.replace("description: ", "description: (changed) ", 1)
        self.assertNotEqual(evil, original)
        body = self.assertError(self.publish(evil), 400, "RESOURCE_ALREADY_EXISTS",
                                ["read-csv@1.0.0", "standard library"])
        self.assertNotIn(REPO, body["message"])
        self.assertNotIn("/modules", body["message"])
        shown = self.ok(self.get(f"{MODULES}/read-csv", version="1.0.0"))["module"]
        self.assertEqual(shown["origin"], "standard")
        self.assertEqual(shown["manifest_yaml"], original)
        catalog = {m["name"]: m for m in self.ok(self.get(MODULES))["modules"]}
        self.assertEqual(catalog["read-csv"]["origins"], ["standard"])
        # The same for a KILN_MODULE_PATH folder, named by its entry, not its path.
        name = uniq("team-mod")
        folder = os.path.join(self.module_path, name)
        os.makedirs(folder)
        with open(os.path.join(folder, "module.yaml"), "w") as f:
            f.write(shell_module(name, "1.0.0"))
        body = self.assertError(self.publish(shell_module(name, "1.0.0", "other")), 400,
                                "RESOURCE_ALREADY_EXISTS", "KILN_MODULE_PATH entry 1")
        self.assertNotIn(self.module_path, body["message"])
        # Pipelines go on: one that uses the standard library plans and runs.
        self.run_ok(self.shell_pipeline("shell@1.0.0"))
        self.assert_responsive()

    def test_a_layer_conflict_stops_only_its_users_and_a_yank_undoes_it(self):
        name = uniq("clash")
        self.ok(self.publish(shell_module(name, "1.0.0", "published")))
        # Later a KILN_MODULE_PATH folder gets the same name@version with other files (as
        # the standard library may in a newer Kiln).
        folder = os.path.join(self.module_path, name)
        os.makedirs(folder)
        with open(os.path.join(folder, "module.yaml"), "w") as f:
            f.write(shell_module(name, "1.0.0", "from the folder"))
        status, body = self.submit(self.shell_pipeline(f"{name}@1.0.0"))
        self.assertError((status, body), 400, None,
                         [f"module {name}@1.0.0 has different files in the KILN_MODULE_PATH "
                          "entry 1 and in the published modules", "steps.a.uses"])
        self.assertNotIn(self.module_path, body["message"])
        self.run_ok(self.shell_pipeline("shell@1.0.0"))  # everything else still works
        result = kiln("module", "yank", f"{name}@1.0.0", "--server", self.server.base_url)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), f"yanked {name}@1.0.0")
        self.run_ok(self.shell_pipeline(f"{name}@1.0.0"))  # the folder's version now
        entry = next(m for m in self.ok(self.get(MODULES))["modules"] if m["name"] == name)
        self.assertEqual(entry["origins"], ["path"])
        again = kiln("module", "yank", f"{name}@1.0.0", "--server", self.server.base_url)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(again.stdout.strip(), f"already yanked: {name}@1.0.0")
        self.assert_responsive()

    def test_yank_over_http_and_cli_is_reflected_and_never_reused(self):
        name = uniq("yankee")
        self.ok(self.publish(shell_module(name, "1.0.0")))
        self.ok(self.publish(shell_module(name, "1.1.0")))
        self.run_ok(self.shell_pipeline(f"{name}@1.1.0"))
        out = self.ok(self.call("DELETE", f"{MODULES}/{name}?version=1.1.0"))
        self.assertEqual((out["name"], out["version"], out["yanked"], out["yanked_now"]),
                         (name, "1.1.0", True, True))
        shown = self.ok(self.get(f"{MODULES}/{name}"))["module"]
        self.assertEqual((shown["version"], shown["versions"]), ("1.0.0", ["1.0.0"]))
        self.assertNotFound(self.get(f"{MODULES}/{name}", version="1.1.0"), "was yanked")
        status, body = self.submit(self.shell_pipeline(f"{name}@1.1.0"))
        self.assertError((status, body), 400, None, [f"{name}@1.1.0 was yanked", "steps.a.uses"])
        self.run_ok(self.shell_pipeline(f"{name}@1.0.0"))
        # The number is never reused, with any content.
        self.assertError(self.publish(shell_module(name, "1.1.0", "new")), 400,
                         "RESOURCE_ALREADY_EXISTS", "never published again")
        # The CLI against the data folder, and its mistakes (exit 2).
        local = kiln("module", "yank", f"{name}@1.0.0", "--data", self.server.data_dir)
        self.assertEqual(local.returncode, 0, local.stderr)
        self.assertNotFound(self.get(f"{MODULES}/{name}"))
        for ref in (f"{name}@9.9.9", name, f"{uniq('ghost')}@1.0.0", f"{name}@latest"):
            bad = kiln("module", "yank", ref, "--server", self.server.base_url)
            self.assertEqual(bad.returncode, 2, (ref, bad.stdout, bad.stderr))
        self.assertError(self.call("DELETE", f"{MODULES}/{name}"), 400)  # no version given
        self.assert_responsive()


if __name__ == "__main__":
    import unittest

    unittest.main()
