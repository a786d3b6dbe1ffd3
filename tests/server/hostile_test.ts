/**
 * Hostile and broken clients against a real listening server (fake L2): each gets an error reply
 * where possible, and a normal Request right after still gets its answer.
 */
import { waitUntil } from "../helpers/wait.ts";
import assert from "node:assert/strict";
import { exchange } from "../../lib/protocol/transport.ts";
import { encodeMessage } from "../../lib/protocol/messages.ts";
import { startProverServer } from "../../lib/server/server.ts";
import { fakeFacts, fakeProof, testServerOptions } from "../helpers/fake_chain.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";
import { rawExchange } from "../helpers/raw_tcp.ts";

async function server(extra: { authToken?: string; metricsPort?: number } = {}) {
  const dataDir = await Deno.makeTempDir();
  const { log, lines } = memoryLogger();
  const s = await startProverServer(
    testServerOptions(dataDir, {
      last: 1000,
      maxMessageBytes: 64 * 1024,
      readTimeoutMs: 300,
      log,
      ...extra,
    }),
  );
  await waitUntil(() => s.metrics.preparedInputs.get() === 2, 2_000, "2 inputs prepared");
  return {
    s,
    lines,
    async [Symbol.asyncDispose]() {
      await s.close();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}

function errorCode(reply: string): string {
  return JSON.parse(reply).Error.code;
}

async function stillServes(port: number, authToken?: string): Promise<void> {
  const r = await exchange({ host: "127.0.0.1", port }, { kind: "Request" }, { authToken });
  assert.equal(r.kind, "Response");
}

Deno.test("hostile inputs get error replies and the server keeps serving", async (t) => {
  await using h = await server();
  const port = h.s.port;
  const cases: [string, () => Promise<string>, string][] = [
    ["malformed JSON", () => rawExchange(port, '{"Request'), "malformed_json"],
    ["not UTF-8", () => rawExchange(port, new Uint8Array([0xff, 0xfe, 0x22])), "malformed_json"],
    ["unknown variant", () => rawExchange(port, '{"GiveMeEverything":{}}'), "unknown_variant"],
    [
      "wrong shape",
      () => rawExchange(port, '{"Submit":{"batch_number":"one"}}'),
      "malformed_message",
    ],
    [
      "server message sent to the server",
      () => rawExchange(port, '{"SubmitAck":{"batch_number":1}}'),
      "unexpected_message",
    ],
    ["over the size limit", () => rawExchange(port, `"${"x".repeat(200 * 1024)}"`), "too_large"],
    [
      "connects and sends nothing",
      () => rawExchange(port, "", { closeWrite: false }),
      "read_timeout",
    ],
    [
      "trickles bytes",
      () => rawExchange(port, '"Request"', { chunk: 1, delayMs: 60, closeWrite: true }),
      "read_timeout",
    ],
  ];
  for (const [name, send, code] of cases) {
    await t.step(name, async () => {
      assert.equal(errorCode(await send()), code);
      await stillServes(port);
    });
  }
  await t.step("abrupt disconnect mid-message", async () => {
    assert.equal(await rawExchange(port, '{"Submit":{"block_', { abort: true }), "");
    await stillServes(port);
  });
  await t.step("every refusal is counted by reason", () => {
    const rejected = h.s.metrics.rejected;
    assert.equal(rejected.get({ reason: "read_timeout" }), 2);
    assert.equal(rejected.get({ reason: "too_large" }), 1);
  });
});

Deno.test("bad submissions are rejected with a reason and nothing is stored", async () => {
  await using h = await server();
  const addr = { host: "127.0.0.1", port: h.s.port };
  const r = await exchange(addr, { kind: "Request" });
  assert.ok(r.kind === "Response" && r.batchNumber === 1);
  const wrongJournal = fakeProof({ ...fakeFacts(1), postStateRoot: fakeFacts(2).postStateRoot });
  const bad = await exchange(addr, { kind: "Submit", batchNumber: 1, proof: wrongJournal });
  assert.equal(bad.kind === "Error" && bad.code, "journal_mismatch");
  assert.match(bad.kind === "Error" ? bad.message : "", /post-state root/);
  const otherBlock = await exchange(addr, {
    kind: "Submit",
    batchNumber: 1,
    proof: fakeProof(fakeFacts(2)),
  });
  assert.equal(otherBlock.kind === "Error" && otherBlock.code, "journal_mismatch");
  // Not among the batches to prove (a valid proof of a known batch without a lease on record
  // is accepted: tests/faults/store_faults_test.ts)
  const never = await exchange(addr, {
    kind: "Submit",
    batchNumber: 5000,
    proof: fakeProof(fakeFacts(5000)),
  });
  assert.equal(never.kind === "Error" && never.code, "not_handed_out");
  assert.equal(h.s.store.size, 0);
  const good = await exchange(addr, {
    kind: "Submit",
    batchNumber: 1,
    proof: fakeProof(fakeFacts(1)),
  });
  assert.deepEqual(good, { kind: "SubmitAck", batchNumber: 1 });
  const again = await exchange(addr, {
    kind: "Submit",
    batchNumber: 1,
    proof: fakeProof(fakeFacts(1)),
  });
  assert.deepEqual(again, { kind: "SubmitAck", batchNumber: 1 });
  assert.deepEqual(h.s.store.batches(), [1]);
  assert.equal(h.s.metrics.duplicates.get(), 1);
  assert.equal(h.s.metrics.rejected.get({ reason: "journal_mismatch" }), 2);
  assert.equal(h.s.metrics.rejected.get({ reason: "not_handed_out" }), 1);
});

Deno.test("exec proofs are refused unless the server accepts them", async () => {
  const dataDir = await Deno.makeTempDir();
  await using s = await startProverServer(
    testServerOptions(dataDir, {
      acceptExecProofs: false,
      prefetch: 1,
      maxMessageBytes: 64 * 1024,
      readTimeoutMs: 1000,
    }),
  );
  const addr = { host: "127.0.0.1", port: s.port };
  let r;
  for (let i = 0; i < 100; i++) {
    r = await exchange(addr, { kind: "Request" });
    if (r.kind === "Response" && r.batchNumber !== null) break;
    await new Promise((res) => setTimeout(res, 10));
  }
  const out = await exchange(addr, {
    kind: "Submit",
    batchNumber: 1,
    proof: fakeProof(fakeFacts(1)),
  });
  assert.equal(out.kind === "Error" && out.code, "exec_not_accepted");
  assert.equal(s.store.size, 0);
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("with an auth token, bare and wrongly tokened messages are refused", async () => {
  await using h = await server({ authToken: "s3cret" });
  const port = h.s.port;
  assert.equal(errorCode(await rawExchange(port, '"Request"')), "unauthorized");
  const wrong = encodeMessage({
    kind: "Authenticated",
    token: "nope",
    message: { kind: "Request" },
  });
  assert.equal(errorCode(await rawExchange(port, wrong)), "unauthorized");
  await stillServes(port, "s3cret");
  assert.ok(!h.lines.some((l) => l.includes("s3cret")), "the token is never logged");
});

Deno.test("metrics and status are served over HTTP", async () => {
  await using h = await server({ metricsPort: 0 });
  await stillServes(h.s.port);
  const text = await (await fetch(`http://127.0.0.1:${h.s.metricsPort}/metrics`)).text();
  assert.match(text, /^prover_server_blocks_handed_out_total 1$/m);
  assert.match(text, /^# TYPE prover_server_rejected_total counter$/m);
  assert.match(text, /^prover_server_input_build_milliseconds_count \d+$/m);
  const status = await (await fetch(`http://127.0.0.1:${h.s.metricsPort}/status`)).json();
  assert.equal(status.handed_out, 1);
  assert.equal(status.leases.length, 1);
  const missing = await fetch(`http://127.0.0.1:${h.s.metricsPort}/nope`);
  await missing.body?.cancel();
  assert.equal(missing.status, 404);
});

Deno.test("closing the server does not wait a read timeout for a silent client", async () => {
  const dataDir = await Deno.makeTempDir();
  const s = await startProverServer(
    testServerOptions(dataDir, {
      prefetch: 1,
      maxMessageBytes: 64 * 1024,
      readTimeoutMs: 600_000,
    }),
  );
  const silent = rawExchange(s.port, "", { closeWrite: false });
  await connectionsOpen(s, 1);
  await s.close(); // would hang for the 10-minute read timeout without the close grace
  assert.equal(await silent, "");
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("status shows rejections by reason", async () => {
  await using h = await server({ metricsPort: 0 });
  await rawExchange(h.s.port, "{");
  await rawExchange(h.s.port, "{");
  const status = await (await fetch(`http://127.0.0.1:${h.s.metricsPort}/status`)).json();
  assert.deepEqual(status.rejected, { malformed_json: 2 });
});

Deno.test("connections over --max-connections are answered server_busy at once", async () => {
  const dataDir = await Deno.makeTempDir();
  await using s = await startProverServer(
    testServerOptions(dataDir, {
      prefetch: 1,
      maxMessageBytes: 64 * 1024,
      readTimeoutMs: 1_000,
      maxConnections: 1,
    }),
  );
  const silent = rawExchange(s.port, "", { closeWrite: false }); // holds the only slot
  await connectionsOpen(s, 1);
  assert.equal(errorCode(await rawExchange(s.port, '"Request"')), "server_busy");
  assert.equal(errorCode(await silent), "read_timeout");
  await stillServes(s.port);
  await Deno.remove(dataDir, { recursive: true });
});

/** Resolves once the server itself counts `n` open connections (its /status figure). */
async function connectionsOpen(s: { status(): Record<string, unknown> }, n: number): Promise<void> {
  await waitUntil(() => s.status().open_connections === n, 2_000, `${n} open connection(s)`);
}
