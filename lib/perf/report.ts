/** Benchmark reports: an aligned table on stdout and a JSON file under bench-reports/. */
import { dirname, join } from "node:path";

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
