/**
 * The prover server assembled: proof store, lease table (restored from disk), job board with
 * prefetching, submission desk, TCP listener and the metrics endpoint.
 */
import type { Logger } from "../log/logger.ts";
import { UpstreamHealth } from "../metrics/health.ts";
import { type MetricsServer, serveMetrics } from "../metrics/http.ts";
import type { ClientMessage, ServerMessage } from "../protocol/messages.ts";
import { LeaseJournal } from "../store/lease_journal.ts";
import { ProofStore } from "../store/proof_store.ts";
import { UnprovableSet } from "../store/unprovable.ts";
import { type Clock, LeaseTable } from "./leases.ts";
import { type BlockHashFn, type FactsFetcher, JobBoard, type JobBuilder } from "./jobs.ts";
import { type ServerMetrics, serverMetrics } from "./metrics.ts";
import type { BatchSource } from "./source.ts";
import { type ReceiptVerifier, SubmissionDesk } from "./submissions.ts";
import { serveTcp, type TcpServer } from "./tcp.ts";

/** Everything the server needs, injected (tests pass fakes for the L2 and the verifier). */
export interface ProverServerOptions {
  readonly hostname: string;
  readonly port: number;
  readonly dataDir: string;
  readonly source: BatchSource;
  readonly build: JobBuilder;
  readonly fetchFacts: FactsFetcher;
  readonly verifyReceipt: ReceiptVerifier;
  readonly acceptExecProofs: boolean;
  readonly leaseMs: number;
  readonly prefetch: number;
  readonly pollMs: number;
  readonly maxMessageBytes: number;
  readonly readTimeoutMs: number;
  /** Connections served at once (default 256). */
  readonly maxConnections?: number;
  readonly authToken?: string;
  /** Port of /metrics and /status; undefined: no metrics endpoint. */
  readonly metricsPort?: number;
  readonly metricsHostname?: string;
  /** The L2's canonical block hashes: enables reorg checks (the L2 node in production). */
  readonly blockHash?: BlockHashFn;
  /** Independent failure reports after which a batch is unprovable (default 3). */
  readonly unprovableAfter?: number;
  readonly clock?: Clock;
  /** The metric set to fill (default a fresh one): settlement reports into the same one. */
  readonly metrics?: ServerMetrics;
  /** More entries of /status `health` (settlement's `l1`), read at each request. */
  readonly health?: Readonly<Record<string, () => unknown>>;
  readonly log: Logger;
}

/** A running prover server. */
export interface ProverServer extends AsyncDisposable {
  /** The bound TCP port (useful with port 0). */
  readonly port: number;
  readonly metricsPort: number | undefined;
  readonly metrics: ServerMetrics;
  readonly store: ProofStore;
  /** The JSON behind GET /status. */
  status(): Record<string, unknown>;
  /** True when the stored proof of batch `n` is of the L2's canonical blocks (for the sender). */
  isCanonical(n: number): Promise<boolean>;
  /** Stops listening, lets open exchanges finish, stops prefetching. */
  close(): Promise<void>;
}

/** Opens the store, restores leases, starts prefetching and listening. */
export async function startProverServer(opts: ProverServerOptions): Promise<ProverServer> {
  const { log } = opts;
  const metrics = opts.metrics ?? serverMetrics();
  const storeHealth = new UpstreamHealth({
    what: "the data dir",
    verb: "cannot write to",
    back: "takes writes again",
    hint: `${opts.dataDir} (disk full or read-only?); proofs wait in the clients' outboxes`,
    up: metrics.storeUp,
    errors: metrics.storeFailures,
    log,
  });
  const store = await ProofStore.open(opts.dataDir);
  for (const q of store.quarantined) {
    log.error(
      `proof file ${q.file} is bad and was moved to ${q.movedTo}; its batch will be proved ` +
        `again: ${q.reason}`,
    );
  }
  metrics.quarantined.set(store.quarantined.length);
  const unprovable = await UnprovableSet.open(opts.dataDir);
  for (const u of unprovable.all()) {
    log.error(
      `batch ${u.batch} is held unprovable since ${u.since} (${u.code}: ${u.message}): not ` +
        `handing it out; remove it from ${unprovable.path} to prove it again`,
    );
  }
  const leases = new LeaseTable(opts.leaseMs, opts.clock);
  const { journal, leases: restored, damage } = await LeaseJournal.open(
    opts.dataDir,
    (b) => store.has(b),
  );
  if (damage) {
    log.warn(
      `the lease journal was damaged (a crash mid-write?): ${damage.tornTailBytes} bytes of a torn ` +
        `last line, ${damage.badLines} other unreadable lines, ignored; a batch they leased may ` +
        "be handed out once more (its first valid proof wins)",
    );
  }
  // A quarantined file's batch was proved before: its lease on record is of that finished run.
  const quarantined = new Set(store.quarantined.map((q) => q.batch));
  for (const l of restored) if (!quarantined.has(l.batch)) leases.restore(l);
  const stored = store.batches();
  metrics.storedProofs.set(store.size);
  if (stored.length) metrics.lastVerified.set(stored[stored.length - 1]);
  if (stored.length || restored.length) {
    log.info(`resuming: ${store.size} proofs stored, ${restored.length} leases restored`, {
      lastStored: stored[stored.length - 1],
    });
  }

  const board = new JobBoard(
    {
      source: opts.source,
      build: opts.build,
      fetchFacts: opts.fetchFacts,
      store,
      leases,
      journal,
      metrics,
      log: log.child("jobs"),
      unprovable,
      blockHash: opts.blockHash,
      storeHealth,
    },
    { prefetch: opts.prefetch, pollMs: opts.pollMs, unprovableAfter: opts.unprovableAfter },
  );
  const desk = new SubmissionDesk(
    { board, leases, store, verifyReceipt: opts.verifyReceipt, metrics, storeHealth, log },
    { acceptExecProofs: opts.acceptExecProofs },
  );

  const handle = async (msg: ClientMessage, peer: string): Promise<ServerMessage> => {
    if (msg.kind === "ProveFailed") {
      const out = await board.reportFailure(msg.batchNumber, peer, msg);
      return out.ok
        ? { kind: "FailureAck", batchNumber: msg.batchNumber, unprovable: out.unprovable }
        : {
          kind: "Error",
          code: "not_handed_out",
          message: out.message,
          batchNumber: msg.batchNumber,
        };
    }
    if (msg.kind === "Request") {
      const job = await board.take(peer);
      if (!job) {
        return {
          kind: "Response",
          batchNumber: null,
          firstBlock: null,
          lastBlock: null,
          input: null,
          inputJson: "null",
        };
      }
      const { number, firstBlock, lastBlock } = job.batch;
      log.info(`handed out batch ${number} (blocks ${firstBlock}..${lastBlock})`, { peer });
      return {
        kind: "Response",
        batchNumber: number,
        firstBlock,
        lastBlock,
        input: null,
        inputJson: job.inputJson,
      };
    }
    const out = await desk.submit(msg, peer);
    return out.ok
      ? { kind: "SubmitAck", batchNumber: msg.batchNumber }
      : { kind: "Error", code: out.code, message: out.message, batchNumber: msg.batchNumber };
  };

  const status = (): Record<string, unknown> => {
    const s: Record<string, unknown> = statusBase();
    const health = s.health as Record<string, unknown>;
    health.store = storeHealth.json();
    for (const [k, f] of Object.entries(opts.health ?? {})) health[k] = f();
    return s;
  };
  const statusBase = () => ({
    listen: `${opts.hostname}:${tcp.port}`,
    open_connections: tcp.openConnections,
    accept_exec_proofs: opts.acceptExecProofs,
    lease_ms: opts.leaseMs,
    prefetch: opts.prefetch,
    stored_proofs: store.size,
    last_proved_batch: Number.isNaN(metrics.lastVerified.get()) ? null : metrics.lastVerified.get(),
    handed_out: metrics.handedOut.get(),
    proved: metrics.proved.get(),
    lease_expiries: metrics.leaseExpiries.get(),
    rejected: metrics.rejected.byLabel("reason"),
    quarantined_files: store.quarantined,
    input_build_ms: metrics.inputBuildMs.snapshot(),
    client_proving_ms: metrics.provingMs.snapshot(),
    ...board.status(),
  });

  const stop = new AbortController();
  let tcp: TcpServer;
  try {
    tcp = serveTcp({
      hostname: opts.hostname,
      port: opts.port,
      maxMessageBytes: opts.maxMessageBytes,
      readTimeoutMs: opts.readTimeoutMs,
      maxConnections: opts.maxConnections ?? 256,
      authToken: opts.authToken,
      log: log.child("tcp"),
      onError: (code) => metrics.rejected.inc({ reason: code }),
    }, handle);
  } catch (e) {
    await journal.close();
    throw e;
  }
  let http: MetricsServer | undefined;
  if (opts.metricsPort !== undefined) {
    try {
      http = await serveMetrics({
        hostname: opts.metricsHostname ?? "127.0.0.1",
        port: opts.metricsPort,
        registry: metrics.registry,
        status,
        log,
      });
    } catch (e) {
      await tcp.close();
      await journal.close();
      throw e;
    }
  }
  const prefetching = board.run(stop.signal);

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    stop.abort();
    await tcp.close();
    await http?.close();
    await prefetching.catch(() => {});
    await journal.close();
  };
  return {
    port: tcp.port,
    metricsPort: http?.port,
    metrics,
    store,
    status,
    isCanonical: (n) => board.isStoredCanonical(n),
    close,
    [Symbol.asyncDispose]: close,
  };
}
