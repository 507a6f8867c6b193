"""Published modules: `kiln module publish|ls|show` against a real server, the
/api/v1/modules routes and their errors (always 4xx JSON, never 5xx), and the standard
library modules in modules/ actually running."""

import base64
import json
import os
import shutil
import subprocess
import tempfile

from kiln_server import KILN_BIN, ServerTestCase, uniq

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODULES = "/api/v1/modules"

MANIFEST = """name: {name}
version: {version}
description: {description}
params:
  depth: {{type: int, default: 3, min: 1, max: 10, help: tree depth}}
  rate: {{type: float, default: 0.5}}
  mode: {{type: enum, values: [fast, slow], default: fast}}
  cols: {{type: list, items: string, help: feature columns}}
inputs:
  train: {{type: table, description: training rows}}
outputs:
  model: {{type: model}}
command: [sh, run.sh, "${{params.depth}}", "${{inputs.train}}", "${{outputs.model}}"]
env: {{MODE: "${{params.mode}}"}}
"""


def kiln(*args):
    return subprocess.run([KILN_BIN, *args], capture_output=True, text=True, timeout=60)


def b64(data):
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()


class ModulesTest(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.tmp = tempfile.mkdtemp(prefix="kiln-mod-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def make_module(self, name, version="1.0.0", script="echo hi\n", description="a test module"):
        folder = os.path.join(self.tmp, uniq("m"))
        os.makedirs(os.path.join(folder, "lib"))
        os.makedirs(os.path.join(folder, ".git"))
        with open(os.path.join(folder, "module.yaml"), "w") as f:
            f.write(MANIFEST.format(name=name, version=version, description=description))
        with open(os.path.join(folder, "run.sh"), "w") as f:
            f.write(script)
        os.chmod(os.path.join(folder, "run.sh"), 0o755)
        with open(os.path.join(folder, "lib", "util.txt"), "w") as f:
            f.write("util")
        with open(os.path.join(folder, ".git", "HEAD"), "w") as f:
            f.write("ignored")
        return folder

    def cli(self, *args):
        return kiln("module", *args, "--server", self.server.base_url)

    def publish_ok(self, folder):
        result = self.cli("publish", folder)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout

    # ---- CLI -------------------------------------------------------------------------

    def test_publish_republish_and_conflict(self):
        name = uniq("team/train")
        folder = self.make_module(name)
        out = self.publish_ok(folder)
        self.assertRegex(out, rf"^published {name}@1\.0\.0 \(digest [0-9a-f]{{64}}\)$")
        self.assertEqual(self.publish_ok(folder).strip(),
                         f"{name}@1.0.0 already published (same content)")
        changed = self.make_module(name, script="echo changed\n")
        result = self.cli("publish", changed)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("already published with different content", result.stderr)
        self.assertIn("bump the version", result.stderr)
        self.assertEqual(result.stdout, "")
        body = self.ok(self.get(f"{MODULES}/{name}"))["module"]
        self.assertEqual([f["path"] for f in body["files"]],
                         ["lib/util.txt", "module.yaml", "run.sh"])  # .git skipped
        self.assertTrue(body["files"][2]["executable"])
        self.assertFalse(body["files"][0]["executable"])

    def test_publish_via_data_folder(self):
        name = uniq("team/local")
        result = kiln("module", "publish", self.make_module(name), "--data", self.server.data_dir)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"published {name}@1.0.0", result.stdout)
        self.ok(self.get(f"{MODULES}/{name}"))
        shown = kiln("module", "show", f"{name}@1.0.0", "--data", self.server.data_dir, "--json")
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertEqual(json.loads(shown.stdout)["module"]["name"], name)

    def test_publish_bad_folders_exit_2(self):
        missing = self.cli("publish", os.path.join(self.tmp, "nope"))
        self.assertEqual(missing.returncode, 2)
        self.assertIn("nope", missing.stderr)
        empty = os.path.join(self.tmp, "empty")
        os.makedirs(empty)
        result = self.cli("publish", empty)
        self.assertEqual(result.returncode, 2)
        self.assertIn(os.path.join(empty, "module.yaml"), result.stderr)
        bad = self.make_module(uniq("bad"), version="one")
        result = self.cli("publish", bad)
        self.assertEqual(result.returncode, 2)
        self.assertIn(os.path.join(bad, "module.yaml") + ":2:10: version", result.stderr)

    def test_ls_and_show(self):
        name = uniq("shown")
        for version in ("1.2.0", "1.10.0", "1.10.0-rc.1"):
            self.publish_ok(self.make_module(name, version, description=f"v{version}"))
        listing = self.cli("ls")
        self.assertEqual(listing.returncode, 0, listing.stderr)
        self.assertIn("LATEST", listing.stdout.splitlines()[0])
        self.assertIn("ORIGINS", listing.stdout.splitlines()[0])
        row = next(line for line in listing.stdout.splitlines() if line.startswith(name))
        self.assertIn("published", row)
        std_row = next(line for line in listing.stdout.splitlines() if line.startswith("read-csv "))
        self.assertIn("standard", std_row)
        self.assertIn("1.10.0", row)
        self.assertIn("v1.10.0", row)
        modules = json.loads(self.cli("ls", "--json").stdout)["modules"]
        entry = next(m for m in modules if m["name"] == name)
        self.assertEqual(entry["latest_version"], "1.10.0")
        self.assertEqual(entry["versions"], ["1.2.0", "1.10.0-rc.1", "1.10.0"])

        shown = self.cli("show", name)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertIn(f"{name}@1.10.0", shown.stdout)
        self.assertIn("runs: sh run.sh ${params.depth}", shown.stdout)
        self.assertIn("env: MODE=${params.mode}", shown.stdout)
        depth = next(l for l in shown.stdout.splitlines() if l.startswith("depth"))
        self.assertEqual(depth.split()[:5], ["depth", "int", "3", "1..10", "no"])
        self.assertIn("fast|slow", shown.stdout)
        cols = next(l for l in shown.stdout.splitlines() if l.startswith("cols"))
        self.assertIn("list of string", cols)
        self.assertIn("yes", cols)

        old = json.loads(self.cli("show", f"{name}@1.2.0", "--json").stdout)["module"]
        self.assertEqual(old["version"], "1.2.0")
        self.assertEqual(old["description"], "v1.2.0")

    def test_show_unknown_exits_2(self):
        name = uniq("known")
        self.publish_ok(self.make_module(name))
        unknown = self.cli("show", uniq("nope"))
        self.assertEqual(unknown.returncode, 2)
        self.assertIn("not found", unknown.stderr)
        version = self.cli("show", f"{name}@9.9.9")
        self.assertEqual(version.returncode, 2)
        self.assertIn("has no version '9.9.9' (versions: 1.0.0)", version.stderr)

    def test_unreachable_server_exits_1(self):
        result = kiln("module", "ls", "--server", "http://127.0.0.1:1")
        self.assertEqual(result.returncode, 1)
        self.assertTrue(result.stderr.strip())

    # ---- HTTP ------------------------------------------------------------------------

    def test_module_json_is_precise_enough_for_a_form(self):
        name = uniq("form")
        self.publish_ok(self.make_module(name))
        m = self.ok(self.get(f"{MODULES}/{name}", version="1.0.0"))["module"]
        params = {p["name"]: p for p in m["params"]}
        self.assertEqual(params["depth"], {"name": "depth", "type": "int", "default": 3, "min": 1,
                                           "max": 10, "required": False, "help": "tree depth"})
        self.assertEqual(params["rate"]["default"], 0.5)
        self.assertEqual(params["mode"]["values"], ["fast", "slow"])
        self.assertEqual(params["cols"]["items"], "string")
        self.assertTrue(params["cols"]["required"])
        self.assertEqual(m["inputs"], [{"name": "train", "type": "table",
                                        "description": "training rows", "optional": False}])
        self.assertEqual(m["outputs"][0]["type"], "model")
        self.assertEqual(m["runner"]["kind"], "command")
        self.assertEqual(m["runner"]["command"][:2], ["sh", "run.sh"])
        self.assertEqual(m["runner"]["env"], {"MODE": "${params.mode}"})
        self.assertRegex(m["files_digest"], "^[0-9a-f]{64}$")
        self.assertIn(f"name: {name}", m["manifest_yaml"])
        self.assertEqual(m["versions"], ["1.0.0"])

    def publish(self, manifest, files):
        return self.call("POST", MODULES, body={"manifest": manifest, "files": files})

    def good_files(self, manifest):
        return [{"path": "module.yaml", "content_base64": b64(manifest)},
                {"path": "run.sh", "content_base64": b64("echo hi"), "executable": True}]

    def test_http_publish_idempotent(self):
        manifest = MANIFEST.format(name=uniq("http"), version="0.1.0", description="d")
        first = self.ok(self.publish(manifest, self.good_files(manifest)))
        self.assertTrue(first["created"])
        again = self.ok(self.publish(manifest, self.good_files(manifest)))
        self.assertFalse(again["created"])
        self.assertEqual(first["module"]["files_digest"], again["module"]["files_digest"])

    def test_http_errors_are_4xx_naming_the_problem(self):
        manifest = MANIFEST.format(name=uniq("err"), version="1.0.0", description="d")
        good = self.good_files(manifest)
        self.assertInvalid(self.publish(manifest, [good[0], {"path": "x", "content_base64": "@@"}]),
                           "files[1].content_base64")
        self.assertInvalid(self.publish(manifest, [good[0], {"path": "../x",
                                                              "content_base64": b64("x")}]),
                           ["files[1].path", "'..'"])
        self.assertInvalid(self.publish(manifest, [good[1]]), "module.yaml is missing")
        bad = "name: x\nversion: 1.0.0\ncommand: [sh]\nparams:\n  n: {type: integer}\n"
        self.assertInvalid(self.publish(bad, self.good_files(bad)), "module.yaml:5:")
        self.assertInvalid(self.publish(manifest, "nope"), "files")
        self.assertInvalid(self.call("POST", MODULES, body={"files": good}), "manifest")
        self.assertInvalid(self.call("POST", MODULES, body="{not json"))
        self.assertNotFound(self.get(f"{MODULES}/{uniq('ghost')}"), "not found")
        self.assertNotFound(self.get(f"{MODULES}/{uniq('team/ghost')}", version="1.0.0"))
        self.ok(self.publish(manifest, good))
        changed = [good[0], {"path": "run.sh", "content_base64": b64("echo other")}]
        self.assertError(self.publish(manifest, changed), 400, "RESOURCE_ALREADY_EXISTS",
                         "versions are immutable")

    # ---- the standard library --------------------------------------------------------

    def test_standard_library_modules_publish_and_run(self):
        for module in ("shell", "csv-head"):
            result = self.cli("publish", os.path.join(REPO, "modules", module))
            self.assertEqual(result.returncode, 0, result.stderr)
        head = self.ok(self.get(f"{MODULES}/csv-head"))["module"]
        source = os.path.join(self.tmp, "in.csv")
        dest = os.path.join(self.tmp, "out.csv")
        with open(source, "w") as f:
            f.write("a,b\n1,2\n3,4\n5,6\n")
        values = {"${inputs.table}": source, "${params.rows}": "2", "${outputs.head}": dest}
        argv = [values.get(arg, arg) for arg in head["runner"]["command"]]
        subprocess.run(argv, cwd=os.path.join(REPO, "modules", "csv-head"), check=True)
        with open(dest) as f:
            self.assertEqual(f.read(), "a,b\n1,2\n3,4\n")

        shell = self.ok(self.get(f"{MODULES}/shell"))["module"]
        out = os.path.join(self.tmp, "shell.out")
        script = 'echo hello > "$KILN_OUTPUT"'
        argv = [script if a == "${params.script}" else a for a in shell["runner"]["command"]]
        env = dict(os.environ, KILN_OUTPUT=out)
        self.assertEqual(shell["runner"]["env"], {"KILN_OUTPUT": "${outputs.out}"})
        subprocess.run(argv, env=env, check=True)
        with open(out) as f:
            self.assertEqual(f.read(), "hello\n")

    def test_catalog_lists_standard_path_and_published_modules(self):
        # The standard library (modules/ beside the binary's checkout) shows without publishing.
        before = {m["name"]: m for m in self.ok(self.get(MODULES))["modules"]}
        self.assertEqual(before["train-xgboost"]["origins"], ["standard"])
        self.assertIn("1.0.0", before["train-xgboost"]["versions"])
        shown = self.ok(self.get(f"{MODULES}/train-xgboost"))["module"]
        self.assertEqual(shown["origin"], "standard")
        self.assertEqual(shown["runner"]["kind"], "builtin")
        self.assertIn("name: train-xgboost", shown["manifest_yaml"])
        self.assertEqual([f["path"] for f in shown["files"]], ["module.yaml"])
        self.assertEqual(len(shown["files"][0]["digest"]), 64)
        self.assertTrue(any(p["name"] == "label" for p in shown["params"]))
        # Publishing the same files adds an origin, not a second entry.
        self.publish_ok(os.path.join(REPO, "modules", "csv-head"))
        after = {m["name"]: m for m in self.ok(self.get(MODULES))["modules"]}
        self.assertEqual(after["csv-head"]["origins"], ["standard", "published"])
        # A published-only module, and a version only the published layer has.
        name = uniq("pub")
        self.publish_ok(self.make_module(name, "2.0.0"))
        entry = next(m for m in self.ok(self.get(MODULES))["modules"] if m["name"] == name)
        self.assertEqual(entry["origins"], ["published"])
        self.assertEqual(self.ok(self.get(f"{MODULES}/{name}"))["module"]["origin"], "published")
        status, body = self.get(f"{MODULES}/train-xgboost", version="9.9.9")
        self.assertEqual(status, 404)
        self.assertIn("versions: 1.0.0", body["message"])
