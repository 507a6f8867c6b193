// The shared number formatters (src/components/format.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { formatNumber, rangeFormatter } from "../src/components/format";

test("the ends of a narrow range read differently (the compare legend's 0.812-0.848)", () => {
  const f = rangeFormatter(0.812, 0.848);
  assert.equal(f(0.812), "0.812");
  assert.equal(f(0.848), "0.848");
  assert.notEqual(f(0.812), f(0.848));
  assert.equal(f(0.83), "0.830", "every label has the same decimals");
});

test("a range's decimals follow its width, not its values", () => {
  assert.deepEqual([0, 0.5, 1].map(rangeFormatter(0, 1)), ["0.0", "0.5", "1.0"]);
  assert.deepEqual([0, 10].map(rangeFormatter(0, 10)), ["0", "10"]);
  assert.deepEqual([8202, 8237].map(rangeFormatter(8202, 8237)), ["8202", "8237"]);
  assert.deepEqual([1000.001, 1000.002].map(rangeFormatter(1000.001, 1000.002)), ["1000.0010", "1000.0020"]);
  assert.deepEqual([0.9991, 0.9999].map(rangeFormatter(0.9991, 0.9999)), ["0.99910", "0.99990"]);
});

test("ranges given high to low, negative ranges and zero", () => {
  assert.deepEqual([0.848, 0.812].map(rangeFormatter(0.848, 0.812)), ["0.848", "0.812"]);
  assert.deepEqual([-1.25, -1.2].map(rangeFormatter(-1.25, -1.2)), ["-1.250", "-1.200"]);
  assert.equal(rangeFormatter(-1, 1)(-0.0001), "0.0", "no negative zero");
});

test("an empty range (one value) keeps four significant digits", () => {
  assert.equal(rangeFormatter(0.8123456, 0.8123456)(0.8123456), "0.8123");
  assert.equal(rangeFormatter(3, 3)(3), "3");
});

test("huge and tiny magnitudes use an exponent with enough digits", () => {
  const tiny = rangeFormatter(1.2e-7, 1.5e-7);
  assert.notEqual(tiny(1.2e-7), tiny(1.5e-7));
  assert.equal(tiny(1.2e-7), "1.20e-7");
  const huge = rangeFormatter(1e16, 1.1e16);
  assert.equal(huge(1.1e16), "1.100e+16");
});

test("values that are not numbers stay readable", () => {
  const f = rangeFormatter(0, 1);
  assert.equal(f(Number.NaN), "—");
  assert.equal(f(Infinity), "Infinity");
  assert.equal(rangeFormatter(0, Infinity)(1), "1");
});

test("formatNumber keeps integers whole and rounds others to significant digits", () => {
  assert.equal(formatNumber(42), "42");
  assert.equal(formatNumber(0.123456), "0.1235");
  assert.equal(formatNumber(0.123456, 6), "0.123456");
  assert.equal(formatNumber(undefined), "—");
});
