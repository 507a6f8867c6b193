"""csv-head: copies the header and the first N data rows of a CSV file.

Usage: python3 head.py INPUT.csv ROWS OUTPUT.csv
"""

import csv
import sys


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: head.py INPUT.csv ROWS OUTPUT.csv")
    source, rows, dest = argv[1], int(argv[2]), argv[3]
    with open(source, newline="") as fin, open(dest, "w", newline="") as fout:
        writer = csv.writer(fout, lineterminator="\n")
        for index, row in enumerate(csv.reader(fin)):
            if index > rows:
                break
            writer.writerow(row)


if __name__ == "__main__":
    main(sys.argv)
