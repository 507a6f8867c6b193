"""Resumable chunked blob uploads: `kiln data add --server` of a file larger than the server's
--max-body-mb (1 MiB here) goes in chunks and comes back byte-identical through `kiln data get`,
and the /api/v1/blobs/{digest}/upload routes refuse client mistakes with 4xx JSON."""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiln_server import KILN_BIN, ServerTestCase  # noqa: E402
from test_pipelines import kiln  # noqa: E402

MIB = 1 << 20


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def upload(digest):
    return f"/api/v1/blobs/{digest}/upload"


class ChunkedUploadTest(ServerTestCase):
    server_args = ("--max-body-mb", "1")

    def setUp(self):
        super().setUp()
        self.dir = tempfile.mkdtemp(prefix="kiln-chunks-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def write_random(self, name, size):
        data = os.urandom(size)
        with open(self.path(name), "wb") as f:
            f.write(data)
        return data

    def remote(self, *args):
        return kiln("data", *args, "--server", self.server.base_url)

    def patch(self, digest, offset, body):
        return self.call("PATCH", upload(digest) + f"?offset={offset}", body=body,
                         headers={"Content-Type": "application/octet-stream"})

    def finish(self, digest):
        return self.call("POST", upload(digest) + "/finish", body=b"")

    def staged(self, digest):
        return self.ok(self.call("GET", upload(digest)))

    def staging_files(self):
        folder = os.path.join(self.server.data_dir, "artifacts", "uploads")
        return os.listdir(folder) if os.path.isdir(folder) else []

    def test_a_file_over_the_body_limit_round_trips(self):
        data = self.write_random("big.bin", 3 * MIB + 12345)
        # One request with it is refused: this is what chunking is for.
        status, _ = self.call("PUT", f"/api/v1/blobs/{sha256(data)}", body=data)
        self.assertEqual(status, 413)
        added = self.remote("add", self.path("big.bin"), "--name", "big")
        self.assertEqual(added.returncode, 0, added.stderr)
        self.assertIn("added big@1", added.stdout)
        got = self.remote("get", "big@1", "-o", self.path("back.bin"))
        self.assertEqual(got.returncode, 0, got.stderr)
        with open(self.path("back.bin"), "rb") as f:
            self.assertEqual(f.read(), data)
        self.assertFalse(os.path.exists(self.path("back.bin.kiln-part")))
        self.assertEqual(self.staging_files(), [])
        state = self.staged(sha256(data))
        self.assertEqual(state, {"digest": sha256(data), "received": len(data), "stored": True})

    def test_two_clients_adding_the_same_large_file_at_once(self):
        data = self.write_random("same.bin", 2 * MIB + 7)
        procs = [subprocess.Popen([KILN_BIN, "data", "add", self.path("same.bin"), "--name",
                                   f"same-{i}", "--server", self.server.base_url],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for i in range(2)]
        for p in procs:
            out, err = p.communicate(timeout=120)
            self.assertEqual(p.returncode, 0, err)
        status, body = self.call("GET", f"/api/v1/blobs/{sha256(data)}")
        self.assertEqual(status, 200)
        self.assertEqual(body, data)
        self.assertEqual(self.staging_files(), [])

    def test_wrong_offset_is_409_and_the_client_resumes(self):
        data = os.urandom(300000)
        digest = sha256(data)
        self.assertEqual(self.ok(self.patch(digest, 0, data[:100000]))["received"], 100000)
        status, body = self.patch(digest, 50000, data[50000:150000])
        self.assertEqual(status, 409, body)
        self.assertEqual(body["error_code"], "UPLOAD_OFFSET_MISMATCH")
        self.assertEqual(body["received"], 100000)
        self.assertIn("resume at offset 100000", body["message"])
        # A dropped connection: the client asks where to go on.
        self.assertEqual(self.staged(digest), {"digest": digest, "received": 100000,
                                               "stored": False})
        self.assertEqual(self.ok(self.patch(digest, 100000, data[100000:]))["received"], 300000)
        self.assertEqual(self.ok(self.finish(digest)), {"digest": digest, "size": 300000})
        self.assertEqual(self.ok(self.finish(digest)), {"digest": digest, "size": 300000})
        status, body = self.call("GET", f"/api/v1/blobs/{digest}")
        self.assertEqual((status, body), (200, data))
        # Sending to a stored blob changes nothing and says so.
        self.assertTrue(self.ok(self.patch(digest, 0, b"junk"))["stored"])

    def test_bad_digests_are_400_naming_the_digest(self):
        for bad in ("abc", "A" * 64, "g" * 64, "a" * 65, ".."):
            for method, path in (("PATCH", upload(bad) + "?offset=0"), ("GET", upload(bad)),
                                 ("POST", upload(bad) + "/finish"), ("DELETE", upload(bad))):
                status, body = self.call(method, path, body=b"x" if method == "PATCH" else None)
                self.assertEqual(status, 400, (method, path, body))
                self.assertIn("digest", body["message"])
        self.assertEqual(self.staging_files(), [])

    def test_bad_offsets_are_400_naming_the_offset(self):
        digest = sha256(b"offsets")
        for query in ("?offset=-1", "?offset=abc", "?offset=1.5", "?offset=", "",
                      "?offset=99999999999999999999"):
            status, body = self.call("PATCH", upload(digest) + query, body=b"x")
            self.assertEqual(status, 400, (query, body))
            self.assertEqual(body["error_code"], "INVALID_PARAMETER_VALUE")
            self.assertIn("'offset'", body["message"])
        self.assertEqual(self.staged(digest)["received"], 0)

    def test_finish_with_other_content_is_400_and_stores_nothing(self):
        digest = sha256(b"what the client promised")
        self.ok(self.patch(digest, 0, b"what it sent instead"))
        status, body = self.finish(digest)
        self.assertEqual(status, 400, body)
        self.assertIn(digest, body["message"])
        self.assertIn(sha256(b"what it sent instead"), body["message"])
        status, _ = self.call("GET", f"/api/v1/blobs/{digest}")
        self.assertEqual(status, 404)
        self.assertEqual(self.staged(digest)["received"], 0)
        self.assertEqual(self.staging_files(), [])

    def test_finish_without_staged_data_is_404(self):
        status, body = self.finish(sha256(b"never sent"))
        self.assertEqual(status, 404, body)
        self.assertEqual(body["error_code"], "RESOURCE_DOES_NOT_EXIST")

    def test_a_chunk_over_the_body_limit_is_413(self):
        digest = sha256(b"big chunk")
        status, body = self.patch(digest, 0, b"\0" * (MIB + 1))
        self.assertEqual(status, 413, body)
        self.assertEqual(self.staged(digest)["received"], 0)

    def test_delete_discards_a_staged_upload(self):
        digest = sha256(b"abandoned")
        self.ok(self.patch(digest, 0, b"aban"))
        self.assertEqual(self.ok(self.call("DELETE", upload(digest))), {"discarded": True})
        self.assertEqual(self.staged(digest)["received"], 0)


if __name__ == "__main__":
    unittest.main()
