/**
 * Runs fixture blocks through the zkVM host and measures them; shared by perf-test (dev mode,
 * no proof) and perf-gpu (real proofs). Each run is the execute use case (executeBlock) on the
 * fixture's input, so a block that does not verify, or whose journal does not describe the
 * fixture's block, fails here exactly as `execute` fails it.
 */
import { executeBlock } from "../execute/execute_block.ts";
import type { HostBackend, HostResult, ReceiptKind } from "../host/mod.ts";
import { verifyReceipt } from "../host/verify.ts";
import type { Logger } from "../log/logger.ts";
import type { Fixture } from "./fixtures.ts";
import { type GpuUsage, startGpuSampler } from "./gpu.ts";

/** What to run each fixture with. */
export interface PerfPlan {
  readonly backend: HostBackend;
  readonly devMode: boolean;
  readonly receipt?: ReceiptKind;
  readonly hostBin?: string;
  /** Extra environment for the host (the real-proof knobs). */
  readonly env?: Readonly<Record<string, string>>;
  readonly repeat: number;
  /** Real proofs on a GPU: sample its memory and utilisation, and time verifying the receipt. */
  readonly gpu?: boolean;
}

/** The measurements of one fixture (best of `repeat` runs for times). */
export interface PerfOutcome {
  readonly name: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly blockNumber?: number;
  readonly txs?: number;
  readonly gas?: number;
  readonly inputBytes: number;
  readonly mode?: string;
  /** What made the receipt (cpu, cuda, bonsai); absent in dev mode. */
  readonly prover?: string | null;
  readonly wallMs?: number;
  /** Proving alone (perf-gpu), from the host's phase times. */
  readonly proveMs?: number | null;
  readonly wallMsRuns?: number[];
  readonly cycles?: number | null;
  readonly userCycles?: number | null;
  readonly pagingCycles?: number | null;
  readonly segments?: number;
  readonly cyclesPerGas?: number | null;
  readonly cyclesPerSecond?: number | null;
  readonly mgasPerSecond?: number | null;
  readonly sealBytes?: number;
  readonly receiptBytes?: number | null;
  readonly phaseCycles?: Readonly<Record<string, number>>;
  readonly phasesMs?: Readonly<Record<string, number>>;
  /** perf-gpu: the GPU's peak memory and idle share while proving, and the receipt's verify time. */
  readonly gpu?: GpuUsage;
  readonly verifyMs?: number | null;
}

/**
 * Runs every fixture; never throws for a block's failure (it is reported), only for an abort.
 * Logs "block i of n" with an ETA from the mean time of the blocks so far (`now`: ms clock).
 */
export async function runPerf(
  fixtures: readonly Fixture[],
  plan: PerfPlan,
  log: Logger,
  signal?: AbortSignal,
  now: () => number = () => performance.now(),
): Promise<PerfOutcome[]> {
  const out: PerfOutcome[] = [];
  const started = now();
  for (const [i, fx] of fixtures.entries()) {
    signal?.throwIfAborted();
    log.info(
      `block ${i + 1} of ${fixtures.length}: ${fx.name}${eta(i, fixtures.length, now() - started)}`,
      {
        backend: plan.backend,
      },
    );
    out.push(await measure(fx, plan, log, signal));
  }
  return out;
}

/** ", ETA 12s" after `done` of `total` blocks took `elapsedMs`; empty before the first. */
export function eta(done: number, total: number, elapsedMs: number): string {
  if (done === 0) return "";
  const s = Math.round(((elapsedMs / done) * (total - done)) / 1000);
  return `, ETA ${s >= 120 ? `${Math.round(s / 60)}m` : `${s}s`}`;
}

async function measure(
  fx: Fixture,
  plan: PerfPlan,
  log: Logger,
  signal?: AbortSignal,
): Promise<PerfOutcome> {
  const runs: number[] = [];
  let last: HostResult | undefined;
  let gpu: GpuUsage | undefined;
  for (let r = 0; r < plan.repeat; r++) {
    const sampler = plan.gpu ? startGpuSampler() : undefined;
    let segments = 0;
    const outcome = await executeBlock({
      source: { kind: "input", input: fx.input },
      backend: plan.backend,
      devMode: plan.devMode,
      receipt: plan.receipt,
      hostBin: plan.hostBin,
      env: plan.env,
      log,
      signal,
      onProgress: (ev) => {
        if (ev.event === "segment" && ++segments % 10 === 0) {
          log.info(`${fx.name}: ${segments} segments`);
        }
      },
    });
    const usage = await sampler?.stop();
    if ("failure" in outcome) {
      const f = outcome.failure;
      // No backend (the command falls back to the next plan) and an abort end the whole run.
      if (f.kind === "backend_unavailable" || f.kind === "interrupted" || signal?.aborted) {
        throw f.cause;
      }
      log.error(`${fx.name}: ${f.message}`);
      return { name: fx.name, ok: false, error: f.message, inputBytes: fx.bytes };
    }
    if (usage && (!gpu || (usage.peakMemoryMiB ?? 0) > (gpu.peakMemoryMiB ?? 0))) gpu = usage;
    last = outcome.result;
    runs.push(last.wallMs);
  }
  const res = last!;
  let verifyMs: number | null = null;
  if (plan.gpu && res.receipt !== null && res.imageId) {
    const t0 = performance.now();
    try {
      await verifyReceipt(
        {
          imageId: res.imageId as `0x${string}`,
          journal: res.journal,
          seal: res.seal,
          receipt: res.receipt,
        },
        { hostBin: plan.hostBin, devMode: false },
      );
      verifyMs = performance.now() - t0;
    } catch (e) {
      const msg = `the receipt does not verify: ${(e as Error).message}`;
      log.error(`${fx.name}: ${msg}`);
      return { name: fx.name, ok: false, error: msg, inputBytes: fx.bytes };
    }
  }
  const wallMs = Math.min(...runs);
  const total = res.cycles.total;
  // The rate of the zkVM work itself: proving when there was a proof, else risc0's executor.
  const rateMs = res.phases.proveMs ?? res.phases.zkvmExecuteMs ?? wallMs;
  const gas = res.block.gasUsed;
  return {
    name: fx.name,
    ok: true,
    blockNumber: res.block.number,
    txs: res.block.txCount,
    gas,
    inputBytes: fx.bytes,
    mode: res.mode,
    prover: res.prover,
    wallMs,
    proveMs: res.phases.proveMs ?? null,
    wallMsRuns: runs,
    cycles: total,
    userCycles: res.cycles.user,
    pagingCycles: res.cycles.paging,
    segments: res.segments,
    cyclesPerGas: total !== null && gas > 0 ? total / gas : null,
    cyclesPerSecond: total !== null && rateMs > 0 ? total / (rateMs / 1000) : null,
    mgasPerSecond: wallMs > 0 ? gas / 1e6 / (wallMs / 1000) : null,
    sealBytes: (res.seal.length - 2) / 2,
    receiptBytes: res.receipt === null ? null : JSON.stringify(res.receipt).length,
    phaseCycles: res.cycles.phases,
    phasesMs: res.phases,
    ...(gpu ? { gpu } : {}),
    ...(plan.gpu ? { verifyMs } : {}),
  };
}
