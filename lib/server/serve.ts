/**
 * `prover-server` as a use case: the settings it takes, settlement opened and checked (with
 * --on-chain-proposer), the server started on the L2 node with reorg checks, and the proof
 * sender running beside it until the signal. The command only parses options and prints; tests
 * start the same service in-process.
 */
import {
  dataDir,
  devMode,
  hostBinary,
  l1Settlement,
  l1Tx,
  l1TxPolicy,
  l2Quirks,
  l2Rpc,
  metricsEndpoint,
  rpcTuning,
  serverAuth,
  serverJobs,
  serverListen,
  settlementTuning,
} from "../config/options.ts";
import type { ConfigOf } from "../config/spec.ts";
import { ConfigError } from "../config/errors.ts";
import { EXIT } from "../exit/codes.ts";
import { readL2Rules } from "../l1/l2_facts.ts";
import { VerifierMismatchError } from "../l1/verifier_check.ts";
import type { Logger } from "../log/logger.ts";
import { RpcClient } from "../rpc/mod.ts";
import { openSettlement, type Settlement, storedBatchProofs } from "../settlement/mod.ts";
import { writeFileAtomic } from "../store/atomic.ts";
import type { QuirksChoice } from "../witness/quirks.ts";
import { l2BlockHash, l2FactsFetcher, l2JobBuilder } from "./l2_jobs.ts";
import { serverMetrics } from "./metrics.ts";
import { hostReceiptVerifier } from "./receipt_verifier.ts";
import { type ProverServer, startProverServer } from "./server.ts";
import { type BatchSource, ChainHeadSource } from "./source.ts";

/** The settings of `prover-server`. */
export const proverServerSettings = {
  ...serverListen,
  ...serverJobs,
  ...serverAuth,
  ...metricsEndpoint,
  ...l2Rpc,
  ...l2Quirks,
  ...rpcTuning,
  ...l1Settlement,
  ...l1Tx,
  ...settlementTuning,
  ...dataDir,
  ...hostBinary,
  ...devMode,
};

/** `prover-server`'s parsed settings. */
export type ProverServerConfig = ConfigOf<typeof proverServerSettings>;

/** A started prover service: the server, and the proof sender when it settles on L1. */
export interface ProverService extends AsyncDisposable {
  readonly server: ProverServer;
  readonly settlement?: Settlement;
  readonly source: BatchSource;
  readonly rpc: RpcClient;
  /** Resolves when the proof sender stops (at once without settlement). */
  readonly settling: Promise<void>;
  /** Stops the sender (through the signal) and the server. */
  close(): Promise<void>;
}

/** Thrown when settlement cannot start; `exitCode` is what the command exits with. */
export class SettlementStartError extends Error {
  constructor(message: string, readonly exitCode: number, options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * Opens settlement (with --on-chain-proposer: the accounts and the verifier checked), starts the
 * server on the L2 (reorg checks against the L2's hashes, and with settlement against the hashes
 * committed on L1) and the proof sender. Throws ConfigError for missing settings and
 * SettlementStartError when L1 refuses.
 */
export async function startProverService(
  config: ProverServerConfig,
  log: Logger,
  signal: AbortSignal,
): Promise<ProverService> {
  const metrics = serverMetrics();
  let settlement: Settlement | undefined;
  if (config.onChainProposer !== undefined) {
    if (!config.l1Rpc) {
      throw new ConfigError("ETH_RPC_URL", "is required with --on-chain-proposer");
    }
    if (!config.verifierPrivateKey) {
      throw new ConfigError(
        "PROVER_SERVER_VERIFIER_PRIVATE_KEY",
        "is required with --on-chain-proposer (env, .env, or --verifier-private-key-file)",
      );
    }
    const tx = l1TxPolicy(config);
    try {
      settlement = await openSettlement({
        l1Rpc: config.l1Rpc,
        onChainProposer: config.onChainProposer,
        verifierPrivateKey: config.verifierPrivateKey,
        verifierAddress: config.verifierAddress,
        committerAddress: config.committerAddress,
        sealKind: config.devMode || config.acceptExecProofs ? "mock" : "groth16",
        maxBatchesPerTx: config.maxBatchesPerTx,
        confirmations: tx.confirmations,
        feeBumpAfterMs: tx.bumpAfterMs,
        maxFeePerGasWei: tx.maxFeePerGasCap,
        pollMs: config.pollInterval,
        dataDir: config.dataDir,
        metrics,
        log: log.child("settlement"),
      });
    } catch (e) {
      throw new SettlementStartError(
        `cannot settle on L1: ${(e as Error).message}`,
        e instanceof VerifierMismatchError ? EXIT.config : EXIT.failure,
        { cause: e },
      );
    }
  }
  const rpc = new RpcClient(config.l2Rpc, { concurrency: config.rpcConcurrency, signal });
  // With settlement the batches are what the committer posted on L1; else the server cuts them.
  const source = settlement?.source ?? new ChainHeadSource(rpc, {
    fromBlock: config.fromBlock,
    batchSize: config.batchSize,
    batchTimeoutMs: config.batchTimeout,
  });
  const s = settlement;
  const server = await startProverServer({
    hostname: config.listenIp,
    port: config.listenPort,
    dataDir: config.dataDir,
    source,
    build: l2JobBuilder(rpc, config.quirks),
    fetchFacts: l2FactsFetcher(rpc, config.quirks),
    verifyReceipt: hostReceiptVerifier({
      hostBin: config.hostBin,
      devMode: config.devMode,
      log: log.child("verifier"),
    }),
    acceptExecProofs: config.acceptExecProofs,
    leaseMs: config.proverTimeout,
    prefetch: config.prefetch,
    pollMs: config.pollInterval,
    maxMessageBytes: config.maxMessageSize,
    readTimeoutMs: config.readTimeout,
    maxConnections: config.maxConnections,
    authToken: config.authToken,
    blockHash: l2BlockHash(rpc),
    unprovableAfter: config.unprovableAfter,
    metricsPort: config.metricsPort,
    metricsHostname: config.metricsIp,
    metrics,
    health: s ? { l1: () => s.health.json() } : undefined,
    log,
  });
  // The sender stops with the server: on the caller's signal or on close().
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener("abort", onAbort, { once: true });
  if (signal.aborted) stop.abort();
  const settling = settlement?.run(
    // a proof of blocks a reorg replaced is never sent to L1
    storedBatchProofs(server.store, log.child("settlement"), (n) => server.isCanonical(n)),
    stop.signal,
  ).catch((e) => log.error(`the proof sender stopped: ${(e as Error).message}`)) ??
    Promise.resolve();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    stop.abort();
    signal.removeEventListener("abort", onAbort);
    await settling;
    await server.close();
  };
  return { server, settlement, source, rpc, settling, close, [Symbol.asyncDispose]: close };
}

/**
 * Runs `prover-server` until `signal`: starts the service, writes the port file, calls
 * `onListening` with `ip:port`, logs what it serves and the rules it proves under, and on the
 * signal stops. Resolves to the exit code.
 */
export async function runProverService(
  config: ProverServerConfig,
  opts: {
    readonly log: Logger;
    readonly signal: AbortSignal;
    readonly onListening: (where: string) => void;
  },
): Promise<number> {
  const { log, signal } = opts;
  let service: ProverService;
  try {
    service = await startProverService(config, log, signal);
  } catch (e) {
    if (!(e instanceof SettlementStartError)) throw e;
    log.error(e.message);
    return e.exitCode;
  }
  const { server, source, rpc } = service;
  try {
    const where = `${config.listenIp}:${server.port}`;
    if (config.portFile) {
      await writeFileAtomic(config.portFile, new TextEncoder().encode(`${server.port}\n`));
    }
    opts.onListening(where);
    log.info(`serving ${source.description} (L2 ${rpc.displayUrl}) on ${where}`, {
      fromBlock: config.fromBlock,
      dataDir: config.dataDir,
      storedProofs: server.store.size,
      acceptExecProofs: config.acceptExecProofs,
      auth: config.authToken !== undefined,
      metrics: server.metricsPort === undefined
        ? "off"
        : `http://${config.metricsIp}:${server.metricsPort}/metrics`,
    });
    await logRules(rpc, config.quirks, log);
    if (config.acceptExecProofs) {
      log.warn("accepting exec proofs (a mock seal, no proof): use this for dev and devnet only");
    }
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
    await service.settling;
    log.info("stopping: no new connections; finishing open exchanges");
  } finally {
    await service.close();
  }
  log.info(`stopped with ${server.store.size} proofs stored`);
  return EXIT.ok;
}

/**
 * Logs the rule set the server proves under (fork, quirks, rules digest), so an operator sees
 * whether proofs attest Ethereum's rules or a dev node's; an L2 that does not answer yet is only
 * noted (each batch's input carries its own rules all the same).
 */
async function logRules(rpc: RpcClient, quirks: QuirksChoice, log: Logger): Promise<void> {
  try {
    const r = await readL2Rules(rpc, quirks);
    log.info(
      `proving under rules ${r.fork} [${r.quirks.join(", ")}] = ${r.rulesDigest}`,
      { fork: r.fork, quirks: r.quirks, quirksFrom: r.quirksSource, client: r.client },
    );
    if (r.quirks.length) {
      log.warn(
        `quirks ${
          r.quirks.join(", ")
        }: the proofs attest ${r.client}'s rules, not Ethereum's (dev chains only)`,
      );
    }
  } catch (e) {
    log.warn(`cannot read the L2's rules yet: ${(e as Error).message}`);
  }
}
