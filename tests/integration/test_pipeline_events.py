"""GET /api/v1/pipeline-runs/{run_id}/events: Server-Sent Events of a pipeline run on a real
`kiln server`, read with http.client (standard library only): step state changes, step log
lines as they are written, the final `end` event, finished runs, filters and errors."""

import http.client
import json
import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiln_server import ServerTestCase

RUNS = "/api/v1/pipeline-runs"

SLOW_SPEC = """name: sse
steps:
  talk:
    command: [sh, -c, "for i in 1 2 3; do echo line$i; sleep 0.3; done; echo x > ${outputs.out}"]
    outputs: {out: file}
  after:
    command: [sh, -c, "echo done-after"]
    inputs: {x: talk.out}
"""

# line1, then a long pause: line1 must reach the client while the step still runs.
PAUSING_SPEC = """name: sse-pause
steps:
  talk:
    command: [sh, -c, "echo line1; sleep 3; echo line2; echo line3"]
"""

FAILING_SPEC = """name: sse-fail
steps:
  boom:
    command: [sh, -c, "echo about-to-fail; printf 'no newline'; exit 3"]
"""


def read_events(response, deadline):
    """Parses an event stream until it ends -> [(event, data)] plus comment lines seen."""
    events, comments = [], []
    name, data = None, []
    while time.monotonic() < deadline:
        raw = response.readline()
        if not raw:
            break
        line = raw.decode("utf-8").rstrip("\n")
        if line.startswith(":"):
            comments.append(line)
        elif line.startswith("event: "):
            name = line[len("event: "):]
        elif line.startswith("data: "):
            data.append(line[len("data: "):])
        elif line == "" and name is not None:
            events.append((name, json.loads("\n".join(data))))
            name, data = None, []
    return events, comments


class RunTestCase(ServerTestCase):
    """Submits pipelines to the server and waits for them."""

    # Pipelines sent over HTTP must lie in the server's pipeline roots; these tests keep theirs
    # in temporary folders.
    server_args = ("--pipeline-roots", tempfile.gettempdir())

    def setUp(self):
        super().setUp()
        self.dir = tempfile.mkdtemp(prefix="kiln-sse-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def submit(self, spec):
        body = {"spec": spec, "file": "p.yaml", "base_dir": self.dir, "use_cache": False}
        out = self.ok(self.call("POST", RUNS, body=body), "submit")
        return out["runs"][0]["run_id"]

    def wait_final(self, run_id):
        for _ in range(300):
            run = self.ok(self.call("GET", f"{RUNS}/{run_id}"))
            if run["status"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
                return run
            time.sleep(0.1)
        self.fail(f"run {run_id} did not finish")


class PipelineEventsTest(RunTestCase):
    def open_stream(self, run_id, query=""):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        self.addCleanup(conn.close)
        conn.request("GET", f"{RUNS}/{run_id}/events{query}")
        return conn, conn.getresponse()

    def stream(self, run_id, query="", timeout=30):
        conn, response = self.open_stream(run_id, query)
        if response.status != 200:  # the message must not consume a stream's body
            self.fail(f"expected a stream, got {response.status}: {response.read()!r}")
        self.assertTrue(response.getheader("Content-Type").startswith("text/event-stream"))
        started = time.monotonic()
        events, _ = read_events(response, started + timeout)
        return events, time.monotonic() - started

    def test_live_run_streams_steps_logs_and_end(self):
        run_id = self.submit(SLOW_SPEC)
        events, _ = self.stream(run_id)
        names = [name for name, _ in events]
        self.assertEqual(names[-1], "end", events)
        self.assertEqual(events[-1][1], {"status": "SUCCEEDED", "error": ""})
        talk_lines = [d["line"] for n, d in events if n == "log" and d["step"] == "talk"]
        self.assertEqual(talk_lines, ["line1", "line2", "line3"], events)
        after_lines = [d["line"] for n, d in events if n == "log" and d["step"] == "after"]
        self.assertEqual(after_lines, ["done-after"], events)
        talk = [d for n, d in events if n == "step" and d["step"] == "talk"]
        self.assertEqual([d["status"] for d in talk], ["RUNNING", "SUCCEEDED"], talk)
        self.assertEqual(talk[0]["attempt"], 1)
        self.assertGreaterEqual(talk[1]["elapsed_ms"], 500, talk)
        for d in talk:
            self.assertEqual(set(d), {"step", "status", "attempt", "message", "elapsed_ms"})
        # a step's lines come after it started and before it finished
        index = {(n, d.get("step"), d.get("status"), d.get("line")): i
                 for i, (n, d) in enumerate(events)}
        started = index[("step", "talk", "RUNNING", None)]
        finished = index[("step", "talk", "SUCCEEDED", None)]
        self.assertLess(started, index[("log", "talk", None, "line1")])
        self.assertLess(index[("log", "talk", None, "line3")], finished)

    def test_lines_arrive_while_the_step_runs(self):
        run_id = self.submit(PAUSING_SPEC)
        conn, response = self.open_stream(run_id, "?step=talk")
        self.assertEqual(response.status, 200)
        seen_first_at = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            raw = response.readline()
            if not raw:
                break
            if b'"line1"' in raw:
                seen_first_at = time.monotonic()
                break
        self.assertIsNotNone(seen_first_at, "line1 never came")
        # line1 is streamed before the step (about 3 s) is over
        run = self.ok(self.call("GET", f"{RUNS}/{run_id}"))
        talk = [s for s in run["steps"] if s["step"] == "talk"][0]
        self.assertEqual(talk["status"], "RUNNING", run)
        events, _ = read_events(response, time.monotonic() + 30)
        self.assertEqual(events[-1][0], "end")
        logs = [d for n, d in events if n == "log"]
        self.assertEqual([d["line"] for d in logs], ["line2", "line3"])

    def test_finished_run_gets_final_states_and_end_at_once(self):
        run_id = self.submit(SLOW_SPEC)
        self.wait_final(run_id)
        events, seconds = self.stream(run_id, "?logs=0")
        self.assertLess(seconds, 3, events)
        self.assertEqual(events[-1], ("end", {"status": "SUCCEEDED", "error": ""}))
        self.assertFalse([e for e in events if e[0] == "log"], events)
        final = {d["step"]: d["status"] for n, d in events if n == "step"}
        self.assertEqual(final, {"talk": "SUCCEEDED", "after": "SUCCEEDED"})

    def test_failed_run_flushes_partial_line_and_reports_error(self):
        run_id = self.submit(FAILING_SPEC)
        events, _ = self.stream(run_id)
        lines = [d["line"] for n, d in events if n == "log"]
        self.assertEqual(lines, ["about-to-fail", "no newline"], events)
        name, end = events[-1]
        self.assertEqual(name, "end")
        self.assertEqual(end["status"], "FAILED", end)
        boom = [d for n, d in events if n == "step" and d["status"] == "FAILED"]
        self.assertEqual(len(boom), 1, events)

    def test_unknown_run_or_step_is_404_json(self):
        status, body = self.call("GET", f"{RUNS}/no-such-run/events")
        self.assertEqual(status, 404, body)
        self.assertEqual(body["error_code"], "RESOURCE_DOES_NOT_EXIST")
        run_id = self.submit(SLOW_SPEC)
        status, body = self.call("GET", f"{RUNS}/{run_id}/events", query={"step": "nope"})
        self.assertEqual(status, 404, body)
        status, body = self.call("GET", f"{RUNS}/{run_id}/events", query={"logs": "maybe"})
        self.assertEqual(status, 400, body)
        self.wait_final(run_id)

    def test_client_leaving_mid_stream_leaves_the_server_healthy(self):
        run_id = self.submit(SLOW_SPEC)
        for _ in range(5):
            conn, response = self.open_stream(run_id)
            self.assertEqual(response.status, 200)
            response.readline()
            conn.close()
        self.wait_final(run_id)
        events, _ = self.stream(run_id)
        self.assertEqual(events[-1][0], "end")
        self.ok(self.call("GET", f"{RUNS}/{run_id}"))


class PipelineChangesTest(RunTestCase):
    """GET /api/v1/pipeline-runs/{run_id}/changes: the long-polled JSON change feed that
    `kiln run` follows."""

    def changes(self, run_id, **query):
        return self.ok(self.call("GET", f"{RUNS}/{run_id}/changes",
                                 query={k: str(v) for k, v in query.items()}), "changes")

    def follow(self, run_id):
        events, cursor = [], 0
        for _ in range(200):
            out = self.changes(run_id, **{"from": cursor, "wait_ms": 2000})
            self.assertTrue(out["live"], out)
            self.assertGreaterEqual(out["next"], cursor)
            events += out["events"]
            cursor = out["next"]
            if out["finished"]:
                return events, cursor
        self.fail(f"run {run_id} never finished: {events}")

    def test_feed_reports_every_change_in_order_once(self):
        run_id = self.submit(SLOW_SPEC)
        events, cursor = self.follow(run_id)
        kinds = [(e["type"], e["step"], e["status"]) for e in events]
        self.assertEqual(kinds, [
            ("step_started", "talk", "RUNNING"), ("step_finished", "talk", "SUCCEEDED"),
            ("step_started", "after", "RUNNING"), ("step_finished", "after", "SUCCEEDED"),
            ("run_finished", "", "SUCCEEDED")])
        self.assertGreaterEqual(events[1]["elapsed_ms"], 500)
        # asking again from the end: nothing new, at once
        started = time.monotonic()
        again = self.changes(run_id, **{"from": cursor, "wait_ms": 5000})
        self.assertLess(time.monotonic() - started, 3)
        self.assertEqual(again["events"], [])
        self.assertTrue(again["finished"])
        # and from the start: the same events again
        self.assertEqual(self.changes(run_id)["events"], events)

    def test_long_poll_waits_for_the_next_event(self):
        run_id = self.submit(PAUSING_SPEC)
        first = self.changes(run_id, **{"from": 0, "wait_ms": 5000})
        self.assertEqual(first["events"][0]["type"], "step_started", first)
        started = time.monotonic()
        out = self.changes(run_id, **{"from": first["next"], "wait_ms": 10000})
        waited = time.monotonic() - started
        # the step sleeps about 3 s: the answer came when it ended, not at once, not at 10 s
        self.assertGreater(waited, 1.0, out)
        self.assertLess(waited, 9.0, out)
        self.assertEqual(out["events"][0]["type"], "step_finished", out)
        self.wait_final(run_id)

    def test_failed_step_carries_its_log_tail(self):
        run_id = self.submit(FAILING_SPEC)
        events, _ = self.follow(run_id)
        failed = [e for e in events if e["type"] == "step_finished"][0]
        self.assertEqual(failed["status"], "FAILED")
        self.assertIn("about-to-fail", failed["log_tail"])
        self.assertEqual(events[-1]["status"], "FAILED")
        self.assertIn("boom", events[-1]["message"])

    def test_bad_arguments_are_400_and_unknown_runs_404(self):
        status, body = self.call("GET", f"{RUNS}/no-such-run/changes")
        self.assertEqual(status, 404, body)
        run_id = self.submit(SLOW_SPEC)
        for query, field in [({"from": "-1"}, "from"), ({"from": "x"}, "from"),
                             ({"wait_ms": "10001"}, "wait_ms"), ({"wait_ms": "-5"}, "wait_ms")]:
            status, body = self.call("GET", f"{RUNS}/{run_id}/changes", query=query)
            self.assertEqual(status, 400, (query, body))
            self.assertIn(field, body["message"], (query, body))
        self.wait_final(run_id)

    def test_run_unknown_to_this_server_is_not_live(self):
        run_id = self.submit(SLOW_SPEC)
        self.wait_final(run_id)
        self.server.restart()
        out = self.changes(run_id, **{"wait_ms": 5000})
        self.assertEqual(out, {"events": [], "next": 0, "finished": True, "live": False})


if __name__ == "__main__":
    unittest.main()
