"""Test fixture module: writes each input number times factor plus offset, one per line."""
import os
import sys

source, factor, offset, target = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
assert os.environ["SCALE_FACTOR"] == sys.argv[2], "env placeholders are expanded"
values = [float(line) * factor + offset for line in open(source) if line.strip()]
with open(target, "w") as out:
    for v in values:
        out.write("%g\n" % v)
print("scaled %d numbers by %s" % (len(values), sys.argv[2]))
