/**
 * The prover client loop: ask for work, prove it with the zkVM host, keep the proof on disk,
 * submit it until acknowledged, repeat. A server that is down is waited for; a signal stops the
 * loop between steps (and kills the host through the prove function's signal).
 */
import { join } from "node:path";
import type { Logger } from "../log/logger.ts";
import type {
  ClientMessage,
  ErrorCode,
  FailureKind,
  ServerMessage,
  WireInput,
} from "../protocol/messages.ts";
import type { ProofPayload } from "../protocol/proof.ts";
import {
  exchange,
  ExchangeTimeoutError,
  type ServerAddress,
  ServerUnreachableError,
} from "../protocol/transport.ts";
import { backoffDelay, type BackoffPolicy } from "./backoff.ts";
import { sleep } from "../time/mod.ts";
import { Outbox } from "./outbox.ts";
import { type ProgressView, progressView, type ProveProgress } from "./progress.ts";

/** One batch to prove. */
export interface ProveJob {
  readonly batchNumber: number;
  /** The batch's block range (inclusive). */
  readonly firstBlock: number;
  readonly lastBlock: number;
  readonly input: WireInput;
  /**
   * This batch's work directory: the prover writes the input and the host's result there; it is
   * removed once the proof is acknowledged (kept after a failure, for the operator).
   */
  readonly workDir: string;
}

/** Proves one block (the zkVM host through lib/host in production; a fake in tests). */
export type ProveFn = (
  job: ProveJob,
  opts: { readonly signal: AbortSignal; readonly onProgress: (p: ProveProgress) => void },
) => Promise<ProofPayload>;

/** A failure no retry can fix: the backend is missing here, or the server refuses our token. */
export class FatalProverError extends Error {
  override name = "FatalProverError";
  constructor(message: string, readonly kind: "unavailable" | "config" = "unavailable") {
    super(message);
  }
}

/**
 * The batch cannot be proved from this input, by any client: the host rejected the block
 * (exit 3) or the input (exit 2). Reported to the server, which sets the batch aside after
 * enough independent reports.
 */
export class DeterministicProveError extends Error {
  override name = "DeterministicProveError";
  constructor(message: string, readonly failure: FailureKind, readonly code: string) {
    super(message);
  }
}

/** Deadlines of one exchange per step, ms: each sized to what the server does before answering. */
export interface ExchangeTimeouts {
  /** Connecting (DNS included). */
  readonly connect: number;
  /** A Request: the reply carries a whole input (megabytes). */
  readonly request: number;
  /** A Submit: the server verifies the receipt before answering. */
  readonly submit: number;
  /** A failure report: bookkeeping only. */
  readonly report: number;
}

/** The default {@link ExchangeTimeouts}. */
export const DEFAULT_EXCHANGE_TIMEOUTS: ExchangeTimeouts = {
  connect: 10_000,
  request: 120_000,
  submit: 600_000,
  report: 30_000,
};

/** Client settings. */
export interface ProverClientOptions {
  readonly server: ServerAddress;
  /** Wait between Requests when the server has no work. */
  readonly intervalMs: number;
  /** Directory for the outbox and work files. */
  readonly dataDir: string;
  readonly prove: ProveFn;
  readonly authToken?: string;
  readonly backoff?: BackoffPolicy;
  /** Deadlines per exchange step (default {@link DEFAULT_EXCHANGE_TIMEOUTS}). */
  readonly timeouts?: Partial<ExchangeTimeouts>;
  readonly log: Logger;
  /** Show a progress bar (default: when stderr is a terminal). */
  readonly tty?: boolean;
  /** Stop after this many acknowledged proofs (tests, benchmarks). */
  readonly maxProofs?: number;
}

/** What a client run did. */
export interface ClientStats {
  proved: number;
  acknowledged: number;
  rejected: number;
  /** Sum of proving wall times (ms). */
  provingMs: number;
  /** Gaps between an acknowledgement and the start of the next proof (ms), one per gap. */
  idleGapsMs: number[];
}

/** Codes of error replies that mean "this proof will never be accepted". */
const PERMANENT: ReadonlySet<ErrorCode> = new Set([
  "not_handed_out",
  "journal_mismatch",
  "exec_not_accepted",
  "verification_failed",
  "malformed_message",
  "too_large",
]);

/** Runs the client until `signal` aborts (resolves) or a fatal error (throws). */
export async function runProverClient(
  opts: ProverClientOptions,
  signal: AbortSignal,
): Promise<ClientStats> {
  const { log } = opts;
  const clientDir = join(opts.dataDir, "client");
  const outbox = await Outbox.open(clientDir);
  const stats: ClientStats = {
    proved: 0,
    acknowledged: 0,
    rejected: 0,
    provingMs: 0,
    idleGapsMs: [],
  };
  const policy = opts.backoff ?? { baseMs: 500, maxMs: 30_000 };
  const timeouts = { ...DEFAULT_EXCHANGE_TIMEOUTS, ...opts.timeouts };
  const target = `${opts.server.host}:${opts.server.port}`;
  const done = () =>
    signal.aborted || (opts.maxProofs !== undefined && stats.acknowledged >= opts.maxProofs);

  /** Sends a message, waiting out an unreachable server with backoff; undefined when aborted. */
  const send = async (
    msg: ClientMessage,
    what: string,
    maxAttempts = Infinity,
  ): Promise<ServerMessage | undefined> => {
    const timeoutMs = msg.kind === "Request"
      ? timeouts.request
      : msg.kind === "Submit"
      ? timeouts.submit
      : timeouts.report;
    for (let attempt = 0; !signal.aborted && attempt < maxAttempts; attempt++) {
      try {
        return await exchange(opts.server, msg, {
          authToken: opts.authToken,
          timeoutMs,
          connectTimeoutMs: timeouts.connect,
          signal,
        });
      } catch (e) {
        if (signal.aborted) return undefined;
        const delay = backoffDelay(attempt, policy);
        const reason = e instanceof ServerUnreachableError
          ? `prover server ${target} is unreachable (${(e as Error).message})`
          : e instanceof ExchangeTimeoutError
          ? `${what}: ${(e as Error).message}`
          : `${what} to ${target} failed: ${(e as Error).message}`;
        log.warn(`${reason}; retrying in ${(delay / 1000).toFixed(1)} s`, { attempt: attempt + 1 });
        if (!await sleep(delay, signal)) return undefined;
      }
    }
    return undefined;
  };

  /** Submits until acknowledged or refused for good; false when aborted first. */
  const submit = async (block: number, proof: ProofPayload): Promise<boolean> => {
    for (let attempt = 0; !signal.aborted; attempt++) {
      const reply = await send(
        { kind: "Submit", batchNumber: block, proof },
        `submitting batch ${block}`,
      );
      if (!reply) return false;
      if (reply.kind === "SubmitAck" && reply.batchNumber === block) {
        await outbox.remove(block);
        stats.acknowledged++;
        log.info(`proof of batch ${block} acknowledged`);
        return true;
      }
      if (reply.kind === "Error" && reply.code === "unauthorized") {
        throw new FatalProverError(
          `the prover server refused our token: ${reply.message} (proof of batch ${block} stays in ${outbox.dir})`,
          "config",
        );
      }
      if (reply.kind === "Error" && PERMANENT.has(reply.code)) {
        const to = await outbox.reject(block);
        stats.rejected++;
        log.error(`server rejected the proof of batch ${block}: ${reply.message}`, {
          reason: reply.code,
          keptAt: to,
        });
        return true;
      }
      const delay = backoffDelay(attempt, policy);
      log.warn(
        `submission of block ${block} not acknowledged (${describe(reply)}); retrying in ${
          (delay / 1000).toFixed(1)
        } s`,
      );
      if (!await sleep(delay, signal)) return false;
    }
    return false;
  };

  /** Tells the server a batch cannot be proved (one try: the lease expiring says the same). */
  const report = async (block: number, e: DeterministicProveError): Promise<void> => {
    const reply = await send(
      {
        kind: "ProveFailed",
        batchNumber: block,
        failure: e.failure,
        code: e.code,
        message: e.message,
      },
      `reporting the failure of batch ${block}`,
      2,
    );
    if (reply?.kind === "FailureAck") {
      log.info(
        `reported the failure of batch ${block} to the server${
          reply.unprovable ? ": the server now holds it unprovable" : ""
        }`,
      );
    } else if (reply?.kind === "Error") {
      // An older server does not know the report (unknown_variant): its lease expiry stands in.
      log.info(`server did not take the failure report of batch ${block}: ${reply.message}`, {
        reason: reply.code,
      });
    }
  };

  // Work directories of a run before a restart: their batches were handed out again or expired.
  await Deno.remove(join(clientDir, "work"), { recursive: true }).catch(() => {});

  for (const p of await outbox.list()) {
    if (signal.aborted) return stats;
    log.info(`submitting the proof of batch ${p.batchNumber} finished before a restart`);
    await submit(p.batchNumber, p.proof);
  }

  let lastAckAt: number | undefined;
  // The next Request goes out while the last proof is being submitted, so the prover is not
  // idle for a round trip (and a multi-megabyte transfer) between two blocks.
  let nextWork: Promise<ServerMessage | undefined> | undefined;
  while (!done()) {
    const reply = await (nextWork ?? send({ kind: "Request" }, "requesting work"));
    nextWork = undefined;
    if (!reply) break;
    if (reply.kind === "Error") {
      if (reply.code === "unauthorized") {
        throw new FatalProverError(
          `the prover server refused our token: ${reply.message}`,
          "config",
        );
      }
      log.warn(`server refused the work request: ${reply.message}`, { reason: reply.code });
      if (!await sleep(opts.intervalMs, signal)) break;
      continue;
    }
    if (reply.kind !== "Response" || reply.batchNumber === null || reply.input === null) {
      log.debug(`no work; asking again in ${opts.intervalMs} ms`);
      lastAckAt = undefined;
      if (!await sleep(opts.intervalMs, signal)) break;
      continue;
    }
    const block = reply.batchNumber;
    const range = `${reply.firstBlock}..${reply.lastBlock}`;
    const workDir = join(clientDir, "work", `batch-${block}`);
    await Deno.mkdir(workDir, { recursive: true });
    const startedAt = performance.now();
    if (lastAckAt !== undefined) stats.idleGapsMs.push(startedAt - lastAckAt);
    log.info(`proving batch ${block} (blocks ${range})`);
    const view: ProgressView = progressView(block, log, opts.tty);
    let proof: ProofPayload;
    try {
      proof = await opts.prove({
        batchNumber: block,
        firstBlock: reply.firstBlock ?? block,
        lastBlock: reply.lastBlock ?? block,
        input: reply.input,
        workDir,
      }, {
        signal,
        onProgress: (p) => view.update(p),
      });
    } catch (e) {
      view.done();
      if (signal.aborted) {
        log.info(`stopped while proving batch ${block}; the server will hand it out again`);
        break;
      }
      if (e instanceof FatalProverError) throw e;
      log.error(`proving batch ${block} failed: ${(e as Error).message}`, {
        error: (e as Error).name,
      });
      if (e instanceof DeterministicProveError) await report(block, e);
      lastAckAt = undefined;
      if (!await sleep(opts.intervalMs, signal)) break;
      continue;
    }
    view.done();
    const provingMs = performance.now() - startedAt;
    stats.proved++;
    stats.provingMs += provingMs;
    const withTime = { ...proof, provingMs };
    await outbox.put({ batchNumber: block, proof: withTime });
    log.info(`proved batch ${block} in ${(provingMs / 1000).toFixed(2)} s; submitting`);
    const last = opts.maxProofs !== undefined && stats.acknowledged + 1 >= opts.maxProofs;
    if (!last && !signal.aborted) nextWork = send({ kind: "Request" }, "requesting work");
    if (!await submit(block, withTime)) break;
    lastAckAt = performance.now();
    Deno.remove(workDir, { recursive: true }).catch(() => {});
  }
  const orphan = await nextWork;
  if (orphan?.kind === "Response" && orphan.batchNumber !== null) {
    log.info(`not proving batch ${orphan.batchNumber}: stopping; its lease will expire`);
  }
  return stats;
}

function describe(reply: ServerMessage): string {
  if (reply.kind === "Error") return `${reply.code}: ${reply.message}`;
  return `unexpected ${reply.kind}`;
}
