"""Test helper run by inline steps (cwd = the pipeline folder):
    python3 tick.py LABEL SECONDS OUTPUT_FILE
Appends "LABEL START END" (epoch seconds) to stamps.txt around a sleep of SECONDS, so tests
can check which steps overlapped, then writes OUTPUT_FILE."""
import os
import sys
import time

label, seconds, output = sys.argv[1], float(sys.argv[2]), sys.argv[3]
start = time.time()
time.sleep(seconds)
end = time.time()
with open("stamps.txt", "a") as f:
    f.write("%s %.6f %.6f\n" % (label, start, end))
with open(output, "w") as f:
    f.write("%s %s\n" % (label, os.environ.get("KILN_STEP", "")))
