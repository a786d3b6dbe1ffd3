/**
 * Benchmark reports: an aligned table on stdout, and the run as JSON, Markdown and an SVG chart
 * under bench-reports/ (the Markdown links the chart).
 */
import { dirname, join } from "node:path";
import type { PerfOutcome } from "./harness.ts";
import type { Comparison } from "./compare.ts";

/** A perf run as its JSON report holds it. */
export interface PerfReport {
  readonly kind: "perf-test" | "perf-gpu";
  readonly createdAt: string;
  readonly backend: string;
  readonly devMode: boolean;
  readonly receipt: string | null;
  readonly fallbackReason: string | null;
  /** The machine: target triple, CPU count, and the GPU where one proved. */
  readonly host: string;
  readonly machine: { readonly cpus: number; readonly gpu: string | null };
  readonly mix: MixSummary | null;
  readonly fixtures: readonly PerfOutcome[];
  /** Set when the run was compared with an earlier report. */
  readonly comparison?: Comparison & { readonly against: string; readonly thresholdPct: number };
}

/** One row of a report: a label per column. */
export type Row = Record<string, string | number | null>;

/** Renders rows as an aligned text table with the given columns. */
export function formatTable(columns: readonly string[], rows: readonly Row[]): string {
  const cells = rows.map((r) => columns.map((c) => show(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (vals: string[]) =>
    vals.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  ");
  return [line([...columns]), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join(
    "\n",
  );
}

function show(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "-";
  if (typeof v === "number") {
    if (Number.isInteger(v)) return v.toLocaleString("en-US");
    return v.toFixed(v < 10 ? 2 : 1);
  }
  return v;
}

/** The default report path: `bench-reports/<kind>-<UTC timestamp>.json`. */
export function defaultReportPath(kind: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, "-").replace(/-\d+Z$/, "Z");
  return join("bench-reports", `${kind}-${stamp}.json`);
}

/** Writes a JSON report atomically (temp file + rename), creating its directory. */
export async function writeReport(path: string, report: unknown): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(report, null, 2) + "\n");
  await Deno.rename(tmp, path);
}

/** What the phase table and the mix summary read from an outcome. */
export interface CycleSource {
  readonly name: string;
  readonly ok: boolean;
  readonly gas?: number;
  readonly cycles?: number | null;
  readonly userCycles?: number | null;
  readonly phaseCycles?: Readonly<Record<string, number>>;
}

/**
 * Per-phase cycles of each fixture: millions, with the phase's share of the block's user cycles
 * (the guest's phases partition them). Null when no fixture reported phases (exec backend).
 */
export function phaseTable(outcomes: readonly CycleSource[]): string | null {
  const phases: string[] = [];
  for (const o of outcomes) {
    for (const p of Object.keys(o.phaseCycles ?? {})) if (!phases.includes(p)) phases.push(p);
  }
  if (phases.length === 0) return null;
  const rows: Row[] = outcomes.map((o) => {
    const user = o.userCycles ?? 0;
    const row: Row = { block: o.name };
    for (const p of phases) {
      const c = o.phaseCycles?.[p];
      row[p] = c === undefined
        ? null
        : `${(c / 1e6).toFixed(2)}${user > 0 ? ` (${((100 * c) / user).toFixed(1)}%)` : ""}`;
    }
    return row;
  });
  return formatTable(["block", ...phases], rows);
}

/** The fixture mix as one workload: total cycles over total gas, and each phase's share. */
export interface MixSummary {
  readonly fixtures: number;
  readonly gas: number;
  readonly cycles: number;
  readonly cyclesPerGas: number | null;
  /** Share of user cycles per phase, in percent, over the fixtures that reported phases. */
  readonly phaseShare: Readonly<Record<string, number>>;
}

/** Sums the verified fixtures that have both gas and cycles; null when none has. */
export function mixSummary(outcomes: readonly CycleSource[]): MixSummary | null {
  const used = outcomes.filter((o) => o.ok && o.gas !== undefined && o.cycles != null);
  if (used.length === 0) return null;
  const gas = used.reduce((s, o) => s + (o.gas ?? 0), 0);
  const cycles = used.reduce((s, o) => s + (o.cycles ?? 0), 0);
  const phased = used.filter((o) => o.phaseCycles && o.userCycles);
  const user = phased.reduce((s, o) => s + (o.userCycles ?? 0), 0);
  const phaseShare: Record<string, number> = {};
  for (const o of phased) {
    for (const [p, c] of Object.entries(o.phaseCycles ?? {})) {
      phaseShare[p] = (phaseShare[p] ?? 0) + (100 * c) / user;
    }
  }
  return {
    fixtures: used.length,
    gas,
    cycles,
    cyclesPerGas: gas > 0 ? cycles / gas : null,
    phaseShare,
  };
}

/** One line for the mix: fixtures, cycles, gas, cycles per gas, and the largest phase shares. */
export function formatMix(mix: MixSummary): string {
  const shares = Object.entries(mix.phaseShare)
    .sort((a, b) => b[1] - a[1])
    .map(([p, s]) => `${p} ${s.toFixed(1)}%`)
    .join(", ");
  const perGas = mix.cyclesPerGas === null ? "-" : mix.cyclesPerGas.toFixed(1);
  return `mix: ${mix.fixtures} fixtures, ${mix.cycles.toLocaleString("en-US")} cycles, ` +
    `${mix.gas.toLocaleString("en-US")} gas, ${perGas} cycles/gas` +
    (shares ? `; user cycles by phase: ${shares}` : "");
}
