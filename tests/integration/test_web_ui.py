"""The web UI at `/`: built files from --ui-dir, SPA fallback, caching, traversal refusal, and
the "not built" page when there is no UI. The API keeps its JSON 404s."""

import os
import shutil
import tempfile
import unittest

from kiln_server import KilnServer, ServerTestCase

INDEX = b"<!doctype html><html><body><div id=root></div></body></html>\n"
ASSET = b"console.log('kiln');\n"


def make_ui_dir():
    """A temp folder beside a secret file, holding index.html and assets/x.js."""
    sandbox = tempfile.mkdtemp(prefix="kiln-ui-")
    ui = os.path.join(sandbox, "dist")
    os.makedirs(os.path.join(ui, "assets"))
    with open(os.path.join(ui, "index.html"), "wb") as f:
        f.write(INDEX)
    with open(os.path.join(ui, "assets", "x.js"), "wb") as f:
        f.write(ASSET)
    with open(os.path.join(sandbox, "secret.txt"), "wb") as f:
        f.write(b"top secret\n")
    return sandbox, ui


class WebUiTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.sandbox, cls.ui = make_ui_dir()
        cls.server_args = ("--ui-dir", cls.ui)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.sandbox, ignore_errors=True)

    def get_raw(self, path, method="GET"):
        return self.server.raw(method, path)

    def test_root_serves_index_without_caching(self):
        status, headers, body = self.get_raw("/")
        self.assertEqual(status, 200)
        self.assertEqual(body, INDEX)
        self.assertTrue(headers["content-type"].startswith("text/html"), headers)
        self.assertEqual(headers["cache-control"], "no-cache")

    def test_assets_are_javascript_and_immutable(self):
        status, headers, body = self.get_raw("/assets/x.js")
        self.assertEqual(status, 200)
        self.assertEqual(body, ASSET)
        self.assertTrue(headers["content-type"].startswith("text/javascript"), headers)
        self.assertEqual(headers["cache-control"], "public, max-age=31536000, immutable")

    def test_head_answers_headers_only(self):
        status, headers, body = self.get_raw("/assets/x.js", method="HEAD")
        self.assertEqual(status, 200)
        self.assertEqual(body, b"")
        self.assertEqual(headers["content-length"], str(len(ASSET)))

    def test_client_routes_get_index(self):
        for path in ("/pipelines/foo", "/runs/abc?tab=logs", "/models"):
            status, headers, body = self.get_raw(path)
            self.assertEqual(status, 200, path)
            self.assertEqual(body, INDEX, path)

    def test_missing_asset_is_404_not_html(self):
        status, headers, body = self.get_raw("/assets/old-1234.js")
        self.assertEqual(status, 404)
        self.assertNotEqual(body, INDEX)

    def test_unknown_api_routes_keep_json_404(self):
        for path in ("/api/v1/nope", "/ajax-api/2.0/mlflow/nope", "/serve/nope/x/y", "/v2/nope/x",
                     "/get-artifact?path=x&run_uuid=y"):
            self.assertError(self.call("GET", path), 404, what=path)
        self.ok(self.call("GET", "/api/v1/health"))

    def test_other_methods_on_ui_paths_are_not_found(self):
        self.assertError(self.call("POST", "/pipelines/foo", body={}), 404)

    def test_traversal_never_serves_outside_files(self):
        attempts = ["/../etc/passwd", "/%2e%2e/", "/%2e%2e/etc/passwd",
                    "/assets/..%2f..%2fetc/passwd", "/assets/../../secret.txt",
                    "/..%2fsecret.txt", "/%252e%252e/secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt",
                    "/..\\secret.txt"]
        for path in attempts:
            status, headers, body = self.get_raw(path)
            self.assertIn(status, (400, 404), f"{path}: {status} {body[:80]!r}")
            self.assertNotIn(b"root:", body, path)
            self.assertNotIn(b"top secret", body, path)

    def test_absolute_looking_paths_stay_inside(self):
        # "//etc/passwd" is a client route like any other: the app, never the system file.
        status, headers, body = self.get_raw("//etc/passwd")
        self.assertEqual(body, INDEX)

    def test_symlink_out_of_the_folder_is_not_followed(self):
        link = os.path.join(self.ui, "leak.txt")
        os.symlink(os.path.join(self.sandbox, "secret.txt"), link)
        try:
            status, headers, body = self.get_raw("/leak.txt")
            self.assertNotIn(b"top secret", body)
        finally:
            os.unlink(link)


class NoWebUiTest(unittest.TestCase):
    """--ui-dir pointing at a folder without index.html: the not-built page, API untouched."""

    @classmethod
    def setUpClass(cls):
        cls.empty = tempfile.mkdtemp(prefix="kiln-noui-")
        cls.server = KilnServer(extra_args=("--ui-dir", cls.empty))
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()
        shutil.rmtree(cls.empty, ignore_errors=True)

    def test_not_built_page(self):
        for path in ("/", "/pipelines/iris"):
            status, headers, body = self.server.raw("GET", path)
            self.assertEqual(status, 200, path)
            self.assertTrue(headers["content-type"].startswith("text/html"), headers)
            self.assertIn(b"not built", body)
            self.assertIn(b"cd web &amp;&amp; npm ci &amp;&amp; npm run build", body)

    def test_api_still_answers(self):
        status, body = self.server.call("GET", "/api/v1/nope")
        self.assertEqual(status, 404)
        self.assertEqual(body["error_code"], "ENDPOINT_NOT_FOUND")

    def test_start_log_says_so_once(self):
        with open(self.server.log_path, "rb") as f:
            log = f.read().decode("utf-8", "replace")
        self.assertEqual(log.count("web UI is not built"), 1, log)


if __name__ == "__main__":
    unittest.main()
