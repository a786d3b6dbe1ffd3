/** The registry of subcommands, in the order `--help` lists them. */
import type { AnyCommand } from "../command.ts";
import { commit } from "./commit.ts";
import { deploy } from "./deploy.ts";
import { devnet } from "./devnet.ts";
import { execute } from "./execute.ts";
import { perfGpu } from "./perf_gpu.ts";
import { perfTest } from "./perf_test.ts";
import { proverClient } from "./prover_client.ts";
import { proverServer } from "./prover_server.ts";
import { up } from "./up.ts";

/** Every subcommand of the CLI. */
export const COMMANDS: readonly AnyCommand[] = [
  up,
  proverServer,
  proverClient,
  deploy,
  commit,
  devnet,
  execute,
  perfTest,
  perfGpu,
];
