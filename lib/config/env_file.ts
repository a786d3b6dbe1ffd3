/** Reads a `.env` file (dotenv syntax) without touching the process environment. */
import { parse } from "dotenv";
import { ConfigError } from "./errors.ts";

/** The default .env path: `./.env` in the working directory, used only when it exists. */
export const DEFAULT_ENV_FILE = ".env";

/**
 * Loads the variables of an env file. A missing default file is fine (empty); a missing file
 * the user named explicitly is an error.
 */
export function readEnvFile(path: string, explicit: boolean): Record<string, string> {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound && !explicit) return {};
    throw new ConfigError(
      "--env-file",
      `cannot read '${path}': ${(e as Error).message}`,
      "a readable dotenv file",
    );
  }
  return parse(text);
}
