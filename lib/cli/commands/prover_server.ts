/** `prover-server`: hands L2 blocks to prover clients, checks and stores their proofs. */
import {
  dataDir,
  hostBinary,
  l1Settlement,
  l1Tx,
  l2Rpc,
  metricsEndpoint,
  rpcTuning,
  serverAuth,
  serverDevMode,
  serverJobs,
  serverListen,
  settlementTuning,
} from "../../config/options.ts";
import { ConfigError } from "../../config/errors.ts";
import { openSettlement } from "../../settlement/mod.ts";
import { VerifierMismatchError } from "../../l1/verifier_check.ts";
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
    ...l1Tx,
    ...settlementTuning,
    ...dataDir,
    ...hostBinary,
    ...serverDevMode,
  },
  async run(config, { log, signal }) {
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
      try {
        await openSettlement({
          l1Rpc: config.l1Rpc,
          onChainProposer: config.onChainProposer,
          verifierPrivateKey: config.verifierPrivateKey,
          verifierAddress: config.verifierAddress,
          committerAddress: config.committerAddress,
          sealKind: config.acceptDevReceipts || config.acceptExecProofs ? "mock" : "groth16",
          maxBatchesPerTx: config.maxBatchesPerTx,
          confirmations: config.l1Confirmations,
          feeBumpAfterMs: config.l1FeeBumpAfter,
          maxFeePerGasWei: config.l1MaxFeeGwei === undefined
            ? undefined
            : BigInt(config.l1MaxFeeGwei) * 10n ** 9n,
          pollMs: config.pollInterval,
          dataDir: config.dataDir,
          log: log.child("settlement"),
        });
      } catch (e) {
        log.error(`cannot settle on L1: ${(e as Error).message}`);
        return e instanceof VerifierMismatchError ? EXIT.config : EXIT.failure;
      }
      // The accounts and the verifier check out; proving the committed batches needs the
      // per-batch job board (journal v2), which lands with issue 11's server part.
      log.error(
        "settlement checks passed, but the server does not prove committed batches yet " +
          "(per-batch jobs, issue 11); unset ON_CHAIN_PROPOSER_ADDRESS to prove L2 blocks",
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
