/**
 * The fault suite's shared set-ups: the real zkvm-host (or a printed skip), a prover server on an
 * anvil L2 with reorg checks, in-process exec clients of it, a one-batch server whose input the
 * host can parse, and real prover-client processes. One place, so each fault test states only its
 * fault.
 */
import { join } from "node:path";
import { type ClientStats, runProverClient } from "../../lib/client/client.ts";
import { hostProver } from "../../lib/client/host_prover.ts";
import type { Logger } from "../../lib/log/logger.ts";
import { RpcClient } from "../../lib/rpc/mod.ts";
import { l2BlockHash, l2FactsFetcher, l2JobBuilder } from "../../lib/server/l2_jobs.ts";
import { type ProverServer, startProverServer } from "../../lib/server/server.ts";
import { ChainHeadSource } from "../../lib/server/source.ts";
import { REPO_ROOT } from "../helpers/cli.ts";
import { fakeFacts, testServerOptions } from "../helpers/fake_chain.ts";
import { type MainProcess, spawnMain } from "../helpers/procs.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";

/** The zkvm-host the clients run (ZKVM_HOST_BIN, else this checkout's release build). */
export const HOST_BIN = Deno.env.get("ZKVM_HOST_BIN") ??
  join(REPO_ROOT, "zkvm/target/release/zkvm-host");

/** True (and a printed skip naming `what`) when zkvm-host is not built. */
export async function hostMissing(what: string): Promise<boolean> {
  const missing = await Deno.stat(HOST_BIN).then(() => false, () => true);
  if (missing) console.log(`SKIP ${what}: zkvm-host not found at ${HOST_BIN} (make host)`);
  return missing;
}

/**
 * anvil flags for an L2 the exec host proves across reorgs: a constant (zero) base fee, since the
 * blocks anvil_reorg mines otherwise carry a base fee computed from the old head.
 */
export const ANVIL_L2_ARGS = ["--hardfork", "prague", "--block-base-fee-per-gas", "0"];

/** A server proving every block of the L2 at `rpc` from block 2 on, one per batch, reorg-checked. */
export function l2Server(rpc: RpcClient, dataDir: string, log: Logger): Promise<ProverServer> {
  return startProverServer(testServerOptions(dataDir, {
    // From block 2: anvil's genesis does not commit to its state, so block 1 is not provable.
    source: new ChainHeadSource(rpc, { fromBlock: 2, batchSize: 1, batchTimeoutMs: 0 }),
    build: l2JobBuilder(rpc),
    fetchFacts: l2FactsFetcher(rpc),
    blockHash: l2BlockHash(rpc),
    leaseMs: 60_000,
    pollMs: 50,
    maxMessageBytes: 64 * 1024 * 1024,
    readTimeoutMs: 10_000,
    log,
  }));
}

/**
 * An in-process client on the exec backend (the real host) that proves `n` batches of the server
 * on `port`; fails, with `context()`, if that takes over a minute.
 */
export async function proveWithHost(
  port: number,
  n: number,
  dataDir: string,
  context: () => string = () => "",
): Promise<ClientStats> {
  const stop = AbortSignal.timeout(60_000);
  const client = memoryLogger();
  const stats = await runProverClient({
    server: { host: "127.0.0.1", port },
    intervalMs: 50,
    dataDir,
    prove: hostProver({ backend: "exec", devMode: true, hostBin: HOST_BIN }),
    log: client.log,
    tty: false,
    maxProofs: n,
  }, stop);
  if (stop.aborted) {
    throw new Error(
      `client proved ${stats.acknowledged}/${n} in 60 s\n${context()}\nclient:\n` +
        client.lines.join(""),
    );
  }
  return stats;
}

/**
 * A server in this process handing out one batch (5) whose input the host parses, so the host
 * really runs: `overrides` on top (a logger, --unprovable-after).
 */
export async function oneBatchServer(
  dataDir: string,
  overrides: Parameters<typeof testServerOptions>[1] = {},
): Promise<ProverServer> {
  const input = await Deno.readTextFile(
    join(REPO_ROOT, "tests/fixtures/inputs/bpo1-storage-5.json"),
  );
  return await startProverServer(testServerOptions(dataDir, {
    first: 5,
    last: 5,
    build: (b) => Promise.resolve({ batch: b, facts: fakeFacts(5), inputJson: input, buildMs: 1 }),
    fetchFacts: () => Promise.resolve(fakeFacts(5)),
    leaseMs: 60_000,
    prefetch: 1,
    maxMessageBytes: 64 * 1024 * 1024,
    readTimeoutMs: 5_000,
    ...overrides,
  }));
}

/** A real `prover-client` process on the exec backend against `port`, running `hostBin`. */
export function spawnClient(
  port: number,
  dataDir: string,
  hostBin: string,
  extra: readonly string[] = [],
): MainProcess {
  return spawnMain([
    "prover-client",
    "--server",
    `127.0.0.1:${port}`,
    "--data-dir",
    dataDir,
    "--backend",
    "exec",
    "--host-bin",
    hostBin,
    ...extra,
  ]);
}

/** A JSON-RPC endpoint that forwards to one node and can be pointed at another mid-test. */
export interface RpcSwitch extends AsyncDisposable {
  readonly url: string;
  /** Forwards every later request to `url` (the "L2 node" behind --l2-rpc changes). */
  switchTo(url: string): void;
}

/** Starts an {@link RpcSwitch} on loopback forwarding to `target`. */
export function rpcSwitch(target: string): Promise<RpcSwitch> {
  let to = target;
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen: ({ port }) => {
        const close = () => server.shutdown();
        resolve({
          url: `http://127.0.0.1:${port}`,
          switchTo: (url) => (to = url),
          [Symbol.asyncDispose]: close,
        });
      },
    }, async (req) => {
      try {
        const res = await fetch(to, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: await req.arrayBuffer(),
        });
        return new Response(res.body, { status: res.status, headers: res.headers });
      } catch (e) {
        return new Response(`upstream ${to}: ${(e as Error).message}`, { status: 502 });
      }
    });
  });
}
