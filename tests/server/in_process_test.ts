/** Server and clients in one process over real loopback TCP, with a fake L2 and a fake prover. */
import assert from "node:assert/strict";
import { runProverClient } from "../../lib/client/client.ts";
import { exchange } from "../../lib/protocol/transport.ts";
import { startProverServer } from "../../lib/server/server.ts";
import { FixedRangeSource } from "../../lib/server/source.ts";
import { noReceiptVerifier } from "../../lib/server/submissions.ts";
import { fakeFacts, fakeJob, fakeProver } from "../helpers/fake_chain.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";

function serverOpts(dataDir: string, first: number, last: number) {
  return {
    hostname: "127.0.0.1",
    port: 0,
    dataDir,
    source: new FixedRangeSource({ first, last }),
    build: (b: number) => Promise.resolve(fakeJob(b)),
    fetchFacts: (b: number) => Promise.resolve(fakeFacts(b)),
    verifyReceipt: noReceiptVerifier,
    acceptExecProofs: true,
    leaseMs: 60_000,
    prefetch: 4,
    pollMs: 20,
    maxMessageBytes: 1024 * 1024,
    readTimeoutMs: 2_000,
    log: memoryLogger().log,
  };
}

Deno.test("two in-process clients prove 10 blocks, each exactly once", async () => {
  const dataDir = await Deno.makeTempDir();
  await using server = await startProverServer(serverOpts(dataDir, 1, 10));
  const started: number[] = [];
  const ctrl = new AbortController();
  const client = (i: number) =>
    runProverClient({
      server: { host: "127.0.0.1", port: server.port },
      intervalMs: 20,
      dataDir: `${dataDir}/c${i}`,
      prove: fakeProver(5, (b) => started.push(b)),
      log: memoryLogger().log,
      tty: false,
    }, ctrl.signal);
  const runs = [client(1), client(2)];
  for (let i = 0; i < 500 && server.store.size < 10; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  ctrl.abort();
  const stats = await Promise.all(runs);
  assert.deepEqual(server.store.blocks(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual([...started].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(stats[0].acknowledged + stats[1].acknowledged, 10);
  assert.ok(stats[0].acknowledged > 0 && stats[1].acknowledged > 0, "both clients did work");
  const none = await exchange({ host: "127.0.0.1", port: server.port }, { kind: "Request" });
  assert.deepEqual(none, { kind: "Response", blockNumber: null, input: null });
  await Deno.remove(dataDir, { recursive: true });
});
