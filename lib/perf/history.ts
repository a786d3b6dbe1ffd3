/**
 * The perf history: one JSON line per run appended to a file (bench-reports/history.jsonl by
 * default), so a trend across commits is visible; `perf-test --history` tabulates and plots it.
 */
import { dirname } from "node:path";
import { formatTable, type Row } from "./report.ts";
import type { PerfReport } from "./report.ts";
import { lineChartSvg, type Series } from "./svg.ts";

/** One run as the history keeps it: the mix and each fixture's key figures. */
export interface HistoryEntry {
  readonly createdAt: string;
  readonly kind: string;
  readonly backend: string;
  readonly label?: string;
  readonly mixCyclesPerGas: number | null;
  readonly mixCycles: number | null;
  readonly verified: number;
  readonly failed: number;
  readonly fixtures: Readonly<
    Record<string, { cycles: number | null; cyclesPerGas: number | null; ms: number | null }>
  >;
}

/** The history entry of `report`. */
export function historyEntry(report: PerfReport, label?: string): HistoryEntry {
  const fixtures: HistoryEntry["fixtures"] = Object.fromEntries(
    report.fixtures.filter((f) => f.ok).map((f) => [f.name, {
      cycles: f.cycles ?? null,
      cyclesPerGas: f.cyclesPerGas ?? null,
      ms: f.wallMs ?? null,
    }]),
  );
  return {
    createdAt: report.createdAt,
    kind: report.kind,
    backend: report.backend,
    ...(label ? { label } : {}),
    mixCyclesPerGas: report.mix?.cyclesPerGas ?? null,
    mixCycles: report.mix?.cycles ?? null,
    verified: report.fixtures.filter((f) => f.ok).length,
    failed: report.fixtures.filter((f) => !f.ok).length,
    fixtures,
  };
}

/** Appends one entry (a line of JSON) to the history file, creating it and its directory. */
export async function appendHistory(path: string, entry: HistoryEntry): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  await Deno.writeTextFile(path, JSON.stringify(entry) + "\n", { append: true });
}

/** Reads the history; a line that does not parse (a torn last write) is skipped and counted. */
export async function readHistory(
  path: string,
): Promise<{ entries: HistoryEntry[]; skipped: number }> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { entries: [], skipped: 0 };
    throw e;
  }
  const entries: HistoryEntry[] = [];
  let skipped = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const e = JSON.parse(line) as HistoryEntry;
      if (typeof e.createdAt !== "string" || typeof e.fixtures !== "object") throw new Error();
      entries.push(e);
    } catch {
      skipped++;
    }
  }
  return { entries, skipped };
}

/** A table of the runs, oldest first: when, backend, verified/failed, mix cycles/gas and cycles. */
export function historyTable(entries: readonly HistoryEntry[]): string {
  const rows: Row[] = entries.map((e) => ({
    run: e.createdAt.replace(/\.\d+Z$/, "Z"),
    kind: e.kind,
    backend: e.backend,
    label: e.label ?? "",
    verified: e.verified,
    failed: e.failed,
    "mix cycles/gas": e.mixCyclesPerGas,
    "mix Mcycles": e.mixCycles === null ? null : e.mixCycles / 1e6,
  }));
  return formatTable(
    ["run", "kind", "backend", "label", "verified", "failed", "mix cycles/gas", "mix Mcycles"],
    rows,
  );
}

/** The trend of cycles per gas: the mix, and each fixture present in every run (up to 5). */
export function historySvg(entries: readonly HistoryEntry[]): string {
  const x = (e: HistoryEntry, i: number) => e.label ?? `${i + 1}: ${e.createdAt.slice(5, 16)}`;
  const series: Series[] = [{
    name: "mix",
    points: entries.flatMap((e, i) =>
      e.mixCyclesPerGas === null ? [] : [{ x: x(e, i), y: e.mixCyclesPerGas }]
    ),
  }];
  const everywhere = Object.keys(entries.at(-1)?.fixtures ?? {}).filter((name) =>
    entries.every((e) => e.fixtures[name]?.cyclesPerGas != null)
  );
  for (const name of everywhere.slice(0, 5)) {
    series.push({
      name,
      points: entries.map((e, i) => ({ x: x(e, i), y: e.fixtures[name].cyclesPerGas! })),
    });
  }
  return lineChartSvg("cycles per gas, run by run", "cycles/gas", series);
}
