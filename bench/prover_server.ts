/**
 * Prover server/client benchmark (not a test): measures, prints, writes bench-reports/*.json.
 *
 *   deno run -A bench/prover_server.ts [--requests 100] [--input-mb 1] [--pollers 100] [--poll-s 20]
 *
 * 1. Request→Response latency with prefetched inputs (goal: < 50 ms for a 1 MB input).
 * 2. Server CPU with N clients polling once a second (a real `main.ts prover-server` subprocess
 *    against an anvil L2 with no new blocks; loopback only; bounded in clients and seconds).
 * 3. The client's idle gap between an acknowledged proof and the start of the next
 *    (goal: < 1 % of proving time).
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runProverClient } from "../lib/client/client.ts";
import { startAnvil } from "../lib/devnet/anvil.ts";
import { Logger, LogSink } from "../lib/log/logger.ts";
import { exchange } from "../lib/protocol/transport.ts";
import type { BatchFacts } from "../lib/server/facts.ts";
import type { PreparedJob } from "../lib/server/jobs.ts";
import { startProverServer } from "../lib/server/server.ts";
import { fakeFacts, fakeProof, testServerOptions } from "../tests/helpers/fake_chain.ts";

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    requests: { type: "string", default: "100" },
    "input-mb": { type: "string", default: "1" },
    pollers: { type: "string", default: "100" },
    "poll-s": { type: "string", default: "20" },
    "prove-ms": { type: "string", default: "500" },
    proofs: { type: "string", default: "20" },
  },
});

const quiet = new Logger(new LogSink("error", "json"), "bench");

/** A synthetic job whose input is about `bytes` long (witness nodes of random hex). */
function job(n: number, bytes: number): PreparedJob {
  const node = `0x${"ab".repeat(256)}`;
  const state = Array.from({ length: Math.ceil(bytes / (node.length + 3)) }, () => node);
  const input = {
    version: 1,
    chainId: 31337,
    fork: "prague",
    block: "0xf90200",
    witness: { state, codes: [], keys: [], headers: ["0xf90200"] },
    fake: fakeFacts(n),
  };
  return {
    batch: { number: n, firstBlock: n, lastBlock: n },
    facts: fakeFacts(n),
    inputJson: JSON.stringify(input),
    buildMs: 0,
  };
}

function summary(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return {
    n: s.length,
    mean: round(mean),
    p50: round(q(0.5)),
    p95: round(q(0.95)),
    max: round(s[s.length - 1] ?? NaN),
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "prover-bench-" });
}

/** 1: latency of Request→Response with the input prepared ahead. */
async function requestLatency(requests: number, inputBytes: number) {
  const dataDir = await tempDir();
  await using server = await startProverServer(
    benchServerOptions(dataDir, requests + 1000, inputBytes, 16),
  );
  const addr = { host: "127.0.0.1", port: server.port };
  const latencies: number[] = [];
  let bytes = 0;
  for (let i = 0; i < requests; i++) {
    // let the prefetcher keep up, so every request measures a prepared input
    for (let w = 0; w < 1000 && server.metrics.preparedInputs.get() < 1; w++) {
      await new Promise((r) => setTimeout(r, 1));
    }
    const t0 = performance.now();
    const r = await exchange(addr, { kind: "Request" });
    latencies.push(performance.now() - t0);
    if (r.kind !== "Response" || r.batchNumber === null) throw new Error("no work handed out");
    bytes = JSON.stringify(r.input).length;
  }
  await Deno.remove(dataDir, { recursive: true });
  return { inputBytes: bytes, latencyMs: summary(latencies), goalMs: 50 };
}

function cpuMs(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** 2: CPU of a real server subprocess with `pollers` clients each polling once a second. */
async function pollingCpu(pollers: number, seconds: number) {
  await using anvil = await startAnvil();
  const dataDir = await tempDir();
  const portFile = join(dataDir, "port");
  const root = new URL("../", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${root}main.ts`,
      "prover-server",
      "--listen-port",
      "0",
      "--port-file",
      portFile,
      "--l2-rpc",
      anvil.url,
      "--data-dir",
      dataDir,
      "--log-level",
      "warn",
    ],
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  try {
    let port = 0;
    for (let i = 0; i < 300 && !port; i++) {
      port = Number(await Deno.readTextFile(portFile).catch(() => "0"));
      if (!port) await new Promise((r) => setTimeout(r, 100));
    }
    if (!port) throw new Error("server did not start");
    await new Promise((r) => setTimeout(r, 1000)); // let startup CPU settle
    const addr = { host: "127.0.0.1", port };
    const cpu0 = cpuMs(child.pid);
    const t0 = performance.now();
    let answered = 0;
    let failed = 0;
    const lat: number[] = [];
    await Promise.all(Array.from({ length: pollers }, async (_, i) => {
      await new Promise((r) => setTimeout(r, (i * 1000) / pollers)); // spread over the second
      for (let s = 0; s < seconds; s++) {
        const start = performance.now();
        try {
          await exchange(addr, { kind: "Request" });
          answered++;
          lat.push(performance.now() - start);
        } catch {
          failed++;
        }
        const left = 1000 - (performance.now() - start);
        if (left > 0) await new Promise((r) => setTimeout(r, left));
      }
    }));
    const wallMs = performance.now() - t0;
    const used = cpuMs(child.pid) - cpu0;
    return {
      pollers,
      seconds,
      requests: answered,
      failed,
      serverCpuMs: used,
      serverCpuPercentOfOneCore: round((used / wallMs) * 100),
      cpuPerRequestMs: round(used / Math.max(1, answered)),
      latencyMs: summary(lat),
    };
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
    await child.status;
    await Deno.remove(dataDir, { recursive: true });
  }
}

/** 3: the client's gap between an acknowledged proof and the next proof's start. */
async function clientIdleGap(proofs: number, proveMs: number, inputBytes: number) {
  const dataDir = await tempDir();
  await using server = await startProverServer(
    benchServerOptions(join(dataDir, "server"), proofs + 100, inputBytes, 4),
  );
  const stats = await runProverClient({
    server: { host: "127.0.0.1", port: server.port },
    intervalMs: 50,
    dataDir: join(dataDir, "client"),
    prove: async (j) => {
      await new Promise((r) => setTimeout(r, proveMs));
      return fakeProof((j.input as { fake: BatchFacts }).fake, proveMs);
    },
    log: quiet,
    tty: false,
    maxProofs: proofs,
  }, new AbortController().signal);
  await Deno.remove(dataDir, { recursive: true });
  const gaps = summary(stats.idleGapsMs);
  const meanProve = stats.provingMs / Math.max(1, stats.proved);
  return {
    proofs: stats.acknowledged,
    simulatedProveMs: proveMs,
    inputBytes,
    idleGapMs: gaps,
    idleGapPercentOfProving: round((gaps.mean / meanProve) * 100),
    goalPercent: 1,
  };
}

if (import.meta.main) {
  const inputBytes = Math.round(Number(args["input-mb"]) * 1024 * 1024);
  console.log(`1. Request→Response, prefetched ${args["input-mb"]} MB inputs …`);
  const latency = await requestLatency(Number(args.requests), inputBytes);
  console.log(JSON.stringify(latency));
  console.log(`2. server CPU, ${args.pollers} clients polling 1/s for ${args["poll-s"]} s …`);
  const cpu = await pollingCpu(Number(args.pollers), Number(args["poll-s"]));
  console.log(JSON.stringify(cpu));
  console.log(`3. client idle gap, ${args.proofs} proofs of ${args["prove-ms"]} ms …`);
  const gap = await clientIdleGap(Number(args.proofs), Number(args["prove-ms"]), inputBytes);
  console.log(JSON.stringify(gap));
  const report = {
    bench: "prover-server",
    at: new Date().toISOString(),
    machine: {
      cpus: navigator.hardwareConcurrency,
      loadAverage: Deno.loadavg(),
      deno: Deno.version.deno,
      os: Deno.build.os,
    },
    requestLatency: latency,
    pollingCpu: cpu,
    clientIdleGap: gap,
  };
  await Deno.mkdir("bench-reports", { recursive: true });
  const path = `bench-reports/prover-server-${report.at.replace(/[:.]/g, "-")}.json`;
  await Deno.writeTextFile(path, JSON.stringify(report, null, 2) + "\n");
  console.log(`report: ${path}`);
}

/** The fake-chain server of the tests with `inputBytes`-sized inputs, batches 1..last, no lease
 * expiry and room for large messages. */
function benchServerOptions(dataDir: string, last: number, inputBytes: number, prefetch: number) {
  return testServerOptions(dataDir, {
    last,
    build: (b) => Promise.resolve(job(b.number, inputBytes)),
    leaseMs: 3_600_000,
    prefetch,
    pollMs: 5,
    maxMessageBytes: 256 * 1024 ** 2,
    readTimeoutMs: 30_000,
    log: quiet,
  });
}
