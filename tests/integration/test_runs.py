"""MLflow REST 2.0 runs endpoints: create/get/update/delete/restore, metrics, params, tags,
log-batch limits, metric history, NaN/Infinity, log-inputs, log-model.

References: mlflow/protos/service.proto; mlflow/server/handlers.py (_log_metric,
_log_param, _log_batch, _log_model, _update_run returns {"run_info"});
mlflow/store/tracking/sqlalchemy_store.py (param overwrite refused, latest metric by
(step, timestamp, value), run name <-> mlflow.runName tag, record_logged_model appends to
mlflow.log-model.history, _check_run_is_active -> INVALID_PARAMETER_VALUE);
mlflow/utils/validation.py in MLflow 2.12: MAX_METRICS_PER_BATCH 1000,
MAX_PARAMS_TAGS_PER_BATCH 100, MAX_ENTITIES_PER_BATCH 1000, MAX_ENTITY_KEY_LENGTH 250,
MAX_PARAM_VAL_LENGTH 6000, MAX_TAG_VAL_LENGTH 5000 (raised to 8000 only in MLflow 2.17,
PR #13176); since PR #11208 over-long param/tag values are truncated to the limit when
MLFLOW_TRUNCATE_LONG_VALUES (default true), otherwise rejected, so either is accepted here,
but a value longer than the limit must never be stored.
"""

import json
import unittest

from kiln_server import AJAX, ServerTestCase, kv, now_ms, run_data, uniq

MAX_KEY = 250
MAX_PARAM_VALUE = 6000
MAX_TAG_VALUE = 5000  # MLflow 2.12 validation.py MAX_TAG_VAL_LENGTH


def metric(key, value, step=0, ts=None):
    return {"key": key, "value": value, "timestamp": ts if ts is not None else now_ms(),
            "step": step}


class RunLifecycleTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        st, body = cls.server.call("POST", "experiments/create", body={"name": uniq("runs")})
        assert st == 200, body
        cls.exp_id = body["experiment_id"]

    def test_create_and_get(self):
        start = now_ms()
        run = self.create_run(self.exp_id, run_name="my-run", start_time=start,
                              tags={"k": "v"}, user_id="alice")
        info = run["info"]
        self.assertIsInstance(info["run_id"], str)
        self.assertEqual(info["run_id"], info["run_uuid"])
        self.assertEqual(info["experiment_id"], self.exp_id)
        self.assertEqual(info["run_name"], "my-run")
        self.assertEqual(info["status"], "RUNNING")
        self.assertEqual(info["lifecycle_stage"], "active")
        self.assertEqual(info["start_time"], start)
        self.assertEqual(info["user_id"], "alice")
        self.assertEqual(info["artifact_uri"],
                         f"mlflow-artifacts:/{self.exp_id}/{info['run_id']}/artifacts")
        tags = run_data(run)["tags"]
        self.assertEqual(tags["k"], "v")
        self.assertEqual(tags["mlflow.runName"], "my-run")

        got = self.get_run(info["run_id"])
        self.assertEqual(got["info"], info)
        self.assertEqual(run_data(got)["tags"], tags)
        # run_uuid is accepted as the id parameter too (GetRun has both fields).
        alt = self.ok(self.get("runs/get", run_uuid=info["run_id"]))
        self.assertEqual(alt["run"]["info"]["run_id"], info["run_id"])

    def test_run_name_generated(self):
        run = self.create_run(self.exp_id)
        name = run["info"].get("run_name")
        self.assertTrue(name, run)
        self.assertEqual(run_data(run)["tags"].get("mlflow.runName"), name)
        other = self.create_run(self.exp_id)
        self.assertNotEqual(other["info"]["run_id"], run["info"]["run_id"])

    def test_run_name_from_tag(self):
        run = self.create_run(self.exp_id, tags={"mlflow.runName": "from-tag"})
        self.assertEqual(run["info"]["run_name"], "from-tag")

    def test_run_name_and_tag_conflict(self):
        # sqlalchemy_store.create_run refuses different run_name and mlflow.runName tag.
        self.assertInvalid(self.post("runs/create", {
            "experiment_id": self.exp_id, "start_time": now_ms(), "run_name": "a",
            "tags": [{"key": "mlflow.runName", "value": "b"}]}))

    def test_set_tag_run_name_renames(self):
        run_id = self.create_run(self.exp_id, run_name="before")["info"]["run_id"]
        self.ok(self.post("runs/set-tag", {"run_id": run_id, "key": "mlflow.runName",
                                           "value": "after"}))
        got = self.get_run(run_id)
        self.assertEqual(got["info"]["run_name"], "after")
        self.assertEqual(run_data(got)["tags"]["mlflow.runName"], "after")

    def test_update(self):
        run_id = self.create_run(self.exp_id, run_name="u1")["info"]["run_id"]
        end = now_ms() + 5
        out = self.ok(self.post("runs/update", {"run_id": run_id, "status": "FINISHED",
                                                "end_time": end}))
        self.assertIn("run_info", out)
        self.assertEqual(out["run_info"]["status"], "FINISHED")
        self.assertEqual(out["run_info"]["end_time"], end)
        self.assertEqual(out["run_info"]["run_id"], run_id)
        got = self.get_run(run_id)
        self.assertEqual(got["info"]["status"], "FINISHED")
        self.assertEqual(got["info"]["end_time"], end)
        self.assertEqual(got["info"]["run_name"], "u1")

    def test_update_run_name_syncs_tag(self):
        run_id = self.create_run(self.exp_id, run_name="n1")["info"]["run_id"]
        out = self.ok(self.post("runs/update", {"run_id": run_id, "run_name": "n2"}))
        self.assertEqual(out["run_info"]["run_name"], "n2")
        got = self.get_run(run_id)
        self.assertEqual(got["info"]["run_name"], "n2")
        self.assertEqual(got["info"]["status"], "RUNNING")
        self.assertEqual(run_data(got)["tags"]["mlflow.runName"], "n2")

    def test_all_statuses(self):
        run_id = self.create_run(self.exp_id)["info"]["run_id"]
        for status in ("SCHEDULED", "FAILED", "KILLED", "FINISHED", "RUNNING"):
            out = self.ok(self.post("runs/update", {"run_id": run_id, "status": status}))
            self.assertEqual(out["run_info"]["status"], status)
        self.assertError(self.post("runs/update", {"run_id": run_id, "status": "BOGUS"}), 400)

    def test_delete_restore(self):
        run_id = self.create_run(self.exp_id)["info"]["run_id"]
        self.ok(self.post("runs/delete", {"run_id": run_id}))
        self.assertEqual(self.get_run(run_id)["info"]["lifecycle_stage"], "deleted")
        # Logging to a deleted run: _check_run_is_active -> INVALID_PARAMETER_VALUE.
        self.assertInvalid(self.post("runs/log-metric", {"run_id": run_id, **metric("m", 1)}))
        self.assertInvalid(self.post("runs/log-parameter",
                                     {"run_id": run_id, "key": "p", "value": "1"}))
        self.ok(self.post("runs/restore", {"run_id": run_id}))
        self.assertEqual(self.get_run(run_id)["info"]["lifecycle_stage"], "active")
        self.ok(self.post("runs/log-metric", {"run_id": run_id, **metric("m", 1)}))

    def test_unknown_run(self):
        bogus = "0" * 32
        self.assertNotFound(self.get("runs/get", run_id=bogus))
        self.assertNotFound(self.post("runs/update", {"run_id": bogus, "status": "FINISHED"}))
        self.assertNotFound(self.post("runs/delete", {"run_id": bogus}))
        self.assertNotFound(self.post("runs/restore", {"run_id": bogus}))
        self.assertNotFound(self.post("runs/log-metric", {"run_id": bogus, **metric("m", 1)}))
        self.assertNotFound(self.post("runs/log-parameter",
                                      {"run_id": bogus, "key": "p", "value": "v"}))
        self.assertNotFound(self.post("runs/set-tag", {"run_id": bogus, "key": "t",
                                                       "value": "v"}))
        self.assertNotFound(self.log_batch(bogus, metrics=[metric("m", 1)]))
        self.assertNotFound(self.get("metrics/get-history", run_id=bogus, metric_key="m"))

    def test_create_in_unknown_experiment(self):
        self.assertNotFound(self.post("runs/create", {"experiment_id": "987654321",
                                                      "start_time": now_ms()}))

    def test_ajax_route(self):
        run_id = self.create_run(self.exp_id)["info"]["run_id"]
        out = self.ok(self.call("GET", "runs/get", query={"run_id": run_id}, prefix=AJAX))
        self.assertEqual(out["run"]["info"]["run_id"], run_id)


class RunDataTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        st, body = cls.server.call("POST", "experiments/create", body={"name": uniq("data")})
        assert st == 200, body
        cls.exp_id = body["experiment_id"]

    def new_run(self):
        return self.create_run(self.exp_id)["info"]["run_id"]

    # ---- metrics ---------------------------------------------------------------------

    def test_log_metric_and_history(self):
        run_id = self.new_run()
        ts = now_ms()
        for step in range(5):
            self.ok(self.post("runs/log-metric", {"run_id": run_id, "key": "loss",
                                                  "value": 1.0 / (step + 1), "timestamp": ts + step,
                                                  "step": step}))
        hist = self.metric_history(run_id, "loss")
        self.assertEqual(len(hist), 5)
        got = sorted((m["step"], m["value"], m["timestamp"]) for m in hist)
        self.assertEqual(got, [(s, 1.0 / (s + 1), ts + s) for s in range(5)])
        for m in hist:
            self.assertEqual(m["key"], "loss")
            self.assertIsInstance(m["timestamp"], int)
            self.assertIsInstance(m["step"], int)
        latest = run_data(self.get_run(run_id))["metrics"]["loss"]
        self.assertEqual((latest["step"], latest["value"]), (4, 0.2))

    def test_step_defaults_to_zero(self):
        run_id = self.new_run()
        self.ok(self.post("runs/log-metric", {"run_id": run_id, "key": "m", "value": 2.5,
                                              "timestamp": now_ms()}))
        (m,) = self.metric_history(run_id, "m")
        self.assertEqual(m.get("step", 0), 0)
        self.assertEqual(m["value"], 2.5)

    def test_history_of_unlogged_key_is_empty(self):
        run_id = self.new_run()
        self.assertEqual(self.metric_history(run_id, "never"), [])

    def test_same_metric_point_twice_kept(self):
        run_id = self.new_run()
        m = metric("dup", 1.0, step=1, ts=1000)
        self.ok(self.post("runs/log-metric", {"run_id": run_id, **m}))
        self.ok(self.post("runs/log-metric", {"run_id": run_id, **metric("dup", 2.0, 1, 1000)}))
        values = sorted(x["value"] for x in self.metric_history(run_id, "dup"))
        self.assertEqual(values, [1.0, 2.0])

    def test_latest_metric_is_max_step_timestamp_value(self):
        run_id = self.new_run()
        points = [(1, 100, 5.0), (2, 50, 1.0), (2, 50, 3.0), (0, 1000, 9.0), (2, 40, 100.0)]
        for step, ts, value in points:
            self.ok(self.post("runs/log-metric", {"run_id": run_id, **metric("acc", value,
                                                                              step, ts)}))
        latest = run_data(self.get_run(run_id))["metrics"]["acc"]
        self.assertEqual((latest["step"], latest["timestamp"], latest["value"]), (2, 50, 3.0))
        self.assertEqual(len(self.metric_history(run_id, "acc")), 5)

    def test_nan_and_infinity(self):
        run_id = self.new_run()
        for step, value in enumerate(["NaN", "Infinity", "-Infinity", 1.5]):
            self.ok(self.post("runs/log-metric", {"run_id": run_id, **metric("odd", value,
                                                                              step)}),
                    f"log {value}")
        self.ok(self.log_batch(run_id, metrics=[metric("nanb", "NaN", 0)]))
        hist = {m["step"]: m["value"] for m in self.metric_history(run_id, "odd")}
        self.assertEqual(hist[0], "NaN")
        # Protobuf JSON style; MLflow's SQL store clamps +-inf to +-1.7976931348623157e308.
        self.assertIn(hist[1], ("Infinity", 1.7976931348623157e308))
        self.assertIn(hist[2], ("-Infinity", -1.7976931348623157e308))
        self.assertEqual(hist[3], 1.5)
        metrics = run_data(self.get_run(run_id))["metrics"]
        self.assertEqual(metrics["nanb"]["value"], "NaN")
        self.assertEqual(metrics["odd"]["value"], 1.5)

    def test_metric_values_roundtrip_exactly(self):
        run_id = self.new_run()
        values = [0.1 + 0.2, 1e-300, -1e300, 2.0 ** 53 + 2, 5e-324, -0.5, 123456789.125]
        self.ok(self.log_batch(run_id, metrics=[metric("exact", v, i, 1000 + i)
                                                for i, v in enumerate(values)]))
        got = {m["step"]: m["value"] for m in self.metric_history(run_id, "exact")}
        self.assertEqual([got[i] for i in range(len(values))], values)
        self.ok(self.post("runs/log-metric", {"run_id": run_id, **metric("ts", 1.0, 2 ** 62,
                                                                          2 ** 62)}))
        (m,) = self.metric_history(run_id, "ts")
        self.assertEqual((m["step"], m["timestamp"]), (2 ** 62, 2 ** 62))

    def test_unicode_roundtrip(self):
        name = uniq("ünïcødé-🚀-実験")
        exp_id = self.create_experiment(name)
        self.assertEqual(self.ok(self.get("experiments/get-by-name",
                                          experiment_name=name))["experiment"]["experiment_id"],
                         exp_id)
        run = self.create_run(exp_id, run_name="läuft ✓")
        run_id = run["info"]["run_id"]
        value = "Grüße, 世界 🌍 \"quoted\" \\ back\nslash\ttab"
        self.ok(self.post("runs/log-parameter", {"run_id": run_id, "key": "p", "value": value}))
        self.ok(self.post("runs/set-tag", {"run_id": run_id, "key": "t", "value": value}))
        data = run_data(self.get_run(run_id))
        self.assertEqual(data["params"]["p"], value)
        self.assertEqual(data["tags"]["t"], value)
        self.assertEqual(self.get_run(run_id)["info"]["run_name"], "läuft ✓")

    def test_metric_value_must_be_number(self):
        run_id = self.new_run()
        self.assertInvalid(self.post("runs/log-metric", {"run_id": run_id, **metric("m", "abc")}))
        self.assertInvalid(self.post("runs/log-metric", {"run_id": run_id, **metric("m", None)}))
        self.assertEqual(self.metric_history(run_id, "m"), [])

    def test_invalid_metric_names(self):
        run_id = self.new_run()
        for bad in ("bad!name", "../escape", "a/../b", "/abs", "", "k" * (MAX_KEY + 1)):
            self.assertInvalid(self.post("runs/log-metric", {"run_id": run_id,
                                                             **metric(bad, 1.0)}),
                               what=repr(bad[:20]))
        ok_key = "a-b_c.d/e f" + "k" * (MAX_KEY - 11)
        self.assertEqual(len(ok_key), MAX_KEY)
        self.ok(self.post("runs/log-metric", {"run_id": run_id, **metric(ok_key, 1.0)}))

    # ---- params ----------------------------------------------------------------------

    def test_params(self):
        run_id = self.new_run()
        self.ok(self.post("runs/log-parameter", {"run_id": run_id, "key": "lr", "value": "0.1"}))
        self.ok(self.post("runs/log-parameter", {"run_id": run_id, "key": "depth",
                                                 "value": "3"}))
        # Same value again is fine.
        self.ok(self.post("runs/log-parameter", {"run_id": run_id, "key": "lr", "value": "0.1"}))
        # A different value is refused and changes nothing.
        self.assertInvalid(self.post("runs/log-parameter", {"run_id": run_id, "key": "lr",
                                                            "value": "0.2"}))
        self.assertEqual(run_data(self.get_run(run_id))["params"], {"lr": "0.1", "depth": "3"})

    def test_param_empty_value_allowed(self):
        run_id = self.new_run()
        self.ok(self.post("runs/log-parameter", {"run_id": run_id, "key": "empty", "value": ""}))
        self.assertEqual(run_data(self.get_run(run_id))["params"].get("empty"), "")

    def test_param_value_limit(self):
        run_id = self.new_run()
        self.ok(self.post("runs/log-parameter", {"run_id": run_id, "key": "max",
                                                 "value": "v" * MAX_PARAM_VALUE}))
        self.assertEqual(len(run_data(self.get_run(run_id))["params"]["max"]), MAX_PARAM_VALUE)
        resp = self.post("runs/log-parameter", {"run_id": run_id, "key": "over",
                                                "value": "v" * (MAX_PARAM_VALUE + 1)})
        self.assert_rejected_or_truncated(resp, run_id, "params", "over", MAX_PARAM_VALUE)

    def test_param_key_limit(self):
        run_id = self.new_run()
        self.ok(self.post("runs/log-parameter", {"run_id": run_id, "key": "p" * MAX_KEY,
                                                 "value": "1"}))
        self.assertInvalid(self.post("runs/log-parameter", {"run_id": run_id,
                                                            "key": "p" * (MAX_KEY + 1),
                                                            "value": "1"}))

    def assert_rejected_or_truncated(self, resp, run_id, kind, key, limit):
        status, body = resp
        stored = run_data(self.get_run(run_id))[kind].get(key)
        if status == 200:
            self.assertIsNotNone(stored)
            self.assertEqual(len(stored), limit, "value over the limit stored untruncated")
        else:
            self.assertInvalid(resp)
            self.assertIsNone(stored)

    # ---- tags ------------------------------------------------------------------------

    def test_tags(self):
        run_id = self.new_run()
        self.ok(self.post("runs/set-tag", {"run_id": run_id, "key": "t1", "value": "a"}))
        self.ok(self.post("runs/set-tag", {"run_id": run_id, "key": "t1", "value": "b"}))
        self.ok(self.post("runs/set-tag", {"run_id": run_id, "key": "t2", "value": ""}))
        tags = run_data(self.get_run(run_id))["tags"]
        self.assertEqual(tags["t1"], "b")
        self.assertEqual(tags["t2"], "")
        self.ok(self.post("runs/delete-tag", {"run_id": run_id, "key": "t1"}))
        self.assertNotIn("t1", run_data(self.get_run(run_id))["tags"])
        # sqlalchemy_store.delete_tag: unknown key -> RESOURCE_DOES_NOT_EXIST
        self.assertNotFound(self.post("runs/delete-tag", {"run_id": run_id, "key": "t1"}))

    def test_tag_value_limit(self):
        run_id = self.new_run()
        self.ok(self.post("runs/set-tag", {"run_id": run_id, "key": "max",
                                           "value": "t" * MAX_TAG_VALUE}))
        self.assertEqual(len(run_data(self.get_run(run_id))["tags"]["max"]), MAX_TAG_VALUE)
        resp = self.post("runs/set-tag", {"run_id": run_id, "key": "over",
                                          "value": "t" * (MAX_TAG_VALUE + 1)})
        self.assert_rejected_or_truncated(resp, run_id, "tags", "over", MAX_TAG_VALUE)

    def test_tag_value_far_over_limit(self):
        run_id = self.new_run()
        resp = self.post("runs/set-tag", {"run_id": run_id, "key": "huge", "value": "t" * 8001})
        self.assert_rejected_or_truncated(resp, run_id, "tags", "huge", MAX_TAG_VALUE)

    def test_tag_key_validation(self):
        run_id = self.new_run()
        self.assertInvalid(self.post("runs/set-tag", {"run_id": run_id, "key": "t" * 251,
                                                      "value": "v"}))
        self.assertInvalid(self.post("runs/set-tag", {"run_id": run_id, "key": "bad?key",
                                                      "value": "v"}))

    # ---- log-batch -------------------------------------------------------------------

    def test_log_batch(self):
        run_id = self.new_run()
        ts = now_ms()
        self.ok(self.log_batch(
            run_id,
            metrics=[metric("m1", 0.5, 0, ts), metric("m1", 0.7, 1, ts), metric("m2", 3, 0, ts)],
            params=[{"key": "p1", "value": "x"}, {"key": "p2", "value": "y"}],
            tags=[{"key": "t1", "value": "z"}]))
        data = run_data(self.get_run(run_id))
        self.assertEqual(data["params"], {"p1": "x", "p2": "y"})
        self.assertEqual(data["tags"]["t1"], "z")
        self.assertEqual(data["metrics"]["m1"]["value"], 0.7)
        self.assertEqual(data["metrics"]["m2"]["value"], 3)
        self.assertEqual(len(self.metric_history(run_id, "m1")), 2)

    def test_log_batch_empty_is_ok(self):
        run_id = self.new_run()
        self.ok(self.post("runs/log-batch", {"run_id": run_id}))

    def test_log_batch_limits(self):
        run_id = self.new_run()
        ts = now_ms()
        ms = [metric("lim", float(i), i, ts) for i in range(1000)]
        self.ok(self.log_batch(run_id, metrics=ms), "1000 metrics")
        self.assertEqual(len(self.metric_history(run_id, "lim")), 1000)

        self.assertInvalid(self.log_batch(run_id, metrics=[metric("over", float(i), i, ts)
                                                           for i in range(1001)]),
                           what="1001 metrics")
        self.assertInvalid(self.log_batch(run_id, params=[{"key": f"p{i}", "value": "v"}
                                                          for i in range(101)]),
                           what="101 params")
        self.assertInvalid(self.log_batch(run_id, tags=[{"key": f"t{i}", "value": "v"}
                                                        for i in range(101)]),
                           what="101 tags")
        # 900 metrics + 100 params + 1 tag = 1001 entities.
        self.assertInvalid(self.log_batch(run_id,
                                          metrics=[metric("tot", float(i), i, ts)
                                                   for i in range(900)],
                                          params=[{"key": f"q{i}", "value": "v"}
                                                  for i in range(100)],
                                          tags=[{"key": "one", "value": "v"}]),
                           what="1001 entities")
        data = run_data(self.get_run(run_id))
        self.assertNotIn("over", data["metrics"])
        self.assertNotIn("tot", data["metrics"])
        self.assertEqual(data["params"], {})
        self.assertNotIn("one", data["tags"])
        # Exactly at every limit: 800 metrics + 100 params + 100 tags = 1000.
        self.ok(self.log_batch(run_id,
                               metrics=[metric("full", float(i), i, ts) for i in range(800)],
                               params=[{"key": f"q{i}", "value": "v"} for i in range(100)],
                               tags=[{"key": f"t{i}", "value": "v"} for i in range(100)]))
        self.assertEqual(len(run_data(self.get_run(run_id))["params"]), 100)

    def test_log_batch_is_atomic(self):
        run_id = self.new_run()
        self.assertInvalid(self.log_batch(run_id,
                                          metrics=[metric("good", 1.0), metric("bad!", 2.0)],
                                          params=[{"key": "gp", "value": "1"}]))
        self.assertInvalid(self.log_batch(run_id,
                                          metrics=[metric("good", 1.0)],
                                          tags=[{"key": "t", "value": "v"}],
                                          params=[{"key": "gp", "value": "v" * 100},
                                                  {"key": "k" * 251, "value": "1"}]))
        data = run_data(self.get_run(run_id))
        self.assertEqual(data["metrics"], {})
        self.assertEqual(data["params"], {})
        self.assertNotIn("t", data["tags"])
        self.assertEqual(self.metric_history(run_id, "good"), [])

    def test_log_batch_param_rules(self):
        run_id = self.new_run()
        self.ok(self.log_batch(run_id, params=[{"key": "a", "value": "1"}]))
        # Same value again: fine; a different value: refused.
        self.ok(self.log_batch(run_id, params=[{"key": "a", "value": "1"}]))
        self.assertInvalid(self.log_batch(run_id, params=[{"key": "a", "value": "2"}]))
        # Duplicate keys inside one batch (_validate_param_keys_unique).
        self.assertInvalid(self.log_batch(run_id, params=[{"key": "b", "value": "1"},
                                                          {"key": "b", "value": "2"}]))
        self.assertEqual(run_data(self.get_run(run_id))["params"], {"a": "1"})

    def test_log_batch_missing_metric_fields(self):
        run_id = self.new_run()
        self.assertInvalid(self.log_batch(run_id, metrics=[{"value": 1.0, "timestamp": 1}]),
                           msg_contains="key")
        self.assertInvalid(self.log_batch(run_id, metrics=[{"key": "m", "timestamp": 1}]),
                           msg_contains="value")
        self.assertInvalid(self.log_batch(run_id, params=[{"value": "v"}]), msg_contains="key")

    # ---- inputs and models -----------------------------------------------------------

    def test_log_inputs(self):
        run_id = self.new_run()
        ds = {"name": "iris", "digest": "abc123", "source_type": "local",
              "source": json.dumps({"uri": "/data/iris.csv"}), "schema": "{}",
              "profile": json.dumps({"num_rows": 150})}
        body = {"run_id": run_id, "datasets": [{
            "tags": [{"key": "mlflow.data.context", "value": "training"}], "dataset": ds}]}
        self.ok(self.post("runs/log-inputs", body))
        run = self.get_run(run_id)
        inputs = run.get("inputs", {}).get("dataset_inputs", [])
        self.assertEqual(len(inputs), 1, run.get("inputs"))
        got = inputs[0]["dataset"]
        for k in ("name", "digest", "source_type", "source"):
            self.assertEqual(got[k], ds[k])
        self.assertEqual(kv(inputs[0].get("tags")), {"mlflow.data.context": "training"})
        # Logging the same dataset again does not duplicate it.
        self.ok(self.post("runs/log-inputs", body))
        inputs = self.get_run(run_id).get("inputs", {}).get("dataset_inputs", [])
        self.assertEqual(len(inputs), 1)

    def test_log_model(self):
        run_id = self.new_run()
        for path in ("model", "model2"):
            model = {"artifact_path": path, "flavors": {"python_function": {"loader_module": "x"}},
                     "utc_time_created": "2024-04-01 12:00:00.000000", "run_id": run_id}
            self.ok(self.post("runs/log-model", {"run_id": run_id,
                                                 "model_json": json.dumps(model)}))
        history = json.loads(run_data(self.get_run(run_id))["tags"]["mlflow.log-model.history"])
        self.assertIsInstance(history, list)
        self.assertEqual([m["artifact_path"] for m in history], ["model", "model2"])
        self.assertEqual(history[0]["run_id"], run_id)

    def test_log_model_errors(self):
        run_id = self.new_run()
        self.assertInvalid(self.post("runs/log-model", {"run_id": run_id,
                                                        "model_json": "{not json"}))
        self.assertInvalid(self.post("runs/log-model", {"run_id": run_id,
                                                        "model_json": json.dumps(
                                                            {"artifact_path": "m"})}))
        self.assertInvalid(self.post("runs/log-model", {"run_id": run_id}),
                           msg_contains="model_json")
        self.assertNotIn("mlflow.log-model.history", run_data(self.get_run(run_id))["tags"])


if __name__ == "__main__":
    unittest.main()
