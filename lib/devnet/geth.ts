/**
 * Starts a real geth in dev mode (`make geth` installs the pinned one into .work/bin) on free
 * loopback ports, with its own temporary data directory, and stops it by PID. A spec node: the
 * end-to-end tests prove its blocks with no quirks, through debug_executionWitness and through
 * traces + eth_getProof.
 */
import { spawnNode, untilListening } from "./node_process.ts";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** A running geth node. */
export interface GethNode extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Everything geth printed so far (for test failure messages). */
  output(): string;
  /** Stops the node (SIGTERM, then SIGKILL after a grace period) and removes its datadir. */
  stop(): Promise<void>;
}

/** Options for {@link startGeth}. */
export interface GethOptions {
  /** Seconds between blocks (`--dev.period`); 0 (default): a block whenever transactions wait. */
  readonly periodS?: number;
  /** Extra geth arguments. */
  readonly args?: readonly string[];
  /** How long to wait for geth to listen. */
  readonly startTimeoutMs?: number;
  /** geth binary; default: .work/bin/geth of this checkout, else `geth` on PATH. */
  readonly bin?: string;
  /** A data directory to keep (up's persistent L2); default: a temporary one, removed on stop. */
  readonly datadir?: string;
  /** In a session of its own, out of reach of a terminal's Ctrl-C (see spawnNode). */
  readonly ownSession?: boolean;
}

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The geth binary this checkout uses (`make geth`), or undefined when there is none. */
export function gethBin(): string | undefined {
  const local = join(REPO_ROOT, ".work", "bin", "geth");
  try {
    Deno.statSync(local);
    return local;
  } catch {
    try {
      const r = new Deno.Command("geth", { args: ["version"], stdout: "null", stderr: "null" })
        .outputSync();
      return r.success ? "geth" : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Starts `geth --dev` on 127.0.0.1 (HTTP on a port it picks; auth RPC, p2p and IPC off). */
export async function startGeth(opts: GethOptions = {}): Promise<GethNode> {
  const bin = opts.bin ?? gethBin();
  if (!bin) throw new Error("no geth: run `make geth` (installs the pinned geth into .work/bin)");
  const datadir = opts.datadir ?? await Deno.makeTempDir({ prefix: "l2-prover-geth-" });
  const args = [
    "--dev",
    "--dev.period",
    String(opts.periodS ?? 0),
    "--datadir",
    datadir,
    "--http",
    "--http.addr",
    "127.0.0.1",
    "--http.port",
    "0",
    "--http.api",
    "eth,debug,net,web3",
    // the engine API is not used in dev mode: keep it on loopback on a free port
    "--authrpc.addr",
    "127.0.0.1",
    "--authrpc.port",
    "0",
    "--ipcdisable",
    "--nodiscover",
    "--maxpeers",
    "0",
    "--port",
    "0",
    "--verbosity",
    "3",
    ...(opts.args ?? []),
  ];
  const child = spawnNode(bin, args, opts.ownSession);
  let out = "";
  const decoder = new TextDecoder();
  let resolvePort: (p: number) => void;
  const portSeen = new Promise<number>((r) => (resolvePort = r));
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) {
      out += decoder.decode(chunk, { stream: true });
      if (out.length > 200_000) out = out.slice(-100_000);
      const m = /HTTP server started\s+endpoint=127\.0\.0\.1:(\d+)/.exec(out);
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
    }, 5000);
    await child.status;
    clearTimeout(timer);
    await pumps;
    if (!opts.datadir) await Deno.remove(datadir, { recursive: true }).catch(() => {});
  };
  const { url, port } = await untilListening({
    name: "geth",
    child,
    portSeen,
    output: () => out,
    stop,
    timeoutMs: opts.startTimeoutMs ?? 30_000,
  });
  return { url, port, pid: child.pid, output: () => out, stop, [Symbol.asyncDispose]: stop };
}
