/** Entry point of the l2-prover CLI: `deno run -A main.ts <subcommand> [options]`. */
import { runCli } from "./lib/cli/app.ts";

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args));
}
