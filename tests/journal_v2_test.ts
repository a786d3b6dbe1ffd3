/** Journal v2, rules digest and mock seal: TypeScript agrees with the Rust vectors in tests/fixtures. */
import assert from "node:assert/strict";
import type { Hex } from "viem";
import { claimDigest, decodeJournal, encodeJournal, mockSeal } from "../lib/host/mod.ts";
import { rulesDigest } from "../lib/input/mod.ts";
import journalFixture from "./fixtures/journal-v2.json" with { type: "json" };
import sealFixture from "./fixtures/mock-seal.json" with { type: "json" };

Deno.test("rules digest: the shared vectors (zkvm/executor/src/journal.rs checks them too)", () => {
  for (const c of journalFixture.rules) {
    assert.equal(rulesDigest(c.fork, c.quirks), c.digest, JSON.stringify(c));
  }
  // Order and duplicates do not matter; a quirk does.
  assert.equal(rulesDigest("prague", ["b", "a", "b"]), rulesDigest("prague", ["a", "b"]));
  assert.notEqual(rulesDigest("prague", ["anvil"]), rulesDigest("prague"));
});

Deno.test("journal v2: the shared vector encodes and decodes", () => {
  const j = journalFixture.journal;
  const journal = {
    chainId: BigInt(j.chainId),
    firstBlock: BigInt(j.firstBlock),
    lastBlock: BigInt(j.lastBlock),
    parentHash: j.parentHash as Hex,
    preStateRoot: j.preStateRoot as Hex,
    postStateRoot: j.postStateRoot as Hex,
    lastBlockHash: j.lastBlockHash as Hex,
    rulesDigest: j.rulesDigest as Hex,
  };
  assert.equal(encodeJournal(journal), journalFixture.encoded);
  assert.deepEqual(decodeJournal(journalFixture.encoded as Hex), journal);
});

Deno.test("mock seal: the shared vectors (zkvm/host/src/claim.rs checks them too)", () => {
  for (const c of sealFixture.cases) {
    const seal = mockSeal(c.imageId as Hex, c.journal as Hex);
    assert.equal(seal, c.seal);
    assert.equal((seal.length - 2) / 2, 36);
  }
  const zero = `0x${"00".repeat(32)}` as Hex;
  assert.notEqual(claimDigest(zero, zero), claimDigest(`0x${"01".repeat(32)}`, zero));
});
