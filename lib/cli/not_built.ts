/** The honest answer of a subcommand whose capability is not built yet. */
import { EXIT } from "./command.ts";

/** Prints that `what` is not built yet and returns the matching exit code. */
export function notBuilt(what: string, issue: string): number {
  console.error(`error: ${what} is not built yet (tracked in: ${issue}); nothing was run.`);
  return EXIT.notBuilt;
}
