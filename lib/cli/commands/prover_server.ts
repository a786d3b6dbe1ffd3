/** `prover-server`: hands L2 blocks to prover clients, checks and stores their proofs. */
import { proverServerSettings, runProverService } from "../../server/serve.ts";
import { defineCommand } from "../command.ts";

/** The prover-server subcommand. */
export const proverServer = defineCommand({
  name: "prover-server",
  summary: "serve L2 blocks to prover clients over TCP, check and store proofs, settle on L1",
  details: "Without --on-chain-proposer, proves every L2 block from --from-block on (batches of " +
    "--batch-size) and keeps the proofs in --data-dir. With --on-chain-proposer, proves the " +
    "batches committed to it on L1 and sends verifyBatches as the verifier account. Prints " +
    "'prover-server listening on <ip>:<port>' on stdout.",
  options: proverServerSettings,
  run(config, { log, signal }) {
    return runProverService(config, {
      log,
      signal,
      onListening: (where) => console.log(`prover-server listening on ${where}`),
    });
  },
});
