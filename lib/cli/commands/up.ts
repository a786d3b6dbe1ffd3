/** `up`: the whole system locally (`make run`): L1 and L2 anvils, contracts, committer, server, provers. */
import { join } from "node:path";
import { dataDir, hostBinary } from "../../config/options.ts";
import { integer, oneOf, port } from "../../config/parsers.ts";
import { optional, withDefault } from "../../config/spec.ts";
import { chooseBackend } from "../../devnet/backend.ts";
import { runUp } from "../../devnet/up.ts";
import { defineCommand, EXIT } from "../command.ts";

/** The up subcommand. */
export const up = defineCommand({
  name: "up",
  summary: "run the whole system locally: L1 + L2 anvils, contracts, committer, server, provers",
  details: "Starts an anvil L1 and an anvil L2, deploys OnChainProposer with the mock verifier, " +
    "commits L2 batches, proves them and verifies them on L1. Logs one line per event. " +
    "Ctrl-C stops everything; --blocks N stops once N L2 blocks are verified on L1. " +
    "Each run starts fresh chains, so its state goes to a fresh directory <data-dir>/up/<time>.",
  options: {
    ...dataDir,
    ...hostBinary,
    l1Port: withDefault(port(true), "8545", {
      flag: "--l1-port <port>",
      env: "UP_L1_PORT",
      description: "port of the L1 anvil (a free one when taken; 0: always a free one)",
    }),
    l2Port: withDefault(port(true), "1729", {
      flag: "--l2-port <port>",
      env: "UP_L2_PORT",
      description: "port of the L2 anvil (a free one when taken; 0: always a free one)",
    }),
    batchSize: withDefault(integer(1, 1000), "2", {
      flag: "--batch-size <n>",
      env: "UP_BATCH_SIZE",
      description: "L2 blocks per committed batch",
    }),
    provers: withDefault(integer(1, 64), "1", {
      flag: "--provers <n>",
      env: "UP_PROVERS",
      description: "prover clients to run",
    }),
    blockTime: withDefault(integer(1, 3600), "1", {
      flag: "--block-time <seconds>",
      env: "UP_BLOCK_TIME",
      description: "seconds between L1 blocks and between L2 blocks",
    }),
    txsPerBlock: withDefault(integer(0, 1000), "6", {
      flag: "--txs-per-block <n>",
      env: "DEVNET_TXS_PER_BLOCK",
      description: "transactions the generator sends per block time",
    }),
    backend: withDefault(oneOf(["auto", "exec", "risc0"] as const), "auto", {
      flag: "--backend <auto|exec|risc0>",
      env: "DEVNET_BACKEND",
      description: "client backend: risc0 (dev mode), exec, or auto (risc0 when zkvm-host has it)",
    }),
    blocks: optional(integer(1), {
      flag: "--blocks <n>",
      description: "stop once this many L2 blocks are verified on L1 (default: run until Ctrl-C)",
    }),
  },
  async run(config, { log, signal }) {
    const runDir = join(config.dataDir, "up", new Date().toISOString().replace(/[:.]/g, "-"));
    log.info(`state of this run in ${runDir}`);
    const s = await runUp({
      l1Port: config.l1Port,
      l2Port: config.l2Port,
      l2ChainId: 1729,
      dataDir: runDir,
      blockTimeS: config.blockTime,
      txsPerTick: config.txsPerBlock,
      batchSize: config.batchSize,
      provers: config.provers,
      backend: await chooseBackend(config.backend, config.hostBin, log),
      hostBin: config.hostBin,
      targetBlocks: config.blocks,
      log,
    }, signal);
    console.log(
      `up: L1 OnChainProposer ${s.onChainProposer}: lastVerifiedBatch=${s.lastVerifiedBatch} ` +
        `lastVerifiedBlock=${s.lastVerifiedBlock} (from L2 block ${s.genesisBlock}; ` +
        `lastCommittedBatch=${s.lastCommittedBatch}), ${s.txsSent} L2 transactions sent`,
    );
    return EXIT.ok;
  },
});
