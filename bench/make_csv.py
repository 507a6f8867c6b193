#!/usr/bin/env python3
"""Writes a seeded numeric CSV for the CSV benchmarks: a header c0..c{M-1}, then N rows of
ints (even columns) and floats with 1-6 decimals (odd columns). Standard library only.

    python3 bench/make_csv.py --rows 1000000 --cols 50 --seed 42 --out /tmp/bench.csv
"""
import argparse
import random


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000000)
    parser.add_argument("--cols", type=int, default=50)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    # Pools of formatted values keep generation fast; rows draw from them at random.
    ints = [str(rng.randint(-1000000, 1000000)) for _ in range(100000)]
    floats = [f"{rng.uniform(-10000, 10000):.{rng.randint(1, 6)}f}" for _ in range(100000)]
    n_int = (args.cols + 1) // 2
    n_float = args.cols // 2
    with open(args.out, "w", newline="") as f:
        f.write(",".join(f"c{j}" for j in range(args.cols)) + "\n")
        row = [""] * args.cols
        batch = []
        for i in range(args.rows):
            row[0::2] = rng.choices(ints, k=n_int)
            row[1::2] = rng.choices(floats, k=n_float)
            batch.append(",".join(row))
            if len(batch) == 10000:
                f.write("\n".join(batch) + "\n")
                batch = []
        if batch:
            f.write("\n".join(batch) + "\n")


if __name__ == "__main__":
    main()
