/**
 * `zkvm-host verify` and `zkvm-host image-id` (docs/zkvm-host.md), for the prover server: it
 * checks a submitted risc0 receipt against the image id of the guest it trusts, never against an
 * image id the prover chose.
 */
import { join } from "node:path";
import type { Hex } from "viem";
import { BUILD_HINT, defaultHostBin } from "./bin.ts";
import {
  BackendUnavailableError,
  errorEventInfo,
  HostCrashError,
  hostErrorForExit,
} from "./errors.ts";
import type { HostErrorInfo } from "./errors.ts";

/** What `zkvm-host verify` needs of a proof: the fields of a risc0 result file. */
export interface ReceiptToVerify {
  readonly imageId: Hex;
  readonly journal: Hex;
  readonly seal: Hex;
  readonly receipt: unknown;
}

/** Options of {@link verifyReceipt}. */
export interface VerifyOptions {
  readonly hostBin?: string;
  /** Accept dev-mode (fake) receipts: RISC0_DEV_MODE=1 for the verifier. */
  readonly devMode: boolean;
}

/** Verifies a risc0 receipt; resolves when it holds, throws a typed HostError otherwise. */
export async function verifyReceipt(r: ReceiptToVerify, opts: VerifyOptions): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "zkvm-verify-" });
  try {
    const path = join(dir, "result.json");
    await Deno.writeTextFile(path, JSON.stringify({ ...r, backend: "risc0", ok: true }));
    await hostCommand(opts.hostBin, ["verify", "--result", path], {
      RISC0_DEV_MODE: opts.devMode ? "1" : "0",
    });
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * The image id of the guest this zkvm-host runs (`dev`: of the dev guest, which runs inputs with
 * quirks); throws BackendUnavailableError without one.
 */
export async function hostImageId(hostBin?: string, opts: { dev?: boolean } = {}): Promise<Hex> {
  const out = await hostCommand(hostBin, opts.dev ? ["image-id", "--dev"] : ["image-id"], {});
  const id = out.trim();
  if (!/^0x[0-9a-f]{64}$/i.test(id)) {
    throw new HostCrashError(`zkvm-host image-id printed '${id}', not a 32-byte hex id`, 0);
  }
  return id.toLowerCase() as Hex;
}

async function hostCommand(
  hostBin: string | undefined,
  args: string[],
  env: Record<string, string>,
): Promise<string> {
  const bin = hostBin ?? defaultHostBin();
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(bin, {
      args,
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    })
      .output();
  } catch (e) {
    throw new BackendUnavailableError(
      `zkvm-host not runnable at ${bin} (${(e as Error).message}); ${BUILD_HINT}`,
      null,
    );
  }
  const dec = new TextDecoder();
  if (out.code === 0) return dec.decode(out.stdout);
  const info = lastError(dec.decode(out.stderr));
  const what = info ? `${info.code}: ${info.message}` : `exit ${out.code}`;
  throw hostErrorForExit(out.code, `zkvm-host ${args[0]}`, what, info);
}

// The host's last `{"event":"error",...}` line on stderr names what went wrong.
function lastError(stderr: string): HostErrorInfo | undefined {
  for (const line of stderr.trim().split("\n").reverse()) {
    try {
      const info = errorEventInfo(JSON.parse(line));
      if (info) return info;
    } catch { /* free-form line */ }
  }
  return undefined;
}
