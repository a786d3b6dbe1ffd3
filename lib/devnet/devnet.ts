/**
 * The local devnet behind `make run`: an anvil L2 with a transaction generator, the prover server
 * (accepting exec proofs and dev-mode receipts) and one prover client, on the risc0 backend in
 * dev mode when zkvm-host has it, else on the exec backend, in one process. Ctrl-C
 * stops the client, the server, the generator and anvil, in that order.
 */
import type { Logger } from "../log/logger.ts";
import { RpcClient } from "../rpc/mod.ts";
import { ChainHeadSource } from "../server/source.ts";
import { startAnvil } from "./anvil.ts";
import { runLocalClients, startLocalServer } from "./local.ts";
import { startTxGen } from "./txgen.ts";

/** Devnet settings. */
export interface DevnetOptions {
  readonly listenIp: string;
  readonly listenPort: number;
  readonly metricsPort?: number;
  /** Where the proofs of this run go (a fresh chain: a fresh directory). */
  readonly dataDir: string;
  readonly blockTimeS: number;
  readonly txsPerTick: number;
  readonly hostBin?: string;
  /** The client's backend; risc0 runs in dev mode (RISC0_DEV_MODE=1). */
  readonly backend: "exec" | "risc0";
  /** Stop by itself after this many proved blocks (tests); default: run until signalled. */
  readonly maxProofs?: number;
  readonly log: Logger;
}

/** What a devnet run did. */
export interface DevnetSummary {
  readonly proved: number;
  readonly txsSent: number;
  readonly storedBlocks: number[];
}

/** Runs the devnet until `signal` aborts (or `maxProofs` blocks are proved). */
export async function runDevnet(opts: DevnetOptions, signal: AbortSignal): Promise<DevnetSummary> {
  const { log } = opts;
  await using anvil = await startAnvil({ args: ["--block-time", String(opts.blockTimeS)] });
  log.info(`anvil L2 running at ${anvil.url} (a block every ${opts.blockTimeS} s)`);
  const rpc = new RpcClient(anvil.url);
  await using txgen = await startTxGen(rpc, {
    txsPerTick: opts.txsPerTick,
    tickMs: opts.blockTimeS * 1000,
    log: log.child("txgen"),
  });
  await using server = await startLocalServer({
    rpc,
    hostname: opts.listenIp,
    port: opts.listenPort,
    dataDir: opts.dataDir,
    // anvil's genesis header commits to an empty state root although its state holds funded
    // accounts, so block 1 cannot be proved statelessly: the devnet proves from block 2.
    source: new ChainHeadSource(rpc, { fromBlock: 2, batchSize: 1, batchTimeoutMs: 0 }),
    metricsPort: opts.metricsPort,
    hostBin: opts.hostBin,
    log,
  });
  log.info(`prover-server on ${opts.listenIp}:${server.port}; proofs in ${opts.dataDir}`, {
    metrics: server.metricsPort === undefined
      ? "off (--metrics-port)"
      : `http://127.0.0.1:${server.metricsPort}/metrics`,
  });
  const [stats] = await runLocalClients({
    count: 1,
    server: { host: opts.listenIp === "0.0.0.0" ? "127.0.0.1" : opts.listenIp, port: server.port },
    dataDir: opts.dataDir,
    backend: opts.backend,
    hostBin: opts.hostBin,
    maxProofs: opts.maxProofs,
    log,
  }, signal);
  log.info(
    `stopping devnet: ${stats.acknowledged} blocks proved, ${txgen.sent()} transactions sent`,
  );
  return {
    proved: stats.acknowledged,
    txsSent: txgen.sent(),
    storedBlocks: server.store.batches(),
  };
}
