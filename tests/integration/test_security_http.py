"""The HTTP layer's defences (issue 13), each attack reproduced against a real `kiln server`:
drive-by requests from other origins' pages, DNS rebinding, non-JSON bodies on JSON routes,
CORS only for listed origins, security headers, connection and stream floods, trickled bodies,
request smuggling through Transfer-Encoding, internal errors that leak details, and log lines
forged through a parameter. Each test proves nothing ran, nothing changed in the store and the
server stayed responsive."""

import http.client
import json
import os
import re
import shutil
import socket
import tempfile
import threading
import time
import unittest

from kiln_server import KilnServer, ServerTestCase, uniq

RUNS = "/api/v1/pipeline-runs"
SCHEDULES = "/api/v1/schedules"
HEALTH = "/api/v1/health"
EVIL = "http://evil.example"

# An inline command step, as a drive-by page would submit it: it must never run.
MARKER_SPEC = """name: {name}
steps:
  pwn:
    command: [sh, -c, "touch '{marker}'"]
"""

SLEEP_SPEC = """name: {name}
steps:
  nap:
    command: [sh, -c, "sleep 30"]
"""


def get_from(port, path, source="127.0.0.1", timeout=1.0, headers=None):
    """GET from a chosen loopback address (each one is another client); returns the status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                      source_address=(source, 0))
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def with_host(port, method, path, host, body=None, headers=None):
    """Sends a request whose Host header is `host` (and no other); returns (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host)
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        data = body.encode() if isinstance(body, str) else body
        conn.putheader("Content-Length", str(len(data or b"")))
        conn.endheaders(data)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def send_raw(port, data, timeout=5.0):
    """Writes `data` on a fresh connection and returns all bytes until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except (socket.timeout, ConnectionResetError):
            chunks.append(b"<no close>")
        return b"".join(chunks)


class SecurityCase(ServerTestCase):
    """Helpers shared by the suites below."""

    def pipeline_dir(self):
        # Inside the data folder: where a server may let HTTP clients put pipelines.
        path = os.path.join(self.server.data_dir, "pipelines", uniq("p"))
        os.makedirs(path)
        self.addCleanup(shutil.rmtree, path, True)
        return path

    def marker_body(self, **extra):
        work = tempfile.mkdtemp(prefix="kiln-driveby-")
        self.addCleanup(shutil.rmtree, work, True)
        marker = os.path.join(work, "pwned")
        body = {"spec": MARKER_SPEC.format(name=uniq("driveby"), marker=marker),
                "file": "p.yaml", "base_dir": self.pipeline_dir(), **extra}
        return marker, json.dumps(body)

    def store_state(self):
        runs = self.ok(self.call("GET", RUNS, query={"max_results": 1000}))["runs"]
        schedules = self.ok(self.call("GET", SCHEDULES))["schedules"]
        return sorted(r["run_id"] for r in runs), sorted(s["schedule_id"] for s in schedules)

    def assert_nothing_happened(self, marker, before):
        time.sleep(1.5)  # a run that had started would have touched the marker by now
        self.assertFalse(os.path.exists(marker), "the command ran")
        self.assertEqual(self.store_state(), before, "the store changed")
        self.assertEqual(get_from(self.server.port, HEALTH), 200)

    def header_names(self, headers):
        return {k.lower(): v for k, v in headers.items()}


class DriveByTest(SecurityCase):
    def test_cross_origin_text_plain_pipeline_run_is_refused(self):
        # What fetch(..., {mode: "no-cors"}) and a text/plain form send: no preflight.
        marker, body = self.marker_body()
        before = self.store_state()
        for headers in ({"Content-Type": "text/plain", "Origin": EVIL},
                        {"Content-Type": "text/plain;charset=UTF-8", "Origin": "null"},
                        {"Content-Type": "text/plain", "Referer": EVIL + "/page.html"}):
            status, _, data = self.server.raw("POST", RUNS, body=body, headers=headers)
            self.assertEqual(status, 403, (headers, data))
            self.assertEqual(json.loads(data)["error_code"], "PERMISSION_DENIED")
        self.assert_nothing_happened(marker, before)

    def test_cross_origin_text_plain_schedule_is_refused(self):
        marker, body = self.marker_body(name=uniq("sched"), cron="* * * * *")
        before = self.store_state()
        status, _, data = self.server.raw("POST", SCHEDULES, body=body,
                                          headers={"Content-Type": "text/plain", "Origin": EVIL})
        self.assertEqual(status, 403, data)
        self.assertIn(EVIL, json.loads(data)["message"])
        self.assertIn("--cors-allowed-origins", json.loads(data)["message"])
        self.assert_nothing_happened(marker, before)

    def test_text_plain_without_origin_is_415(self):
        marker, body = self.marker_body()
        before = self.store_state()
        for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
            headers = {"Content-Type": content_type} if content_type else {}
            status, _, data = self.server.raw("POST", RUNS, body=body, headers=headers)
            self.assertEqual(status, 415, (content_type, data))
            if content_type:
                self.assertIn(content_type, json.loads(data)["message"])
        self.assert_nothing_happened(marker, before)

    def test_dns_rebinding_host_is_refused(self):
        marker, body = self.marker_body()
        before = self.store_state()
        port = self.server.port
        host = f"rebind.attacker.example:{port}"
        status, data = with_host(port, "GET", RUNS, host)
        self.assertEqual(status, 403, data)
        self.assertIn("rebind.attacker.example", json.loads(data)["message"])
        self.assertIn("--allowed-hosts", json.loads(data)["message"])
        status, data = with_host(port, "POST", RUNS, host, body=body,
                                 headers={"Content-Type": "application/json"})
        self.assertEqual(status, 403, data)
        self.assert_nothing_happened(marker, before)
        # The loopback names still work.
        for name in ("localhost", "127.0.0.1", "[::1]", "LOCALHOST"):
            status, data = with_host(port, "GET", HEALTH, f"{name}:{port}")
            self.assertEqual(status, 200, (name, data))

    def test_own_origin_and_plain_clients_pass(self):
        own = f"http://127.0.0.1:{self.server.port}"
        for headers in ({"Origin": own}, {"Referer": own + "/experiments"}, {}):
            status, body = self.call("POST", "experiments/create", body={"name": uniq("e")},
                                     headers=headers)
            self.assertEqual(status, 200, (headers, body))


class CorsDefaultTest(SecurityCase):
    def test_no_cors_answers_without_listed_origins(self):
        status, headers, _ = self.server.raw(
            "OPTIONS", RUNS, headers={"Origin": "https://app.example.com",
                                      "Access-Control-Request-Method": "POST"})
        self.assertEqual(status, 403)
        self.assertNotIn("access-control-allow-origin", headers)
        status, headers, _ = self.server.raw("GET", HEALTH,
                                             headers={"Origin": "https://app.example.com"})
        self.assertEqual(status, 200)
        self.assertNotIn("access-control-allow-origin", headers)


class CorsListedTest(SecurityCase):
    server_args = ("--cors-allowed-origins", "https://app.example.com,https://other.example")

    def test_preflight_and_answers_only_for_listed_origins(self):
        status, headers, _ = self.server.raw(
            "OPTIONS", "/api/2.0/mlflow/experiments/create",
            headers={"Origin": "https://app.example.com", "Access-Control-Request-Method": "POST",
                     "Access-Control-Request-Headers": "content-type"})
        self.assertEqual(status, 204)
        self.assertEqual(headers["access-control-allow-origin"], "https://app.example.com")
        self.assertIn("POST", headers["access-control-allow-methods"])
        self.assertIn("Content-Type", headers["access-control-allow-headers"])
        self.assertIn("Authorization", headers["access-control-allow-headers"])
        self.assertEqual(headers["vary"], "Origin")
        self.assertTrue(int(headers["access-control-max-age"]) > 0)

        status, body = self.call("POST", "experiments/create", body={"name": uniq("e")},
                                 headers={"Origin": "https://app.example.com"})
        self.assertEqual(status, 200, body)
        _, headers, _ = self.server.raw("GET", HEALTH, headers={"Origin": "https://other.example"})
        self.assertEqual(headers.get("access-control-allow-origin"), "https://other.example")
        self.assertIn("Origin", headers.get("vary", ""))

        status, headers, _ = self.server.raw(
            "OPTIONS", RUNS, headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"})
        self.assertEqual(status, 403)
        self.assertNotIn("access-control-allow-origin", headers)
        status, headers, _ = self.server.raw("GET", HEALTH, headers={"Origin": EVIL})
        self.assertEqual(status, 200)
        self.assertNotIn("access-control-allow-origin", headers)
        status, body = self.call("POST", "experiments/create", body={"name": uniq("e")},
                                 headers={"Origin": EVIL})
        self.assertEqual(status, 403, body)


class ContentTypeTest(SecurityCase):
    def test_json_routes_take_only_json(self):
        body = json.dumps({"name": uniq("e")})
        for content_type in ("text/plain", "multipart/form-data; boundary=x",
                             "application/x-www-form-urlencoded"):
            status, _, data = self.server.raw("POST", "/api/2.0/mlflow/experiments/create",
                                              body=body, headers={"Content-Type": content_type})
            self.assertEqual(status, 415, (content_type, data))
            self.assertIn(content_type.split(";")[0], json.loads(data)["message"])
        status, _, data = self.server.raw("POST", "/api/2.0/mlflow/experiments/create", body=body)
        self.assertEqual(status, 415, data)
        status, _, data = self.server.raw("GET", HEALTH, headers={"Content-Type": "text/plain"})
        self.assertEqual(status, 415, data)
        ok = {"Content-Type": "Application/JSON; charset=utf-8"}
        status, _, data = self.server.raw("POST", "/api/2.0/mlflow/experiments/create",
                                          body=body, headers=ok)
        self.assertEqual(status, 200, data)
        # A body-less POST (MLflow's client sends some) needs no type.
        status, _, data = self.server.raw("POST", f"{SCHEDULES}/nope/disable")
        self.assertEqual(status, 404, data)

    def test_serving_routes_take_what_mlflows_scoring_server_takes(self):
        body = json.dumps({"rows": [{"x": 1}]})
        for path in ("/serve/nope/predict", "/serve/nope/invocations", "/v2/models/nope/infer"):
            status, _, data = self.server.raw("POST", path, body=body,
                                              headers={"Content-Type": "text/plain"})
            self.assertEqual(status, 415, (path, data))
            for allowed in ("application/json", "text/csv"):
                status, _, data = self.server.raw("POST", path, body=body,
                                                  headers={"Content-Type": allowed})
                self.assertEqual(status, 404, (path, allowed, data))  # no such deployment


class SecurityHeadersTest(SecurityCase):
    @classmethod
    def setUpClass(cls):
        cls.ui = tempfile.mkdtemp(prefix="kiln-ui-")
        os.makedirs(os.path.join(cls.ui, "assets"))
        with open(os.path.join(cls.ui, "index.html"), "w") as f:
            f.write("<!doctype html><script type=module src=/assets/app.js></script>")
        with open(os.path.join(cls.ui, "assets", "app.js"), "w") as f:
            f.write("console.log('ui')")
        cls.server_args = ("--ui-dir", cls.ui)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.ui, ignore_errors=True)

    def assert_common(self, headers, what):
        self.assertEqual(headers.get("x-content-type-options"), "nosniff", what)
        self.assertEqual(headers.get("x-frame-options"), "DENY", what)
        self.assertIn(headers.get("referrer-policy"), ("no-referrer", "same-origin"), what)
        self.assertIn("frame-ancestors 'none'", headers.get("content-security-policy", ""), what)

    def test_api_ui_and_artifact_responses(self):
        for path in (HEALTH, "/api/v1/no-such-route", "/api/2.0/mlflow/experiments/list"):
            _, headers, _ = self.server.raw("GET", path)
            self.assert_common(headers, path)
            self.assertIn("default-src 'none'", headers["content-security-policy"], path)
            self.assertIn("sandbox", headers["content-security-policy"], path)
        for path in ("/", "/pipelines/x", "/assets/app.js"):
            status, headers, _ = self.server.raw("GET", path)
            self.assertEqual(status, 200, path)
            self.assert_common(headers, path)
            self.assertIn("script-src 'self'", headers["content-security-policy"], path)
            self.assertNotIn("unsafe-eval", headers["content-security-policy"], path)
        # An HTML page uploaded as an artifact must never run script on the server's origin.
        page = b"<html><script>fetch('/api/v1/pipeline-runs', {method: 'POST'})</script></html>"
        path = "/api/2.0/mlflow-artifacts/artifacts/0/" + uniq("r") + "/artifacts/page.html"
        status, _, data = self.server.raw("PUT", path, body=page)
        self.assertEqual(status, 200, data)
        status, headers, data = self.server.raw("GET", path)
        self.assertEqual((status, data), (200, page))
        self.assert_common(headers, "artifact")
        self.assertIn("sandbox", headers["content-security-policy"])
        self.assertIn("default-src 'none'", headers["content-security-policy"])


class FloodServer(KilnServer):
    """A server allowed 1024 open files, as many machines are by default."""

    def command(self):
        return ["prlimit", "--nofile=1024:1024", "--"] + super().command()


class ConnectionFloodTest(SecurityCase):
    @classmethod
    def setUpClass(cls):
        if shutil.which("prlimit") is None:
            raise unittest.SkipTest("prlimit (util-linux) is not installed")
        cls.server = FloodServer()
        try:
            cls.server.start()
        except Exception:
            cls.server.cleanup()
            raise

    def test_idle_connections_from_one_client_lock_out_nobody_else(self):
        flood = []
        self.addCleanup(lambda: [s.close() for s in flood])
        # More than the server may keep open: on a server without caps, accept() fails on the
        # file limit and every new client waits.
        for _ in range(1100):
            try:
                flood.append(socket.create_connection(("127.0.0.1", self.server.port),
                                                      timeout=2))
            except OSError:
                break
        start = time.monotonic()
        self.assertEqual(get_from(self.server.port, HEALTH, source="127.0.0.2"), 200)
        self.assertLess(time.monotonic() - start, 1.0)
        for s in flood:
            s.close()
        flood.clear()
        deadline = time.monotonic() + 5
        status = None
        while status != 200 and time.monotonic() < deadline:  # it sees the closes at once
            try:
                start = time.monotonic()
                status = get_from(self.server.port, HEALTH, source="127.0.0.1")
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)
        self.assertEqual(status, 200)
        self.assertLess(time.monotonic() - start, 1.0)
        log = self.server.log_tail(400)
        refusals = [line for line in log.splitlines() if "refused" in line and "connection" in line]
        self.assertTrue(refusals, log[-2000:])
        self.assertLessEqual(len(refusals), 2, refusals)  # rate-limited, with a count
        self.assertRegex(refusals[0], r"refused \d+ connection")
        self.assertIn("--max-connections-per-client", refusals[0])


class StreamCapTest(SecurityCase):
    def test_one_client_cannot_take_every_event_stream(self):
        body = {"spec": SLEEP_SPEC.format(name=uniq("nap")), "file": "p.yaml",
                "base_dir": self.pipeline_dir(), "use_cache": False}
        run_id = self.ok(self.call("POST", RUNS, body=body))["runs"][0]["run_id"]
        self.addCleanup(self.call, "POST", f"{RUNS}/{run_id}/cancel", body={})
        open_ones = []  # a response owns its connection's socket: keep both
        self.addCleanup(lambda: [c.close() for c in open_ones])

        def open_stream(source):
            conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10,
                                              source_address=(source, 0))
            conn.request("GET", f"{RUNS}/{run_id}/events")
            response = conn.getresponse()
            open_ones.extend([conn, response])
            return response

        for i in range(16):
            response = open_stream("127.0.0.1")
            self.assertEqual(response.status, 200, i)
        refused = open_stream("127.0.0.1")
        self.assertEqual(refused.status, 503)
        self.assertIn("from this client", json.loads(refused.read())["message"])
        self.server.server_errors.clear()  # the 503 is the point
        self.assertEqual(open_stream("127.0.0.2").status, 200)
        self.assertEqual(get_from(self.server.port, HEALTH), 200)


class SlowBodyTest(SecurityCase):
    def test_trickled_body_is_cut_off_while_uploads_work(self):
        sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=40)
        self.addCleanup(sock.close)
        sock.sendall(b"POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
        stop = threading.Event()

        def trickle():
            while not stop.wait(1.0):
                try:
                    sock.sendall(b" ")
                except OSError:
                    return

        threading.Thread(target=trickle, daemon=True).start()
        self.addCleanup(stop.set)
        start = time.monotonic()
        # Meanwhile the server answers others at once.
        for _ in range(3):
            t = time.monotonic()
            self.assertEqual(get_from(self.server.port, HEALTH), 200)
            self.assertLess(time.monotonic() - t, 1.0)
            time.sleep(1)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
        elapsed = time.monotonic() - start
        stop.set()
        self.assertTrue(answer.startswith(b"HTTP/1.1 408"), answer)
        self.assertLess(elapsed, 30)
        t = time.monotonic()
        self.assertEqual(get_from(self.server.port, HEALTH), 200)
        self.assertLess(time.monotonic() - t, 1.0)
        # An upload at normal speed is not cut off.
        blob = os.urandom(32 << 20)
        path = "/api/2.0/mlflow-artifacts/artifacts/0/" + uniq("r") + "/artifacts/big.bin"
        status, _, data = self.server.raw("PUT", path, body=blob, timeout=60)
        self.assertEqual(status, 200, data)


class BodyLimitTest(SecurityCase):
    def test_mlflow_json_routes_refuse_large_bodies_on_the_header(self):
        # Refused before the body is read: the client never sends its 17 MiB.
        header = (b"POST /api/2.0/mlflow/runs/log-batch HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (17 << 20))
        answer = send_raw(self.server.port, header)
        self.assertTrue(answer.startswith(b"HTTP/1.1 413"), answer)
        self.assertIn(b"16777216 bytes", answer)


class TransferEncodingTest(SecurityCase):
    def test_unsupported_codings_are_400_and_no_second_request_is_served(self):
        for coding in ("gzip", "gzip, chunked", "chunked, gzip", "identity"):
            name = uniq("smuggled")
            inner = json.dumps({"name": name}).encode()
            smuggled = (b"POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\n"
                        b"Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        b"Content-Length: %d\r\n\r\n%s" % (len(inner), inner))
            request = (b"POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\n"
                       b"Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
                       b"Transfer-Encoding: " + coding.encode() + b"\r\n\r\n" + smuggled)
            answer = send_raw(self.server.port, request)
            self.assertTrue(answer.startswith(b"HTTP/1.1 400"), (coding, answer))
            self.assertEqual(answer.count(b"HTTP/1.1 "), 1, (coding, answer))
            self.assertNotIn(b"<no close>", answer, coding)
            self.assertError(self.get("experiments/get-by-name", experiment_name=name), 404,
                             what=coding)
        both = (b"POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                b"Content-Length: 4\r\n\r\n0\r\n\r\n")
        self.assertTrue(send_raw(self.server.port, both).startswith(b"HTTP/1.1 400"))


class InternalErrorTest(SecurityCase):
    def test_a_real_internal_failure_says_only_internal_error(self):
        # The artifact store writes through its temporary folder; a file in its place makes
        # every write fail inside the server, with the folder's absolute path in the error.
        tmp = os.path.join(self.server.data_dir, "artifacts", "tmp")
        moved = tmp + ".moved"
        os.rename(tmp, moved)
        with open(tmp, "w") as f:
            f.write("in the way")

        def restore():
            os.remove(tmp)
            os.rename(moved, tmp)

        self.addCleanup(restore)
        path = "/api/2.0/mlflow-artifacts/artifacts/0/" + uniq("r") + "/artifacts/x.txt"
        status, headers, data = self.server.raw("PUT", path, body=b"hello")
        self.server.server_errors.clear()  # the 500 is the point
        self.assertEqual(status, 500, data)
        body = json.loads(data)
        request_id = body["request_id"]
        self.assertEqual(body, {"error_code": "INTERNAL_ERROR", "request_id": request_id,
                                "message": f"Internal error (request id {request_id})"})
        self.assertEqual(headers.get("x-request-id"), request_id)
        self.assertNotIn(self.server.data_dir.encode(), data)
        time.sleep(0.2)
        details = [line for line in self.server.log_tail(50).splitlines() if request_id in line]
        self.assertTrue(details, self.server.log_tail(50))
        self.assertIn("temporary", details[0])


class LogForgingTest(SecurityCase):
    LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3} \S+ ")

    def test_newlines_in_parameters_never_forge_a_log_line(self):
        forged = "\n2026-01-01T00:00:00.000 info POST /api/v1/admin/grant 200 0.10"
        exp = self.create_experiment(uniq("e") + forged)
        run = self.create_run(exp, run_name="r" + forged)
        self.log_batch(run["info"]["run_id"], params=[{"key": "p", "value": "v" + forged}],
                       tags=[{"key": "t", "value": "v" + forged}])
        self.post("runs/search", {"experiment_ids": [exp],
                                  "filter": "params.p = 'x" + forged + "'"})
        self.call("POST", RUNS, body={"spec": MARKER_SPEC.format(name="x", marker="/nonexistent")
                                      + forged, "file": "p.yaml" + forged,
                                      "base_dir": self.pipeline_dir(), "overrides": ["a=" + forged]})
        self.server.raw("GET", "/api/v1/runs/%0A2026-01-01T00:00:00.000%20info%20forged")
        time.sleep(0.3)
        for line in self.server.log_tail(400).splitlines():
            self.assertRegex(line, self.LINE, "a line that is not the server's own")
            self.assertFalse(line.startswith("2026-01-01T00:00:00.000"), f"forged: {line}")


if __name__ == "__main__":
    unittest.main()
