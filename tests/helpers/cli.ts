/** Runs the CLI as a real subprocess, as an operator would, and captures its output. */
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Output of one CLI run. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `deno run -A main.ts ...args` in the repo root with extra env vars. */
export async function runMain(
  args: readonly string[],
  env: Record<string, string> = {},
  opts: { cwd?: string; clearEnv?: boolean } = {},
): Promise<CliResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}main.ts`, ...args],
    env,
    cwd: opts.cwd ?? ROOT,
    clearEnv: opts.clearEnv,
    stdin: "null",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** The repository root (with trailing slash). */
export const REPO_ROOT = ROOT;
