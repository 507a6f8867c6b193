"""MLflow REST 2.0 experiments endpoints, as the MLflow 2.12 python client calls them.

References: mlflow/protos/service.proto (CreateExperiment, GetExperiment, ...),
mlflow/server/handlers.py (_create_experiment ... schemas with _assert_required),
mlflow/store/tracking/sqlalchemy_store.py (create/rename/delete/restore semantics),
mlflow/utils/validation.py (_validate_experiment_name: max 500 chars; experiment tag value
max 5000 chars, never truncated).
"""

import time
import unittest

from kiln_server import AJAX, ServerTestCase, kv, uniq


class ExperimentTest(ServerTestCase):

    def get_exp(self, exp_id):
        return self.ok(self.get("experiments/get", experiment_id=exp_id))["experiment"]

    def test_default_experiment_exists(self):
        exp = self.get_exp("0")
        self.assertEqual(exp["experiment_id"], "0")
        self.assertEqual(exp["name"], "Default")
        self.assertEqual(exp["lifecycle_stage"], "active")
        by_name = self.ok(self.get("experiments/get-by-name", experiment_name="Default"))
        self.assertEqual(by_name["experiment"]["experiment_id"], "0")

    def test_create_and_get(self):
        name = uniq("exp")
        exp_id = self.create_experiment(name, tags={"team": "a", "purpose": "test"})
        exp = self.get_exp(exp_id)
        self.assertEqual(exp["experiment_id"], exp_id)
        self.assertEqual(exp["name"], name)
        self.assertEqual(exp["lifecycle_stage"], "active")
        self.assertEqual(exp["artifact_location"], f"mlflow-artifacts:/{exp_id}")
        self.assertIsInstance(exp["creation_time"], int)
        self.assertIsInstance(exp["last_update_time"], int)
        self.assertGreater(exp["creation_time"], 1_600_000_000_000)
        self.assertLessEqual(exp["creation_time"], exp["last_update_time"])
        self.assertEqual(kv(exp.get("tags")), {"team": "a", "purpose": "test"})

    def test_ids_are_distinct_strings(self):
        ids = {self.create_experiment() for _ in range(5)}
        self.assertEqual(len(ids), 5)
        for i in ids:
            self.assertIsInstance(i, str)

    def test_get_by_name(self):
        name = uniq("byname")
        exp_id = self.create_experiment(name)
        exp = self.ok(self.get("experiments/get-by-name", experiment_name=name))["experiment"]
        self.assertEqual(exp["experiment_id"], exp_id)
        self.assertNotFound(self.get("experiments/get-by-name", experiment_name=uniq("nope")))

    def test_get_unknown_id(self):
        self.assertNotFound(self.get("experiments/get", experiment_id="987654321"))

    def test_duplicate_name(self):
        name = uniq("dup")
        self.create_experiment(name)
        self.assertError(self.post("experiments/create", {"name": name}), 400,
                         "RESOURCE_ALREADY_EXISTS")

    def test_create_missing_or_empty_name(self):
        self.assertInvalid(self.post("experiments/create", {}), msg_contains="name")
        self.assertInvalid(self.post("experiments/create", {"name": ""}))

    def test_long_name(self):
        # MLflow 2.12 has no server-side name length check (500 arrived in 2.15, PR #12651).
        exp_id = self.create_experiment("n" * 500)
        self.assertEqual(self.get_exp(exp_id)["name"], "n" * 500)

    def test_rename(self):
        old, new = uniq("old"), uniq("new")
        exp_id = self.create_experiment(old)
        before = self.get_exp(exp_id)
        self.ok(self.post("experiments/update", {"experiment_id": exp_id, "new_name": new}))
        after = self.get_exp(exp_id)
        self.assertEqual(after["name"], new)
        self.assertGreaterEqual(after["last_update_time"], before["last_update_time"])
        self.assertNotFound(self.get("experiments/get-by-name", experiment_name=old))
        got = self.ok(self.get("experiments/get-by-name", experiment_name=new))
        self.assertEqual(got["experiment"]["experiment_id"], exp_id)

    def test_rename_to_existing_name_fails(self):
        a, b = uniq("a"), uniq("b")
        exp_a = self.create_experiment(a)
        self.create_experiment(b)
        self.assertError(self.post("experiments/update", {"experiment_id": exp_a, "new_name": b}),
                         400, ("RESOURCE_ALREADY_EXISTS", "INVALID_PARAMETER_VALUE"))
        self.assertEqual(self.get_exp(exp_a)["name"], a)

    def test_rename_unknown(self):
        self.assertNotFound(self.post("experiments/update",
                                      {"experiment_id": "987654321", "new_name": uniq()}))

    def test_delete_and_restore(self):
        name = uniq("del")
        exp_id = self.create_experiment(name)
        self.ok(self.post("experiments/delete", {"experiment_id": exp_id}))
        self.assertEqual(self.get_exp(exp_id)["lifecycle_stage"], "deleted")

        def ids(view_type):
            body = {"filter": f"name = '{name}'", "max_results": 10}
            if view_type:
                body["view_type"] = view_type
            out = self.ok(self.post("experiments/search", body))
            return [e["experiment_id"] for e in out.get("experiments", [])]

        self.assertEqual(ids(None), [])
        self.assertEqual(ids("ACTIVE_ONLY"), [])
        self.assertEqual(ids("DELETED_ONLY"), [exp_id])
        self.assertEqual(ids("ALL"), [exp_id])
        # A deleted experiment's name stays taken (sqlalchemy_store.create_experiment).
        self.assertError(self.post("experiments/create", {"name": name}), 400,
                         "RESOURCE_ALREADY_EXISTS")
        self.ok(self.post("experiments/restore", {"experiment_id": exp_id}))
        self.assertEqual(self.get_exp(exp_id)["lifecycle_stage"], "active")
        self.assertEqual(ids(None), [exp_id])

    def test_delete_unknown(self):
        self.assertNotFound(self.post("experiments/delete", {"experiment_id": "987654321"}))
        self.assertNotFound(self.post("experiments/restore", {"experiment_id": "987654321"}))

    def test_create_run_in_deleted_experiment_refused(self):
        exp_id = self.create_experiment()
        self.create_run(exp_id)
        self.ok(self.post("experiments/delete", {"experiment_id": exp_id}))
        # sqlalchemy_store.create_run: experiment must be active -> INVALID_PARAMETER_VALUE
        self.assertInvalid(self.post("runs/create", {"experiment_id": exp_id,
                                                     "start_time": 1}))

    def test_experiment_tags(self):
        exp_id = self.create_experiment()
        self.ok(self.post("experiments/set-experiment-tag",
                          {"experiment_id": exp_id, "key": "k1", "value": "v1"}))
        self.ok(self.post("experiments/set-experiment-tag",
                          {"experiment_id": exp_id, "key": "k2", "value": "v2"}))
        self.ok(self.post("experiments/set-experiment-tag",
                          {"experiment_id": exp_id, "key": "k1", "value": "v1b"}))
        self.assertEqual(kv(self.get_exp(exp_id).get("tags")), {"k1": "v1b", "k2": "v2"})
        self.ok(self.post("experiments/delete-experiment-tag",
                          {"experiment_id": exp_id, "key": "k1"}))
        self.assertEqual(kv(self.get_exp(exp_id).get("tags")), {"k2": "v2"})

    def test_experiment_tag_errors(self):
        exp_id = self.create_experiment()
        self.assertNotFound(self.post("experiments/set-experiment-tag",
                                      {"experiment_id": "987654321", "key": "k", "value": "v"}))
        self.assertInvalid(self.post("experiments/set-experiment-tag",
                                     {"experiment_id": exp_id, "value": "v"}),
                           msg_contains="key")
        # MAX_EXPERIMENT_TAG_VAL_LENGTH = 5000, validated without truncation.
        self.ok(self.post("experiments/set-experiment-tag",
                          {"experiment_id": exp_id, "key": "long", "value": "x" * 5000}))
        self.assertInvalid(self.post("experiments/set-experiment-tag",
                                     {"experiment_id": exp_id, "key": "long2",
                                      "value": "x" * 5001}))
        self.assertInvalid(self.post("experiments/set-experiment-tag",
                                     {"experiment_id": exp_id, "key": "k" * 251, "value": "v"}))
        tags = kv(self.get_exp(exp_id).get("tags"))
        self.assertEqual(len(tags["long"]), 5000)
        self.assertNotIn("long2", tags)

    def test_search_filters(self):
        prefix = uniq("srch")
        a = self.create_experiment(prefix + "-alpha", tags={"env": "prod"})
        b = self.create_experiment(prefix + "-Beta", tags={"env": "dev"})
        c = self.create_experiment(prefix + "-gamma")

        def search(flt, **extra):
            body = {"filter": flt, "max_results": 100}
            body.update(extra)
            out = self.ok(self.post("experiments/search", body), flt)
            return [e["experiment_id"] for e in out.get("experiments", [])]

        self.assertEqual(search(f"name = '{prefix}-alpha'"), [a])
        self.assertEqual(set(search(f"name LIKE '{prefix}-%'")), {a, b, c})
        self.assertEqual(search(f"name LIKE '{prefix}-b%'"), [])
        self.assertEqual(search(f"name ILIKE '{prefix}-b%'"), [b])
        self.assertEqual(set(search(f"name != '{prefix}-alpha' AND name LIKE '{prefix}%'")),
                         {b, c})
        self.assertEqual(search(f"name LIKE '{prefix}%' AND tags.env = 'prod'"), [a])
        self.assertEqual(set(search(f"name LIKE '{prefix}%' AND tags.env LIKE '%'")), {a, b})
        self.assertEqual(search(f"attribute.name = '{prefix}-gamma'"), [c])
        ordered = search(f"name LIKE '{prefix}%'", order_by=["name DESC"])
        self.assertEqual(ordered, [c, a, b])  # 'gamma' > 'alpha' > 'Beta' (byte order)
        ordered = search(f"name LIKE '{prefix}%'", order_by=["name ASC"])
        self.assertEqual(ordered, [b, a, c])

    def test_search_by_time_attributes(self):
        prefix = uniq("time")
        first = self.create_experiment(prefix + "-1")
        t1 = self.get_exp(first)["creation_time"]
        time.sleep(0.01)
        second = self.create_experiment(prefix + "-2")
        t2 = self.get_exp(second)["creation_time"]
        self.assertGreater(t2, t1)
        out = self.ok(self.post("experiments/search", {
            "filter": f"name LIKE '{prefix}%' AND creation_time > {t1}"}))
        self.assertEqual([e["experiment_id"] for e in out["experiments"]], [second])
        out = self.ok(self.post("experiments/search", {
            "filter": f"name LIKE '{prefix}%'", "order_by": ["creation_time ASC"]}))
        self.assertEqual([e["experiment_id"] for e in out["experiments"]], [first, second])
        out = self.ok(self.post("experiments/search", {
            "filter": f"name LIKE '{prefix}%'", "order_by": ["last_update_time DESC"]}))
        self.assertEqual([e["experiment_id"] for e in out["experiments"]], [second, first])

    def test_search_bad_filter(self):
        for flt in ("name =", "name LIKE", "metrics.x > 1", "name = 'a' OR name = 'b'"):
            self.assertInvalid(self.post("experiments/search", {"filter": flt}), what=flt)

    def test_search_returns_full_objects(self):
        name = uniq("full")
        exp_id = self.create_experiment(name, tags={"x": "y"})
        out = self.ok(self.post("experiments/search", {"filter": f"name = '{name}'"}))
        (exp,) = out["experiments"]
        self.assertEqual(exp["experiment_id"], exp_id)
        self.assertEqual(exp["artifact_location"], f"mlflow-artifacts:/{exp_id}")
        self.assertEqual(kv(exp.get("tags")), {"x": "y"})
        self.assertNotIn("next_page_token", out)

    def test_search_get_variant(self):
        prefix = uniq("getsrch")
        ids = [self.create_experiment(f"{prefix}-{i}") for i in range(3)]
        out = self.ok(self.call("GET", "experiments/search",
                                query={"filter": f"name LIKE '{prefix}%'", "max_results": 10,
                                       "order_by": ["name DESC"], "view_type": "ACTIVE_ONLY"}))
        self.assertEqual([e["experiment_id"] for e in out["experiments"]], ids[::-1])

    def test_search_pagination(self):
        prefix = uniq("page")
        ids = {self.create_experiment(f"{prefix}-{i:02d}") for i in range(7)}
        seen, token, pages = [], None, 0
        while True:
            body = {"filter": f"name LIKE '{prefix}%'", "max_results": 3,
                    "order_by": ["name ASC"]}
            if token:
                body["page_token"] = token
            out = self.ok(self.post("experiments/search", body))
            seen += [e["experiment_id"] for e in out.get("experiments", [])]
            pages += 1
            token = out.get("next_page_token")
            if not token:
                break
            self.assertLess(pages, 10, "pagination does not terminate")
        self.assertEqual(len(seen), len(set(seen)), "duplicates across pages")
        self.assertEqual(set(seen), ids)
        self.assertEqual(pages, 3)

    def test_ajax_route(self):
        exp_id = self.create_experiment()
        out = self.ok(self.call("GET", "experiments/get", query={"experiment_id": exp_id},
                                prefix=AJAX))
        self.assertEqual(out["experiment"]["experiment_id"], exp_id)
        out = self.ok(self.call("POST", "experiments/create", body={"name": uniq("ajax")},
                                prefix=AJAX))
        self.assertIn("experiment_id", out)


if __name__ == "__main__":
    unittest.main()
