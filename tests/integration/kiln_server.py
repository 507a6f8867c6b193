"""Start and drive a `kiln server` for the integration tests (standard library only).

KilnServer starts the binary on an ephemeral port in a temporary data dir, waits for the
ready line on stdout, and offers:
  call(method, path, body=None, query=None)  -> (status, parsed JSON or raw bytes)
  raw(method, raw_path, body=None, headers)  -> (status, headers, bytes); the path is sent
                                               byte for byte (no normalization, no quoting)
  stop() (SIGTERM), kill() (SIGKILL), restart() on the same data dir.

Every HTTP status >= 500 seen by call()/raw() is recorded in `server_errors` so that the
test base class can fail any test that provoked one (a client mistake must never give 5xx).
"""

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid

KILN_BIN = os.environ.get("KILN_BIN", "/work/main/build/kiln")
READY_RE = re.compile(r"^Kiln server listening on http://127\.0\.0\.1:(\d+)\s*$")
API = "/api/2.0/mlflow/"
AJAX = "/ajax-api/2.0/mlflow/"
ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts"


class ServerStartError(RuntimeError):
    pass


def now_ms():
    return int(time.time() * 1000)


def uniq(prefix="t"):
    """A fresh name so tests sharing one server never collide."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def _encode_query(query):
    if not query:
        return ""
    items = []
    for key, value in query.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for v in values:
            if isinstance(v, bool):
                v = "true" if v else "false"
            items.append((key, str(v)))
    return urllib.parse.urlencode(items)


def _parse_body(data, content_type):
    if not data:
        return {} if "json" in (content_type or "") else data
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return data


class KilnServer:
    def __init__(self, data_dir=None, extra_args=(), ready_timeout=10.0, binary=None, env=None):
        self.binary = binary or KILN_BIN
        self.env = dict(env or {})  # added to (or overriding) this process's environment
        self._own_dirs = []
        if data_dir is None:
            # A sandbox parent so traversal tests can check the levels above the data dir.
            sandbox = tempfile.mkdtemp(prefix="kiln-it-")
            self._own_dirs.append(sandbox)
            data_dir = os.path.join(sandbox, "data")
            os.makedirs(data_dir)
        self.data_dir = os.path.abspath(data_dir)
        self.log_path = os.path.join(os.path.dirname(self.data_dir), "server-%d.log" % id(self))
        self.extra_args = list(extra_args)
        self.ready_timeout = ready_timeout
        self.proc = None
        self.port = None
        self.startup_seconds = None
        self.server_errors = []  # (method, path, status, body) for every 5xx seen
        self.connection_failed = False
        self._log = None
        self._lock = threading.Lock()

    # ---- process control -------------------------------------------------------------

    def command(self):
        return [self.binary, "server", "--host", "127.0.0.1", "--port", "0",
                "--data", self.data_dir] + self.extra_args

    def start(self):
        if not os.path.exists(self.binary):
            raise ServerStartError(f"kiln binary not found at {self.binary} (set KILN_BIN)")
        self._log = open(self.log_path, "ab")
        t0 = time.monotonic()
        self.proc = subprocess.Popen(self.command(), stdout=subprocess.PIPE,
                                     stderr=self._log, stdin=subprocess.DEVNULL,
                                     env={**os.environ, **self.env})
        lines = []
        ready = threading.Event()

        def reader(proc=self.proc):
            for raw_line in proc.stdout:
                line = raw_line.decode("utf-8", "replace")
                if not ready.is_set():
                    lines.append(line)
                    m = READY_RE.match(line)
                    if m:
                        self.port = int(m.group(1))
                        ready.set()
            # kept draining until EOF so the server never blocks on a full pipe
            proc.stdout.close()

        self._reader = threading.Thread(target=reader, daemon=True)
        self._reader.start()
        deadline = t0 + self.ready_timeout
        while not ready.is_set():
            if self.proc.poll() is not None:
                raise ServerStartError(
                    f"kiln server exited with {self.proc.returncode} before ready; "
                    f"stdout={''.join(lines)!r}; log tail:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                self.kill()
                raise ServerStartError(
                    f"no ready line within {self.ready_timeout}s; stdout={''.join(lines)!r}; "
                    f"log tail:\n{self.log_tail()}")
            ready.wait(0.02)
        self.startup_seconds = time.monotonic() - t0
        non_ready = [ln for ln in lines if not READY_RE.match(ln)]
        self.stdout_before_ready = non_ready
        return self.startup_seconds

    def _reap(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise

    def stop(self, sig=signal.SIGTERM, timeout=10.0):
        """Sends `sig` and waits; returns the exit code (None if not running)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            code = self._reap(timeout)
        finally:
            self._close_log()
        return code

    def kill(self):
        """SIGKILL, like `kill -9`."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.kill()
        code = self.proc.wait()
        self._close_log()
        return code

    def restart(self):
        if self.proc is not None and self.proc.poll() is None:
            self.stop()
        return self.start()

    def revive(self):
        """If the process died, starts a new one on the same data dir. Returns the dead
        process's exit code (None if it was still alive)."""
        if self.proc is None or self.proc.poll() is None:
            return None
        code = self.proc.returncode
        self._close_log()
        self.start()
        return code

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def cleanup(self):
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.stop(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        for d in self._own_dirs:
            shutil.rmtree(d, ignore_errors=True)

    def _close_log(self):
        reader = getattr(self, "_reader", None)
        if reader is not None:
            reader.join(timeout=5)
            self._reader = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, n=40):
        try:
            with open(self.log_path, "rb") as f:
                return b"".join(f.readlines()[-n:]).decode("utf-8", "replace")
        except OSError:
            return ""

    # ---- HTTP ------------------------------------------------------------------------

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def connection(self, timeout=30):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def _record(self, method, path, status, data):
        if status >= 500:
            with self._lock:
                self.server_errors.append((method, path, status, data[:500]))

    def raw(self, method, raw_path, body=None, headers=None, timeout=30):
        """Sends `raw_path` exactly as given. Returns (status, headers dict, bytes)."""
        conn = self.connection(timeout)
        try:
            conn.putrequest(method, raw_path, skip_host=False, skip_accept_encoding=True)
            hdrs = dict(headers or {})
            if body is not None:
                if isinstance(body, str):
                    body = body.encode("utf-8")
                hdrs.setdefault("Content-Length", str(len(body)))
            elif method in ("POST", "PUT", "PATCH"):
                hdrs.setdefault("Content-Length", "0")
            for k, v in hdrs.items():
                conn.putheader(k, v)
            conn.endheaders()
            if body:
                conn.send(body)
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            self.connection_failed = True  # maybe the server died: tearDown checks
            raise
        finally:
            conn.close()
        self._record(method, raw_path, resp.status, data)
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data

    def post_ok(self, path, body):
        """POSTs an MLflow call that must succeed (for fixtures) and returns its JSON."""
        status, out = self.call("POST", path, body=body)
        assert status == 200, (path, status, out)
        return out

    def call(self, method, path, body=None, query=None, headers=None, prefix=API, timeout=30):
        """MLflow-client style request. `path` relative to `prefix` unless it starts with '/'.

        GET: `query` goes to the query string (lists as repeated keys). Other methods: `body`
        (a dict) is sent as JSON. Returns (status, parsed JSON or raw bytes)."""
        full = path if path.startswith("/") else prefix + path
        qs = _encode_query(query)
        if qs:
            full += ("&" if "?" in full else "?") + qs
        hdrs = dict(headers or {})
        data = None
        if body is not None:
            if isinstance(body, (bytes, str)):
                data = body.encode("utf-8") if isinstance(body, str) else body
            else:
                data = json.dumps(body).encode("utf-8")
            hdrs.setdefault("Content-Type", "application/json")
        status, rh, raw = self.raw(method, full, body=data, headers=hdrs, timeout=timeout)
        return status, _parse_body(raw, rh.get("content-type", ""))

    def get(self, endpoint, /, **query):
        return self.call("GET", endpoint, query=query)

    def post(self, path, body=None):
        return self.call("POST", path, body=body if body is not None else {})


class ServerTestCase(unittest.TestCase):
    """One server per test class; every test fails if it provoked any 5xx."""

    server_args = ()
    server_env = {}
    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        cls.server = KilnServer(extra_args=cls.server_args, env=cls.server_env)
        try:
            cls.server.start()
        except Exception:
            cls.server.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def setUp(self):
        self.server.server_errors.clear()
        self.server.connection_failed = False
        if not self.server.alive():
            self.server.revive()

    def tearDown(self):
        errs = list(self.server.server_errors)
        self.server.server_errors.clear()
        if self.server.connection_failed and self.server.alive():
            try:  # a dropped connection may be a dying server: give it a moment
                self.server.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                pass
        if not self.server.alive():
            tail = self.server.log_tail()
            code = self.server.revive()  # so one crash does not fail the rest of the class
            self.fail(f"the server died during this test (exit code {code}; negative = "
                      f"signal); server log tail:\n{tail}")
        if errs:
            self.fail(f"server answered 5xx: {errs}\nserver log tail:\n{self.server.log_tail()}")

    # ---- shortcuts -------------------------------------------------------------------

    def call(self, *a, **kw):
        return self.server.call(*a, **kw)

    def get(self, endpoint, /, **query):
        return self.server.call("GET", endpoint, query=query)

    def post(self, path, body=None):
        return self.server.call("POST", path, body=body if body is not None else {})

    def ok(self, resp, what=""):
        """Asserts 200 and a JSON object; returns the object."""
        status, body = resp
        self.assertEqual(status, 200, f"{what}: expected 200, got {status}: {body!r}")
        self.assertIsInstance(body, dict, f"{what}: expected a JSON object, got {body!r}")
        return body

    def assertError(self, resp, status=None, code=None, msg_contains=None, what=""):
        """Asserts a JSON MLflow error: < 500, error_code and message present.

        `status` / `code` may be a value or a tuple of accepted values."""
        st, body = resp
        self.assertLess(st, 500, f"{what}: 5xx for a client mistake: {st} {body!r}")
        self.assertGreaterEqual(st, 400, f"{what}: expected an error, got {st} {body!r}")
        if status is not None:
            accepted = status if isinstance(status, tuple) else (status,)
            self.assertIn(st, accepted, f"{what}: status {st} not in {accepted}: {body!r}")
        self.assertIsInstance(body, dict, f"{what}: error body is not JSON: {body!r}")
        self.assertIn("error_code", body, f"{what}: {body!r}")
        self.assertIn("message", body, f"{what}: {body!r}")
        self.assertIsInstance(body["message"], str)
        if code is not None:
            accepted = code if isinstance(code, tuple) else (code,)
            self.assertIn(body["error_code"], accepted, f"{what}: {body!r}")
        if msg_contains is not None:
            needles = msg_contains if isinstance(msg_contains, (list, tuple)) else [msg_contains]
            for needle in needles:
                self.assertIn(needle.lower(), body["message"].lower(), f"{what}: {body!r}")
        return body

    def assertInvalid(self, resp, msg_contains=None, what=""):
        return self.assertError(resp, 400, "INVALID_PARAMETER_VALUE", msg_contains, what)

    def assertNotFound(self, resp, msg_contains=None, what=""):
        return self.assertError(resp, 404, "RESOURCE_DOES_NOT_EXIST", msg_contains, what)

    # ---- entity helpers --------------------------------------------------------------

    def create_experiment(self, name=None, tags=None, **extra):
        body = {"name": name or uniq("exp")}
        if tags:
            body["tags"] = [{"key": k, "value": v} for k, v in tags.items()]
        body.update(extra)
        out = self.ok(self.post("experiments/create", body), "experiments/create")
        self.assertIsInstance(out.get("experiment_id"), str, out)
        return out["experiment_id"]

    def create_run(self, experiment_id, run_name=None, tags=None, start_time=None, **extra):
        body = {"experiment_id": experiment_id, "start_time": start_time or now_ms()}
        if run_name is not None:
            body["run_name"] = run_name
        if tags:
            body["tags"] = [{"key": k, "value": v} for k, v in tags.items()]
        body.update(extra)
        out = self.ok(self.post("runs/create", body), "runs/create")
        return out["run"]

    def get_run(self, run_id):
        return self.ok(self.get("runs/get", run_id=run_id), "runs/get")["run"]

    def log_batch(self, run_id, metrics=(), params=(), tags=()):
        body = {"run_id": run_id}
        if metrics:
            body["metrics"] = list(metrics)
        if params:
            body["params"] = list(params)
        if tags:
            body["tags"] = list(tags)
        return self.post("runs/log-batch", body)

    def metric_history(self, run_id, key):
        out = self.ok(self.get("metrics/get-history", run_id=run_id, metric_key=key))
        return out.get("metrics", [])


def kv(items):
    """[{key, value}] -> dict."""
    return {i["key"]: i["value"] for i in items or []}


def run_data(run):
    data = run.get("data", {})
    return {
        "metrics": {m["key"]: m for m in data.get("metrics", [])},
        "params": kv(data.get("params")),
        "tags": kv(data.get("tags")),
    }
