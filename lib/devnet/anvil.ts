/**
 * Starts a real anvil node (npm `@foundry-rs/anvil`) on a free loopback port and stops it for
 * sure. Used by `make run` for the local devnet and by the end-to-end tests.
 */
import { spawnNode, superviseNode, untilListening } from "./node_process.ts";
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
  /** In a session of its own, out of reach of a terminal's Ctrl-C (see spawnNode). */
  readonly ownSession?: boolean;
  /** Grace after SIGTERM before SIGKILL (default 3 s; longer when anvil dumps a large --state). */
  readonly stopTimeoutMs?: number;
}

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The anvil binary this checkout uses: npm's platform binary itself (not the node wrapper in
 * node_modules/.bin, so the PID is anvil's and a stop reaches it), else `anvil` on PATH.
 */
export function anvilBin(): string {
  const pkgs = join(REPO_ROOT, "node_modules", "@foundry-rs");
  try {
    for (const e of Deno.readDirSync(pkgs)) {
      if (!e.name.startsWith("anvil-")) continue;
      const bin = join(pkgs, e.name, "bin", "anvil");
      if (Deno.statSync(bin).isFile) return bin;
    }
  } catch { /* no npm anvil */ }
  const wrapper = join(REPO_ROOT, "node_modules", ".bin", "anvil");
  try {
    Deno.statSync(wrapper);
    return wrapper;
  } catch {
    return "anvil";
  }
}

/** Starts anvil on 127.0.0.1 (`opts.port`, default a free one) and waits until it answers RPC. */
export async function startAnvil(opts: AnvilOptions = {}): Promise<AnvilNode> {
  const args = ["--host", "127.0.0.1", "--port", String(opts.port ?? 0), ...(opts.args ?? [])];
  if (opts.chainId !== undefined) args.push("--chain-id", String(opts.chainId));
  const child = spawnNode(opts.bin ?? anvilBin(), args, opts.ownSession);
  const { portSeen, output, stop } = superviseNode(
    child,
    /Listening on 127\.0\.0\.1:(\d+)/,
    opts.stopTimeoutMs ?? 3000,
  );
  const { url, port } = await untilListening({
    name: "anvil",
    child,
    portSeen,
    output,
    stop,
    timeoutMs: opts.startTimeoutMs ?? 20_000,
  });
  return { url, port, pid: child.pid, output, stop, [Symbol.asyncDispose]: stop };
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
