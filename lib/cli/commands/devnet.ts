/** `devnet`: the whole system locally (`make run`): anvil L2, tx generator, server, one client. */
import { join } from "node:path";
import {
  dataDir,
  hostBinary,
  localBackend,
  metricsEndpoint,
  serverListen,
  txGenRate,
} from "../../config/options.ts";
import { integer } from "../../config/parsers.ts";
import { optional, withDefault } from "../../config/spec.ts";
import { runDevnet } from "../../devnet/devnet.ts";
import { chooseBackend } from "../../devnet/backend.ts";
import { defineCommand, EXIT } from "../command.ts";

/** The devnet subcommand. */
export const devnet = defineCommand({
  name: "devnet",
  summary: "run everything locally: anvil L2 + tx generator + prover-server + prover-client",
  details: "Each run starts a fresh chain, so its proofs go to a fresh directory " +
    "<data-dir>/devnet/<time>. Ctrl-C stops everything.",
  options: {
    ...serverListen,
    ...dataDir,
    ...hostBinary,
    blockTime: withDefault(integer(1, 3600), "2", {
      flag: "--block-time <seconds>",
      env: "DEVNET_BLOCK_TIME",
      description: "seconds between L2 blocks",
    }),
    ...txGenRate,
    metricsPort: metricsEndpoint.metricsPort,
    ...localBackend,
    maxBlocks: optional(integer(1), {
      flag: "--max-blocks <n>",
      description: "stop after proving this many blocks (default: run until Ctrl-C)",
    }),
  },
  async run(config, { log, signal }) {
    const runDir = join(config.dataDir, "devnet", new Date().toISOString().replace(/[:.]/g, "-"));
    const summary = await runDevnet({
      listenIp: config.listenIp,
      listenPort: config.listenPort,
      metricsPort: config.metricsPort,
      dataDir: runDir,
      blockTimeS: config.blockTime,
      txsPerTick: config.txsPerBlock,
      hostBin: config.hostBin,
      backend: (await chooseBackend(config.backend, config.hostBin, log)).backend,
      maxProofs: config.maxBlocks,
      log,
    }, signal);
    console.log(
      `devnet: ${summary.proved} blocks proved (${summary.storedBlocks.length} stored in ${runDir}), ` +
        `${summary.txsSent} transactions sent`,
    );
    return EXIT.ok;
  },
});
