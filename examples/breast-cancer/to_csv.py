"""Turns scikit-learn's breast cancer data, as Debian's python3-sklearn ships it, into a plain
CSV with a header: f0..f29 (the 30 cell-nucleus measurements) and `diagnosis`.

Usage: python3 to_csv.py OUTPUT.csv [SOURCE.csv]
"""

import csv
import sys

SOURCE = "/usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv"


def main(argv):
    out = argv[1]
    source = argv[2] if len(argv) > 2 else SOURCE
    try:
        with open(source, newline="") as f:
            rows = list(csv.reader(f))
    except OSError as e:
        sys.exit(f"cannot read {source} ({e.strerror}): install python3-sklearn")
    n_rows, n_features, *classes = rows[0]
    with open(out, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow([f"f{i}" for i in range(int(n_features))] + ["diagnosis"])
        for row in rows[1:]:
            writer.writerow(row[:-1] + [classes[int(row[-1])]])
    print(f"wrote {len(rows) - 1} of {n_rows} rows to {out}")


if __name__ == "__main__":
    main(sys.argv)
