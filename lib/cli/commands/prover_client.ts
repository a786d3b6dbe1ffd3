/** `prover-client`: asks the server for work, proves it with the zkVM host, submits. */
import { clientEndpoint, dataDir, devMode, hostBinary } from "../../config/options.ts";
import { defineCommand } from "../command.ts";
import { notBuilt } from "../not_built.ts";

/** The prover-client subcommand. */
export const proverClient = defineCommand({
  name: "prover-client",
  summary: "ask the prover server for blocks, prove them in the zkVM, submit the proofs",
  options: { ...clientEndpoint, ...devMode, ...hostBinary, ...dataDir },
  run: () => Promise.resolve(notBuilt("prover-client", "prover-server and prover-client issue")),
});
