"""Looking into a pipeline run's outputs by digest, as the web UI does: the files of a folder
output (GET /api/v1/trees/D) and the first rows of a table output (GET /api/v1/tables/D), with
their errors as 4xx JSON."""

import json
import os
import subprocess

from kiln_server import KILN_BIN, ServerTestCase

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


class StepOutputsTest(ServerTestCase):
    # `kiln run --server` sends the example's folder as base_dir: it must lie in the roots.
    server_args = ("--pipeline-roots", os.path.join(REPO, "examples"))

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        result = subprocess.run(
            [KILN_BIN, "run", "pipeline.yaml", "--server", cls.server.base_url, "--json"],
            cwd=os.path.join(REPO, "examples", "iris"), capture_output=True, text=True,
            timeout=300)
        assert result.returncode == 0, result.stderr
        answer = json.loads(result.stdout)
        runs = answer if isinstance(answer, list) else answer["runs"]
        run_id = runs[0]["run_id"]
        status, body = cls.server.call("GET", f"/api/v1/pipeline-runs/{run_id}")
        assert status == 200, body
        run = body.get("run", body)
        cls.outputs = {(s["step"], o["name"]): o for s in run["steps"] for o in s["outputs"]}

    def test_folder_output_lists_its_files(self):
        plots = self.outputs[("evaluate", "plots")]
        self.assertTrue(plots["folder"])
        tree = self.ok(self.get(f"/api/v1/trees/{plots['digest']}"))
        paths = [f["path"] for f in tree["files"]]
        self.assertIn("confusion_matrix.svg", paths)
        svg = next(f for f in tree["files"] if f["path"] == "confusion_matrix.svg")
        status, data = self.server.call("GET", f"/api/v1/blobs/{svg['digest']}")
        self.assertEqual(status, 200)
        self.assertEqual(len(data), svg["size"])
        self.assertIn(b"<svg", data)

    def test_file_outputs_carry_their_size(self):
        report = self.outputs[("evaluate", "report")]
        status, _, data = self.server.raw("GET", f"/api/v1/blobs/{report['digest']}")
        self.assertEqual(status, 200)
        self.assertEqual(report["size"], len(data))
        self.assertNotIn("size", self.outputs[("evaluate", "plots")])

    def test_table_output_previews_its_first_rows(self):
        predictions = self.outputs[("evaluate", "predictions")]
        table = self.ok(self.get(f"/api/v1/tables/{predictions['digest']}", limit=5))
        self.assertEqual(table["row_count"], 45)
        names = [c["name"] for c in table["columns"]]
        self.assertEqual(names[:2], ["species", "predicted"])
        self.assertEqual(table["columns"][2]["type"], "float64")
        self.assertEqual(len(table["rows"]), 5)
        for row in table["rows"]:
            self.assertIn(row[0], ("setosa", "versicolor", "virginica"))
            self.assertAlmostEqual(sum(row[2:5]), 1.0, places=5)
        everything = self.ok(self.get(f"/api/v1/tables/{predictions['digest']}", limit=1000))
        self.assertEqual(len(everything["rows"]), 45)

    def test_mistakes_are_4xx_naming_the_problem(self):
        report = self.outputs[("evaluate", "report")]
        status, body = self.get(f"/api/v1/tables/{report['digest']}")
        self.assertEqual(status, 400)
        self.assertIn("is not a Kiln table", body["message"])
        status, body = self.get(f"/api/v1/trees/{report['digest']}")
        self.assertEqual(status, 400)
        table = self.outputs[("read", "table")]["digest"]
        for limit in ("0", "1001", "x"):
            status, body = self.get(f"/api/v1/tables/{table}", limit=limit)
            self.assertEqual(status, 400)
            self.assertIn("limit", body["message"])
        status, body = self.get("/api/v1/tables/not-a-digest")
        self.assertEqual(status, 400)
        status, body = self.get("/api/v1/trees/" + "0" * 64)
        self.assertEqual(status, 404)
