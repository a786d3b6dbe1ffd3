/** `prover-client`: asks the server for work, proves it with the zkVM host, submits. */
import { FatalProverError, runProverClient } from "../../client/client.ts";
import { hostProver } from "../../client/host_prover.ts";
import {
  clientAuth,
  clientEndpoint,
  dataDir,
  devMode,
  hostBinary,
  proverBackend,
  proving,
} from "../../config/options.ts";
import { hostBinLabel, provingEnv } from "../../host/mod.ts";
import { defineCommand, EXIT } from "../command.ts";

/** The prover-client subcommand. */
export const proverClient = defineCommand({
  name: "prover-client",
  summary: "ask the prover server for blocks, prove them in the zkVM, submit the proofs",
  details: "Finished proofs wait in <data-dir>/client/outbox until the server acknowledges them; " +
    "a restarted client submits them before proving anything new.",
  options: {
    ...clientEndpoint,
    ...clientAuth,
    ...proverBackend,
    ...devMode,
    ...hostBinary,
    ...proving,
    ...dataDir,
  },
  async run(config, { log, signal }) {
    log.info(
      `proving with backend ${config.backend}${
        config.backend === "risc0" ? ` (RISC0_DEV_MODE=${config.devMode ? 1 : 0})` : ""
      } for ${config.serverEndpoint.host}:${config.serverEndpoint.port}`,
      { dataDir: config.dataDir, zkvmHost: hostBinLabel(config.hostBin) },
    );
    try {
      const stats = await runProverClient({
        server: config.serverEndpoint,
        intervalMs: config.intervalMs,
        timeouts: { request: config.requestTimeout },
        dataDir: config.dataDir,
        authToken: config.authToken,
        prove: hostProver({
          backend: config.backend,
          devMode: config.devMode,
          hostBin: config.hostBin,
          env: provingEnv(config),
        }),
        log,
      }, signal);
      log.info(`stopped: ${stats.acknowledged} proofs acknowledged, ${stats.rejected} rejected`);
      return EXIT.ok;
    } catch (e) {
      if (e instanceof FatalProverError) {
        log.error(e.message);
        return e.kind === "config" ? EXIT.config : EXIT.unavailable;
      }
      throw e;
    }
  },
});
