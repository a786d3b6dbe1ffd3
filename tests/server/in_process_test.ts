/** Server and clients in one process over real loopback TCP, with a fake L2 and a fake prover. */
import { waitUntil } from "../helpers/wait.ts";
import assert from "node:assert/strict";
import { runProverClient } from "../../lib/client/client.ts";
import { exchange } from "../../lib/protocol/transport.ts";
import { startProverServer } from "../../lib/server/server.ts";
import { fakeFacts, fakeProof, fakeProver, testServerOptions } from "../helpers/fake_chain.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";

function serverOpts(dataDir: string, first: number, last: number) {
  return testServerOptions(dataDir, { first, last, leaseMs: 60_000, prefetch: 4, pollMs: 20 });
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
  // Stored is not yet acknowledged: the last ack may still be on its way, so wait until both
  // outboxes are empty too (a client empties its outbox once the ack is in).
  const outboxed = () =>
    [1, 2].some((i) => {
      try {
        return [...Deno.readDirSync(`${dataDir}/c${i}/client/outbox`)].length > 0;
      } catch {
        return false;
      }
    });
  await waitUntil(
    () => server.store.size >= 10 && !outboxed(),
    10_000,
    "10 proofs stored and both outboxes empty",
  );
  ctrl.abort();
  const stats = await Promise.all(runs);
  assert.deepEqual(server.store.batches(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual([...started].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(stats[0].acknowledged + stats[1].acknowledged, 10);
  assert.ok(stats[0].acknowledged > 0 && stats[1].acknowledged > 0, "both clients did work");
  const none = await exchange({ host: "127.0.0.1", port: server.port }, { kind: "Request" });
  assert.deepEqual(none, {
    kind: "Response",
    batchNumber: null,
    firstBlock: null,
    lastBlock: null,
    input: null,
  });
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("a restarted server keeps its proofs, does not hand them out again, honours old leases", async () => {
  const dataDir = await Deno.makeTempDir();
  const addrOf = (port: number) => ({ host: "127.0.0.1", port });
  {
    await using first = await startProverServer(serverOpts(dataDir, 1, 4));
    const a = addrOf(first.port);
    const got: number[] = [];
    for (let i = 0; i < 200 && got.length < 3; i++) {
      const r = await exchange(a, { kind: "Request" });
      if (r.kind === "Response" && r.batchNumber !== null) got.push(r.batchNumber);
      else await new Promise((res) => setTimeout(res, 10));
    }
    assert.deepEqual(got, [1, 2, 3]);
    for (const b of [1, 2]) {
      const ack = await exchange(a, {
        kind: "Submit",
        batchNumber: b,
        proof: fakeProof(fakeFacts(b)),
      });
      assert.equal(ack.kind, "SubmitAck");
    }
  }
  await using second = await startProverServer(serverOpts(dataDir, 1, 4));
  assert.deepEqual(second.store.batches(), [1, 2]);
  const a = addrOf(second.port);
  let next: number | null = null;
  for (let i = 0; i < 200 && next === null; i++) {
    const r = await exchange(a, { kind: "Request" });
    if (r.kind === "Response") next = r.batchNumber;
    if (next === null) await new Promise((res) => setTimeout(res, 10));
  }
  assert.equal(next, 4, "1 and 2 are stored, 3 is still leased to the client from before");
  const late = await exchange(a, {
    kind: "Submit",
    batchNumber: 3,
    proof: fakeProof(fakeFacts(3)),
  });
  assert.deepEqual(
    late,
    { kind: "SubmitAck", batchNumber: 3 },
    "a proof handed out before the restart is accepted",
  );
  const dup = await exchange(a, { kind: "Submit", batchNumber: 1, proof: fakeProof(fakeFacts(1)) });
  assert.deepEqual(dup, { kind: "SubmitAck", batchNumber: 1 });
  assert.deepEqual(second.store.batches(), [1, 2, 3]);
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("a client stopped mid-proof: the lease expires and another client proves the block", async () => {
  const dataDir = await Deno.makeTempDir();
  await using server = await startProverServer({ ...serverOpts(dataDir, 1, 1), leaseMs: 300 });
  const addr = { host: "127.0.0.1", port: server.port };
  const slow = new AbortController();
  let slowStarted = false;
  const doomed = runProverClient({
    server: addr,
    intervalMs: 20,
    dataDir: `${dataDir}/doomed`,
    prove: fakeProver(60_000, () => (slowStarted = true)),
    log: memoryLogger().log,
    tty: false,
  }, slow.signal);
  await waitUntil(() => slowStarted, 2_000, "the doomed client started proving");
  slow.abort();
  const doomedStats = await doomed;
  assert.equal(doomedStats.proved, 0);
  const ctrl = new AbortController();
  const rescuer = runProverClient({
    server: addr,
    intervalMs: 20,
    dataDir: `${dataDir}/rescuer`,
    prove: fakeProver(0),
    log: memoryLogger().log,
    tty: false,
    maxProofs: 1,
  }, ctrl.signal);
  const stats = await rescuer;
  assert.equal(stats.acknowledged, 1);
  assert.deepEqual(server.store.batches(), [1]);
  assert.equal(server.metrics.leaseExpiries.get(), 1);
  assert.equal(server.metrics.handedOut.get(), 2);
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("a client keeps a finished proof until acknowledged and submits it first after a restart", async () => {
  const dataDir = await Deno.makeTempDir();
  const serverDir = `${dataDir}/server`;
  const clientDir = `${dataDir}/client`;
  // the server hands block 1 out, then goes away before the proof comes back
  let port: number;
  {
    await using s = await startProverServer(serverOpts(serverDir, 1, 1));
    port = s.port;
    for (let i = 0; i < 200; i++) {
      const r = await exchange({ host: "127.0.0.1", port }, { kind: "Request" });
      if (r.kind === "Response" && r.batchNumber === 1) break;
      await new Promise((res) => setTimeout(res, 10));
    }
  }
  // a client that had proved block 1 left it in its outbox (as runProverClient does)
  const { Outbox } = await import("../../lib/client/outbox.ts");
  const outbox = await Outbox.open(`${clientDir}/client`);
  await outbox.put({ batchNumber: 1, proof: fakeProof(fakeFacts(1)) });
  // the server comes back on the same data dir; the restarted client submits before asking
  await using s2 = await startProverServer({ ...serverOpts(serverDir, 1, 1), prefetch: 1 });
  const proved: number[] = [];
  const stats = await runProverClient({
    server: { host: "127.0.0.1", port: s2.port },
    intervalMs: 20,
    dataDir: clientDir,
    prove: fakeProver(0, (b) => proved.push(b)),
    log: memoryLogger().log,
    tty: false,
    maxProofs: 1,
  }, new AbortController().signal);
  assert.equal(stats.acknowledged, 1);
  assert.deepEqual(proved, [], "nothing was proved again");
  assert.deepEqual(s2.store.batches(), [1]);
  assert.deepEqual(await outbox.list(), []);
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("a client waits for a server that is down, then proves", async () => {
  const dataDir = await Deno.makeTempDir();
  // reserve a port, release it: the server will come up there later
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const { log, lines } = memoryLogger();
  const ctrl = new AbortController();
  const client = runProverClient({
    server: { host: "127.0.0.1", port },
    intervalMs: 20,
    dataDir: `${dataDir}/c`,
    prove: fakeProver(0),
    log,
    tty: false,
    maxProofs: 1,
    backoff: { baseMs: 20, maxMs: 100 },
  }, ctrl.signal);
  await waitUntil(
    () => lines.some((l) => l.includes("unreachable")),
    2_000,
    "the client logged the server unreachable",
  );
  assert.ok(
    lines.some((l) =>
      /prover server 127\.0\.0\.1:\d+ is unreachable \(.*refused.*\); retrying in/.test(l)
    ),
  );
  await using s = await startProverServer({ ...serverOpts(`${dataDir}/s`, 1, 1), port });
  const stats = await client;
  assert.equal(stats.acknowledged, 1);
  assert.deepEqual(s.store.batches(), [1]);
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("a late proof for an expired lease is still accepted", async () => {
  const dataDir = await Deno.makeTempDir();
  let now = 1_000_000;
  await using server = await startProverServer({
    ...serverOpts(dataDir, 1, 1),
    leaseMs: 50,
    clock: () => now,
  });
  const addr = { host: "127.0.0.1", port: server.port };
  let got: number | null = null;
  for (let i = 0; i < 200 && got === null; i++) {
    const r = await exchange(addr, { kind: "Request" });
    if (r.kind === "Response") got = r.batchNumber;
    if (got === null) await new Promise((res) => setTimeout(res, 10));
  }
  assert.equal(got, 1);
  now += 51; // the lease has expired: the batch is free for another client
  const again = await exchange(addr, { kind: "Request" });
  assert.equal(again.kind === "Response" ? again.batchNumber : null, 1, JSON.stringify(again));
  const ack = await exchange(addr, {
    kind: "Submit",
    batchNumber: 1,
    proof: fakeProof(fakeFacts(1)),
  });
  assert.deepEqual(ack, { kind: "SubmitAck", batchNumber: 1 });
  await Deno.remove(dataDir, { recursive: true });
});
