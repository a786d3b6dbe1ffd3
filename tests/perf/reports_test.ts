/** perf reports: comparison, history, Markdown and SVG forms, ETA, GPU sampling, preflight. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { compareRuns, formatComparison } from "../../lib/perf/compare.ts";
import { eta } from "../../lib/perf/harness.ts";
import type { PerfOutcome } from "../../lib/perf/harness.ts";
import {
  appendHistory,
  historyEntry,
  historySvg,
  historyTable,
  readHistory,
} from "../../lib/perf/history.ts";
import { reportMarkdown, reportSvg } from "../../lib/perf/markdown.ts";
import { mixSummary, type PerfReport } from "../../lib/perf/report.ts";
import { cudaPreflight, parseGpuSamples } from "../../lib/perf/gpu.ts";
import { runMain } from "../helpers/cli.ts";

const block = (name: string, over: Partial<PerfOutcome> = {}): PerfOutcome => ({
  name,
  ok: true,
  txs: 8,
  gas: 1_000_000,
  inputBytes: 40_000,
  cycles: 30_000_000,
  userCycles: 25_000_000,
  cyclesPerGas: 30,
  wallMs: 1_000,
  mgasPerSecond: 1,
  ...over,
});

function report(fixtures: PerfOutcome[], createdAt = "2026-12-03T10:00:00.000Z"): PerfReport {
  return {
    kind: "perf-test",
    createdAt,
    backend: "risc0",
    devMode: true,
    receipt: null,
    fallbackReason: null,
    host: "x86_64-unknown-linux-gnu",
    machine: { cpus: 2, gpu: null },
    mix: mixSummary(fixtures),
    fixtures,
  };
}

Deno.test("compare: a figure worse by more than the threshold is flagged, in its own direction", () => {
  const before = [block("a"), block("b"), block("c"), block("gone")];
  const after = [
    block("a", { cycles: 33_300_000, cyclesPerGas: 33.3 }), // +11 %: flagged at 10 %
    block("b", { cycles: 32_000_000, mgasPerSecond: 0.8 }), // cycles +6.7 %: not; Mgas/s -20 %: flagged
    block("c", { ok: false, error: "boom" }),
    block("new"),
  ];
  const c = compareRuns(before, after, 10);
  assert.equal(c.compared, 2);
  assert.deepEqual(c.broken, ["c"]);
  assert.deepEqual(
    c.regressions.map((r) => `${r.fixture}.${r.figure}`),
    ["a.cycles", "a.cyclesPerGas", "b.mgasPerSecond"],
  );
  assert.match(formatComparison(c, 10, "old.json"), /BROKEN c/);
  assert.match(
    formatComparison(c, 10, "old.json"),
    /WORSE {2}a cycles: 30,000,000 -> 33,300,000 \(\+11\.0%\)/,
  );
  // faster and cheaper is never a regression
  const better = compareRuns(before, [block("a", { cycles: 1, wallMs: 1, mgasPerSecond: 9 })], 0);
  assert.deepEqual(better.regressions, []);
  assert.match(formatComparison(better, 0, "x"), /no regression/);
  // half the cycles in 70 % of the time: fewer cycles per second, but less work, not a
  // regression; the same cycles at a lower rate is one
  const was = block("a", { cyclesPerSecond: 30e6 });
  const lessWork = block("a", { cycles: 15_000_000, wallMs: 700, cyclesPerSecond: 21e6 });
  assert.deepEqual(compareRuns([was], [lessWork], 10).regressions, []);
  const slower = block("a", { cyclesPerSecond: 21e6 });
  assert.deepEqual(
    compareRuns([was], [slower], 10).regressions.map((r) => r.figure),
    ["cyclesPerSecond"],
  );
});

Deno.test("history: runs append as JSON lines, a torn line is skipped, the table and trend read them", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "sub", "history.jsonl");
  await appendHistory(path, historyEntry(report([block("a")]), "before"));
  await appendHistory(
    path,
    historyEntry(
      report([block("a", { cyclesPerGas: 12, cycles: 12e6 })], "2026-12-03T11:00:00Z"),
      "after",
    ),
  );
  await Deno.writeTextFile(path, '{"createdAt": "torn', { append: true });
  const { entries, skipped } = await readHistory(path);
  assert.equal(entries.length, 2);
  assert.equal(skipped, 1);
  assert.equal(entries[1].fixtures.a.cyclesPerGas, 12);
  const table = historyTable(entries);
  assert.match(table, /before/);
  assert.match(table, /after +1 +0 +12 +12/);
  const svg = historySvg(entries);
  assert.match(svg, /^<svg /);
  assert.equal((svg.match(/<polyline /g) ?? []).length, 2, "the mix and fixture a");
  assert.deepEqual(await readHistory(join(dir, "none.jsonl")), { entries: [], skipped: 0 });
});

Deno.test("report forms: Markdown has the table, phases and chart link; SVG one bar per verified block", () => {
  const r = report([
    block("transfers", { phaseCycles: { decode: 1e6, execute: 20e6 } }),
    block("broken", { ok: false, error: "journal mismatch" }),
  ]);
  const md = reportMarkdown(r, "/x/perf-test-1.svg");
  assert.match(md, /^# perf-test — 2026-12-03T10:00:00.000Z/);
  assert.match(md, /\| transfers \| yes \| 8 \| 1,000,000 \|/);
  assert.match(md, /\| broken \| \*\*NO\*\*: journal mismatch/);
  assert.match(md, /\| transfers \| 1\.00 \(4\.0%\) \| 20\.00 \(80\.0%\) \|/);
  assert.match(md, /!\[cycles per gas and time per block\]\(perf-test-1\.svg\)/);
  const svg = reportSvg(r);
  assert.equal(
    (svg.match(/<rect x=/g) ?? []).length,
    2,
    "one bar per panel for the verified block",
  );
  assert.match(svg, /cycles per gas \(cycles\/gas\)/);
});

Deno.test("eta: from the mean time of the blocks so far", () => {
  assert.equal(eta(0, 10, 0), "");
  assert.equal(eta(2, 10, 4_000), ", ETA 16s");
  assert.equal(eta(1, 100, 60_000), ", ETA 99m");
});

Deno.test("gpu samples: peak memory and idle share from nvidia-smi's CSV", () => {
  const u = parseGpuSamples("100, 0\n2048, 95\n4096, 100\n\n1024, 0\n");
  assert.deepEqual(u, { samples: 4, peakMemoryMiB: 4096, idlePct: 50 });
  assert.deepEqual(parseGpuSamples("garbage"), { samples: 0, peakMemoryMiB: null, idlePct: null });
});

Deno.test("perf-gpu without a CUDA device or a CUDA host stops at once and says which is missing", async () => {
  const gpu = await new Deno.Command("sh", {
    args: ["-c", "nvidia-smi -L"],
    stdout: "null",
    stderr: "null",
  })
    .output().then((o) => o.success).catch(() => false);
  const missing = await cudaPreflight("/nonexistent/zkvm-host");
  assert.ok(missing);
  assert.match(missing, /no usable zkvm-host at \/nonexistent\/zkvm-host/);
  if (!gpu) assert.match(missing, /no CUDA device: nvidia-smi is missing or lists no GPU/);
  const started = performance.now();
  const r = await runMain(["perf-gpu"], { ZKVM_HOST_BIN: "/nonexistent/zkvm-host" });
  assert.equal(r.code, 4);
  assert.match(r.stderr, /perf-gpu cannot run here: .*no usable zkvm-host/);
  assert.ok(performance.now() - started < 20_000, "fails fast");
});

Deno.test("bench index: one section per kind, newest first, the newest chart embedded", async () => {
  const { benchIndex } = await import("../../bench/index.ts");
  const dir = await Deno.makeTempDir();
  for (
    const f of [
      "perf-test-2026-12-01T10-00-00Z.json",
      "perf-test-2026-12-02T10-00-00Z.json",
      "perf-test-2026-12-02T10-00-00Z.svg",
      "prover-server-2026-12-01T09-00-00-000Z.json",
      "notes.txt",
    ]
  ) await Deno.writeTextFile(join(dir, f), "{}");
  const md = await benchIndex(dir);
  assert.match(md, /3 reports/);
  assert.ok(md.indexOf("2026-12-02T10") < md.indexOf("2026-12-01T10"), "newest first");
  assert.match(md, /## perf-test/);
  assert.match(md, /## prover-server/);
  assert.match(md, /!\[perf-test-2026-12-02T10-00-00Z\]\(perf-test-2026-12-02T10-00-00Z\.svg\)/);
  assert.doesNotMatch(md, /notes/);
});
