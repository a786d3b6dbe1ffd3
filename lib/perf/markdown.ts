/** The Markdown and SVG forms of a perf report, written beside its JSON. */
import { basename } from "node:path";
import { formatComparison } from "./compare.ts";
import { formatMix, type PerfReport } from "./report.ts";
import { barChartSvg } from "./svg.ts";

/** The chart of a run: cycles per gas and time per block, one bar per fixture. */
export function reportSvg(report: PerfReport): string {
  const bars = (f: (o: PerfReport["fixtures"][number]) => number | null | undefined) =>
    report.fixtures.map((o) => ({ label: o.name, value: o.ok ? f(o) ?? null : null }));
  return barChartSvg([
    { title: "cycles per gas", unit: "cycles/gas", bars: bars((o) => o.cyclesPerGas) },
    {
      title: report.kind === "perf-gpu" ? "proving time per block" : "time per block",
      unit: "ms",
      bars: bars((o) => (report.kind === "perf-gpu" ? o.proveMs ?? o.wallMs : o.wallMs)),
    },
  ]);
}

/** A Markdown page of the run: machine, backend, the table, phases, mix, comparison, chart. */
export function reportMarkdown(report: PerfReport, svgPath: string): string {
  const cols = [
    "fixture",
    "ok",
    "txs",
    "gas",
    "input KiB",
    "cycles",
    "user",
    "paging",
    "segments",
    "cycles/gas",
    "ms",
    ...(report.kind === "perf-gpu" ? ["prove ms", "seal B"] : []),
    "Mgas/s",
  ];
  const num = (v: number | null | undefined, digits = 0) =>
    v == null ? "-" : digits > 0 ? v.toFixed(digits) : Math.round(v).toLocaleString("en-US");
  const rows = report.fixtures.map((o) =>
    [
      o.name,
      o.ok ? "yes" : `**NO**: ${o.error ?? ""}`,
      num(o.txs),
      num(o.gas),
      num(o.inputBytes / 1024),
      num(o.cycles),
      num(o.userCycles),
      num(o.pagingCycles),
      num(o.segments),
      num(o.cyclesPerGas, 1),
      num(o.wallMs, 1),
      ...(report.kind === "perf-gpu" ? [num(o.proveMs, 1), num(o.sealBytes)] : []),
      num(o.mgasPerSecond, 2),
    ].join(" | ")
  );
  const phases = [...new Set(report.fixtures.flatMap((o) => Object.keys(o.phaseCycles ?? {})))];
  const lines = [
    `# ${report.kind} — ${report.createdAt}`,
    "",
    `- backend: ${report.backend}${report.devMode ? " (dev mode, no proof)" : ""}` +
    (report.receipt ? `, receipt ${report.receipt}` : ""),
    `- machine: ${report.host}, ${report.machine.cpus} CPUs` +
    (report.machine.gpu ? `, GPU ${report.machine.gpu}` : ""),
    ...(report.fallbackReason ? [`- fell back because: ${report.fallbackReason}`] : []),
    ...(report.mix ? [`- ${formatMix(report.mix)}`] : []),
    "",
    `| ${cols.join(" | ")} |`,
    `|${cols.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r} |`),
  ];
  if (phases.length > 0) {
    lines.push(
      "",
      "## Cycles per phase (millions, share of user cycles)",
      "",
      `| fixture | ${phases.join(" | ")} |`,
      `|---|${phases.map(() => "---").join("|")}|`,
      ...report.fixtures.map((o) => {
        const user = o.userCycles ?? 0;
        const cells = phases.map((p) => {
          const c = o.phaseCycles?.[p];
          return c === undefined
            ? "-"
            : `${(c / 1e6).toFixed(2)}${user > 0 ? ` (${((100 * c) / user).toFixed(1)}%)` : ""}`;
        });
        return `| ${o.name} | ${cells.join(" | ")} |`;
      }),
    );
  }
  if (report.comparison) {
    const c = report.comparison;
    lines.push(
      "",
      "## Compared with an earlier run",
      "",
      "```",
      formatComparison(c, c.thresholdPct, c.against),
      "```",
    );
  }
  lines.push("", `![cycles per gas and time per block](${basename(svgPath)})`, "");
  return lines.join("\n");
}
