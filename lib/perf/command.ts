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
  phaseTable,
  type Row,
  writeReport,
} from "./report.ts";

/** What a perf command asks for. */
export interface PerfRequest {
  readonly kind: "perf-test" | "perf-gpu";
  readonly fixturesDir: string;
  readonly only?: string;
  readonly report?: string;
  readonly plans: readonly PerfPlan[];
  /** Why each plan after the first is a fallback (printed and reported). */
  readonly fallbackNote?: string;
}

/** Runs the request; returns the exit code (0 only when every fixture verified). */
export async function runPerfCommand(
  req: PerfRequest,
  log: Logger,
  signal: AbortSignal,
): Promise<number> {
  const fixtures = await loadFixtures(req.fixturesDir, req.only ? new RegExp(req.only) : undefined);
  if (fixtures.length === 0) {
    log.error(`no fixtures in ${req.fixturesDir}${req.only ? ` matching ${req.only}` : ""}`);
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
  const rows: Row[] = outcomes.map((o) => ({
    block: o.name,
    ok: o.ok ? "yes" : "NO",
    txs: o.txs ?? null,
    gas: o.gas ?? null,
    "input KiB": Math.round(o.inputBytes / 1024),
    cycles: o.totalCycles ?? null,
    segs: o.segments ?? null,
    "cycles/gas": o.cyclesPerGas ?? null,
    ms: o.wallMs ?? null,
    ...(req.kind === "perf-gpu" ? { "prove ms": o.proveMs ?? null } : {}),
    "Mgas/s": o.mgasPerSecond ?? null,
    "Mcycles/s": o.cyclesPerSecond == null ? null : o.cyclesPerSecond / 1e6,
    "seal B": o.sealBytes ?? null,
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
  const mix = mixSummary(outcomes);
  if (mix) console.log(formatMix(mix));
  const path = req.report ?? defaultReportPath(req.kind);
  await writeReport(path, {
    kind: req.kind,
    createdAt: new Date().toISOString(),
    backend: plan.backend,
    devMode: plan.devMode,
    receipt: plan.receipt ?? null,
    fallbackReason: unavailable ?? null,
    host: Deno.build.target,
    mix,
    fixtures: outcomes,
  });
  const failed = outcomes.filter((o) => !o.ok);
  console.log(`report: ${path}`);
  console.log(`${req.kind}: ${outcomes.length - failed.length} verified, ${failed.length} failed`);
  return failed.length === 0 ? EXIT.ok : EXIT.invalid;
}
