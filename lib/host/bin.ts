/**
 * Where the zkvm-host binary is: --host-bin / ZKVM_HOST_BIN, else (in a compiled release) the
 * zkvm-host shipped next to the executable, else this checkout's release build.
 */
import { join } from "node:path";
import { executableDir, isCompiled, programFile } from "../paths/program.ts";

/** How the host binary was found, for logs and `--version`. */
export type HostBinSource = "ZKVM_HOST_BIN" | "next to the executable" | "checkout build";

/** A resolved host binary path and how it was chosen. */
export interface HostBinChoice {
  readonly path: string;
  readonly source: HostBinSource;
}

/** Facts the resolution reads, injectable for tests. */
export interface HostBinContext {
  readonly env: { get(key: string): string | undefined };
  readonly compiled: boolean;
  readonly executableDir: string;
  readonly exists: (path: string) => boolean;
}

/** The checkout's release build of zkvm-host. */
export const CHECKOUT_HOST_BIN: string = programFile("zkvm/target/release/zkvm-host");

/** Resolves the host binary: ZKVM_HOST_BIN, then next to a compiled executable, then the checkout. */
export function resolveHostBin(ctx: Partial<HostBinContext> = {}): HostBinChoice {
  const env = ctx.env ?? Deno.env;
  const fromEnv = env.get("ZKVM_HOST_BIN");
  if (fromEnv) return { path: fromEnv, source: "ZKVM_HOST_BIN" };
  if (ctx.compiled ?? isCompiled()) {
    const beside = join(ctx.executableDir ?? executableDir(), "zkvm-host");
    if ((ctx.exists ?? isFile)(beside)) return { path: beside, source: "next to the executable" };
  }
  return { path: CHECKOUT_HOST_BIN, source: "checkout build" };
}

/** The default zkvm-host path (see {@link resolveHostBin}). */
export function defaultHostBin(env: { get(key: string): string | undefined } = Deno.env): string {
  return resolveHostBin({ env }).path;
}

/** "path (how it was found)" of the host a command will run, for its startup log line. */
export function hostBinLabel(explicit: string | undefined): string {
  if (explicit !== undefined) return `${explicit} (--host-bin)`;
  const c = resolveHostBin();
  return `${c.path} (${c.source})`;
}

/** Whether `path` is an existing file. */
export function hostBinExists(path: string = defaultHostBin()): boolean {
  return isFile(path);
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** How to get a host binary, for error messages. */
export const BUILD_HINT =
  "build it with `cargo build --release -p zkvm-host` in zkvm/, or point --host-bin / ZKVM_HOST_BIN at one";
