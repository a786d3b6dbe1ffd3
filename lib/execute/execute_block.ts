/**
 * The execute use case: one block's prover input (built from a node, read from a file, or given
 * in memory: perf's fixtures, a block or a batch), an optional check of its witness in
 * TypeScript, and a run through the zkVM host, which must verify the block and commit a journal
 * that describes it. The CLI's `execute` prints the report, perf-test and perf-gpu measure it,
 * the prover client proves with it (lib/client/host_prover.ts); errors come back classified
 * (./failure.ts) so every caller maps them alike.
 */
import type { Hex } from "viem";
import {
  type HostBackend,
  type HostProgress,
  type HostResult,
  type ReceiptKind,
  runHost,
} from "../host/mod.ts";
import { type AnyInput, readProverInput, writeProverInput } from "../input/mod.ts";
import type { Logger } from "../log/logger.ts";
import { RpcClient } from "../rpc/mod.ts";
import { buildProverInput, type WitnessStats } from "../witness/mod.ts";
import { blockRlpHash, blockRlpTxCount } from "../witness/rlp.ts";
import { type WitnessRoots, witnessRoots } from "../witness/verify.ts";
import { EXIT } from "../exit/codes.ts";
import { type ExecuteFailure, hostFailure, inputFailure } from "./failure.ts";

/** Where the block comes from: a node (with how to build its witness), a saved input, or memory. */
export type BlockSource =
  | {
    readonly kind: "node";
    readonly rpcUrl: string;
    readonly rpcConcurrency: number;
    readonly block: bigint | "latest";
    readonly fork?: string;
    readonly quirks: readonly string[] | "auto";
    readonly witnessFromProofs: boolean;
    /** Recompute the post-state root from the witness in TypeScript too. */
    readonly checkWitness: boolean;
    /** Save the built input to this path. */
    readonly saveInput?: string;
  }
  | { readonly kind: "file"; readonly path: string; readonly fork?: string }
  | { readonly kind: "input"; readonly input: AnyInput };

/** Options of {@link executeBlock}. */
export interface ExecuteBlockOptions {
  readonly source: BlockSource;
  readonly backend: HostBackend;
  readonly devMode: boolean;
  /** risc0 with real proofs: the receipt to make (the host's default otherwise). */
  readonly receipt?: ReceiptKind;
  readonly hostBin?: string;
  /** Extra environment for the host (the real-proof knobs). */
  readonly env?: Readonly<Record<string, string>>;
  /** The host's work directory (a prover client's per-job folder); a temporary one otherwise. */
  readonly workDir?: string;
  /** Every progress event of the host (they are logged at debug level too). */
  readonly onProgress?: (ev: HostProgress) => void;
  readonly log: Logger;
  readonly signal?: AbortSignal;
}

/** What a verified block reports: its facts, the host's figures and the witness's. */
export interface ExecuteReport {
  readonly ok: true;
  readonly blockNumber: number;
  readonly blockHash: Hex;
  readonly parentHash: Hex;
  readonly preStateRoot: Hex;
  readonly postStateRoot: Hex;
  readonly chainId: number;
  readonly fork: string;
  readonly txs: number;
  readonly gasUsed: number;
  readonly backend: string;
  readonly mode: string;
  readonly imageId: string | null;
  readonly journal: Hex;
  readonly host: {
    readonly wallMs: number;
    readonly processMs: number;
    readonly phases: HostResult["phases"];
    readonly cycles: HostResult["cycles"];
    readonly segments: number | null;
    readonly mgasPerSec: number | null;
  };
  readonly witness?: WitnessStats;
  readonly witnessCheck?: WitnessRoots;
  readonly totalMs: number;
}

/** A run that did not verify: the failure and what is known of the block. */
export interface ExecuteRejection {
  readonly ok: false;
  readonly failure: ExecuteFailure;
  readonly facts: Readonly<Record<string, unknown>>;
}

/** The outcome of {@link executeBlock}, with the host's full result when it ran. */
export type ExecuteOutcome =
  | { readonly report: ExecuteReport; readonly result: HostResult }
  | ExecuteRejection;

/** Builds or reads the block's input and runs it through the host; never throws for the block. */
export async function executeBlock(opts: ExecuteBlockOptions): Promise<ExecuteOutcome> {
  const started = performance.now();
  const { log, signal } = opts;
  let prepared: PreparedInput;
  try {
    prepared = await prepareInput(opts.source, log, signal);
  } catch (e) {
    return rejected(inputFailure(e));
  }
  if ("failure" in prepared) return rejected(prepared.failure);
  const { input, stats, check } = prepared;

  let result: HostResult;
  const hostStarted = performance.now();
  try {
    result = await runHost({
      input,
      backend: opts.backend,
      devMode: opts.devMode,
      receipt: opts.receipt,
      hostBin: opts.hostBin,
      env: opts.env,
      workDir: opts.workDir,
      signal,
      onProgress: (ev) => {
        logProgress(log, ev);
        opts.onProgress?.(ev);
      },
    });
  } catch (e) {
    return rejected(hostFailure(e), blockFacts(input));
  }
  const hostMs = performance.now() - hostStarted;
  const report: ExecuteReport = {
    ok: true,
    blockNumber: result.block.number,
    blockHash: result.block.hash,
    parentHash: result.block.parentHash,
    preStateRoot: result.block.preStateRoot,
    postStateRoot: result.block.postStateRoot,
    chainId: result.block.chainId,
    fork: input.fork,
    txs: result.block.txCount,
    gasUsed: result.block.gasUsed,
    backend: result.backend,
    mode: result.mode,
    imageId: result.imageId,
    journal: result.journal,
    host: {
      wallMs: round(result.wallMs),
      processMs: round(hostMs),
      phases: result.phases,
      cycles: result.cycles,
      segments: result.segments,
      mgasPerSec: mgasPerSec(result),
    },
    witness: stats,
    witnessCheck: check,
    totalMs: round(performance.now() - started),
  };
  return { report, result };
}

type PreparedInput =
  | { readonly input: AnyInput; readonly stats?: WitnessStats; readonly check?: WitnessRoots }
  | { readonly failure: ExecuteFailure };

async function prepareInput(
  source: BlockSource,
  log: Logger,
  signal?: AbortSignal,
): Promise<PreparedInput> {
  if (source.kind === "input") return { input: source.input };
  if (source.kind === "file") {
    const input = await readProverInput(source.path);
    return {
      input: source.fork && source.fork !== input.fork ? { ...input, fork: source.fork } : input,
    };
  }
  const rpc = new RpcClient(source.rpcUrl, { concurrency: source.rpcConcurrency, signal });
  const n = source.block === "latest"
    ? BigInt(await rpc.request<Hex>("eth_blockNumber", []))
    : source.block;
  log.info(`building the prover input of block ${n}`, { rpc: rpc.displayUrl });
  const { input, stats } = await buildProverInput(rpc, n, {
    fork: source.fork,
    useExecutionWitness: !source.witnessFromProofs,
    quirks: source.quirks,
    log,
  });
  let check: WitnessRoots | undefined;
  if (source.checkWitness) {
    check = await witnessRoots(rpc, n, input);
    const spec = check.canonical === check.header
      ? "the same"
      : `${check.canonical} (the node deviates from the spec)`;
    log.info(
      `witness check: the node's root ${
        check.node === check.header ? "is reproduced" : "is NOT reproduced"
      }; the spec's root is ${spec}`,
    );
    if (check.node !== check.header) {
      return {
        failure: {
          exitCode: EXIT.failure,
          kind: "witness",
          message:
            `the witness does not reproduce block ${n}'s state root (header ${check.header}, ` +
            `witness ${check.node}): a witness-builder problem, not an executor one; please report it`,
        },
      };
    }
  }
  if (source.saveInput) {
    await writeProverInput(source.saveInput, input);
    log.info(`prover input saved to ${source.saveInput}`);
  }
  return { input, stats, check };
}

function rejected(failure: ExecuteFailure, facts: Record<string, unknown> = {}): ExecuteRejection {
  return { ok: false, failure, facts };
}

function blockFacts(input: AnyInput): Record<string, unknown> {
  const blocks = input.version === 2 ? input.blocks : [input.block];
  try {
    return {
      blockHash: blockRlpHash(blocks.at(-1)!),
      txs: blocks.reduce((n, b) => n + blockRlpTxCount(b), 0),
      fork: input.fork,
    };
  } catch {
    return {};
  }
}

function logProgress(log: Logger, ev: HostProgress): void {
  const { event, ...rest } = ev as Record<string, unknown>;
  log.debug(`host ${String(event)}`, rest);
}

/** Mgas per second of the host's execution phase (its wall time when it reports no phases). */
export function mgasPerSec(r: HostResult): number | null {
  const ms = r.phases.executeMs ?? r.wallMs;
  return ms > 0 ? round(r.block.gasUsed / 1000 / ms) : null;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
