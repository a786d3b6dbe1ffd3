/**
 * Fault suite: a damaged data dir. Proof files made 0 bytes, truncated, overwritten with garbage
 * or edited while the server is stopped; a lease journal that lost its tail; a store that fails
 * a write and is retried. The server is real (in this process, over loopback TCP).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type ProverServer, startProverServer } from "../../lib/server/server.ts";
import { exchange } from "../../lib/protocol/transport.ts";
import { fakeFacts, fakeProof, testServerOptions } from "../helpers/fake_chain.ts";
import { recordFault } from "../helpers/fault_matrix.ts";
import { waitUntil } from "../helpers/wait.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";
import type { Logger } from "../../lib/log/logger.ts";

function start(
  dataDir: string,
  last: number,
  log: Logger = memoryLogger().log,
): Promise<ProverServer> {
  return startProverServer(testServerOptions(dataDir, { last, prefetch: 8, leaseMs: 60_000, log }));
}

/** Requests until `want` batches were handed out; returns their numbers. */
async function takeAll(port: number, want: number): Promise<number[]> {
  const got: number[] = [];
  await waitUntil(
    async () => {
      const r = await exchange({ host: "127.0.0.1", port }, { kind: "Request" });
      if (r.kind === "Response" && r.batchNumber !== null) got.push(r.batchNumber);
      return got.length >= want;
    },
    10_000,
    `${want} hand-outs`,
  );
  return got.sort((a, b) => a - b);
}

async function submit(port: number, n: number) {
  return await exchange({ host: "127.0.0.1", port }, {
    kind: "Submit",
    batchNumber: n,
    proof: fakeProof(fakeFacts(n)),
  });
}

Deno.test("damaged proof files are quarantined on open and their batches proved again", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    {
      await using s = await start(dataDir, 6);
      for (const n of await takeAll(s.port, 6)) await submit(s.port, n);
      assert.deepEqual(s.store.batches(), [1, 2, 3, 4, 5, 6]);
    }
    const path = (n: number) =>
      join(dataDir, "proofs", `batch-${String(n).padStart(12, "0")}.json`);
    const text = async (n: number) => await Deno.readTextFile(path(n));
    await Deno.writeFile(path(1), new Uint8Array());
    const t2 = await text(2);
    await Deno.writeTextFile(path(2), t2.slice(0, t2.length / 2));
    await Deno.writeFile(path(3), crypto.getRandomValues(new Uint8Array(700)));
    const edited = JSON.parse(await text(4));
    edited.facts.postStateRoot = fakeFacts(9).postStateRoot;
    await Deno.writeTextFile(path(4), JSON.stringify(edited, null, 1));
    const forged = JSON.parse(await text(5));
    delete forged.checksum;
    forged.facts.lastBlockHash = fakeFacts(9).lastBlockHash;
    await Deno.writeTextFile(path(5), JSON.stringify(forged));

    const { log, lines } = memoryLogger();
    await using s = await start(dataDir, 6, log);
    const quarantined = s.store.quarantined.map((q) => q.file).sort();
    const reasons = s.store.quarantined.map((q) => q.reason).join(" | ");
    const inDir: string[] = [];
    for await (const e of Deno.readDir(join(dataDir, "proofs", "quarantine"))) inDir.push(e.name);
    const logged = lines.filter((l) => l.includes("is bad and was moved to")).length;
    const reproved = await takeAll(s.port, 5);
    for (const n of reproved) await submit(s.port, n);
    const ok = quarantined.length === 5 && s.store.size === 6 && logged === 5 &&
      inDir.filter((n) => n.endsWith(".json")).length === 5 &&
      JSON.stringify(reproved) === "[1,2,3,4,5]" && s.metrics.quarantined.get() === 5;
    await recordFault({
      fault: "proof files 0-byte / truncated / garbage / edited / forged",
      expected: "5 quarantined with a log line each, proved again",
      observed: `${quarantined.length} quarantined, ${logged} log lines, re-handed out ` +
        `[${reproved}], ${s.store.size} stored`,
      ok,
    });
    assert.deepEqual(reproved, [1, 2, 3, 4, 5]);
    assert.equal(quarantined.length, 5, reasons);
    assert.match(reasons, /empty file/);
    assert.match(reasons, /not JSON/);
    assert.match(reasons, /checksum does not match/);
    assert.match(reasons, /last block hash/);
    assert.equal(logged, 5);
    assert.equal(s.metrics.quarantined.get(), 5);
    assert.equal((s.status().quarantined_files as unknown[]).length, 5);
    assert.deepEqual(s.store.batches(), [1, 2, 3, 4, 5, 6]);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("the lease is on disk before the hand-out; a torn journal tail is reported; a lost lease's proof is accepted", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const journal = join(dataDir, "leases.jsonl");
    {
      await using s = await start(dataDir, 3);
      const got = await takeAll(s.port, 2);
      assert.deepEqual(got, [1, 2]);
      // Read while the server runs: the record was written (and fsynced) before the answer.
      const onDisk = (await Deno.readTextFile(journal)).trim().split("\n").map((l) =>
        JSON.parse(l)
      );
      assert.deepEqual(onDisk.map((l) => l.batch), [1, 2]);
      assert.equal(onDisk[0].hash, fakeFacts(1).lastBlockHash);
    }
    // A crash mid-append: batch 2's line is cut short.
    const t = await Deno.readTextFile(journal);
    await Deno.writeTextFile(journal, t.slice(0, t.length - 20));
    const { log, lines } = memoryLogger();
    await using s = await start(dataDir, 3, log);
    const torn = lines.some((l) => /lease journal was damaged.*torn/.test(l));
    const late = await submit(s.port, 2);
    const early = await submit(s.port, 1);
    const stranger = await submit(s.port, 99);
    const ok = torn && late.kind === "SubmitAck" && early.kind === "SubmitAck" &&
      stranger.kind === "Error" && stranger.code === "not_handed_out";
    await recordFault({
      fault: "lease journal lost its tail",
      expected: "torn tail logged; the lost lease's valid proof acknowledged",
      observed: `torn tail ${torn ? "logged" : "NOT logged"}; batch 2 ${late.kind}; unknown ` +
        `batch ${stranger.kind === "Error" ? stranger.code : stranger.kind}`,
      ok,
    });
    assert.ok(torn, lines.join("\n"));
    assert.deepEqual(late, { kind: "SubmitAck", batchNumber: 2 });
    assert.deepEqual(early, { kind: "SubmitAck", batchNumber: 1 });
    assert.equal(stranger.kind === "Error" && stranger.code, "not_handed_out");
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a store write that fails is retried and counted once as verified", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    await using s = await start(dataDir, 1);
    await takeAll(s.port, 1);
    // The proofs directory replaced by a file: every write into it fails (root ignores modes).
    const proofs = join(dataDir, "proofs");
    await Deno.rename(proofs, `${proofs}.away`);
    await Deno.writeTextFile(proofs, "");
    const failed = await submit(s.port, 1);
    const failedAgain = await submit(s.port, 1);
    await Deno.remove(proofs);
    await Deno.rename(`${proofs}.away`, proofs);
    const ok = await submit(s.port, 1);
    const dup = await submit(s.port, 1);
    const verified = s.metrics.verified.get({ backend: "exec" });
    const held = failed.kind === "Error" && failed.code === "store_failed" &&
      failedAgain.kind === "Error" && ok.kind === "SubmitAck" && dup.kind === "SubmitAck" &&
      verified === 1 && s.metrics.proved.get() === 1;
    await recordFault({
      fault: "store write fails, client retries",
      expected: "store_failed, then acked; blocks_verified_total = 1",
      observed: `${failed.kind === "Error" ? failed.code : failed.kind}, then ${ok.kind}; ` +
        `verified_total ${verified}`,
      ok: held,
    });
    assert.equal(failed.kind === "Error" && failed.code, "store_failed");
    assert.deepEqual(ok, { kind: "SubmitAck", batchNumber: 1 });
    assert.equal(verified, 1);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
