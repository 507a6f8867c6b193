"""Schedules: `kiln schedule add|ls|rm|run` against a real server, the /api/v1/schedules
routes (4xx for bad input, never 5xx), "run now", and one schedule firing on its own."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import time

from kiln_server import KILN_BIN, ServerTestCase, uniq

PIPELINE = """name: {name}
steps:
  hello:
    command: [sh, -c, "echo scheduled hello"]
"""

RUNS = "/api/v1/pipeline-runs"
SCHEDULES = "/api/v1/schedules"


def kiln(*args):
    return subprocess.run([KILN_BIN, *args], capture_output=True, text=True, timeout=60)


class ScheduleTest(ServerTestCase):
    # Pipelines sent over HTTP must lie in the server's pipeline roots; these tests keep theirs
    # in temporary folders.
    server_args = ("--pipeline-roots", tempfile.gettempdir())

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = tempfile.mkdtemp(prefix="kiln-sched-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.project, ignore_errors=True)
        super().tearDownClass()

    def write_pipeline(self, text=None):
        name = uniq("pipe")
        path = os.path.join(self.project, name + ".yaml")
        with open(path, "w") as f:
            f.write(text if text is not None else PIPELINE.format(name=name))
        return path, name

    def remote(self, *args):
        return kiln("schedule", *args, "--server", self.server.base_url)

    def add(self, cron="0 3 * * *", *extra):
        path, pipeline = self.write_pipeline()
        name = uniq("sched")
        result = self.remote("add", path, "--cron", cron, "--name", name, *extra)
        self.assertEqual(result.returncode, 0, result.stderr)
        return name

    def schedule(self, name):
        return self.ok(self.call("GET", f"{SCHEDULES}/{name}"))

    def wait_final(self, run_id, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run = self.ok(self.call("GET", f"{RUNS}/{run_id}"))
            if run["status"] not in ("PENDING", "RUNNING"):
                return run
            time.sleep(0.2)
        self.fail(f"run {run_id} did not finish within {timeout}s")

    # ---- CLI -------------------------------------------------------------------------

    def test_add_ls_rm(self):
        name = self.add("0 3 * * *")
        ls = self.remote("ls")
        self.assertEqual(ls.returncode, 0, ls.stderr)
        self.assertIn("NEXT RUN (UTC)", ls.stdout.splitlines()[0])
        line = next(ln for ln in ls.stdout.splitlines() if name in ln)
        self.assertIn("0 3 * * *", line)
        self.assertRegex(line, r"\d{4}-\d\d-\d\dT03:00:00Z")
        self.assertIn("yes", line)
        listed = json.loads(self.remote("ls", "--json").stdout)
        mine = [s for s in listed["schedules"] if s["name"] == name]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["cron"], "0 3 * * *")
        self.assertFalse(mine[0]["allow_overlap"])
        self.assertEqual(mine[0]["next_fire_ms"] % 60000, 0)
        rm = self.remote("rm", name)
        self.assertEqual(rm.returncode, 0, rm.stderr)
        self.assertNotIn(name, self.remote("ls").stdout)
        again = self.remote("rm", name)
        self.assertEqual(again.returncode, 2)
        self.assertIn(name, again.stderr)

    def test_name_defaults_to_the_pipeline_and_duplicates_exit_2(self):
        path, pipeline = self.write_pipeline()
        first = self.remote("add", path, "--cron", "@daily", "--disabled", "--allow-overlap")
        self.assertEqual(first.returncode, 0, first.stderr)
        s = self.schedule(pipeline)
        self.assertFalse(s["enabled"])
        self.assertTrue(s["allow_overlap"])
        dup = self.remote("add", path, "--cron", "@daily")
        self.assertEqual(dup.returncode, 2, dup.stderr)
        self.assertIn("already exists", dup.stderr)

    def test_bad_cron_exits_2_naming_field_and_value(self):
        path, _ = self.write_pipeline()
        result = self.remote("add", path, "--cron", "0 25 * * *", "--name", uniq("s"))
        self.assertEqual(result.returncode, 2)
        self.assertIn("hour", result.stderr)
        self.assertIn("25", result.stderr)

    def test_user_mistakes_exit_2(self):
        path, _ = self.write_pipeline()
        missing = self.remote("add", os.path.join(self.project, "nope.yaml"), "--cron", "@daily")
        self.assertEqual(missing.returncode, 2)
        self.assertIn("nope.yaml", missing.stderr)
        bad_name = self.remote("add", path, "--cron", "@daily", "--name", "has space")
        self.assertEqual(bad_name.returncode, 2)
        self.assertIn("has space", bad_name.stderr)
        no_cron = self.remote("add", path)
        self.assertEqual(no_cron.returncode, 2)
        broken, _ = self.write_pipeline("name: x\nsteps:\n  a:\n    bogus: 1\n")
        spec = self.remote("add", broken, "--cron", "@daily", "--name", uniq("s"))
        self.assertEqual(spec.returncode, 2)
        self.assertRegex(spec.stderr, re.escape(broken) + r":\d+:\d+:")
        unknown = self.remote("run", uniq("nobody"))
        self.assertEqual(unknown.returncode, 2)

    def test_run_now_starts_a_run_that_succeeds(self):
        name = self.add("0 3 1 1 *")
        result = self.remote("run", name)
        self.assertEqual(result.returncode, 0, result.stderr)
        run_id = re.search(r"pipeline run ([0-9a-f]{32})", result.stdout).group(1)
        run = self.wait_final(run_id)
        self.assertEqual(run["status"], "SUCCEEDED", run)
        s = self.schedule(name)
        self.assertEqual(run["schedule_id"], s["schedule_id"])
        self.assertEqual(s["last_run_id"], run_id)
        listed = self.ok(self.call("GET", RUNS, query={"schedule_id": s["schedule_id"]}))
        self.assertEqual([r["run_id"] for r in listed["runs"]], [run_id])

    # ---- HTTP ------------------------------------------------------------------------

    def test_http_create_get_enable_disable_delete(self):
        name = uniq("api")
        body = {"name": name, "cron": "*/10 * * * *", "spec": PIPELINE.format(name="p"),
                "file": "p.yaml", "base_dir": self.project, "overrides": []}
        s = self.ok(self.call("POST", SCHEDULES, body=body))
        self.assertEqual(s["name"], name)
        self.assertEqual(s["last_run_id"], "")
        for key in (name, s["schedule_id"]):
            got = self.schedule(key)
            self.assertEqual(got["schedule_id"], s["schedule_id"])
            self.assertIn("spec", got)
        off = self.ok(self.call("POST", f"{SCHEDULES}/{name}/disable", body={}))
        self.assertFalse(off["enabled"])
        on = self.ok(self.call("POST", f"{SCHEDULES}/{name}/enable", body={}))
        self.assertTrue(on["enabled"])
        self.ok(self.call("DELETE", f"{SCHEDULES}/{name}"))
        self.assertNotFound(self.call("GET", f"{SCHEDULES}/{name}"))

    def test_http_errors_are_4xx(self):
        good = {"name": uniq("e"), "cron": "@hourly", "spec": PIPELINE.format(name="p"),
                "base_dir": self.project}
        cases = [
            ({k: v for k, v in good.items() if k != "cron"}, "cron"),
            ({k: v for k, v in good.items() if k != "spec"}, "spec"),
            ({**good, "cron": "61 * * * *"}, "61"),
            ({**good, "cron": "* * *"}, "cron"),
            ({**good, "name": "a/b"}, "a/b"),
            ({**good, "base_dir": "relative"}, "base_dir"),
            ({**good, "overrides": [1]}, "overrides"),
            ({**good, "overrides": ["lr=1,2"]}, "sweep"),
            ({**good, "allow_overlap": "maybe"}, "allow_overlap"),
            ({**good, "spec": "name: [unclosed"}, "pipeline.yaml"),
        ]
        for body, word in cases:
            self.assertInvalid(self.call("POST", SCHEDULES, body=body), msg_contains=word,
                               what=json.dumps(body)[:80])
        status, _ = self.call("POST", SCHEDULES, body="{not json")
        self.assertEqual(status, 400)
        missing = uniq("missing")
        for method, suffix in (("GET", ""), ("DELETE", ""), ("POST", "/delete"),
                               ("POST", "/enable"), ("POST", "/disable"), ("POST", "/run")):
            body = {} if method == "POST" else None
            self.assertNotFound(self.call(method, f"{SCHEDULES}/{missing}{suffix}", body=body),
                                msg_contains=missing)

    # ---- the clock -------------------------------------------------------------------

    def test_every_minute_schedule_fires_on_its_own(self):
        name = self.add("* * * * *")
        schedule_id = self.schedule(name)["schedule_id"]
        deadline = time.monotonic() + 75
        runs = []
        while time.monotonic() < deadline and not runs:
            time.sleep(1)
            runs = self.ok(self.call("GET", RUNS, query={"schedule_id": schedule_id}))["runs"]
        self.assertTrue(runs, "the schedule did not fire within 75 s")
        self.remote("rm", name)
        run = self.wait_final(runs[-1]["run_id"])
        self.assertEqual(run["status"], "SUCCEEDED", run)
        self.assertEqual(self.schedule_or_none(schedule_id), None)

    def schedule_or_none(self, key):
        status, body = self.call("GET", f"{SCHEDULES}/{key}")
        return body if status == 200 else None
