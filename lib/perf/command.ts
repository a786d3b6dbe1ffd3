/** The body shared by perf-test and perf-gpu: load fixtures, run, print a table, write a report. */
import { BackendUnavailableError } from "../host/mod.ts";
import type { Logger } from "../log/logger.ts";
import { EXIT } from "../exit/codes.ts";
import { loadFixtures } from "./fixtures.ts";
import { type PerfOutcome, type PerfPlan, runPerf } from "./harness.ts";
import {
  defaultReportPath,
  formatMix,
  formatTable,
  mixSummary,
  type PerfReport,
  phaseTable,
  type Row,
  writeReport,
} from "./report.ts";
import { compareRuns, formatComparison } from "./compare.ts";
import { appendHistory, historyEntry, historySvg, historyTable, readHistory } from "./history.ts";
import { reportMarkdown, reportSvg } from "./markdown.ts";
import { gpuName } from "./gpu.ts";

/** What a perf command asks for. */
export interface PerfRequest {
  readonly kind: "perf-test" | "perf-gpu";
  readonly fixturesDirs: readonly string[];
  readonly only?: string;
  readonly report?: string;
  readonly plans: readonly PerfPlan[];
  /** Why each plan after the first is a fallback (printed and reported). */
  readonly fallbackNote?: string;
  /** Print the report as one JSON object on stdout instead of tables. */
  readonly json?: boolean;
  /** An earlier JSON report to compare with. */
  readonly compare?: string;
  /** The change, in percent, that counts as a regression. */
  readonly thresholdPct?: number;
  /** Exit non-zero when the comparison finds a regression. */
  readonly failOnRegression?: boolean;
  /** The history file each run is appended to (undefined: none). */
  readonly historyFile?: string;
  /** A label for this run in the history (a commit, a change). */
  readonly label?: string;
}

/** Runs the request; returns the exit code (0 only when every fixture verified). */
export async function runPerfCommand(
  req: PerfRequest,
  log: Logger,
  signal: AbortSignal,
): Promise<number> {
  const only = req.only ? new RegExp(req.only) : undefined;
  const fixtures = (await Promise.all(req.fixturesDirs.map((d) => loadFixtures(d, only)))).flat();
  if (fixtures.length === 0) {
    log.error(
      `no fixtures in ${req.fixturesDirs.join(", ")}${req.only ? ` matching ${req.only}` : ""}`,
    );
    return EXIT.config;
  }
  let outcomes: PerfOutcome[] | undefined;
  let plan: PerfPlan | undefined;
  let unavailable: string | undefined;
  for (const p of req.plans) {
    try {
      outcomes = await runPerf(fixtures, p, log, signal);
      plan = p;
      break;
    } catch (e) {
      if (!(e instanceof BackendUnavailableError)) throw e;
      unavailable = e.message;
      log.warn(`backend ${p.backend} not available: ${e.message}`);
      if (req.fallbackNote) log.warn(req.fallbackNote);
    }
  }
  if (!outcomes || !plan) {
    log.error(`no backend could run the fixtures: ${unavailable}`);
    return EXIT.unavailable;
  }
  const earlier = req.compare ? await readEarlierReport(req.compare) : undefined;
  const thresholdPct = req.thresholdPct ?? 10;
  const comparison = earlier
    ? {
      ...compareRuns(earlier.fixtures, outcomes, thresholdPct),
      against: req.compare!,
      thresholdPct,
    }
    : undefined;
  const report: PerfReport = {
    kind: req.kind,
    createdAt: new Date().toISOString(),
    backend: plan.backend,
    devMode: plan.devMode,
    receipt: plan.receipt ?? null,
    fallbackReason: unavailable ?? null,
    host: Deno.build.target,
    machine: {
      cpus: navigator.hardwareConcurrency,
      gpu: req.kind === "perf-gpu" ? await gpuName() : null,
    },
    mix: mixSummary(outcomes),
    fixtures: outcomes,
    ...(comparison ? { comparison } : {}),
  };
  const path = req.report ?? defaultReportPath(req.kind);
  const svgPath = path.replace(/\.json$/, "") + ".svg";
  const mdPath = path.replace(/\.json$/, "") + ".md";
  await writeReport(path, report);
  await Deno.writeTextFile(svgPath, reportSvg(report));
  await Deno.writeTextFile(mdPath, reportMarkdown(report, svgPath));
  if (req.historyFile) await appendHistory(req.historyFile, historyEntry(report, req.label));

  const failed = outcomes.filter((o) => !o.ok);
  const regressed = comparison !== undefined &&
    (comparison.regressions.length > 0 || comparison.broken.length > 0);
  if (req.json) {
    console.log(JSON.stringify(report));
  } else {
    printTables(req, plan, unavailable, report);
    if (comparison) console.log(formatComparison(comparison, thresholdPct, req.compare!));
    console.log(`report: ${path} (+ ${mdPath}, ${svgPath})`);
    console.log(
      `${req.kind}: ${outcomes.length - failed.length} verified, ${failed.length} failed`,
    );
  }
  if (failed.length > 0) return EXIT.invalid;
  if (regressed && req.failOnRegression) {
    log.error(`${req.kind}: regressions against ${req.compare} (--fail-on-regression)`);
    return EXIT.failure;
  }
  return EXIT.ok;
}

function printTables(
  req: PerfRequest,
  plan: PerfPlan,
  unavailable: string | undefined,
  report: PerfReport,
): void {
  const outcomes = report.fixtures;
  const rows: Row[] = outcomes.map((o) => ({
    block: o.name,
    ok: o.ok ? "yes" : "NO",
    txs: o.txs ?? null,
    gas: o.gas ?? null,
    "input KiB": Math.round(o.inputBytes / 1024),
    cycles: o.cycles ?? null,
    segs: o.segments ?? null,
    "cycles/gas": o.cyclesPerGas ?? null,
    ms: o.wallMs ?? null,
    ...(req.kind === "perf-gpu" ? { "prove ms": o.proveMs ?? null } : {}),
    "Mgas/s": o.mgasPerSecond ?? null,
    "Mcycles/s": o.cyclesPerSecond == null ? null : o.cyclesPerSecond / 1e6,
    "seal B": o.sealBytes ?? null,
    ...(req.kind === "perf-gpu"
      ? {
        "GPU MiB": o.gpu?.peakMemoryMiB ?? null,
        "GPU idle %": o.gpu?.idlePct ?? null,
        "verify ms": o.verifyMs ?? null,
      }
      : {}),
  }));
  const prover = outcomes.find((o) => o.prover)?.prover;
  console.log(
    `${req.kind}: backend ${plan.backend}` +
      (plan.backend === "risc0" ? `, RISC0_DEV_MODE=${plan.devMode ? 1 : 0}` : "") +
      (plan.receipt ? `, receipt ${plan.receipt}` : "") +
      (prover ? `, prover ${prover}` : "") +
      (unavailable ? ` (risc0 unavailable: ${unavailable})` : ""),
  );
  console.log(formatTable(Object.keys(rows[0]), rows));
  const phases = phaseTable(outcomes);
  if (phases) console.log(`\nper-phase cycles (millions, share of user cycles):\n${phases}`);
  if (report.mix) console.log(formatMix(report.mix));
}

async function readEarlierReport(path: string): Promise<PerfReport> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    throw new Error(`--compare ${path}: cannot read an earlier report: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || !Array.isArray((parsed as PerfReport).fixtures)) {
    throw new Error(`--compare ${path}: not a perf report (no "fixtures" array)`);
  }
  return parsed as PerfReport;
}

/** `perf-test --history`: the runs in the history file as a table, and their trend as an SVG. */
export async function showHistory(
  historyFile: string,
  svgPath: string,
  log: Logger,
): Promise<number> {
  const { entries, skipped } = await readHistory(historyFile);
  if (skipped > 0) log.warn(`${historyFile}: ${skipped} lines do not parse and are left out`);
  if (entries.length === 0) {
    log.error(`no runs in ${historyFile} yet: each perf-test run appends one`);
    return EXIT.config;
  }
  console.log(historyTable(entries));
  await Deno.writeTextFile(svgPath, historySvg(entries));
  console.log(`trend: ${svgPath}`);
  return EXIT.ok;
}
