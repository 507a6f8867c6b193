"""Users, tokens and projects administered locally (issue 16's foundation): `kiln users
add|ls|disable|reset-password`, `kiln tokens create|ls|revoke` and `kiln projects
add|ls|show|members|add-member|set-role|remove-member` over a data folder, each bad input exiting 2
with a message naming the value and changing nothing; and the initial admin a fresh `kiln
server` makes (password file 0600, one log line that names the file and never the password,
never overwritten). Enforcement on routes is not wired yet, so no request is refused here."""

import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
import time
import unittest

from kiln_server import KILN_BIN, KilnServer

SETTING_VARS = ("KILN_DATA", "KILN_STORE", "KILN_ARTIFACTS", "KILN_CONFIG", "KILN_SERVER")
TOKEN_RE = re.compile(r"^kiln_[A-Za-z0-9_-]{43}$")


def clean_env():
    return {k: v for k, v in os.environ.items() if k not in SETTING_VARS}


class AuthCliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="kiln_auth_cli_")
        self.data = os.path.join(self.tmp, "data")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def kiln(self, *args, stdin=None):
        return subprocess.run([KILN_BIN, *args, "--data", self.data], capture_output=True,
                              text=True, timeout=120, input=stdin, env=clean_env())

    def ok(self, *args, stdin=None):
        r = self.kiln(*args, stdin=stdin)
        self.assertEqual(r.returncode, 0, f"{args}: {r.stderr}")
        return r.stdout

    def refused(self, *args, names, stdin=None):
        r = self.kiln(*args, stdin=stdin)
        self.assertEqual(r.returncode, 2, f"{args}: {r.stdout} {r.stderr}")
        self.assertIn(names, r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        return r.stderr

    def users(self):
        return {u["name"]: u for u in json.loads(self.ok("users", "ls", "--json"))["users"]}

    def tokens(self, *args):
        return json.loads(self.ok("tokens", "ls", "--json", *args))["tokens"]

    def test_users_add_ls_disable_reset(self):
        self.refused("users", "ls", names="no data folder")
        out = self.ok("users", "add", "ann")
        password = re.search(r"password \(shown once\): (\S+)", out).group(1)
        self.assertEqual(len(password), 24)
        out = self.ok("users", "add", "root", "--admin", "--password-stdin",
                      stdin="a long enough password\n")
        self.assertNotIn("password (shown once)", out)
        users = self.users()
        self.assertEqual(sorted(users), ["ann", "root"])
        self.assertTrue(users["root"]["admin"])
        self.assertFalse(users["ann"]["admin"])
        self.assertIn("NAME", self.ok("users", "ls"))

        self.refused("users", "add", "ann", names="'ann' already exists")
        self.refused("users", "add", "bad:name", names="'bad:name'")
        self.refused("users", "add", "../etc", names="'../etc'")
        self.refused("users", "add", "shorty", "--password-stdin", stdin="short\n",
                     names="8 to 1024 bytes")
        self.refused("users", "add", "quiet", "--password-stdin", stdin="", names="stdin")
        self.assertEqual(sorted(self.users()), ["ann", "root"])

        out = self.ok("users", "reset-password", "ann")
        self.assertNotIn(password, out)
        self.assertRegex(out, r"password \(shown once\): \S{24}")
        self.ok("users", "reset-password", "ann", "--password-stdin", stdin="another password\n")
        self.refused("users", "reset-password", "zed", "--password-stdin",
                     stdin="another password\n", names="no user 'zed'")
        self.refused("users", "reset-password", "ann", "--password-stdin", stdin="tiny\n",
                     names="8 to 1024 bytes")

        self.ok("users", "disable", "ann")
        self.assertTrue(self.users()["ann"]["disabled"])
        self.refused("users", "disable", "zed", names="no user 'zed'")

    def test_tokens_create_ls_revoke(self):
        self.ok("users", "add", "ann")
        self.ok("users", "add", "bob")
        out = self.ok("tokens", "create", "--user", "ann", "--project", "default", "--role",
                      "viewer", "--expires", "30d", "--name", "ci laptop")
        secret = out.splitlines()[0]
        self.assertRegex(secret, TOKEN_RE)
        self.assertIn("role viewer", out)
        plain = self.ok("tokens", "create", "--user", "bob").splitlines()[0]
        self.assertRegex(plain, TOKEN_RE)
        self.assertNotEqual(secret, plain)

        listed = self.tokens()
        self.assertEqual(len(listed), 2)
        self.assertNotIn(secret, json.dumps(listed))
        self.assertNotIn(secret, self.ok("tokens", "ls"))
        ann = self.tokens("--user", "ann")
        self.assertEqual(len(ann), 1)
        t = ann[0]
        self.assertEqual((t["prefix"], t["project"], t["role"], t["name"], t["state"]),
                         (secret[:13], "default", "viewer", "ci laptop", "active"))
        self.assertIsNotNone(t["expires_ms"])
        self.assertEqual(t["expires_ms"] - t["created_ms"], 30 * 86400 * 1000)

        for args, names in [
            (["--user", "zed"], "no user 'zed'"),
            (["--user", "ann", "--role", "boss"], "unknown role 'boss'"),
            (["--user", "ann", "--project", "a b"], "invalid project name 'a b'"),
            (["--user", "ann", "--project", "nope"], "no project 'nope'"),
            (["--user", "ann", "--expires", "30x"], "invalid --expires '30x'"),
            (["--user", "ann", "--expires", "0d"], "invalid --expires '0d'"),
            (["--user", "ann", "--expires", "99999d"], "invalid --expires '99999d'"),
            (["--user", "ann", "--name", "tab\there"], "invalid token name"),
        ]:
            self.refused("tokens", "create", *args, names=names)
        self.assertEqual(len(self.tokens()), 2)

        out = self.ok("tokens", "revoke", secret[:13])
        self.assertIn(t["token_id"], out)
        self.assertEqual(self.tokens("--user", "ann")[0]["state"], "revoked")
        self.refused("tokens", "revoke", t["token_id"], names="already revoked")
        self.refused("tokens", "revoke", "kiln_nothing", names="'kiln_nothing'")
        bob = self.tokens("--user", "bob")[0]
        self.ok("tokens", "revoke", bob["token_id"])
        self.assertEqual(self.tokens("--user", "bob")[0]["state"], "revoked")

    def projects(self):
        return {p["name"]: p for p in json.loads(self.ok("projects", "ls", "--json"))["projects"]}

    def members(self, project):
        out = json.loads(self.ok("projects", "members", project, "--json"))
        return {m["user"]: m["role"] for m in out["members"]}

    def test_projects_and_members(self):
        self.refused("projects", "ls", names="no data folder")
        self.ok("users", "add", "ann")
        self.ok("users", "add", "bob")
        self.assertEqual(list(self.projects()), ["default"])
        self.ok("projects", "add", "vision", "--description", "image models")
        self.assertEqual(self.projects()["vision"]["description"], "image models")
        self.refused("projects", "add", "vision", names="'vision' already exists")
        self.refused("projects", "add", "a/b", names="invalid project name 'a/b'")
        self.assertEqual(sorted(self.projects()), ["default", "vision"])

        self.assertIn("as viewer", self.ok("projects", "add-member", "vision", "ann"))
        self.ok("projects", "add-member", "vision", "bob", "--role", "editor")
        self.assertEqual(self.members("vision"), {"ann": "viewer", "bob": "editor"})
        self.refused("projects", "add-member", "vision", "ann", names="already a member")
        self.refused("projects", "add-member", "vision", "zed", names="no user 'zed'")
        self.refused("projects", "add-member", "nope", "ann", names="no project 'nope'")
        self.refused("projects", "add-member", "vision", "ann", "--role", "admin",
                     names="unknown role 'admin'")
        self.ok("projects", "set-role", "vision", "ann", "--role", "owner")
        self.refused("projects", "set-role", "vision", "ann", "--role", "boss",
                     names="unknown role 'boss'")
        self.refused("projects", "set-role", "default", "ann", "--role", "owner",
                     names="not a member of project 'default'")
        self.refused("projects", "set-role", "vision", "ann", names="--role")
        self.assertEqual(self.members("vision"), {"ann": "owner", "bob": "editor"})

        shown = json.loads(self.ok("projects", "show", "vision", "--json"))
        self.assertEqual((shown["name"], shown["member_count"]), ("vision", 2))
        self.assertEqual(len(shown["members"]), 2)
        self.assertIn("owner", self.ok("projects", "show", "vision"))
        self.refused("projects", "show", "nope", names="no project 'nope'")
        self.refused("projects", "members", "nope", names="no project 'nope'")

        self.ok("projects", "remove-member", "vision", "bob")
        self.refused("projects", "remove-member", "vision", "bob", names="not a member")
        self.assertEqual(self.members("vision"), {"ann": "owner"})
        token = self.ok("tokens", "create", "--user", "ann", "--project", "vision", "--role",
                        "runner").splitlines()[0]
        self.assertRegex(token, TOKEN_RE)


class InitialAdminTest(unittest.TestCase):
    def test_fresh_server_makes_admin_once_and_says_where(self):
        server = KilnServer(env=clean_env(), ready_timeout=60)
        try:
            server.start()
            path = os.path.join(server.data_dir, "initial-admin-password")
            mode = stat.S_IMODE(os.stat(path).st_mode)
            self.assertEqual(mode, 0o600)
            with open(path) as f:
                password = f.read().strip()
            self.assertEqual(len(password), 24)
            # The server's output reaches its log file through a reader thread: wait for the line.
            said = f"initial admin password in {os.path.abspath(path)}"
            deadline = time.monotonic() + 30
            while said not in server.log_tail(200) and time.monotonic() < deadline:
                time.sleep(0.05)
            log = server.log_tail(200)
            self.assertIn(said, log)
            self.assertNotIn(password, log)
            server.stop()
            server.start()  # users exist now: the file stays as it was, nothing said
            with open(path) as f:
                self.assertEqual(f.read().strip(), password)
            listed = subprocess.run([KILN_BIN, "users", "ls", "--json", "--data",
                                     server.data_dir], capture_output=True, text=True,
                                    env=clean_env(), timeout=60)
            self.assertEqual(listed.returncode, 0, listed.stderr)
            users = json.loads(listed.stdout)["users"]
            self.assertEqual([(u["name"], u["admin"]) for u in users], [("admin", True)])
        finally:
            server.cleanup()

    def test_existing_file_without_users_is_never_overwritten(self):
        data = tempfile.mkdtemp(prefix="kiln_auth_admin_")
        try:
            path = os.path.join(data, "initial-admin-password")
            with open(path, "w") as f:
                f.write("left from before\n")
            r = subprocess.run([KILN_BIN, "server", "--data", data, "--port", "0"],
                               capture_output=True, text=True, env=clean_env(), timeout=60)
            self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
            self.assertIn(path, r.stderr)
            self.assertIn("never overwritten", r.stderr)
            with open(path) as f:
                self.assertEqual(f.read(), "left from before\n")
        finally:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
