/** `prover-server`: hands L2 blocks to prover clients, checks and stores their proofs. */
import { dataDir, l1Settlement, l2Rpc, serverListen } from "../../config/options.ts";
import { defineCommand } from "../command.ts";
import { notBuilt } from "../not_built.ts";

/** The prover-server subcommand. */
export const proverServer = defineCommand({
  name: "prover-server",
  summary: "serve L2 blocks to prover clients over TCP, check and store proofs, settle on L1",
  options: { ...serverListen, ...l2Rpc, ...l1Settlement, ...dataDir },
  run: () => Promise.resolve(notBuilt("prover-server", "prover-server and prover-client issue")),
});
