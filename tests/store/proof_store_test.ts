/** The proof store and the lease journal: atomic writes, and what a restart sees. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFileAtomic } from "../../lib/store/atomic.ts";
import { LeaseJournal } from "../../lib/store/lease_journal.ts";
import { ProofStore } from "../../lib/store/proof_store.ts";
import { fakeFacts, fakeProof } from "../helpers/fake_chain.ts";

Deno.test("writeFileAtomic replaces the file whole and leaves no temp file", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "f.json");
  await writeFileAtomic(path, new TextEncoder().encode("old"));
  await writeFileAtomic(path, new TextEncoder().encode("new contents"));
  assert.equal(await Deno.readTextFile(path), "new contents");
  const names = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  assert.deepEqual(names, ["f.json"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a reopened store has every proof, and drops temp files of an interrupted write", async () => {
  const dir = await Deno.makeTempDir();
  const store = await ProofStore.open(dir);
  for (const n of [5, 2, 9]) {
    const facts = fakeFacts(n);
    await store.put({
      batchNumber: n,
      firstBlock: n,
      lastBlock: n,
      storedAt: new Date(0).toISOString(),
      facts,
      proof: fakeProof(facts),
    });
  }
  // what a crash between write and rename leaves behind
  await Deno.writeTextFile(join(dir, "proofs", ".block-000000000011.json.abc.tmp"), "{half");
  const again = await ProofStore.open(dir);
  assert.deepEqual(again.batches(), [2, 5, 9]);
  assert.ok(again.has(5) && !again.has(11));
  const rec = await again.get(9);
  assert.equal(rec?.batchNumber, 9);
  assert.deepEqual(rec?.facts, fakeFacts(9));
  assert.deepEqual(rec?.proof, fakeProof(fakeFacts(9)));
  assert.equal(await again.get(11), undefined);
  const names = [];
  for await (const e of Deno.readDir(join(dir, "proofs"))) names.push(e.name);
  assert.equal(names.filter((n) => n.endsWith(".tmp")).length, 0);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the lease journal restores leases of unproved blocks only, last grant wins", async () => {
  const dir = await Deno.makeTempDir();
  const { journal } = await LeaseJournal.open(dir, () => false);
  await journal.record({ batch: 1, holder: "a", grantedAt: 10, expiresAt: 20 });
  await journal.record({ batch: 2, holder: "a", grantedAt: 11, expiresAt: 21 });
  await journal.record({ batch: 1, holder: "b", grantedAt: 30, expiresAt: 40 });
  await journal.close();
  await Deno.writeTextFile(join(dir, "leases.jsonl"), '{"block":3,"hol', { append: true });
  const { journal: j2, leases } = await LeaseJournal.open(dir, (b) => b === 2);
  await j2.close();
  assert.deepEqual(leases, [{ batch: 1, holder: "b", grantedAt: 30, expiresAt: 40 }]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the store knows its highest block, after a put and after a reopen", async () => {
  const dir = await Deno.makeTempDir();
  const store = await ProofStore.open(dir);
  assert.equal(store.highest(), undefined);
  for (const n of [4, 9, 2]) {
    const facts = fakeFacts(n);
    await store.put({
      batchNumber: n,
      firstBlock: n,
      lastBlock: n,
      storedAt: "t",
      facts,
      proof: fakeProof(facts),
    });
  }
  assert.equal(store.highest(), 9);
  assert.equal((await ProofStore.open(dir)).highest(), 9);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the lease journal compacts to the live leases and keeps appending after", async () => {
  const dir = await Deno.makeTempDir();
  const { journal } = await LeaseJournal.open(dir, () => false);
  for (let i = 0; i < 50; i++) {
    await journal.record({ batch: i, holder: "a", grantedAt: i, expiresAt: i + 1 });
  }
  assert.equal(journal.lines, 50);
  const live = [{ batch: 49, holder: "a", grantedAt: 49, expiresAt: 50 }];
  await journal.compact(() => live);
  assert.equal(journal.lines, 0);
  await journal.record({ batch: 50, holder: "b", grantedAt: 50, expiresAt: 51 });
  await journal.close();
  const text = await Deno.readTextFile(join(dir, "leases.jsonl"));
  assert.equal(text.trim().split("\n").length, 2);
  const { journal: j2, leases } = await LeaseJournal.open(dir, () => false);
  await j2.close();
  assert.deepEqual(leases.map((l) => l.batch), [49, 50]);
  await Deno.remove(dir, { recursive: true });
});
