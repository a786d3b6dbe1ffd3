import assert from "node:assert/strict";
import { type CycleSource, formatMix, mixSummary, phaseTable } from "../../lib/perf/report.ts";

const fixtures: CycleSource[] = [
  {
    name: "a",
    ok: true,
    gas: 1_000,
    cycles: 12_000,
    userCycles: 10_000,
    phaseCycles: { decode: 1_000, recover: 9_000 },
  },
  {
    name: "b",
    ok: true,
    gas: 3_000,
    cycles: 30_000,
    userCycles: 30_000,
    phaseCycles: { decode: 3_000, stateRoot: 27_000 },
  },
  { name: "broken", ok: false, gas: 5_000, cycles: 1 },
];

Deno.test("perf mix: total cycles over total gas of the verified fixtures only", () => {
  const mix = mixSummary(fixtures);
  assert.ok(mix);
  assert.equal(mix.fixtures, 2);
  assert.equal(mix.gas, 4_000);
  assert.equal(mix.cycles, 42_000);
  assert.equal(mix.cyclesPerGas, 10.5);
  // decode: 4,000 of 40,000 user cycles.
  assert.equal(mix.phaseShare.decode, 10);
  assert.equal(mix.phaseShare.recover, 22.5);
  assert.match(formatMix(mix), /42,000 cycles, 4,000 gas, 10\.5 cycles\/gas; .*stateRoot 67\.5%/);
});

Deno.test("perf mix: none without a verified fixture that has cycles", () => {
  assert.equal(mixSummary([{ name: "x", ok: true, gas: 21_000, cycles: null }]), null);
});

Deno.test("perf phases: one column per phase seen, in millions with the share", () => {
  const table = phaseTable(fixtures);
  assert.ok(table);
  const [header, , rowA, rowB] = table.split("\n");
  assert.deepEqual(header.trim().split(/\s+/), ["block", "decode", "recover", "stateRoot"]);
  assert.match(rowA, /^a\s+0\.00 \(10\.0%\)\s+0\.01 \(90\.0%\)\s+-$/);
  assert.match(rowB, /^b\s+0\.00 \(10\.0%\)\s+-\s+0\.03 \(90\.0%\)$/);
  assert.equal(phaseTable([{ name: "exec", ok: true, gas: 1 }]), null);
});
