// The Python program a python-flavor package is served by, embedded in the binary so that
// serving needs no file beside it. Run as `PYTHON -c SCRIPT PACKAGE_DIR`, it loads the package's
// pickle and then answers newline-delimited JSON on stdin/stdout:
//   first line out:  {"ready": true}, or {"error": "..."} and exit 1 when the model cannot load
//   request:         {"columns": [...], "data": [[...], ...]}   (null = missing value)
//   answer:          {"probabilities": [[...]]} in the manifest's class order (classifiers with
//                    predict_proba), {"labels": [...]} (other classifiers), {"values": [...]}
//                    (regression), or {"error": "..."} naming what the model refused
// Anything the model prints goes to stderr, never into the protocol.
#pragma once

namespace kiln::ml {

// The worker's source text. Never fails; the pointer is static.
const char* PythonWorkerScript();

}  // namespace kiln::ml
