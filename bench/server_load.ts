/**
 * Benchmark (not a test): the prover server's memory and CPU while N clients prove M batches.
 * The server runs as its own process (this file with --serve, fake L2 batches of one block, exec
 * proofs accepted), so its /proc figures are its own; the clients run in this process with a
 * fake prover that answers after --prove-ms.
 *
 *   deno run -A bench/server_load.ts [--clients 50] [--blocks 200] [--prove-ms 50]
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runProverClient } from "../lib/client/client.ts";
import { Logger, LogSink } from "../lib/log/logger.ts";
import { startProverServer } from "../lib/server/server.ts";
import { FixedBatchSource, singleBlockBatches } from "../lib/server/source.ts";
import { noReceiptVerifier } from "../lib/server/submissions.ts";
import { fakeFacts, fakeProof } from "../tests/helpers/fake_chain.ts";

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    serve: { type: "string" },
    clients: { type: "string", default: "50" },
    blocks: { type: "string", default: "200" },
    "prove-ms": { type: "string", default: "50" },
  },
});
const blocks = Number(args.blocks);
const quiet = new Logger(new LogSink("error", "json"), "bench");

if (args.serve) {
  const server = await startProverServer({
    hostname: "127.0.0.1",
    port: 0,
    dataDir: args.serve,
    source: new FixedBatchSource(singleBlockBatches(1, blocks)),
    build: (b) =>
      Promise.resolve({
        batch: b,
        facts: fakeFacts(b.number),
        // About the size of a small real block's input.
        inputJson: JSON.stringify({ version: 2, n: b.number, pad: "x".repeat(8_000) }),
        buildMs: 0.1,
      }),
    fetchFacts: (b) => Promise.resolve(fakeFacts(b.number)),
    verifyReceipt: noReceiptVerifier,
    acceptExecProofs: true,
    leaseMs: 60_000,
    prefetch: 64,
    pollMs: 20,
    maxMessageBytes: 16 * 1024 * 1024,
    readTimeoutMs: 10_000,
    log: quiet,
  });
  console.log(`port ${server.port}`);
  await new Promise<void>((resolve) => Deno.addSignalListener("SIGTERM", () => resolve()));
  await server.close();
  Deno.exit(0);
}

const dir = await Deno.makeTempDir({ prefix: "server-load-" });
const child = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    import.meta.filename!,
    "--serve",
    join(dir, "server"),
    "--blocks",
    `${blocks}`,
  ],
  stdout: "piped",
  stderr: "inherit",
}).spawn();
const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
let out = "";
while (!/port (\d+)/.test(out)) {
  const { value, done } = await reader.read();
  if (done) throw new Error(`server exited: ${out}`);
  out += value;
}
const port = Number(/port (\d+)/.exec(out)![1]);
const proc = (): { rssKb: number; hwmKb: number; cpuS: number } => {
  const status = Deno.readTextFileSync(`/proc/${child.pid}/status`);
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  const stat = Deno.readTextFileSync(`/proc/${child.pid}/stat`);
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { rssKb: kb("VmRSS"), hwmKb: kb("VmHWM"), cpuS: (Number(f[11]) + Number(f[12])) / 100 };
};
const before = proc();
const started = performance.now();
const ctrl = new AbortController();
let acked = 0;
const proveMs = Number(args["prove-ms"]);
const clients = Array.from({ length: Number(args.clients) }, (_, i) =>
  runProverClient({
    server: { host: "127.0.0.1", port },
    intervalMs: 200,
    dataDir: join(dir, `c${i}`),
    prove: async (job) => {
      await new Promise((r) => setTimeout(r, proveMs));
      return fakeProof(fakeFacts(job.batchNumber), proveMs);
    },
    log: quiet,
    tty: false,
  }, ctrl.signal).then((s) => (acked += s.acknowledged)));
const proofsDir = join(dir, "server", "proofs");
const stored = async () => {
  let n = 0;
  for await (const e of Deno.readDir(proofsDir)) if (e.isFile && e.name.endsWith(".json")) n++;
  return n;
};
const deadline = performance.now() + 300_000;
while ((await stored()) < blocks && performance.now() < deadline) {
  await new Promise((r) => setTimeout(r, 100));
}
const wallS = (performance.now() - started) / 1000;
const after = proc();
ctrl.abort();
await Promise.all(clients);
child.kill("SIGTERM");
await child.status;
const count = await stored();
console.log(
  `server load: ${args.clients} clients, ${count}/${blocks} batches stored (${acked} acked) in ` +
    `${wallS.toFixed(1)} s; server CPU ${(after.cpuS - before.cpuS).toFixed(2)} s ` +
    `(${(100 * (after.cpuS - before.cpuS) / wallS).toFixed(0)} % of one core), ` +
    `RSS ${(after.rssKb / 1024).toFixed(0)} MiB (peak ${(after.hwmKb / 1024).toFixed(0)} MiB, ` +
    `${(before.rssKb / 1024).toFixed(0)} MiB idle)`,
);
await Deno.remove(dir, { recursive: true });
