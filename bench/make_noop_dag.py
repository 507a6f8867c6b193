#!/usr/bin/env python3
"""Writes a pipeline of no-op steps for the pipeline benchmarks.

usage: make_noop_dag.py STEPS WIDTH [--script] > pipeline.yaml
WIDTH=1 gives a chain; otherwise layers of WIDTH steps, each step reading one output of the
previous layer, so the DAG has STEPS / WIDTH levels. With --script every step runs
`sh noop.sh sN OUT` instead, naming the script noop.sh (beside the pipeline file), which its
cache key then covers.
"""
import sys


def main():
    steps, width = int(sys.argv[1]), int(sys.argv[2])
    script = "--script" in sys.argv[3:]
    print("name: noop-dag")
    print("steps:")
    for i in range(steps):
        # Each step writes its own name, so no two steps share a cache key.
        print(f"  s{i}:")
        if script:
            print(f"    command: [sh, noop.sh, s{i}, \"${{outputs.done}}\"]")
        else:
            print(f"    command: [sh, -c, \"echo s{i} > ${{outputs.done}}\"]")
        if i >= width:
            print(f"    inputs: {{x: s{i - width}.done}}")
        print("    outputs: {done: file}")


if __name__ == "__main__":
    main()
