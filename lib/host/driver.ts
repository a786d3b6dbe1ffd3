/**
 * The host driver: the only TypeScript code that knows zkvm-host's command line. Writes the input,
 * runs the binary, streams its JSON progress lines, maps its exit code to a typed error, reads and
 * checks the result file.
 */
import { join } from "node:path";
import type { Hex } from "viem";
import type { AnyInput } from "../input/types.ts";
import { encodeProverInput } from "../input/codec.ts";
import { resolveImageId } from "./image_id.ts";
import { BUILD_HINT, defaultHostBin } from "./bin.ts";
import {
  BackendUnavailableError,
  errorEventInfo,
  HostAbortedError,
  HostCrashError,
  hostErrorForExit,
  type HostErrorInfo,
} from "./errors.ts";
import { decodeJournal } from "../protocol/journal.ts";
import {
  type HostProgress,
  type HostResult,
  HostResultError,
  parseHostResult,
  resultError,
} from "./result.ts";

/** Which executor runs the block. */
export type HostBackend = "exec" | "risc0";
/** The risc0 receipt kind to produce. */
export type ReceiptKind = "composite" | "succinct" | "groth16";

/** Options of {@link runHost}. */
export interface RunHostOptions {
  readonly input: AnyInput;
  readonly backend: HostBackend;
  /** risc0 only: RISC0_DEV_MODE=1 (execute, fake receipt) or 0 (real proof). Default true. */
  readonly devMode?: boolean;
  readonly receipt?: ReceiptKind;
  /**
   * exec: the image id its mock seal's claim names (default: {@link resolveImageId}, the built
   * guest's, the dev guest's for inputs with quirks, else zero).
   */
  readonly imageId?: Hex;
  /** The zkvm-host binary (default: {@link defaultHostBin}). */
  readonly hostBin?: string;
  /** Where input/result files go; default a temp dir removed afterwards. */
  readonly workDir?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (ev: HostProgress) => void;
  /** Extra environment for the child (e.g. RUST_LOG). */
  readonly env?: Readonly<Record<string, string>>;
  /** Grace period between SIGTERM and SIGKILL on abort. Default 5000 ms. */
  readonly killGraceMs?: number;
}

const STDERR_TAIL_LINES = 40;

/** Process groups of the hosts running now (each host leads its own group). */
const liveGroups = new Set<number>();

/**
 * Sends `sig` to every running host's process group (the host and whatever it started): for a
 * process about to exit at once (a second SIGTERM), which has no time to wait for them.
 */
export function killHostGroups(sig: Deno.Signal = "SIGKILL"): number {
  for (const pgid of liveGroups) killGroup(pgid, sig);
  return liveGroups.size;
}

function killGroup(pgid: number, sig: Deno.Signal): void {
  try {
    Deno.kill(-pgid, sig);
  } catch { /* the group is gone */ }
}

/** Runs zkvm-host on `opts.input`; resolves to its result or throws a typed HostError. */
export async function runHost(opts: RunHostOptions): Promise<HostResult> {
  opts.signal?.throwIfAborted();
  const bin = opts.hostBin ?? defaultHostBin();
  const ownDir = opts.workDir === undefined;
  const dir = opts.workDir ?? (await Deno.makeTempDir({ prefix: "zkvm-host-" }));
  if (!ownDir) await Deno.mkdir(dir, { recursive: true });
  const inputPath = join(dir, "input.json");
  const resultPath = join(dir, "result.json");
  try {
    await Deno.writeTextFile(inputPath, encodeProverInput(opts.input));
    await Deno.remove(resultPath).catch(() => {});
    const args = ["run", "--input", inputPath, "--output", resultPath, "--backend", opts.backend];
    if (opts.receipt) args.push("--receipt", opts.receipt);
    if (opts.backend === "exec") {
      const dev = (opts.input.quirks?.length ?? 0) > 0;
      args.push("--image-id", opts.imageId ?? resolveImageId({ dev }));
    }
    const env: Record<string, string> = { ...opts.env };
    if (opts.backend === "risc0") env.RISC0_DEV_MODE = opts.devMode === false ? "0" : "1";
    return await spawnAndWait(bin, args, env, resultPath, opts);
  } finally {
    if (ownDir) await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

async function spawnAndWait(
  bin: string,
  args: string[],
  env: Record<string, string>,
  resultPath: string,
  opts: RunHostOptions,
): Promise<HostResult> {
  let child: Deno.ChildProcess;
  try {
    // Its own process group (setsid), so a stop reaches everything it started; the host asks the
    // kernel to kill it when this process dies (ZKVM_HOST_PARENT_PID closes the start-up race).
    child = new Deno.Command(bin, {
      args,
      env: { ...env, ZKVM_HOST_PARENT_PID: String(Deno.pid) },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      detached: true,
    }).spawn();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied) {
      throw new BackendUnavailableError(
        `zkvm-host not runnable at ${bin} (${(e as Error).message}); ${BUILD_HINT}`,
        null,
      );
    }
    throw e;
  }

  const pgid = child.pid;
  liveGroups.add(pgid);
  let aborted = false;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const onAbort = () => {
    aborted = true;
    killGroup(pgid, "SIGTERM");
    killTimer = setTimeout(() => killGroup(pgid, "SIGKILL"), opts.killGraceMs ?? 5000);
  };
  opts.signal?.addEventListener("abort", onAbort, { once: true });

  const tail: string[] = [];
  let lastError: HostErrorInfo | undefined;
  const keep = (line: string) => {
    tail.push(line);
    if (tail.length > STDERR_TAIL_LINES) tail.shift();
  };
  const readStderr = readLines(child.stderr, (line) => {
    const ev = parseProgress(line);
    if (!ev) {
      if (line.trim()) keep(line);
      return;
    }
    lastError = errorEventInfo(ev as Record<string, unknown>) ?? lastError;
    try {
      opts.onProgress?.(ev);
    } catch { /* a listener's bug must not kill the run */ }
  });
  const readStdout = readLines(child.stdout, (line) => {
    if (line.trim()) keep(line);
  });

  const status = await child.status;
  // Whatever the host started and left behind goes with it.
  killGroup(pgid, "SIGKILL");
  liveGroups.delete(pgid);
  await Promise.all([readStderr, readStdout]);
  clearTimeout(killTimer);
  opts.signal?.removeEventListener("abort", onAbort);
  const stderrTail = tail.join("\n");

  if (aborted) {
    throw new HostAbortedError(
      `zkvm-host was stopped: ${reasonText(opts.signal?.reason)}`,
      status.code,
      undefined,
      stderrTail,
    );
  }
  if (status.code === 0 && status.signal === null) return await readResult(resultPath, stderrTail);

  const info = lastError ?? (await readJson(resultPath).then(resultError).catch(() => undefined));
  const what = info ? `${info.code}: ${info.message}` : lastLine(stderrTail) || "no error message";
  if (status.signal !== null) {
    throw new HostCrashError(
      `zkvm-host was killed by ${status.signal}: ${what}`,
      null,
      info,
      stderrTail,
    );
  }
  const subject = status.code === 4
    ? `backend ${args[args.indexOf("--backend") + 1]}`
    : "zkvm-host";
  throw hostErrorForExit(status.code, subject, what, info, stderrTail);
}

async function readResult(path: string, stderrTail: string): Promise<HostResult> {
  let json: unknown;
  try {
    json = await readJson(path);
  } catch (e) {
    throw new HostCrashError(
      `zkvm-host exited 0 but its result file is unreadable: ${(e as Error).message}`,
      0,
      undefined,
      stderrTail,
    );
  }
  let result: HostResult;
  try {
    result = parseHostResult(json);
  } catch (e) {
    if (e instanceof HostResultError) {
      throw new HostCrashError(
        `zkvm-host result breaks docs/zkvm-host.md: ${e.message}`,
        0,
        undefined,
        stderrTail,
      );
    }
    throw e;
  }
  // The journal is what gets proved: it must say the same as the result's block (an empty one
  // decodes to nothing and is refused too). The only check of it: execute, perf and the prover
  // client rely on it.
  const j = (() => {
    try {
      return decodeJournal(result.journal);
    } catch (e) {
      throw new HostCrashError(
        `zkvm-host result journal: ${(e as Error).message}`,
        0,
        undefined,
        stderrTail,
      );
    }
  })();
  const b = result.block;
  const batch = result.batch;
  const same = j.chainId === BigInt(b.chainId) && j.lastBlock === BigInt(b.number) &&
    (batch === null ||
      (j.firstBlock === BigInt(batch.firstBlock) &&
        j.rulesDigest.toLowerCase() === batch.rulesDigest.toLowerCase())) &&
    j.parentHash.toLowerCase() === b.parentHash.toLowerCase() &&
    j.preStateRoot.toLowerCase() === b.preStateRoot.toLowerCase() &&
    j.postStateRoot.toLowerCase() === b.postStateRoot.toLowerCase() &&
    j.lastBlockHash.toLowerCase() === b.hash.toLowerCase();
  if (!same) {
    throw new HostCrashError(
      "zkvm-host result journal does not match its block fields",
      0,
      undefined,
      stderrTail,
    );
  }
  return result;
}

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await Deno.readTextFile(path));
}

function parseProgress(line: string): HostProgress | undefined {
  const t = line.trim();
  if (!t.startsWith("{")) return undefined;
  try {
    const v = JSON.parse(t);
    return v && typeof v === "object" && typeof v.event === "string"
      ? (v as HostProgress)
      : undefined;
  } catch {
    return undefined;
  }
}

async function readLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  let buf = "";
  const dec = new TextDecoder();
  try {
    for await (const chunk of stream) {
      buf += dec.decode(chunk, { stream: true });
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        onLine(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
      // A progress line never gets this long; keep memory bounded on a chatty child.
      if (buf.length > 1_000_000) buf = buf.slice(-100_000);
    }
  } catch { /* the child was killed mid-write */ }
  if (buf) onLine(buf);
}

function lastLine(s: string): string {
  const lines = s.trim().split("\n");
  return lines[lines.length - 1]?.slice(0, 300) ?? "";
}

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason ?? "aborted");
}
