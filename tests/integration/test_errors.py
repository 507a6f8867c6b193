"""Client mistakes: malformed JSON, wrong types, missing fields, unknown ids, unknown
endpoints, oversized bodies, protocol garbage. Never a 5xx, always a JSON error, and the
server keeps serving.

References: mlflow/server/handlers.py (_get_request_message + _validate_param_against_schema:
a field of the wrong type -> INVALID_PARAMETER_VALUE "Invalid value ... for parameter
'<field>'", a missing required field -> "Missing value for required parameter '<field>'");
mlflow/protos/databricks.proto error codes and their HTTP statuses
(mlflow/exceptions.py ERROR_CODE_TO_HTTP_STATUS). Kiln contract: ENDPOINT_NOT_FOUND 404 for
unknown routes, 413 with a JSON error above --max-body-mb.
"""

import json
import socket
import time
import unittest

from kiln_server import API, ServerTestCase, now_ms, uniq

BAD_JSON_CODES = ("BAD_REQUEST", "INVALID_PARAMETER_VALUE", "MALFORMED_REQUEST")


class ErrorTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        st, body = cls.server.call("POST", "experiments/create", body={"name": uniq("err")})
        assert st == 200, body
        cls.exp_id = body["experiment_id"]
        st, body = cls.server.call("POST", "runs/create",
                                   body={"experiment_id": cls.exp_id, "start_time": now_ms()})
        assert st == 200, body
        cls.run_id = body["run"]["info"]["run_id"]
        st, body = cls.server.call("POST", "registered-models/create",
                                   body={"name": uniq("errmodel")})
        assert st == 200, body
        cls.model = body["registered_model"]["name"]

    def raw_json(self, method, path, payload, content_type="application/json"):
        status, headers, data = self.server.raw(method, API + path, body=payload,
                                                headers={"Content-Type": content_type})
        try:
            parsed = json.loads(data) if data else data
        except ValueError:
            parsed = data
        return status, parsed

    def assertAlive(self):
        self.ok(self.get("experiments/get", experiment_id="0"), "server still serving")

    def assertNo5xx(self, resp, what=""):
        st, body = resp
        self.assertLess(st, 500, f"{what}: {st} {body!r}")
        if st >= 400:
            self.assertIsInstance(body, dict, f"{what}: {body!r}")
            self.assertIn("error_code", body)

    # ---- malformed bodies ------------------------------------------------------------

    def test_malformed_json(self):
        name = uniq("never")
        cases = [
            ("POST", "experiments/create", '{"name": "%s"' % name),
            ("POST", "experiments/create", "{name: 'x'}"),
            ("POST", "experiments/create", "not json at all"),
            ("POST", "runs/create", '{"experiment_id": "0", "start_time": }'),
            ("POST", "runs/log-batch", '{"run_id": "%s", "metrics": [' % self.run_id),
            ("POST", "runs/log-metric", '{"run_id": "%s", "key": "m", "value": 1,,}'
             % self.run_id),
            ("POST", "registered-models/create", '{"name": "a" "b"}'),
            ("PATCH", "registered-models/update", '{"name": '),
            ("DELETE", "registered-models/delete", '{"name"'),
            ("POST", "runs/search", "{'experiment_ids': ['0']}"),
        ]
        for method, path, payload in cases:
            self.assertError(self.raw_json(method, path, payload), 400, BAD_JSON_CODES,
                             what=f"{method} {path} {payload!r}")
        self.assertNotFound(self.get("experiments/get-by-name", experiment_name=name))
        self.assertAlive()

    def test_non_object_json(self):
        for payload in ("[]", '"a string"', "42", "null", "true", '[{"name": "x"}]'):
            self.assertError(self.raw_json("POST", "experiments/create", payload), 400,
                             BAD_JSON_CODES, what=payload)

    def test_empty_body(self):
        self.assertInvalid(self.raw_json("POST", "experiments/create", b""),
                           msg_contains="name")

    def test_invalid_utf8(self):
        payload = b'{"name": "\xff\xfe\xfd"}'
        self.assertError(self.raw_json("POST", "experiments/create", payload), 400)

    def test_deeply_nested_json(self):
        for payload in ("[" * 200000, '{"a":' * 100000, '{"name": ' + "[" * 100000 + "]" * 100000
                        + "}"):
            self.assertError(self.raw_json("POST", "experiments/create", payload), 400,
                             what=payload[:20])
        self.assertAlive()

    def test_nul_and_control_characters(self):
        self.assertNo5xx(self.post("experiments/create", {"name": "a\u0000b" + uniq()}))
        self.assertNo5xx(self.post("runs/set-tag", {"run_id": self.run_id, "key": "k\u0001",
                                                    "value": "v"}))
        self.assertAlive()

    # ---- wrong types -----------------------------------------------------------------

    def test_wrong_types_name_the_field(self):
        cases = [
            ("runs/search", {"experiment_ids": [self.exp_id], "max_results": "abc"},
             "max_results"),
            ("experiments/search", {"max_results": "abc"}, "max_results"),
            ("runs/log-metric", {"run_id": self.run_id, "key": "m", "value": 1.0,
                                 "timestamp": now_ms(), "step": "x"}, "step"),
            ("runs/log-metric", {"run_id": self.run_id, "key": "m", "value": 1.0,
                                 "timestamp": "yesterday"}, "timestamp"),
            ("runs/log-metric", {"run_id": self.run_id, "key": "m", "value": "high",
                                 "timestamp": now_ms()}, "value"),
            ("runs/create", {"experiment_id": self.exp_id, "start_time": "today"},
             "start_time"),
            ("runs/log-batch", {"run_id": self.run_id, "metrics": "notalist"}, "metrics"),
            ("runs/log-batch", {"run_id": self.run_id, "params": {"k": "v"}}, "params"),
            ("experiments/create", {"name": uniq(), "tags": "notalist"}, "tags"),
            ("experiments/create", {"name": 12345}, "name"),
            ("runs/search", {"experiment_ids": self.exp_id, "order_by": "x"}, None),
            ("model-versions/transition-stage", {"name": self.model, "version": "1",
                                                 "stage": "Staging",
                                                 "archive_existing_versions": "maybe"},
             "archive_existing_versions"),
        ]
        for path, body, field in cases:
            self.assertInvalid(self.post(path, body), msg_contains=field,
                               what=f"{path} {body}")
        self.assertEqual(self.metric_history(self.run_id, "m"), [])

    def test_wrong_types_in_query(self):
        self.assertInvalid(self.call("GET", "experiments/search",
                                     query={"max_results": "abc"}), msg_contains="max_results")
        self.assertInvalid(self.call("GET", "registered-models/search",
                                     query={"max_results": "abc"}), msg_contains="max_results")
        self.assertInvalid(self.call("GET", "model-versions/search",
                                     query={"max_results": "1.5"}), msg_contains="max_results")

    def test_out_of_range_numbers(self):
        self.assertInvalid(self.post("runs/search", {"experiment_ids": [self.exp_id],
                                                     "max_results": -1}))
        st, body = self.raw_json("POST", "runs/create",
                                 '{"experiment_id": "%s", "start_time": 1e400}' % self.exp_id)
        self.assertError((st, body), 400)
        self.assertNo5xx(self.post("runs/create", {"experiment_id": self.exp_id,
                                                   "start_time": 2 ** 70}))
        self.assertNo5xx(self.post("runs/log-metric", {"run_id": self.run_id, "key": "big",
                                                       "value": 1.0, "timestamp": 2 ** 64,
                                                       "step": -2 ** 63 - 1}))

    def test_negative_metric_timestamp(self):
        # validation._validate_metric: "Timestamp must be a nonnegative long (64-bit integer)"
        self.assertInvalid(self.post("runs/log-metric", {"run_id": self.run_id, "key": "neg",
                                                         "value": 1.0, "timestamp": -5}))
        self.assertInvalid(self.log_batch(self.run_id, metrics=[
            {"key": "neg", "value": 1.0, "timestamp": -1, "step": 0}]))
        self.assertEqual(self.metric_history(self.run_id, "neg"), [])

    # ---- missing required fields -----------------------------------------------------

    def test_missing_required_fields_are_named(self):
        cases = [
            ("POST", "experiments/create", {}, "name"),
            ("GET", "experiments/get", None, "experiment_id"),
            ("GET", "experiments/get-by-name", None, "experiment_name"),
            ("POST", "experiments/update", {"experiment_id": self.exp_id}, "new_name"),
            ("POST", "experiments/delete", {}, "experiment_id"),
            ("GET", "runs/get", None, "run_id"),
            ("POST", "runs/delete", {}, "run_id"),
            ("POST", "runs/update", {"status": "FINISHED"}, "run_id"),
            ("POST", "runs/log-metric", {"run_id": self.run_id, "value": 1.0,
                                         "timestamp": now_ms()}, "key"),
            ("POST", "runs/log-metric", {"run_id": self.run_id, "key": "m",
                                         "timestamp": now_ms()}, "value"),
            ("POST", "runs/log-metric", {"key": "m", "value": 1, "timestamp": now_ms()},
             "run_id"),
            ("POST", "runs/log-parameter", {"run_id": self.run_id, "value": "v"}, "key"),
            ("POST", "runs/set-tag", {"run_id": self.run_id, "value": "v"}, "key"),
            ("POST", "runs/delete-tag", {"run_id": self.run_id}, "key"),
            ("POST", "runs/log-batch", {}, "run_id"),
            ("GET", "metrics/get-history", {"run_id": "x"}, "metric_key"),
            ("GET", "artifacts/list", None, "run_id"),
            ("POST", "registered-models/create", {}, "name"),
            ("GET", "registered-models/get", None, "name"),
            ("POST", "registered-models/rename", {"name": self.model}, "new_name"),
            ("POST", "model-versions/create", {"name": self.model}, "source"),
            ("GET", "model-versions/get", {"name": self.model}, "version"),
            ("POST", "model-versions/transition-stage", {"name": self.model, "version": "1"},
             "stage"),
            ("POST", "registered-models/alias", {"name": self.model, "version": "1"}, "alias"),
        ]
        for method, path, body, field in cases:
            if method == "GET":
                resp = self.call("GET", path, query=body)
            else:
                resp = self.call(method, path, body=body)
            self.assertInvalid(resp, msg_contains=field, what=f"{method} {path}")

    # ---- unknown ids and endpoints ---------------------------------------------------

    def test_unknown_ids(self):
        self.assertNotFound(self.get("experiments/get", experiment_id="99999999"))
        self.assertNotFound(self.get("runs/get", run_id="f" * 32))
        self.assertNotFound(self.get("registered-models/get", name=uniq("none")))
        self.assertNotFound(self.get("model-versions/get", name=self.model, version="999"))
        for weird in ("abc", "-1", "1.5", "0x10", "9" * 40, "../../etc", "' OR 1=1 --"):
            self.assertError(self.get("experiments/get", experiment_id=weird), (400, 404),
                             what=weird)
            self.assertError(self.get("runs/get", run_id=weird), (400, 404), what=weird)
        self.assertError(self.get("runs/get", run_id="x" * 10000), (400, 404))

    def test_unknown_endpoint(self):
        for method, path in (("GET", API + "nope"), ("POST", API + "experiments/nope"),
                             ("GET", "/ajax-api/2.0/mlflow/nope"), ("GET", "/api/2.0/nope"),
                             ("GET", API + "runs/get/extra"), ("GET", "/api/9.9/mlflow/runs/get")):
            resp = self.call(method, path, body={} if method == "POST" else None)
            self.assertError(resp, 404, "ENDPOINT_NOT_FOUND", what=f"{method} {path}")

    def test_wrong_method(self):
        for method, path in (("GET", "experiments/create"), ("DELETE", "experiments/get"),
                             ("PUT", "runs/log-metric"), ("POST", "registered-models/get"),
                             ("GET", "registered-models/delete")):
            self.assertError(self.call(method, path, body={} if method != "GET" else None),
                             (404, 405), what=f"{method} {path}")

    def test_bad_percent_encoding(self):
        status, _, data = self.server.raw("GET", API + "experiments/get?experiment_id=%zz%")
        self.assertLess(status, 500, data)
        status, _, data = self.server.raw("GET", API + "experiments/get?%%%=1&&&=")
        self.assertLess(status, 500, data)
        self.assertAlive()

    # ---- protocol garbage ------------------------------------------------------------

    def send_raw_bytes(self, payload, read=True):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        try:
            s.sendall(payload)
            if not read:
                return b""
            chunks = []
            try:
                while True:
                    c = s.recv(65536)
                    if not c:
                        break
                    chunks.append(c)
                    if b"\r\n\r\n" in b"".join(chunks):
                        break
            except (socket.timeout, ConnectionResetError):
                pass
            return b"".join(chunks)
        finally:
            s.close()

    def test_protocol_garbage(self):
        for payload in (b"GARBAGE\r\n\r\n", b"\x00\x01\x02\x03" * 100 + b"\r\n\r\n",
                        b"GET / HTTP/9.9\r\n\r\n",
                        b"POST " + API.encode() + b"experiments/create HTTP/1.1\r\nHost: x\r\n"
                        b"Content-Length: -5\r\n\r\n",
                        b"POST " + API.encode() + b"experiments/create HTTP/1.1\r\nHost: x\r\n"
                        b"Content-Length: abc\r\n\r\n",
                        b"GET " + API.encode() + b"experiments/get HTTP/1.1\r\nHost: x\r\n"
                        b"X-Big: " + b"a" * 200000 + b"\r\n\r\n"):
            reply = self.send_raw_bytes(payload)
            if reply.startswith(b"HTTP/"):
                status_line = reply.split(b"\r\n", 1)[0]
                # 505 (HTTP Version Not Supported) is the standard answer to HTTP/9.9.
                self.assertNotRegex(status_line, rb" 5(?!05)\d\d ", payload[:40])
        # A client that connects and goes away, or sends half a request.
        self.send_raw_bytes(b"", read=False)
        self.send_raw_bytes(b"POST " + API.encode() + b"experiments/create HTTP/1.1\r\n"
                            b"Content-Length: 100\r\n\r\n{\"na", read=False)
        self.assertAlive()


class BodyLimitTest(ServerTestCase):
    server_args = ("--max-body-mb", "1")

    def setUp(self):
        super().setUp()
        self.run_id = self.create_run("0")["info"]["run_id"]

    def big_batch(self, approx_bytes):
        return json.dumps({"run_id": self.run_id,
                           "tags": [{"key": "pad", "value": "p" * approx_bytes}]}).encode()

    def exchange(self, head, body, first=256):
        """Sends `head`, then the first bytes of `body`; if no answer comes within 3 s, sends
        the rest (tolerating an early close). Returns (status, headers, body) or None when
        the server closed without an answer."""
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        try:
            s.sendall(head + body[:first])
            s.settimeout(3)
            received = b""
            try:
                received = s.recv(65536)
            except socket.timeout:
                s.settimeout(10)
                try:
                    for i in range(first, len(body), 65536):
                        s.sendall(body[i:i + 65536])
                except (BrokenPipeError, ConnectionResetError):
                    pass
                try:
                    received = s.recv(65536)
                except (socket.timeout, ConnectionResetError):
                    return None
            except ConnectionResetError:
                return None
            if not received:
                return None
            s.settimeout(5)
            while b"\r\n\r\n" not in received:
                more = s.recv(65536)
                if not more:
                    break
                received += more
            head_part, _, rest = received.partition(b"\r\n\r\n")
            lines = head_part.split(b"\r\n")
            status = int(lines[0].split()[1])
            headers = {}
            for ln in lines[1:]:
                k, _, v = ln.partition(b":")
                headers[k.strip().lower().decode()] = v.strip().decode()
            length = int(headers.get("content-length", "0") or 0)
            try:
                while len(rest) < length:
                    more = s.recv(65536)
                    if not more:
                        break
                    rest += more
            except (socket.timeout, ConnectionResetError):
                pass
            return status, headers, rest
        finally:
            s.close()

    def request_head(self, length=None, chunked=False):
        head = (f"POST {API}runs/log-batch HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: application/json\r\n")
        if chunked:
            head += "Transfer-Encoding: chunked\r\n"
        else:
            head += f"Content-Length: {length}\r\n"
        return (head + "\r\n").encode()

    def assert413(self, got):
        self.assertIsNotNone(got, "server closed the connection without a 413 response")
        status, _, body = got
        self.assertEqual(status, 413, body[:300])
        err = json.loads(body)
        self.assertIn("error_code", err)
        self.assertIn("message", err)

    def test_oversized_body_gets_413_json(self):
        payload = self.big_batch(2 * 1024 * 1024)
        self.assert413(self.exchange(self.request_head(len(payload)), payload))
        tags = {t["key"] for t in self.get_run(self.run_id)["data"].get("tags", [])}
        self.assertNotIn("pad", tags)
        self.ok(self.get("experiments/get", experiment_id="0"))

    def test_declared_length_over_limit(self):
        # Declares 10 MiB but sends little: the answer must still be 413, not a hang or 5xx.
        head = self.request_head(10 * 1024 * 1024)
        self.assert413(self.exchange(head, b'{"run_id": "x", "tags": [' + b" " * 2_000_000))

    def test_oversized_chunked_body(self):
        payload = self.big_batch(2 * 1024 * 1024)
        chunked = b""
        for i in range(0, len(payload), 65536):
            part = payload[i:i + 65536]
            chunked += b"%x\r\n" % len(part) + part + b"\r\n"
        chunked += b"0\r\n\r\n"
        got = self.exchange(self.request_head(chunked=True), chunked)
        if got is not None:  # closing the connection is acceptable for chunked bodies
            self.assertEqual(got[0], 413, got[2][:300])
        tags = {t["key"] for t in self.get_run(self.run_id)["data"].get("tags", [])}
        self.assertNotIn("pad", tags)
        self.ok(self.get("experiments/get", experiment_id="0"))

    def test_body_under_limit_accepted(self):
        payload = json.dumps({"run_id": self.run_id,
                              "tags": [{"key": f"t{i}", "value": "v" * 4000}
                                       for i in range(100)]}).encode()
        self.assertLess(len(payload), 1024 * 1024)
        self.assertGreater(len(payload), 300 * 1024)
        status, _, body = self.server.raw("POST", API + "runs/log-batch", body=payload,
                                          headers={"Content-Type": "application/json"})
        self.assertEqual(status, 200, body[:300])

    def test_many_oversized_requests_do_not_hurt(self):
        payload = b"x" * (1024 * 1024 + 10)
        for _ in range(10):
            self.exchange(self.request_head(len(payload)), payload)
        t0 = time.monotonic()
        self.ok(self.get("experiments/get", experiment_id="0"))
        self.assertLess(time.monotonic() - t0, 5)


if __name__ == "__main__":
    unittest.main()
