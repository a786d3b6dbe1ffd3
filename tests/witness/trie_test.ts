/**
 * The trie reasoning behind the witness: which untouched nodes a deletion makes the executor read,
 * the two ways the builder finds them (rebuilt from a post-state node, or a searched key), and the
 * check that recomputes a root from a witness. Reference tries are @ethereumjs/mpt's, so the
 * builder's own trie code (lib/witness/trie.ts) is checked against an implementation it shares
 * nothing with.
 */
import assert from "node:assert/strict";
import { createMerkleProof, createMPT, type MerklePatriciaTrie } from "@ethereumjs/mpt";
import {
  type Address,
  bytesToHex,
  type Hex,
  hexToBytes,
  keccak256,
  numberToHex,
  toRlp,
} from "viem";
import { searchKey } from "../../lib/witness/key_search.ts";
import { EMPTY_CODE_HASH } from "../../lib/witness/proofs.ts";
import { rlpInt } from "../../lib/witness/rlp.ts";
import {
  collapseNeeds,
  decodeNode,
  EMPTY_ROOT,
  hpDecode,
  hpEncode,
  keyPath,
  lookup,
  NodeStore,
  shortenedCandidates,
} from "../../lib/witness/trie.ts";
import {
  type AccountChange,
  computePostStateRoot,
  MissingNodeError,
  specDeviations,
  WitnessTries,
} from "../../lib/witness/verify.ts";

const slot = (i: number): Hex => numberToHex(BigInt(i), { size: 32 });
const value = (i: number): Hex => toRlp(rlpInt(BigInt(i) * 1000n + 1n));

/** A secure trie (keys hashed) of `entries`, built by @ethereumjs/mpt. */
async function refTrie(entries: readonly (readonly [Hex, Hex])[]): Promise<MerklePatriciaTrie> {
  const t = await createMPT({ useKeyHashing: true });
  for (const [k, v] of entries) await t.put(hexToBytes(k), hexToBytes(v));
  return t;
}

/** Every node of a trie as it stands (the library's store also keeps replaced ones). */
async function nodesOf(t: MerklePatriciaTrie): Promise<Hex[]> {
  const out: Hex[] = [];
  await t.walkAllNodes((node) => {
    out.push(bytesToHex(node.serialize()));
    return Promise.resolve();
  });
  return out;
}

/** A full trie of `keys` (value(i) at keys[i]): its nodes in a store, and its root. */
async function fullTrie(
  keys: Hex[],
): Promise<{ store: NodeStore; root: Hex; ref: MerklePatriciaTrie }> {
  const ref = await refTrie(keys.map((k, i) => [k, value(i)] as const));
  return { store: NodeStore.of(await nodesOf(ref)), root: bytesToHex(ref.root()), ref };
}

/** The eth_getProof-style proof of `key` in a reference trie. */
async function proof(t: MerklePatriciaTrie, key: Hex): Promise<Hex[]> {
  return (await createMerkleProof(t, hexToBytes(key))).map((n) => bytesToHex(n));
}

/** The root of `t` after deleting `keys`, by the reference (on a copy). */
async function refDelete(t: MerklePatriciaTrie, keys: readonly Hex[]): Promise<Hex> {
  const copy = t.shallowCopy(false);
  for (const k of keys) await copy.del(hexToBytes(k));
  return bytesToHex(copy.root());
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

Deno.test("lookup agrees with @ethereumjs/mpt: found values, absent keys, the first missing node", async () => {
  const rand = rng(3);
  for (let trial = 0; trial < 30; trial++) {
    const keys = Array.from({ length: 1 + Math.floor(rand() * 40) }, (_, i) => slot(i * 5 + trial));
    const { store, root, ref } = await fullTrie(keys);
    for (const k of [...keys, slot(10_000 + trial), slot(20_000 + trial)]) {
      const want = await ref.get(hexToBytes(k));
      const got = lookup(store, root, keyPath(k));
      assert.deepEqual(
        got,
        want === null ? { kind: "absent" } : { kind: "found", value: bytesToHex(want) },
        `trial ${trial}, key ${k}`,
      );
    }
  }
  const { root } = await fullTrie([slot(1), slot(2)]);
  assert.deepEqual(lookup(new NodeStore(), root, keyPath(slot(2))), {
    kind: "missing",
    hash: root,
    prefix: "",
  });
  assert.equal(lookup(new NodeStore(), EMPTY_ROOT, keyPath(slot(2))).kind, "absent");
});

Deno.test("the check's tries delete from a partial trie to the reference's root", async () => {
  const rand = rng(7);
  for (let trial = 0; trial < 40; trial++) {
    const keys = Array.from(
      { length: 1 + Math.floor(rand() * 30) },
      (_, i) => slot(i * 13 + trial),
    );
    const gone = keys.filter(() => rand() < 0.5);
    const { store, root, ref } = await fullTrie(keys);
    const tries = await WitnessTries.of(store.values());
    const got = await tries.apply(root, gone.map((k) => [k, undefined] as const), "test");
    assert.equal(got, await refDelete(ref, gone), `trial ${trial}`);
    if (gone.length === keys.length) assert.equal(got, EMPTY_ROOT);
  }
});

Deno.test("collapseNeeds names the siblings a deletion needs beyond the keys' proofs", async () => {
  const rand = rng(11);
  let sawNeed = false;
  for (let trial = 0; trial < 60; trial++) {
    const keys = Array.from(
      { length: 2 + Math.floor(rand() * 20) },
      (_, i) => slot(i * 7 + trial * 31),
    );
    const gone = keys.filter(() => rand() < 0.6);
    if (gone.length === 0) continue;
    const { store: full, root, ref } = await fullTrie(keys);
    // the witness before collapse handling: proofs of the deleted keys only
    const witness = new NodeStore();
    for (const k of gone) witness.addAll(await proof(ref, k));
    const needs = collapseNeeds(witness, root, gone.map(keyPath));
    const deletions = gone.map((k) => [k, undefined] as const);
    if (needs.length) {
      // without them the check cannot delete: each need is real
      const without = await WitnessTries.of(witness.values());
      await assert.rejects(without.apply(root, deletions, "test"), MissingNodeError);
    }
    for (const n of needs) {
      assert.ok(full.has(n.hash));
      witness.add(full.raw(n.hash)!);
      sawNeed = true;
    }
    // with the needed nodes the deletions go through, to the reference's root
    const tries = await WitnessTries.of(witness.values());
    assert.equal(await tries.apply(root, deletions, "test"), await refDelete(ref, gone));
  }
  assert.ok(sawNeed, "some trial needed a collapse sibling");
});

Deno.test("without the collapse sibling a deletion fails with MissingNodeError", async () => {
  // two keys under one branch: deleting one collapses the branch into the other's leaf
  const keys = [slot(1), slot(2)];
  const { root, ref } = await fullTrie(keys);
  const witness = NodeStore.of(await proof(ref, keys[0]));
  assert.equal(collapseNeeds(witness, root, [keyPath(keys[0])]).length, 1);
  const tries = await WitnessTries.of(witness.values());
  await assert.rejects(
    tries.apply(root, [[keys[0], undefined]], "the test trie"),
    (e) => e instanceof MissingNodeError && e.message.includes("the test trie"),
  );
  // a write on a path through a node the witness lacks fails too, rather than guessing
  const empty = await WitnessTries.of([]);
  await assert.rejects(empty.apply(root, [[keys[0], value(9)]], "test"), MissingNodeError);
});

Deno.test("a collapsed sibling leaf is rebuilt from the post-state node it was merged into", async () => {
  const keys = [slot(1), slot(2)];
  const { store: full, root, ref } = await fullTrie(keys);
  // the root branch collapses onto the other key's leaf
  const witness = NodeStore.of(await proof(ref, keys[0]));
  const needs = collapseNeeds(witness, root, [keyPath(keys[0])]);
  const post = ref.shallowCopy(false);
  await post.del(hexToBytes(keys[0]));
  const candidates = shortenedCandidates([
    ...(await proof(post, keys[0])),
    ...(await nodesOf(post)),
  ]);
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

const account = (nonce: bigint, balance: bigint, storageRoot: Hex, codeHash = EMPTY_CODE_HASH) =>
  toRlp([rlpInt(nonce), rlpInt(balance), storageRoot, codeHash]);

Deno.test("computePostStateRoot applies a block's changes in the node's way and the spec's", async () => {
  const addr = (i: number) => numberToHex(BigInt(i), { size: 20 }) as Address;
  const ZERO_LEAF = toRlp(rlpInt(0n)); // what anvil keeps for a zeroed slot
  // before: three accounts; 1 and 2 have storage, 3 is plain
  const storage1 = await refTrie([[slot(1), value(1)], [slot(2), value(2)], [slot(3), value(3)]]);
  const storage2 = await refTrie([[slot(5), value(5)]]);
  const s1 = bytesToHex(storage1.root());
  const s2 = bytesToHex(storage2.root());
  const state = await refTrie([
    [addr(1), account(1n, 10n, s1)],
    [addr(2), account(0n, 20n, s2)],
    [addr(3), account(0n, 30n, EMPTY_ROOT)],
  ]);
  const witness = [
    ...(await nodesOf(state)),
    ...(await nodesOf(storage1)),
    ...(await nodesOf(storage2)),
  ];
  const preRoot = bytesToHex(state.root());

  // the block: account 1 zeroes slot 2 and sets slot 4; account 3 is emptied (the node keeps its
  // leaf, the spec deletes it); account 4 is created with code and a slot
  const changes: AccountChange[] = [
    {
      address: addr(1),
      after: { nonce: 2n, balance: 9n, codeHash: EMPTY_CODE_HASH },
      nodeLeaf: "0x01",
      storageRootBefore: s1,
      storage: new Map([
        [slot(2), { value: 0n, nodeLeaf: ZERO_LEAF }],
        [slot(4), { value: 4001n, nodeLeaf: value(4) }],
      ]),
    },
    {
      address: addr(3),
      after: { nonce: 0n, balance: 0n, codeHash: EMPTY_CODE_HASH },
      nodeLeaf: "0x02",
      storageRootBefore: EMPTY_ROOT,
      storage: new Map(),
    },
    {
      address: addr(4),
      after: { nonce: 1n, balance: 7n, codeHash: keccak256("0x00") },
      nodeLeaf: "0x03",
      storageRootBefore: EMPTY_ROOT,
      storage: new Map([[slot(1), { value: 1001n, nodeLeaf: value(1) }]]),
    },
  ];

  const storage4 = bytesToHex((await refTrie([[slot(1), value(1)]])).root());
  const nodeStorage = await refTrie([
    [slot(1), value(1)],
    [slot(2), ZERO_LEAF],
    [slot(3), value(3)],
    [slot(4), value(4)],
  ]);
  const nodeState = await refTrie([
    [addr(1), account(2n, 9n, bytesToHex(nodeStorage.root()))],
    [addr(2), account(0n, 20n, s2)],
    [addr(3), account(0n, 0n, EMPTY_ROOT)],
    [addr(4), account(1n, 7n, storage4, keccak256("0x00"))],
  ]);
  const specStorage = await refTrie([[slot(1), value(1)], [slot(3), value(3)], [
    slot(4),
    value(4),
  ]]);
  const specState = await refTrie([
    [addr(1), account(2n, 9n, bytesToHex(specStorage.root()))],
    [addr(2), account(0n, 20n, s2)],
    [addr(4), account(1n, 7n, storage4, keccak256("0x00"))],
  ]);
  assert.equal(
    await computePostStateRoot(witness, preRoot, changes, "node"),
    bytesToHex(nodeState.root()),
  );
  assert.equal(
    await computePostStateRoot(witness, preRoot, changes, "canonical"),
    bytesToHex(specState.root()),
  );
  // the zeroed slot kept and the empty account kept: two deviations; none once they are gone
  assert.equal(specDeviations(changes), 2);
  const asSpec = changes.filter((c) => c.address !== addr(3)).map((c) => ({
    ...c,
    storage: new Map(
      [...c.storage].map(([k, v]) => [k, { ...v, nodeLeaf: v.value ? v.nodeLeaf : null }]),
    ),
  }));
  assert.equal(specDeviations(asSpec), 0);
  assert.equal(
    await computePostStateRoot(witness, preRoot, asSpec, "node"),
    await computePostStateRoot(witness, preRoot, asSpec, "canonical"),
  );
});

Deno.test("a node one trie writes is not read by another in place of the witness's", async () => {
  // trie A writes the one leaf of a trie {k: v}, whose root is that leaf; trie B starts at that
  // root, which the witness lacks: B must fail, not borrow A's node
  const tries = await WitnessTries.of([]);
  const root = await tries.apply(EMPTY_ROOT, [[slot(1), value(1)]], "A");
  assert.equal(root, bytesToHex((await refTrie([[slot(1), value(1)]])).root()));
  await assert.rejects(tries.apply(root, [[slot(2), value(2)]], "B"), MissingNodeError);
});
