/**
 * The part `devnet` and `up` share: the prover server as a local run configures it (exec proofs
 * and dev-mode receipts accepted, generous limits) and K prover clients in the same process on
 * the backend chosen for this machine.
 */
import { join } from "node:path";
import { type ClientStats, type ProveFn, runProverClient } from "../client/client.ts";
import { hostProver } from "../client/host_prover.ts";
import type { Logger } from "../log/logger.ts";
import type { RpcClient } from "../rpc/mod.ts";
import { l2BlockHash, l2FactsFetcher, l2JobBuilder } from "../server/l2_jobs.ts";
import { hostReceiptVerifier } from "../server/receipt_verifier.ts";
import { type ProverServer, startProverServer } from "../server/server.ts";
import type { BatchSource } from "../server/source.ts";

/** Settings of {@link startLocalServer}. */
export interface LocalServerOptions {
  readonly rpc: RpcClient;
  readonly source: BatchSource;
  /** The proof store and lease journal. */
  readonly dataDir: string;
  readonly hostname?: string;
  readonly port?: number;
  readonly metricsPort?: number;
  readonly hostBin?: string;
  readonly log: Logger;
}

/** Starts the prover server of a local run (exec proofs and dev-mode receipts accepted). */
export function startLocalServer(opts: LocalServerOptions): Promise<ProverServer> {
  return startProverServer({
    hostname: opts.hostname ?? "127.0.0.1",
    port: opts.port ?? 0,
    dataDir: opts.dataDir,
    source: opts.source,
    build: l2JobBuilder(opts.rpc),
    fetchFacts: l2FactsFetcher(opts.rpc),
    // reorg checks, and with settlement the check against the hashes committed on L1
    blockHash: l2BlockHash(opts.rpc),
    verifyReceipt: hostReceiptVerifier({
      hostBin: opts.hostBin,
      devMode: true,
      log: opts.log.child("verifier"),
    }),
    acceptExecProofs: true,
    leaseMs: 10 * 60_000,
    prefetch: 4,
    pollMs: 500,
    maxMessageBytes: 256 * 1024 ** 2,
    readTimeoutMs: 60_000,
    metricsPort: opts.metricsPort,
    log: opts.log.child("prover-server"),
  });
}

/** Settings of {@link runLocalClients}. */
export interface LocalClientsOptions {
  readonly count: number;
  readonly server: { readonly host: string; readonly port: number };
  /** Client i keeps its outbox in `<dataDir>/client-<i>` (one client: `dataDir` itself). */
  readonly dataDir: string;
  readonly backend: "exec" | "risc0";
  readonly hostBin?: string;
  /** Wraps client i's prove function (the live view watches jobs through it). */
  readonly wrap?: (id: number, prove: ProveFn) => ProveFn;
  readonly maxProofs?: number;
  readonly log: Logger;
}

/** Runs the clients (risc0 in dev mode, or exec) until `signal` aborts; their stats, in order. */
export function runLocalClients(
  opts: LocalClientsOptions,
  signal: AbortSignal,
): Promise<ClientStats[]> {
  return Promise.all(Array.from({ length: opts.count }, (_, i) => {
    const id = i + 1;
    const prove = hostProver({ backend: opts.backend, devMode: true, hostBin: opts.hostBin });
    return runProverClient({
      server: opts.server,
      intervalMs: 500,
      dataDir: opts.count === 1 ? opts.dataDir : join(opts.dataDir, `client-${id}`),
      prove: opts.wrap ? opts.wrap(id, prove) : prove,
      maxProofs: opts.maxProofs,
      log: opts.log.child(opts.count === 1 ? "prover-client" : `prover-${id}`),
      tty: false,
    }, signal);
  }));
}
