"""Search: the MLflow filter grammar for runs (metrics/params/tags/attributes/datasets,
comparators, LIKE/ILIKE, IN/NOT IN), order_by with several keys, page_token pagination for
runs, registered models and model versions, and bad filters.

References: mlflow/utils/search_utils.py (SearchUtils: VALID_METRIC_COMPARATORS,
VALID_PARAM/TAG_COMPARATORS, IN only for attributes.run_id and datasets, backticked keys,
_get_value_for_sort puts runs without the key last in both directions, natural order
start_time DESC then run id); mlflow/store/tracking/sqlalchemy_store.py (_search_runs:
filters on the latest metric value); mlflow/server/handlers.py (_search_runs schema);
Kiln contract: filter errors are 400 INVALID_PARAMETER_VALUE naming the position.
"""

import unittest

from kiln_server import ServerTestCase, now_ms, uniq


class RunSearchTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        post = cls.server.post_ok

        cls.exp_id = post("experiments/create", {"name": uniq("search")})["experiment_id"]
        cls.base = now_ms() - 3_600_000
        cls.runs = []  # index i -> run_id
        for i in range(10):
            run = post("runs/create", {"experiment_id": cls.exp_id, "run_name": f"run-{i:02d}",
                                       "start_time": cls.base + i * 1000})["run"]
            run_id = run["info"]["run_id"]
            cls.runs.append(run_id)
            metrics = [{"key": "acc", "value": i / 10, "timestamp": cls.base, "step": 1},
                       {"key": "loss", "value": float(10 - i), "timestamp": cls.base, "step": 0}]
            if i == 0:  # an older, higher value that must not count (latest wins)
                metrics.append({"key": "acc", "value": 0.99, "timestamp": cls.base, "step": 0})
            if i == 3:
                metrics.append({"key": "my metric", "value": 42, "timestamp": cls.base,
                                "step": 0})
            tags = [{"key": "color", "value": "Red" if i % 3 == 0 else "blue"}]
            if i == 4:
                tags.append({"key": "weird.key", "value": "yes"})
            post("runs/log-batch", {
                "run_id": run_id, "metrics": metrics, "tags": tags,
                "params": [{"key": "group", "value": "g1" if i % 2 == 0 else "g2"},
                           {"key": "model", "value": "xgb" if i >= 7 else "lr"}]})
            if i < 5:
                post("runs/update", {"run_id": run_id, "status": "FINISHED",
                                     "end_time": cls.base + i * 1000 + 500})
        # A run with no metrics and no color tag, started before all others.
        cls.bare = post("runs/create", {"experiment_id": cls.exp_id, "run_name": "bare",
                                        "start_time": cls.base - 100_000})["run"]["info"]["run_id"]
        post("runs/log-parameter", {"run_id": cls.bare, "key": "group", "value": "g3"})

    def search(self, flt="", order_by=None, max_results=None, experiment_ids=None, **extra):
        body = {"experiment_ids": experiment_ids or [self.exp_id]}
        if flt:
            body["filter"] = flt
        if order_by:
            body["order_by"] = order_by
        if max_results:
            body["max_results"] = max_results
        body.update(extra)
        return self.ok(self.post("runs/search", body), f"filter={flt!r} order_by={order_by}")

    def ids(self, flt="", order_by=None, **kw):
        return [r["info"]["run_id"] for r in self.search(flt, order_by, **kw).get("runs", [])]

    def idx(self, flt="", order_by=None, **kw):
        """Search and map run ids back to their index (bare run -> 'bare')."""
        names = {rid: i for i, rid in enumerate(self.runs)}
        names[self.bare] = "bare"
        return [names[r] for r in self.ids(flt, order_by, **kw)]

    def assertMatch(self, flt, expected):
        self.assertEqual(sorted(self.idx(flt), key=str), sorted(expected, key=str), flt)

    # ---- filters ---------------------------------------------------------------------

    def test_no_filter_returns_all_in_default_order(self):
        # Natural order: start_time DESC.
        self.assertEqual(self.idx(), list(range(9, -1, -1)) + ["bare"])

    def test_run_objects_are_complete(self):
        out = self.search("attributes.run_name = 'run-03'")
        (run,) = out["runs"]
        self.assertEqual(run["info"]["run_id"], self.runs[3])
        self.assertEqual(run["info"]["run_uuid"], self.runs[3])
        self.assertEqual(run["info"]["status"], "FINISHED")
        metrics = {m["key"]: m["value"] for m in run["data"]["metrics"]}
        self.assertEqual(metrics, {"acc": 0.3, "loss": 7.0, "my metric": 42})
        params = {p["key"]: p["value"] for p in run["data"]["params"]}
        self.assertEqual(params, {"group": "g2", "model": "lr"})

    def test_metric_comparators(self):
        self.assertMatch("metrics.acc > 0.45", [5, 6, 7, 8, 9])
        self.assertMatch("metrics.acc >= 0.5", [5, 6, 7, 8, 9])
        self.assertMatch("metrics.acc < 0.2", [0, 1])
        self.assertMatch("metrics.acc <= 0.1", [0, 1])
        self.assertMatch("metrics.acc = 0.3", [3])
        self.assertMatch("metrics.acc != 0.3", [0, 1, 2, 4, 5, 6, 7, 8, 9])
        self.assertMatch("metric.loss > 8", [0, 1])
        self.assertMatch("metrics.acc > 5", [])

    def test_number_forms(self):
        self.assertMatch("metrics.acc > 5e-1", [6, 7, 8, 9])
        self.assertMatch("metrics.acc >= .5", [5, 6, 7, 8, 9])
        self.assertMatch("metrics.acc > -1 AND metrics.acc < 0.15", [0, 1])
        self.assertMatch("metrics.loss = 10", [0])

    def test_unquoted_dotted_keys_and_aliases(self):
        self.assertMatch("tags.mlflow.runName = 'run-02'", [2])
        self.assertMatch("params.group LIKE 'g%' AND params.group != 'g2'", [0, 2, 4, 6, 8,
                                                                               "bare"])
        self.assertMatch("attr.run_name = 'run-05'", [5])

    def test_metric_filter_uses_latest_value(self):
        self.assertMatch("metrics.acc > 0.95", [])

    def test_param_comparators(self):
        self.assertMatch("params.group = 'g2'", [1, 3, 5, 7, 9])
        self.assertMatch("params.group != 'g2'", [0, 2, 4, 6, 8, "bare"])
        self.assertMatch('params.group = "g1"', [0, 2, 4, 6, 8])
        self.assertMatch("param.model LIKE 'x%'", [7, 8, 9])
        self.assertMatch("params.model LIKE 'X%'", [])
        self.assertMatch("params.model ILIKE 'X%'", [7, 8, 9])
        self.assertMatch("parameters.model LIKE '_g_'", [7, 8, 9])
        self.assertMatch("params.missing = 'x'", [])

    def test_tag_comparators(self):
        self.assertMatch("tags.color = 'Red'", [0, 3, 6, 9])
        self.assertMatch("tags.color != 'Red'", [1, 2, 4, 5, 7, 8])
        self.assertMatch("tags.color LIKE 'red'", [])
        self.assertMatch("tags.color ILIKE 'red'", [0, 3, 6, 9])
        self.assertMatch("tag.color LIKE '%e%'", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])

    def test_quoted_keys(self):
        self.assertMatch("metrics.`my metric` > 1", [3])
        self.assertMatch("tags.`weird.key` = 'yes'", [4])
        self.assertMatch("tags.`mlflow.runName` = 'run-07'", [7])

    def test_attribute_filters(self):
        self.assertMatch("attributes.status = 'FINISHED'", [0, 1, 2, 3, 4])
        self.assertMatch("attribute.status != 'FINISHED'", [5, 6, 7, 8, 9, "bare"])
        self.assertMatch("attributes.run_name = 'run-03'", [3])
        self.assertMatch("run_name LIKE 'run-0%'", list(range(10)))
        self.assertMatch("attributes.run_name ILIKE 'RUN-01'", [1])
        self.assertMatch(f"attributes.start_time >= {self.base + 5000}", [5, 6, 7, 8, 9])
        self.assertMatch(f"attributes.start_time < {self.base}", ["bare"])
        self.assertMatch(f"attributes.end_time <= {self.base + 1500}", [0, 1])

    def test_run_id_in(self):
        a, b, c = self.runs[1], self.runs[2], self.runs[3]
        self.assertMatch(f"attributes.run_id IN ('{a}', '{b}')", [1, 2])
        self.assertMatch(f"attributes.run_id = '{c}'", [3])
        self.assertMatch(f"attributes.run_id NOT IN ('{a}', '{b}') AND params.group = 'g2'",
                         [3, 5, 7, 9])

    def test_conjunction(self):
        self.assertMatch("metrics.loss > 5 AND params.group = 'g1'", [0, 2, 4])
        self.assertMatch("metrics.acc > 0.5 and params.group = 'g2' and tags.color = 'Red'",
                         [9])
        self.assertMatch("params.model = 'xgb' AND attributes.status = 'FINISHED'", [])

    def test_across_experiments_and_view_types(self):
        other = self.create_experiment()
        r1 = self.create_run(other)["info"]["run_id"]
        r2 = self.create_run(other)["info"]["run_id"]
        self.ok(self.post("runs/log-parameter", {"run_id": r1, "key": "group", "value": "g1"}))
        self.ok(self.post("runs/log-parameter", {"run_id": r2, "key": "group", "value": "g1"}))
        got = set(self.ids("params.group = 'g1'", experiment_ids=[self.exp_id, other]))
        self.assertEqual(got, {self.runs[i] for i in (0, 2, 4, 6, 8)} | {r1, r2})
        self.ok(self.post("runs/delete", {"run_id": r2}))
        self.assertEqual(set(self.ids(experiment_ids=[other])), {r1})
        self.assertEqual(set(self.ids(experiment_ids=[other], run_view_type="ACTIVE_ONLY")),
                         {r1})
        self.assertEqual(set(self.ids(experiment_ids=[other], run_view_type="DELETED_ONLY")),
                         {r2})
        self.assertEqual(set(self.ids(experiment_ids=[other], run_view_type="ALL")), {r1, r2})

    def test_dataset_filter(self):
        other = self.create_experiment()
        r1 = self.create_run(other)["info"]["run_id"]
        self.create_run(other)
        self.ok(self.post("runs/log-inputs", {"run_id": r1, "datasets": [{
            "tags": [{"key": "mlflow.data.context", "value": "training"}],
            "dataset": {"name": "iris", "digest": "d1", "source_type": "local",
                        "source": "{}"}}]}))
        self.assertEqual(self.ids("datasets.name = 'iris'", experiment_ids=[other]), [r1])
        self.assertEqual(self.ids("datasets.digest IN ('d1', 'd2')", experiment_ids=[other]),
                         [r1])
        self.assertEqual(self.ids("datasets.context = 'training'", experiment_ids=[other]),
                         [r1])
        self.assertEqual(self.ids("datasets.name = 'wine'", experiment_ids=[other]), [])

    # ---- order_by --------------------------------------------------------------------

    def test_order_by_metric(self):
        self.assertEqual(self.idx(order_by=["metrics.acc DESC"]),
                         list(range(9, -1, -1)) + ["bare"])
        # Runs without the metric come last in both directions.
        self.assertEqual(self.idx(order_by=["metrics.acc ASC"]), list(range(10)) + ["bare"])
        self.assertEqual(self.idx(order_by=["metrics.acc"]), list(range(10)) + ["bare"])

    def test_order_by_multiple_keys(self):
        self.assertEqual(self.idx(order_by=["params.group ASC", "metrics.acc DESC"]),
                         [8, 6, 4, 2, 0, 9, 7, 5, 3, 1, "bare"])
        self.assertEqual(self.idx(order_by=["params.group DESC", "metrics.loss ASC"]),
                         ["bare", 9, 7, 5, 3, 1, 8, 6, 4, 2, 0])
        # 'blue' > 'Red' in byte order; the bare run has no color tag -> last.
        self.assertEqual(self.idx(order_by=["tags.color DESC", "attributes.run_name ASC"]),
                         [1, 2, 4, 5, 7, 8, 0, 3, 6, 9, "bare"])

    def test_order_by_attributes(self):
        self.assertEqual(self.idx(order_by=["attributes.start_time ASC"]),
                         ["bare"] + list(range(10)))
        self.assertEqual(self.idx(order_by=["attributes.run_name DESC"]),
                         list(range(9, -1, -1)) + ["bare"])

    def test_order_by_with_filter(self):
        self.assertEqual(self.idx("params.group = 'g2'", order_by=["metrics.acc ASC"]),
                         [1, 3, 5, 7, 9])

    # ---- pagination ------------------------------------------------------------------

    def paginate(self, page_size, **kw):
        seen, token, pages = [], None, 0
        while True:
            extra = dict(kw)
            if token:
                extra["page_token"] = token
            out = self.search(max_results=page_size, **extra)
            page = [r["info"]["run_id"] for r in out.get("runs", [])]
            self.assertLessEqual(len(page), page_size)
            seen += page
            pages += 1
            token = out.get("next_page_token")
            if not token:
                return seen, pages
            self.assertLess(pages, 50, "pagination does not terminate")

    def test_pagination_covers_everything_once(self):
        for order_by in (None, ["metrics.acc DESC"], ["params.group ASC", "metrics.acc DESC"]):
            full = self.ids(order_by=order_by)
            self.assertEqual(len(full), 11)
            for size in (1, 3, 4, 11):
                seen, pages = self.paginate(size, order_by=order_by)
                self.assertEqual(seen, full, f"order_by={order_by} page size {size}")
                self.assertEqual(len(set(seen)), len(seen))
                self.assertEqual(pages, -(-11 // size))

    def test_pagination_with_filter(self):
        full = self.ids("params.group = 'g1'")
        seen, pages = self.paginate(2, flt="params.group = 'g1'")
        self.assertEqual(seen, full)
        self.assertEqual(len(seen), 5)
        self.assertEqual(pages, 3)

    def test_bad_page_token(self):
        self.assertInvalid(self.post("runs/search", {"experiment_ids": [self.exp_id],
                                                     "page_token": "not a token!!"}))

    # ---- errors ----------------------------------------------------------------------

    def test_bad_filters_name_position(self):
        bad = [
            "metrics.acc >",
            "metrics.acc > 1 AND",
            "params.group = 'unterminated",
            "metrics.acc >> 1",
            "metrics.acc 1",
            "badentity.x = 'y'",
            "metrics.acc > 1 OR metrics.acc < 0",
            "params.group > 'g1'",
            "metrics.acc = 'abc'",
            "params.group = g1 = 1",
            "attributes.nosuchattr = 'x'",
            "= 'x'",
            "AND",
        ]
        for flt in bad:
            self.assertInvalid(self.post("runs/search", {"experiment_ids": [self.exp_id],
                                                         "filter": flt}),
                               msg_contains="position", what=flt)

    def test_bad_order_by(self):
        for ob in ("metrics.acc SIDEWAYS", "badentity.x", "attributes.nosuchattr",
                   "metrics.acc DESC extra"):
            self.assertInvalid(self.post("runs/search", {"experiment_ids": [self.exp_id],
                                                         "order_by": [ob]}), what=ob)

    def test_max_results_bounds(self):
        self.assertEqual(len(self.search(max_results=2)["runs"]), 2)
        self.assertInvalid(self.post("runs/search", {"experiment_ids": [self.exp_id],
                                                     "max_results": 50001}))


class RegistrySearchPaginationTest(ServerTestCase):

    def test_registered_models_pagination(self):
        prefix = uniq("rmpage")
        names = [f"{prefix}-{i:02d}" for i in range(7)]
        for n in names:
            self.ok(self.post("registered-models/create", {"name": n}))
        seen, token, pages = [], None, 0
        while True:
            query = {"filter": f"name LIKE '{prefix}%'", "max_results": 3,
                     "order_by": ["name ASC"]}
            if token:
                query["page_token"] = token
            out = self.ok(self.call("GET", "registered-models/search", query=query))
            seen += [m["name"] for m in out.get("registered_models", [])]
            pages += 1
            token = out.get("next_page_token")
            if not token:
                break
            self.assertLess(pages, 10)
        self.assertEqual(seen, names)
        self.assertEqual(pages, 3)

    def test_model_versions_pagination(self):
        name = uniq("mvpage")
        self.ok(self.post("registered-models/create", {"name": name}))
        exp_id = self.create_experiment()
        run = self.create_run(exp_id)
        for _ in range(7):
            self.ok(self.post("model-versions/create", {
                "name": name, "source": run["info"]["artifact_uri"] + "/model",
                "run_id": run["info"]["run_id"]}))
        seen, token, pages = [], None, 0
        while True:
            query = {"filter": f"name = '{name}'", "max_results": 3}
            if token:
                query["page_token"] = token
            out = self.ok(self.call("GET", "model-versions/search", query=query))
            seen += [v["version"] for v in out.get("model_versions", [])]
            pages += 1
            token = out.get("next_page_token")
            if not token:
                break
            self.assertLess(pages, 10)
        self.assertEqual(sorted(seen, key=int), [str(i) for i in range(1, 8)])
        self.assertEqual(len(set(seen)), 7)
        self.assertEqual(pages, 3)

    def test_experiments_pagination_get(self):
        prefix = uniq("exppage")
        ids = [self.create_experiment(f"{prefix}-{i}") for i in range(5)]
        seen, token = [], None
        for _ in range(10):
            query = {"filter": f"name LIKE '{prefix}%'", "max_results": 2,
                     "order_by": ["name ASC"]}
            if token:
                query["page_token"] = token
            out = self.ok(self.call("GET", "experiments/search", query=query))
            seen += [e["experiment_id"] for e in out.get("experiments", [])]
            token = out.get("next_page_token")
            if not token:
                break
        self.assertEqual(seen, ids)


if __name__ == "__main__":
    unittest.main()
