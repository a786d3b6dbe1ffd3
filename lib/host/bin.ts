/** Where the zkvm-host binary is: --host-bin / ZKVM_HOST_BIN, else this checkout's release build. */
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** zkvm/target/release/zkvm-host of this checkout (ZKVM_HOST_BIN overrides it). */
export function defaultHostBin(env: { get(key: string): string | undefined } = Deno.env): string {
  const fromEnv = env.get("ZKVM_HOST_BIN");
  if (fromEnv) return fromEnv;
  return `${REPO_ROOT}zkvm/target/release/zkvm-host`;
}

/** Whether `path` is an existing file. */
export function hostBinExists(path: string = defaultHostBin()): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** How to get a host binary, for error messages. */
export const BUILD_HINT =
  "build it with `cargo build --release -p zkvm-host` in zkvm/, or point --host-bin / ZKVM_HOST_BIN at one";
