/**
 * Where the program's own files are. Under `deno run` they are the checkout this module lives in;
 * in a `deno compile` executable they are the copies embedded with `--include`, at the same
 * relative paths under the executable's virtual root. Nothing here depends on the working
 * directory, so the CLI runs the same from anywhere.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Root of the program's files (the checkout, or the compiled executable's embedded root). */
export const PROGRAM_ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** True inside a `deno compile` executable (its modules live under a `deno-compile-` root). */
export function isCompiled(moduleUrl: string = import.meta.url): boolean {
  return moduleUrl.includes("/deno-compile-");
}

/** Absolute path of one of the program's own files, from its path relative to the root. */
export function programFile(relative: string): string {
  return join(PROGRAM_ROOT, relative);
}

/** The directory of the running executable (the deno binary under `deno run`). */
export function executableDir(): string {
  return dirname(Deno.execPath());
}
