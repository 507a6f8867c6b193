"""Authentication and route policies against a real `kiln server --auth on` (issue 16, first
slice): anonymous calls get 401 UNAUTHENTICATED except on public routes; Bearer tokens and Basic
credentials (a password, or a token as password) authenticate; each role of the default project
may do what its routes' policies allow and gets 403 PERMISSION_DENIED beyond; revocation, expiry,
disabling and membership changes apply to the very next request; malformed credentials are a
clear 401 that never echoes the secret; calls of the local CLI over the data folder need no
credentials. Users, members and tokens are made with the local CLI while the server runs."""

import base64
import json
import os
import subprocess
import time
import unittest

from kiln_server import KILN_BIN, KilnServer, uniq

ENV_DROP = ("KILN_DATA", "KILN_STORE", "KILN_ARTIFACTS", "KILN_CONFIG", "KILN_SERVER",
            "KILN_TOKEN")


def clean_env():
    return {k: v for k, v in os.environ.items() if k not in ENV_DROP}


def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class AuthHttpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = KilnServer(extra_args=["--auth", "on"])
        cls.server.start()
        cls.data = cls.server.data_dir
        with open(os.path.join(cls.data, "initial-admin-password")) as f:
            cls.admin_password = f.read().strip()
        cls.tokens = {}
        for role in ("viewer", "runner", "editor", "owner"):
            user = "u-" + role
            cls.kiln("users", "add", user, "--password-stdin", stdin=user + "-password\n")
            cls.kiln("projects", "add-member", "default", user, "--role", role)
            cls.tokens[role] = cls.token(user)
        cls.kiln("users", "add", "outsider", "--password-stdin", stdin="outsider-password\n")
        cls.tokens["outsider"] = cls.token("outsider")

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    @classmethod
    def kiln(cls, *args, stdin=None, check=True):
        r = subprocess.run([KILN_BIN, *args, "--data", cls.data], capture_output=True, text=True,
                           timeout=120, input=stdin, env=clean_env())
        if check:
            assert r.returncode == 0, (args, r.stdout, r.stderr)
        return r

    @classmethod
    def token(cls, user, *args):
        return cls.kiln("tokens", "create", "--user", user, *args).stdout.splitlines()[0]

    def call(self, method, path, body=None, auth=None, query=None):
        headers = {"Authorization": auth} if auth else {}
        return self.server.call(method, path, body=body, query=query, headers=headers)

    def bearer(self, role):
        return "Bearer " + self.tokens[role]

    def assertRefused(self, resp, status, code):
        self.assertEqual(resp[0], status, resp)
        self.assertEqual(resp[1].get("error_code"), code, resp)

    def test_public_routes_need_no_credentials_and_others_do(self):
        self.assertEqual(self.call("GET", "/api/v1/health")[0], 200)
        self.assertEqual(self.call("GET", "/v2/health/live")[0], 200)
        status, headers, body = self.server.raw("GET", "/api/2.0/mlflow/experiments/search")
        self.assertEqual(status, 401)
        self.assertEqual(json.loads(body)["error_code"], "UNAUTHENTICATED")
        self.assertIn("Bearer", headers.get("www-authenticate", ""))
        for method, path in (("POST", "/api/2.0/mlflow/runs/log-metric"),
                             ("GET", "/api/v1/pipeline-runs"), ("POST", "/api/v1/pipeline-runs"),
                             ("GET", "/metrics"), ("POST", "/serve/any/predict")):
            self.assertRefused(self.call(method, path, body={} if method == "POST" else None),
                               401, "UNAUTHENTICATED")

    def test_each_role_does_what_its_routes_allow(self):
        exp = {"name": uniq("auth-exp")}
        viewer, runner, editor, owner = (self.bearer(r) for r in
                                         ("viewer", "runner", "editor", "owner"))
        self.assertEqual(self.call("GET", "experiments/search", auth=viewer,
                                   query={"max_results": "5"})[0], 200)
        self.assertRefused(self.call("POST", "experiments/create", exp, auth=viewer), 403,
                           "PERMISSION_DENIED")
        self.assertRefused(self.call("POST", "experiments/create", exp, auth=runner), 403,
                           "PERMISSION_DENIED")
        status, created = self.call("POST", "experiments/create", exp, auth=editor)
        self.assertEqual(status, 200, created)
        exp_id = created["experiment_id"]
        status, run = self.call("POST", "runs/create", {"experiment_id": exp_id}, auth=runner)
        self.assertEqual(status, 200, run)
        run_id = run["run"]["info"]["run_id"]
        metric = {"run_id": run_id, "key": "acc", "value": 0.9, "timestamp": 1, "step": 0}
        self.assertEqual(self.call("POST", "runs/log-metric", metric, auth=runner)[0], 200)
        denied = self.call("POST", "runs/log-metric", metric, auth=viewer)
        self.assertRefused(denied, 403, "PERMISSION_DENIED")
        self.assertIn("viewer", denied[1]["message"])
        self.assertIn("runner", denied[1]["message"])
        # Deleting needs an owner.
        self.assertRefused(self.call("POST", "runs/delete", {"run_id": run_id}, auth=editor), 403,
                           "PERMISSION_DENIED")
        self.assertEqual(self.call("POST", "runs/delete", {"run_id": run_id}, auth=owner)[0], 200)
        # A user without a role in the project sees nothing.
        self.assertRefused(self.call("GET", "experiments/search", auth=self.bearer("outsider"),
                                     query={"max_results": "5"}), 403, "PERMISSION_DENIED")
        # The instance admin may do everything, with Basic credentials too.
        admin = basic("admin", self.admin_password)
        self.assertEqual(self.call("POST", "runs/restore", {"run_id": run_id}, auth=admin)[0], 200)

    def test_runner_may_start_saved_pipelines_but_not_inline_commands(self):
        spec = "name: p\nsteps:\n  s:\n    command: echo hi\n"
        resp = self.call("POST", "/api/v1/pipeline-runs", {"spec": spec},
                         auth=self.bearer("runner"))
        self.assertRefused(resp, 403, "PERMISSION_DENIED")
        self.assertIn("editor", resp[1]["message"])

    def test_basic_with_password_or_token(self):
        self.assertEqual(self.call("GET", "experiments/search", query={"max_results": "1"},
                                   auth=basic("u-viewer", "u-viewer-password"))[0], 200)
        self.assertEqual(self.call("GET", "experiments/search", query={"max_results": "1"},
                                   auth=basic("u-viewer", self.tokens["viewer"]))[0], 200)
        wrong = self.call("GET", "experiments/search", auth=basic("u-viewer", "not-it-at-all"))
        self.assertRefused(wrong, 401, "UNAUTHENTICATED")
        self.assertNotIn("not-it-at-all", json.dumps(wrong[1]))

    def test_malformed_credentials_are_401_and_never_echoed(self):
        secret = "kiln_" + "A" * 43
        for header in ("Bearer", "Bearer " + secret, "Basic !!!", "Basic " +
                       base64.b64encode(b"no-colon").decode(), "Digest x=y", "Bearer " + "x" * 5000):
            resp = self.call("GET", "experiments/search", auth=header)
            self.assertRefused(resp, 401, "UNAUTHENTICATED")
            self.assertNotIn(secret, json.dumps(resp[1]))

    def test_revocation_expiry_disable_and_membership_apply_at_once(self):
        self.kiln("users", "add", "temp", "--password-stdin", stdin="temp-password\n")
        self.kiln("projects", "add-member", "default", "temp", "--role", "editor")
        tok = "Bearer " + self.token("temp")
        q = {"max_results": "1"}
        self.assertEqual(self.call("GET", "experiments/search", auth=tok, query=q)[0], 200)
        self.kiln("projects", "set-role", "default", "temp", "--role", "viewer")
        self.assertRefused(self.call("POST", "experiments/create", {"name": uniq("x")}, auth=tok),
                           403, "PERMISSION_DENIED")
        revocable = self.token("temp")
        prefix = revocable[:13]
        self.kiln("tokens", "revoke", prefix)
        self.assertRefused(self.call("GET", "experiments/search", auth="Bearer " + revocable,
                                     query=q), 401, "UNAUTHENTICATED")
        short = "Bearer " + self.token("temp", "--expires", "1s")
        time.sleep(1.5)
        self.assertRefused(self.call("GET", "experiments/search", auth=short, query=q), 401,
                           "UNAUTHENTICATED")
        self.kiln("users", "disable", "temp")
        self.assertRefused(self.call("GET", "experiments/search", auth=tok, query=q), 401,
                           "UNAUTHENTICATED")

    def test_token_narrowed_to_a_role_never_widens(self):
        narrowed = "Bearer " + self.token("u-owner", "--role", "viewer")
        self.assertRefused(self.call("POST", "experiments/create", {"name": uniq("n")},
                                     auth=narrowed), 403, "PERMISSION_DENIED")
        self.assertEqual(self.call("GET", "experiments/search", auth=narrowed,
                                   query={"max_results": "1"})[0], 200)

    def test_local_cli_needs_no_credentials(self):
        r = self.kiln("experiments", "ls", check=False)
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main()
