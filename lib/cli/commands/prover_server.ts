/** `prover-server`: hands L2 blocks to prover clients, checks and stores their proofs. */
import {
  dataDir,
  devMode,
  hostBinary,
  l1Settlement,
  l1Tx,
  l2Quirks,
  l2Rpc,
  metricsEndpoint,
  rpcTuning,
  serverAuth,
  serverJobs,
  serverListen,
  settlementTuning,
} from "../../config/options.ts";
import { ConfigError } from "../../config/errors.ts";
import { openSettlement, type Settlement, storedBatchProofs } from "../../settlement/mod.ts";
import { VerifierMismatchError } from "../../l1/verifier_check.ts";
import { RpcClient } from "../../rpc/mod.ts";
import { readL2Rules } from "../../l1/l2_facts.ts";
import type { Logger } from "../../log/logger.ts";
import type { QuirksChoice } from "../../witness/quirks.ts";
import { l2BlockHash, l2FactsFetcher, l2JobBuilder } from "../../server/l2_jobs.ts";
import { startProverServer } from "../../server/server.ts";
import { ChainHeadSource } from "../../server/source.ts";
import { hostReceiptVerifier } from "../../server/receipt_verifier.ts";
import { writeFileAtomic } from "../../store/atomic.ts";
import { defineCommand, EXIT } from "../command.ts";

/** The prover-server subcommand. */
export const proverServer = defineCommand({
  name: "prover-server",
  summary: "serve L2 blocks to prover clients over TCP, check and store proofs, settle on L1",
  details: "Without --on-chain-proposer, proves every L2 block from --from-block on (batches of " +
    "--batch-size) and keeps the proofs in --data-dir. With --on-chain-proposer, proves the " +
    "batches committed to it on L1 and sends verifyBatches as the verifier account. Prints " +
    "'prover-server listening on <ip>:<port>' on stdout.",
  options: {
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
  },
  async run(config, { log, signal }) {
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
      try {
        settlement = await openSettlement({
          l1Rpc: config.l1Rpc,
          onChainProposer: config.onChainProposer,
          verifierPrivateKey: config.verifierPrivateKey,
          verifierAddress: config.verifierAddress,
          committerAddress: config.committerAddress,
          sealKind: config.devMode || config.acceptExecProofs ? "mock" : "groth16",
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
    }
    const rpc = new RpcClient(config.l2Rpc, { concurrency: config.rpcConcurrency, signal });
    // With settlement the batches are what the committer posted on L1; else the server cuts them.
    const source = settlement?.source ?? new ChainHeadSource(rpc, {
      fromBlock: config.fromBlock,
      batchSize: config.batchSize,
      batchTimeoutMs: config.batchTimeout,
    });
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
      log,
    });
    try {
      const where = `${config.listenIp}:${server.port}`;
      if (config.portFile) {
        await writeFileAtomic(config.portFile, new TextEncoder().encode(`${server.port}\n`));
      }
      console.log(`prover-server listening on ${where}`);
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
      // The proof sender runs beside the server until the signal stops both.
      const settling = settlement?.run(
        storedBatchProofs(server.store, log, (n) => server.isCanonical(n)),
        signal,
      );
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        signal.addEventListener("abort", () => resolve(), { once: true });
      });
      await settling;
      log.info("stopping: no new connections; finishing open exchanges");
    } finally {
      await server.close();
    }
    log.info(`stopped with ${server.store.size} proofs stored`);
    return EXIT.ok;
  },
});

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
