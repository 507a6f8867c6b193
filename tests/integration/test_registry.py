"""Model registry: registered models, model versions, stages, aliases, tags, search.

The MLflow 2.12 client sends registered-models/update and model-versions/update as PATCH,
the deletes as DELETE with a JSON body, searches as GET with query parameters
(mlflow/store/model_registry/rest_store.py, mlflow/utils/rest_utils.call_endpoint).
References: mlflow/protos/model_registry.proto; mlflow/server/handlers.py
(_create_model_version -> _validate_source: no '..', no local paths without a run);
mlflow/store/model_registry/sqlalchemy_store.py (RESOURCE_ALREADY_EXISTS on duplicate and
rename clash, RESOURCE_DOES_NOT_EXIST for unknown model/version, versions start READY,
transition_model_version_stage with archive_existing_versions only for Staging/Production,
get_latest_versions per stage, aliases removed with their version, 'Registered model alias
X not found.' is INVALID_PARAMETER_VALUE); mlflow/utils/validation.py
(_validate_model_alias_name: 'latest' and v<digits> reserved; registry tag value max 5000).
"""

import unittest

from kiln_server import AJAX, ServerTestCase, kv, uniq


class RegistryTestBase(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        st, body = cls.server.call("POST", "experiments/create", body={"name": uniq("reg")})
        assert st == 200, body
        cls.exp_id = body["experiment_id"]

    def new_model(self, name=None, **extra):
        body = {"name": name or uniq("model")}
        body.update(extra)
        out = self.ok(self.post("registered-models/create", body), "registered-models/create")
        return out["registered_model"]

    def new_version(self, name, run=None, **extra):
        run = run or self.create_run(self.exp_id)
        body = {"name": name, "source": run["info"]["artifact_uri"] + "/model",
                "run_id": run["info"]["run_id"]}
        body.update(extra)
        out = self.ok(self.post("model-versions/create", body), "model-versions/create")
        return out["model_version"]

    def get_model(self, name):
        return self.ok(self.get("registered-models/get", name=name))["registered_model"]

    def get_version(self, name, version):
        return self.ok(self.get("model-versions/get", name=name,
                                version=version))["model_version"]

    def transition(self, name, version, stage, archive=False):
        return self.call("POST", "model-versions/transition-stage", body={
            "name": name, "version": str(version), "stage": stage,
            "archive_existing_versions": archive})


class RegisteredModelTest(RegistryTestBase):

    def test_create_and_get(self):
        name = uniq("rm")
        rm = self.new_model(name, description="first model",
                            tags=[{"key": "team", "value": "ml"}])
        self.assertEqual(rm["name"], name)
        self.assertIsInstance(rm["creation_timestamp"], int)
        self.assertIsInstance(rm["last_updated_timestamp"], int)
        got = self.get_model(name)
        self.assertEqual(got["name"], name)
        self.assertEqual(got["description"], "first model")
        self.assertEqual(kv(got.get("tags")), {"team": "ml"})
        self.assertEqual(got.get("latest_versions", []), [])
        self.assertEqual(got["creation_timestamp"], rm["creation_timestamp"])

    def test_duplicate(self):
        name = uniq("dup")
        self.new_model(name)
        self.assertError(self.post("registered-models/create", {"name": name}), 400,
                         "RESOURCE_ALREADY_EXISTS")

    def test_create_requires_name(self):
        self.assertInvalid(self.post("registered-models/create", {}), msg_contains="name")
        self.assertInvalid(self.post("registered-models/create", {"name": ""}))

    def test_get_unknown(self):
        self.assertNotFound(self.get("registered-models/get", name=uniq("missing")))

    def test_rename(self):
        old, new = uniq("old"), uniq("new")
        self.new_model(old)
        self.new_version(old)
        out = self.ok(self.post("registered-models/rename", {"name": old, "new_name": new}))
        self.assertEqual(out["registered_model"]["name"], new)
        self.assertNotFound(self.get("registered-models/get", name=old))
        self.assertEqual(self.get_model(new)["name"], new)
        mv = self.get_version(new, "1")
        self.assertEqual(mv["name"], new)
        self.assertNotFound(self.get("model-versions/get", name=old, version="1"))

    def test_rename_clash_and_unknown(self):
        a, b = uniq("a"), uniq("b")
        self.new_model(a)
        self.new_model(b)
        self.assertError(self.post("registered-models/rename", {"name": a, "new_name": b}),
                         400, "RESOURCE_ALREADY_EXISTS")
        self.assertNotFound(self.post("registered-models/rename",
                                      {"name": uniq("nope"), "new_name": uniq()}))

    def test_update_description_patch(self):
        name = uniq("upd")
        self.new_model(name)
        out = self.ok(self.call("PATCH", "registered-models/update",
                                body={"name": name, "description": "new text"}))
        self.assertEqual(out["registered_model"]["description"], "new text")
        got = self.get_model(name)
        self.assertEqual(got["description"], "new text")
        self.assertGreaterEqual(got["last_updated_timestamp"], got["creation_timestamp"])
        self.assertNotFound(self.call("PATCH", "registered-models/update",
                                      body={"name": uniq("nope"), "description": "x"}))

    def test_delete(self):
        name = uniq("del")
        self.new_model(name)
        self.new_version(name)
        self.ok(self.call("DELETE", "registered-models/delete", body={"name": name}))
        self.assertNotFound(self.get("registered-models/get", name=name))
        self.assertNotFound(self.get("model-versions/get", name=name, version="1"))
        self.assertNotFound(self.call("DELETE", "registered-models/delete", body={"name": name}))
        # The name can be reused; versions restart at 1.
        self.new_model(name)
        self.assertEqual(self.new_version(name)["version"], "1")

    def test_tags(self):
        name = uniq("tags")
        self.new_model(name)
        self.ok(self.post("registered-models/set-tag", {"name": name, "key": "a", "value": "1"}))
        self.ok(self.post("registered-models/set-tag", {"name": name, "key": "b", "value": "2"}))
        self.ok(self.post("registered-models/set-tag", {"name": name, "key": "a", "value": "3"}))
        self.assertEqual(kv(self.get_model(name).get("tags")), {"a": "3", "b": "2"})
        self.ok(self.call("DELETE", "registered-models/delete-tag", body={"name": name,
                                                                          "key": "a"}))
        self.assertEqual(kv(self.get_model(name).get("tags")), {"b": "2"})
        self.assertNotFound(self.post("registered-models/set-tag",
                                      {"name": uniq("nope"), "key": "a", "value": "1"}))
        self.assertInvalid(self.post("registered-models/set-tag",
                                     {"name": name, "key": "x" * 251, "value": "1"}))
        self.assertInvalid(self.post("registered-models/set-tag",
                                     {"name": name, "key": "long", "value": "x" * 5001}))
        self.ok(self.post("registered-models/set-tag",
                          {"name": name, "key": "long", "value": "x" * 5000}))

    def test_registered_models_search_max_results_bounds(self):
        # handlers: registered-models/search max_results <= 1000
        # (SEARCH_REGISTERED_MODEL_MAX_RESULTS_THRESHOLD); model-versions/search <= 200000
        # (SEARCH_MODEL_VERSION_MAX_RESULTS_THRESHOLD).
        self.ok(self.call("GET", "registered-models/search", query={"max_results": 1000}))
        self.assertInvalid(self.call("GET", "registered-models/search",
                                     query={"max_results": 1001}))

    def test_model_versions_search_max_results_bounds(self):
        self.ok(self.call("GET", "model-versions/search", query={"max_results": 100000}))
        self.ok(self.call("GET", "model-versions/search", query={"max_results": 200000}))
        self.assertInvalid(self.call("GET", "model-versions/search",
                                     query={"max_results": 200001}))

    def test_search(self):
        prefix = uniq("rsearch")
        self.new_model(f"{prefix}-alpha", tags=[{"key": "stage", "value": "prod"}])
        self.new_model(f"{prefix}-Beta")
        self.new_model(f"{prefix}-gamma", tags=[{"key": "stage", "value": "dev"}])

        def names(flt, **extra):
            query = {"filter": flt, "max_results": 100}
            query.update(extra)
            out = self.ok(self.call("GET", "registered-models/search", query=query), flt)
            return [m["name"] for m in out.get("registered_models", [])]

        self.assertEqual(names(f"name = '{prefix}-alpha'"), [f"{prefix}-alpha"])
        self.assertEqual(names(f"name LIKE '{prefix}-%'"),
                         [f"{prefix}-Beta", f"{prefix}-alpha", f"{prefix}-gamma"])
        self.assertEqual(names(f"name ILIKE '{prefix}-b%'"), [f"{prefix}-Beta"])
        self.assertEqual(names(f"name LIKE '{prefix}-b%'"), [])
        self.assertEqual(names(f"name LIKE '{prefix}%' AND tags.stage = 'prod'"),
                         [f"{prefix}-alpha"])
        self.assertEqual(names(f"name LIKE '{prefix}%'", order_by=["name DESC"]),
                         [f"{prefix}-gamma", f"{prefix}-alpha", f"{prefix}-Beta"])
        self.assertInvalid(self.call("GET", "registered-models/search",
                                     query={"filter": "name = "}))
        self.assertInvalid(self.call("GET", "registered-models/search",
                                     query={"order_by": ["nonsense_key DESC"]}))


    def test_ajax_routes(self):
        name = uniq("ajax")
        out = self.ok(self.call("POST", "registered-models/create", body={"name": name},
                                prefix=AJAX))
        self.assertEqual(out["registered_model"]["name"], name)
        out = self.ok(self.call("GET", "registered-models/search",
                                query={"filter": f"name = '{name}'"}, prefix=AJAX))
        self.assertEqual([m["name"] for m in out["registered_models"]], [name])


class ModelVersionTest(RegistryTestBase):

    def test_create_versions(self):
        name = uniq("mv")
        self.new_model(name)
        run = self.create_run(self.exp_id)
        v1 = self.new_version(name, run=run, description="v one",
                              tags=[{"key": "k", "value": "v"}], run_link="http://x/run")
        v2 = self.new_version(name, run=run)
        self.assertEqual((v1["version"], v2["version"]), ("1", "2"))
        self.assertEqual(v1["name"], name)
        self.assertEqual(v1["status"], "READY")
        self.assertEqual(v1["current_stage"], "None")
        self.assertEqual(v1["source"], run["info"]["artifact_uri"] + "/model")
        self.assertEqual(v1["run_id"], run["info"]["run_id"])
        self.assertIsInstance(v1["creation_timestamp"], int)
        got = self.get_version(name, "1")
        self.assertEqual(got["description"], "v one")
        self.assertEqual(got["run_link"], "http://x/run")
        self.assertEqual(got["status"], "READY")
        self.assertEqual(kv(got.get("tags")), {"k": "v"})
        latest = self.get_model(name).get("latest_versions", [])
        self.assertEqual([(v["version"], v["current_stage"]) for v in latest], [("2", "None")])

    def test_create_errors(self):
        name = uniq("mverr")
        self.new_model(name)
        run = self.create_run(self.exp_id)
        self.assertNotFound(self.post("model-versions/create", {
            "name": uniq("nomodel"), "source": run["info"]["artifact_uri"] + "/model",
            "run_id": run["info"]["run_id"]}))
        self.assertInvalid(self.post("model-versions/create", {"name": name}),
                           msg_contains="source")
        self.assertInvalid(self.post("model-versions/create", {"source": "runs:/x/model"}),
                           msg_contains="name")

    def test_source_traversal_refused(self):
        # handlers._validate_source: local paths need a run whose artifact dir holds them,
        # file: URIs are refused, and _validate_non_local_source_contains_relative_paths
        # refuses any source whose (fully unquoted) path does not resolve to itself.
        name = uniq("mvsrc")
        self.new_model(name)
        accepted = []
        for src in ("mlflow-artifacts:/1/../../../etc", "mlflow-artifacts:/1/..%2f..%2fetc",
                    "mlflow-artifacts:/1/%252e%252e/%252e%252e/etc",
                    "http://host/api/2.0/mlflow-artifacts/artifacts/../../../etc",
                    "runs:/abc/../../../x", "s3://bucket/a/../../x",
                    "file:///etc/passwd", "/etc/passwd", "/tmp/../etc"):
            status, body = self.post("model-versions/create", {"name": name, "source": src})
            self.assertLess(status, 500, body)
            if status == 200:
                accepted.append(src)
            else:
                self.assertInvalid((status, body), what=src)
        self.assertEqual(accepted, [], "unsafe model version sources accepted")
        self.assertEqual(self.get_model(name).get("latest_versions", []), [])

    def test_get_unknown_and_bad_version(self):
        name = uniq("mvget")
        self.new_model(name)
        self.assertNotFound(self.get("model-versions/get", name=name, version="7"))
        self.assertNotFound(self.get("model-versions/get", name=uniq("nope"), version="1"))
        self.assertInvalid(self.get("model-versions/get", name=name, version="abc"))

    def test_update_patch(self):
        name = uniq("mvupd")
        self.new_model(name)
        self.new_version(name)
        out = self.ok(self.call("PATCH", "model-versions/update",
                                body={"name": name, "version": "1", "description": "better"}))
        self.assertEqual(out["model_version"]["description"], "better")
        self.assertEqual(self.get_version(name, "1")["description"], "better")
        self.assertNotFound(self.call("PATCH", "model-versions/update",
                                      body={"name": name, "version": "9",
                                            "description": "x"}))

    def test_delete(self):
        name = uniq("mvdel")
        self.new_model(name)
        self.new_version(name)
        self.new_version(name)
        self.ok(self.call("DELETE", "model-versions/delete", body={"name": name,
                                                                   "version": "2"}))
        self.assertNotFound(self.get("model-versions/get", name=name, version="2"))
        self.assertEqual(self.get_version(name, "1")["version"], "1")
        self.assertNotFound(self.call("DELETE", "model-versions/delete",
                                      body={"name": name, "version": "2"}))
        # Version numbers are never reused (the SQL store soft-deletes versions).
        self.assertEqual(self.new_version(name)["version"], "3")
        latest = self.get_model(name).get("latest_versions", [])
        self.assertEqual([v["version"] for v in latest], ["3"])

    def test_download_uri(self):
        name = uniq("mvuri")
        self.new_model(name)
        mv = self.new_version(name)
        out = self.ok(self.get("model-versions/get-download-uri", name=name, version="1"))
        self.assertEqual(out["artifact_uri"], mv["source"])
        self.assertNotFound(self.get("model-versions/get-download-uri", name=name, version="5"))

    def test_version_tags(self):
        name = uniq("mvtags")
        self.new_model(name)
        self.new_version(name)
        self.ok(self.post("model-versions/set-tag", {"name": name, "version": "1", "key": "a",
                                                     "value": "1"}))
        self.ok(self.post("model-versions/set-tag", {"name": name, "version": "1", "key": "b",
                                                     "value": "2"}))
        self.assertEqual(kv(self.get_version(name, "1").get("tags")), {"a": "1", "b": "2"})
        self.ok(self.call("DELETE", "model-versions/delete-tag",
                          body={"name": name, "version": "1", "key": "a"}))
        self.assertEqual(kv(self.get_version(name, "1").get("tags")), {"b": "2"})
        self.assertNotFound(self.post("model-versions/set-tag", {"name": name, "version": "4",
                                                                 "key": "a", "value": "1"}))
        self.assertInvalid(self.post("model-versions/set-tag",
                                     {"name": name, "version": "1", "key": "k",
                                      "value": "x" * 5001}))

    def test_stages_and_archive_existing(self):
        name = uniq("stages")
        self.new_model(name)
        for _ in range(4):
            self.new_version(name)
        out = self.ok(self.transition(name, 1, "Staging"))
        self.assertEqual(out["model_version"]["current_stage"], "Staging")
        self.ok(self.transition(name, 2, "Production"))
        # Stage names are case-insensitive (get_canonical_stage).
        out = self.ok(self.transition(name, 3, "production", archive=True))
        self.assertEqual(out["model_version"]["current_stage"], "Production")
        stages = {v: self.get_version(name, v)["current_stage"] for v in ("1", "2", "3", "4")}
        self.assertEqual(stages, {"1": "Staging", "2": "Archived", "3": "Production",
                                  "4": "None"})
        # Without archive_existing_versions nothing else changes.
        self.ok(self.transition(name, 4, "Staging"))
        self.assertEqual(self.get_version(name, "1")["current_stage"], "Staging")
        self.assertInvalid(self.transition(name, 1, "Bogus"))
        self.assertNotFound(self.transition(name, 9, "Staging"))
        self.assertEqual(self.get_version(name, "1")["current_stage"], "Staging")

    def test_archive_existing_only_for_active_stages(self):
        # sqlalchemy_store.transition_model_version_stage refuses archive_existing_versions
        # when the target is not Staging/Production (MLflow raises it without an error code,
        # i.e. a 500; Kiln must answer 400 and change nothing).
        name = uniq("archonly")
        self.new_model(name)
        self.new_version(name)
        self.new_version(name)
        self.ok(self.transition(name, 2, "Production"))
        for stage in ("Archived", "None"):
            self.assertError(self.transition(name, 1, stage, archive=True), 400, what=stage)
        self.assertEqual(self.get_version(name, "1")["current_stage"], "None")
        self.assertEqual(self.get_version(name, "2")["current_stage"], "Production")

    def test_get_latest_versions(self):
        name = uniq("latest")
        self.new_model(name)
        for _ in range(5):
            self.new_version(name)
        self.ok(self.transition(name, 1, "Production"))
        self.ok(self.transition(name, 2, "Production"))
        self.ok(self.transition(name, 3, "Staging"))

        def latest(stages=None, method="POST"):
            if method == "POST":
                body = {"name": name}
                if stages is not None:
                    body["stages"] = stages
                out = self.ok(self.post("registered-models/get-latest-versions", body))
            else:
                query = {"name": name}
                if stages is not None:
                    query["stages"] = stages
                out = self.ok(self.call("GET", "registered-models/get-latest-versions",
                                        query=query))
            return sorted((v["version"], v["current_stage"])
                          for v in out.get("model_versions", []))

        self.assertEqual(latest(["Production"]), [("2", "Production")])
        self.assertEqual(latest(["Production", "Staging"]), [("2", "Production"),
                                                             ("3", "Staging")])
        self.assertEqual(latest(["None"]), [("5", "None")])
        self.assertEqual(latest(), [("2", "Production"), ("3", "Staging"), ("5", "None")])
        self.assertEqual(latest(["Production", "Staging"], method="GET"),
                         [("2", "Production"), ("3", "Staging")])
        self.assertEqual(latest(["Production"], method="GET"), [("2", "Production")])
        self.assertEqual(latest(["Archived"]), [])
        got = sorted((v["version"], v["current_stage"])
                     for v in self.get_model(name).get("latest_versions", []))
        self.assertEqual(got, [("2", "Production"), ("3", "Staging"), ("5", "None")])
        self.assertNotFound(self.post("registered-models/get-latest-versions",
                                      {"name": uniq("nope")}))

    def test_search_versions(self):
        name = uniq("mvsearch")
        self.new_model(name)
        run_a = self.create_run(self.exp_id)
        run_b = self.create_run(self.exp_id)
        self.new_version(name, run=run_a)
        self.new_version(name, run=run_b)
        self.new_version(name, run=run_a)

        def versions(flt, **extra):
            query = {"filter": flt}
            query.update(extra)
            out = self.ok(self.call("GET", "model-versions/search", query=query), flt)
            return sorted((v["name"], v["version"]) for v in out.get("model_versions", []))

        self.assertEqual(versions(f"name = '{name}'"), [(name, "1"), (name, "2"), (name, "3")])
        self.assertEqual(versions(f"name = '{name}' AND run_id = '{run_a['info']['run_id']}'"),
                         [(name, "1"), (name, "3")])
        self.assertEqual(versions(f"run_id = '{run_b['info']['run_id']}'"), [(name, "2")])
        self.assertEqual(versions(f"name = '{uniq('none')}'"), [])
        out = self.ok(self.call("GET", "model-versions/search", query={
            "filter": f"name = '{name}'", "order_by": ["version_number DESC"]}))
        self.assertEqual([v["version"] for v in out["model_versions"]], ["3", "2", "1"])
        self.assertInvalid(self.call("GET", "model-versions/search",
                                     query={"filter": "name == 'x' AND"}))


class AliasTest(RegistryTestBase):

    def by_alias(self, name, alias):
        return self.call("GET", "registered-models/alias", query={"name": name, "alias": alias})

    def test_alias_lifecycle(self):
        name = uniq("alias")
        self.new_model(name)
        self.new_version(name)
        self.new_version(name)
        self.ok(self.post("registered-models/alias", {"name": name, "alias": "champion",
                                                      "version": "1"}))
        self.ok(self.post("registered-models/alias", {"name": name, "alias": "challenger",
                                                      "version": "2"}))
        mv = self.ok(self.by_alias(name, "champion"))["model_version"]
        self.assertEqual(mv["version"], "1")
        self.assertEqual(mv.get("aliases"), ["champion"])
        rm = self.get_model(name)
        self.assertEqual(sorted((a["alias"], a["version"]) for a in rm.get("aliases", [])),
                         [("challenger", "2"), ("champion", "1")])
        self.assertEqual(self.get_version(name, "2").get("aliases"), ["challenger"])

        # Moving an alias to another version.
        self.ok(self.post("registered-models/alias", {"name": name, "alias": "champion",
                                                      "version": "2"}))
        self.assertEqual(self.ok(self.by_alias(name, "champion"))["model_version"]["version"],
                         "2")
        self.assertEqual(self.get_version(name, "1").get("aliases", []), [])
        self.assertEqual(sorted(self.get_version(name, "2").get("aliases", [])),
                         ["challenger", "champion"])

        self.ok(self.call("DELETE", "registered-models/alias", body={"name": name,
                                                                     "alias": "champion"}))
        self.assertError(self.by_alias(name, "champion"), (400, 404),
                         ("INVALID_PARAMETER_VALUE", "RESOURCE_DOES_NOT_EXIST"))
        self.assertEqual(self.get_version(name, "2").get("aliases"), ["challenger"])

    def test_alias_removed_with_version(self):
        name = uniq("aliasdel")
        self.new_model(name)
        self.new_version(name)
        self.new_version(name)
        self.ok(self.post("registered-models/alias", {"name": name, "alias": "prod",
                                                      "version": "1"}))
        self.ok(self.call("DELETE", "model-versions/delete", body={"name": name,
                                                                   "version": "1"}))
        self.assertEqual(self.get_model(name).get("aliases", []), [])
        self.assertError(self.by_alias(name, "prod"), (400, 404))

    def test_alias_errors(self):
        name = uniq("aliaserr")
        self.new_model(name)
        self.new_version(name)
        for bad in ("latest", "LATEST", "v1", "V12", "bad alias!", ""):
            self.assertInvalid(self.post("registered-models/alias",
                                         {"name": name, "alias": bad, "version": "1"}),
                               what=repr(bad))
        self.assertError(self.post("registered-models/alias",
                                   {"name": name, "alias": "ok", "version": "42"}),
                         (400, 404))
        self.assertNotFound(self.post("registered-models/alias",
                                      {"name": uniq("nope"), "alias": "ok", "version": "1"}))
        self.assertError(self.by_alias(name, "never-set"), (400, 404),
                         ("INVALID_PARAMETER_VALUE", "RESOURCE_DOES_NOT_EXIST"))
        self.assertEqual(self.get_model(name).get("aliases", []), [])


if __name__ == "__main__":
    unittest.main()
