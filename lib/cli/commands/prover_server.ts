/** `prover-server`: hands L2 blocks to prover clients, checks and stores their proofs. */
import {
  dataDir,
  hostBinary,
  l1Settlement,
  l2Rpc,
  metricsEndpoint,
  rpcTuning,
  serverAuth,
  serverDevMode,
  serverJobs,
  serverListen,
} from "../../config/options.ts";
import { RpcClient } from "../../rpc/mod.ts";
import { l2FactsFetcher, l2JobBuilder } from "../../server/l2_jobs.ts";
import { startProverServer } from "../../server/server.ts";
import { ChainHeadSource } from "../../server/source.ts";
import { hostReceiptVerifier } from "../../server/receipt_verifier.ts";
import { writeFileAtomic } from "../../store/atomic.ts";
import { defineCommand, EXIT } from "../command.ts";

/** The prover-server subcommand. */
export const proverServer = defineCommand({
  name: "prover-server",
  summary: "serve L2 blocks to prover clients over TCP, check and store proofs, settle on L1",
  details: "Without --on-chain-proposer, proves every L2 block from --from-block on and keeps " +
    "the proofs in --data-dir. Prints 'prover-server listening on <ip>:<port>' on stdout.",
  options: {
    ...serverListen,
    ...serverJobs,
    ...serverAuth,
    ...metricsEndpoint,
    ...l2Rpc,
    ...rpcTuning,
    ...l1Settlement,
    ...dataDir,
    ...hostBinary,
    ...serverDevMode,
  },
  async run(config, { log, signal }) {
    if (config.onChainProposer !== undefined) {
      log.error(
        "--on-chain-proposer is set, but L1 settlement is not built yet (its own issue); " +
          "unset ON_CHAIN_PROPOSER_ADDRESS to prove L2 blocks from --from-block on",
      );
      return EXIT.notBuilt;
    }
    const rpc = new RpcClient(config.l2Rpc, { concurrency: config.rpcConcurrency, signal });
    const server = await startProverServer({
      hostname: config.listenIp,
      port: config.listenPort,
      dataDir: config.dataDir,
      source: new ChainHeadSource(rpc, {
        fromBlock: config.fromBlock,
        batchSize: config.batchSize,
        batchTimeoutMs: config.batchTimeout,
      }),
      build: l2JobBuilder(rpc),
      fetchFacts: l2FactsFetcher(rpc),
      verifyReceipt: hostReceiptVerifier({
        hostBin: config.hostBin,
        devMode: config.acceptDevReceipts,
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
      metricsPort: config.metricsPort,
      metricsHostname: config.metricsIp,
      log,
    });
    try {
      const where = `${config.listenIp}:${server.port}`;
      if (config.portFile) {
        await writeFileAtomic(config.portFile, new TextEncoder().encode(`${server.port}\n`));
      }
      console.log(`prover-server listening on ${where}`);
      log.info(`serving L2 blocks from ${rpc.displayUrl} on ${where}`, {
        fromBlock: config.fromBlock,
        dataDir: config.dataDir,
        storedProofs: server.store.size,
        acceptExecProofs: config.acceptExecProofs,
        auth: config.authToken !== undefined,
        metrics: server.metricsPort === undefined
          ? "off"
          : `http://${config.metricsIp}:${server.metricsPort}/metrics`,
      });
      if (config.acceptExecProofs) {
        log.warn("accepting exec proofs (no seal): use this for dev and devnet only");
      }
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        signal.addEventListener("abort", () => resolve(), { once: true });
      });
      log.info("stopping: no new connections; finishing open exchanges");
    } finally {
      await server.close();
    }
    log.info(`stopped with ${server.store.size} proofs stored`);
    return EXIT.ok;
  },
});
