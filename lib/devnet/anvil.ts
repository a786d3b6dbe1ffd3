/**
 * Starts a real anvil node (npm `@foundry-rs/anvil`) on a free loopback port and stops it for
 * sure. Used by `make run` for the local devnet and by the end-to-end tests.
 */
import { untilListening } from "./node_process.ts";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** A running anvil node. */
export interface AnvilNode extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Everything anvil printed so far (for test failure messages). */
  output(): string;
  /** Stops the node (SIGTERM, then SIGKILL after a grace period); safe to call twice. */
  stop(): Promise<void>;
}

/** Options for {@link startAnvil}. */
export interface AnvilOptions {
  /** Extra anvil arguments, e.g. `["--hardfork", "prague", "--no-mining"]`. */
  readonly args?: readonly string[];
  /** Chain id (anvil's default is 31337). */
  readonly chainId?: number;
  /** How long to wait for anvil to listen. */
  readonly startTimeoutMs?: number;
  /** anvil binary; default: node_modules/.bin/anvil of this checkout, else `anvil` on PATH. */
  readonly bin?: string;
  /** Loopback port to listen on; default 0 (anvil picks a free one). */
  readonly port?: number;
}

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The anvil binary this checkout uses. */
export function anvilBin(): string {
  const local = join(REPO_ROOT, "node_modules", ".bin", "anvil");
  try {
    Deno.statSync(local);
    return local;
  } catch {
    return "anvil";
  }
}

/** Starts anvil on 127.0.0.1 (`opts.port`, default a free one) and waits until it answers RPC. */
export async function startAnvil(opts: AnvilOptions = {}): Promise<AnvilNode> {
  const args = ["--host", "127.0.0.1", "--port", String(opts.port ?? 0), ...(opts.args ?? [])];
  if (opts.chainId !== undefined) args.push("--chain-id", String(opts.chainId));
  const child = new Deno.Command(opts.bin ?? anvilBin(), {
    args,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  let out = "";
  const decoder = new TextDecoder();
  let resolvePort: (p: number) => void;
  const portSeen = new Promise<number>((r) => (resolvePort = r));
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) {
      out += decoder.decode(chunk, { stream: true });
      if (out.length > 200_000) out = out.slice(-100_000);
      const m = /Listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolvePort(Number(m[1]));
    }
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]).catch(() => {});
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      child.kill("SIGTERM");
    } catch { /* already exited */ }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* already exited */ }
    }, 3000);
    await child.status;
    clearTimeout(timer);
    await pumps;
  };
  const { url, port } = await untilListening({
    name: "anvil",
    child,
    portSeen,
    output: () => out,
    stop,
    timeoutMs: opts.startTimeoutMs ?? 20_000,
  });
  return { url, port, pid: child.pid, output: () => out, stop, [Symbol.asyncDispose]: stop };
}

/** `preferred` when nothing listens on it on 127.0.0.1, else 0 (let the node pick a free port). */
export function portIfFree(preferred: number): number {
  if (preferred === 0) return 0;
  try {
    Deno.listen({ hostname: "127.0.0.1", port: preferred }).close();
    return preferred;
  } catch {
    return 0;
  }
}
