/**
 * The trie reasoning behind the witness: which untouched nodes a deletion makes the executor read,
 * and the two ways the builder finds them (rebuilt from a post-state node, or a searched key).
 */
import assert from "node:assert/strict";
import { type Hex, keccak256, numberToHex, toRlp } from "viem";
import { searchKey } from "../../lib/witness/key_search.ts";
import { rlpInt } from "../../lib/witness/rlp.ts";
import { MissingNodeError, SparseTrie } from "../../lib/witness/sparse_trie.ts";
import {
  collapseNeeds,
  decodeNode,
  EMPTY_ROOT,
  hpDecode,
  hpEncode,
  keyPath,
  lookup,
  NodeStore,
  proofNodes,
  shortenedCandidates,
} from "../../lib/witness/trie.ts";

const slot = (i: number): Hex => numberToHex(BigInt(i), { size: 32 });
const value = (i: number): Hex => toRlp(rlpInt(BigInt(i) * 1000n + 1n));

/** A full trie of `keys` (its nodes in a store) and its root. */
function fullTrie(keys: Hex[]): { store: NodeStore; root: Hex } {
  const t = new SparseTrie(new NodeStore(), EMPTY_ROOT);
  keys.forEach((k, i) => t.set(keyPath(k), value(i)));
  return { store: NodeStore.of(t.encodedNodes()), root: t.hash() };
}

/** A tiny deterministic PRNG so randomized cases repeat. */
function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

Deno.test("hex-prefix encoding round-trips for leaves and extensions of both parities", () => {
  for (const [path, leaf] of [["", true], ["a", true], ["ab", false], ["abc", false]] as const) {
    assert.deepEqual(hpDecode(hpEncode(path, leaf)), { path, leaf });
  }
});

Deno.test("deleting from a partial trie gives the root of the trie rebuilt without those keys", () => {
  const rand = rng(7);
  for (let trial = 0; trial < 60; trial++) {
    const keys = Array.from(
      { length: 1 + Math.floor(rand() * 30) },
      (_, i) => slot(i * 13 + trial),
    );
    const gone = keys.filter(() => rand() < 0.5);
    const { store, root } = fullTrie(keys);
    const t = new SparseTrie(store, root);
    for (const k of gone) t.set(keyPath(k), undefined);
    const kept = keys.filter((k) => !gone.includes(k));
    const rebuilt = new SparseTrie(new NodeStore(), EMPTY_ROOT);
    keys.forEach((k, i) => kept.includes(k) && rebuilt.set(keyPath(k), value(i)));
    assert.equal(t.hash(), rebuilt.hash(), `trial ${trial}`);
  }
});

Deno.test("collapseNeeds names exactly the siblings a deletion needs beyond the keys' proofs", () => {
  const rand = rng(11);
  let sawNeed = false;
  for (let trial = 0; trial < 80; trial++) {
    const keys = Array.from(
      { length: 2 + Math.floor(rand() * 20) },
      (_, i) => slot(i * 7 + trial * 31),
    );
    const gone = keys.filter(() => rand() < 0.6);
    if (gone.length === 0) continue;
    const { store: full, root } = fullTrie(keys);
    // the witness before collapse handling: proofs of the deleted keys only
    const witness = new NodeStore();
    for (const k of gone) witness.addAll(proofNodes(full, root, keyPath(k)));
    const needs = collapseNeeds(witness, root, gone.map(keyPath));
    for (const n of needs) {
      assert.ok(full.has(n.hash));
      witness.addAll([full.raw(n.hash)!]);
      sawNeed = true;
    }
    // with the needed nodes the deletions go through (and give the right root)
    const t = new SparseTrie(witness, root);
    for (const k of gone) t.set(keyPath(k), undefined);
    const check = new SparseTrie(full, root);
    for (const k of gone) check.set(keyPath(k), undefined);
    assert.equal(t.hash(), check.hash());
  }
  assert.ok(sawNeed, "some trial needed a collapse sibling");
});

Deno.test("without the collapse sibling a deletion fails with MissingNodeError", () => {
  // two keys under one branch: deleting one collapses the branch into the other's leaf
  const keys = [slot(1), slot(2)];
  const { store: full, root } = fullTrie(keys);
  const witness = NodeStore.of(proofNodes(full, root, keyPath(keys[0])));
  const needs = collapseNeeds(witness, root, [keyPath(keys[0])]);
  assert.equal(needs.length, 1);
  const t = new SparseTrie(witness, root);
  assert.throws(() => t.set(keyPath(keys[0]), undefined), MissingNodeError);
});

Deno.test("a collapsed sibling leaf is rebuilt from the post-state node it was merged into", () => {
  const keys = [slot(1), slot(2)];
  const { store: full, root } = fullTrie(keys);
  // the root branch collapses onto the other key's leaf
  const witness = NodeStore.of(proofNodes(full, root, keyPath(keys[0])));
  const needs = collapseNeeds(witness, root, [keyPath(keys[0])]);
  const post = new SparseTrie(full, root);
  post.set(keyPath(keys[0]), undefined);
  const postStore = NodeStore.of(post.encodedNodes());
  const postProof = proofNodes(postStore, post.hash(), keyPath(keys[0]));
  const candidates = shortenedCandidates([...postProof, ...post.encodedNodes()]);
  let rebuilt = 0;
  for (const n of needs) {
    if (decodeNode(full.raw(n.hash)!).kind === "branch") continue; // a branch cannot be rebuilt
    assert.equal(candidates.get(n.hash), full.raw(n.hash));
    rebuilt++;
  }
  assert.ok(rebuilt > 0);
});

Deno.test("searchKey finds a slot whose hashed path has the prefix, and gives up past its limit", () => {
  const k = searchKey("a7", 32)!;
  assert.ok(keccak256(k).startsWith("0xa7"));
  const a = searchKey("3", 20)!;
  assert.equal((a.length - 2) / 2, 20);
  assert.ok(keccak256(a).startsWith("0x3"));
  assert.equal(searchKey("abcdef", 32, 10), undefined);
});

Deno.test("lookup reports found, absent, and the first missing node", () => {
  const keys = [slot(1), slot(2), slot(3), slot(4)];
  const { store, root } = fullTrie(keys);
  assert.deepEqual(lookup(store, root, keyPath(slot(2))), { kind: "found", value: value(1) });
  assert.equal(lookup(store, root, keyPath(slot(99))).kind, "absent");
  assert.equal(lookup(new NodeStore(), root, keyPath(slot(2))).kind, "missing");
  assert.equal(lookup(new NodeStore(), EMPTY_ROOT, keyPath(slot(2))).kind, "absent");
});
