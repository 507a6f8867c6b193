"""Smoke tests of Kiln's native JSON API (/api/v1, documented in docs/api.md): entities
created through the MLflow API are visible there, unknown ids give 404 with a JSON body."""

import json
import unittest
import urllib.parse

from kiln_server import ServerTestCase, now_ms, uniq

V1 = "/api/v1"


class NativeApiTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        post = cls.server.post_ok

        cls.exp_name = uniq("native")
        cls.exp_id = post("experiments/create", {"name": cls.exp_name})["experiment_id"]
        cls.run_a = post("runs/create", {"experiment_id": cls.exp_id, "run_name": "native-a",
                                         "start_time": now_ms()})["run"]["info"]["run_id"]
        cls.run_b = post("runs/create", {"experiment_id": cls.exp_id, "run_name": "native-b",
                                         "start_time": now_ms() + 1})["run"]["info"]["run_id"]
        post("runs/log-metric", {"run_id": cls.run_a, "key": "acc", "value": 0.9,
                                 "timestamp": now_ms()})
        post("runs/log-metric", {"run_id": cls.run_b, "key": "acc", "value": 0.1,
                                 "timestamp": now_ms()})
        cls.model = uniq("nmodel")
        post("registered-models/create", {"name": cls.model})
        post("model-versions/create", {"name": cls.model,
                                       "source": f"mlflow-artifacts:/{cls.exp_id}/{cls.run_a}"
                                                 "/artifacts/model", "run_id": cls.run_a})

    def v1(self, path, **query):
        status, body = self.call("GET", V1 + path, query=query or None)
        return status, body

    def ok_json(self, path, **query):
        status, body = self.v1(path, **query)
        self.assertEqual(status, 200, f"{path}: {body!r}")
        self.assertIsInstance(body, (dict, list), f"{path}: not JSON: {body!r}")
        return body, json.dumps(body)

    def assert404(self, path):
        status, body = self.v1(path)
        self.assertEqual(status, 404, f"{path}: {body!r}")
        self.assertIsInstance(body, dict, f"{path}: 404 body is not JSON: {body!r}")

    def test_experiments(self):
        _, text = self.ok_json("/experiments")
        self.assertIn(self.exp_name, text)
        self.assertIn(f'"{self.exp_id}"', text)
        _, text = self.ok_json(f"/experiments/{self.exp_id}")
        self.assertIn(self.exp_name, text)
        self.assert404("/experiments/987654321")

    def test_runs(self):
        _, text = self.ok_json("/runs", experiment_id=self.exp_id)
        self.assertIn(self.run_a, text)
        self.assertIn(self.run_b, text)
        _, text = self.ok_json("/runs", experiment_id=self.exp_id, filter="metrics.acc > 0.5")
        self.assertIn(self.run_a, text)
        self.assertNotIn(self.run_b, text)
        _, text = self.ok_json("/runs", experiment_id=self.exp_id, order_by="metrics.acc ASC",
                               max_results=1)
        self.assertIn(self.run_b, text)
        self.assertNotIn(self.run_a, text)
        _, text = self.ok_json(f"/runs/{self.run_a}")
        self.assertIn(self.run_a, text)
        self.assertIn("native-a", text)
        self.assert404("/runs/" + "0" * 32)

    def test_runs_pagination(self):
        body, text = self.ok_json("/runs", experiment_id=self.exp_id, max_results=1)
        token = body.get("next_page_token") if isinstance(body, dict) else None
        self.assertTrue(token, f"no next_page_token with max_results=1: {text}")
        first = self.run_a if self.run_a in text else self.run_b
        _, text2 = self.ok_json("/runs", experiment_id=self.exp_id, max_results=1,
                                page_token=token)
        other = self.run_b if first == self.run_a else self.run_a
        self.assertIn(other, text2)
        self.assertNotIn(first, text2)

    def test_runs_bad_filter(self):
        status, body = self.v1("/runs", experiment_id=self.exp_id, filter="metrics.acc >")
        self.assertEqual(status, 400, body)
        self.assertIsInstance(body, dict)

    def test_models(self):
        _, text = self.ok_json("/models")
        self.assertIn(self.model, text)
        _, text = self.ok_json("/models/" + urllib.parse.quote(self.model))
        self.assertIn(self.model, text)
        self.assert404("/models/" + uniq("missing"))


if __name__ == "__main__":
    unittest.main()
