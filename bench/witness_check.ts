/**
 * The witness check's own cost (a measurement, not a test): computePostStateRoot in both modes on
 * a synthetic witness, a full account trie of `--accounts` accounts with `--changes` of them
 * changed (a quarter emptied, so deleted) and a quarter as many created. No node, no RPC: what
 * `execute --check-witness` spends on top of its traces and proofs on a block that size.
 *
 *   deno run -A bench/witness_check.ts [--accounts 20000] [--changes 2000] [--runs 5]
 */
import { parseArgs } from "node:util";
import { createMPT } from "@ethereumjs/mpt";
import { type Address, bytesToHex, type Hex, hexToBytes, numberToHex, toRlp } from "viem";
import { EMPTY_CODE_HASH } from "../lib/witness/proofs.ts";
import { rlpInt } from "../lib/witness/rlp.ts";
import { EMPTY_ROOT } from "../lib/witness/trie.ts";
import { type AccountChange, computePostStateRoot } from "../lib/witness/verify.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    accounts: { type: "string", default: "20000" },
    changes: { type: "string", default: "2000" },
    runs: { type: "string", default: "5" },
  },
});
const accounts = Number(values.accounts);
const changed = Number(values.changes);

const addr = (i: number) => numberToHex(BigInt(i) * 7919n + 1n, { size: 20 }) as Address;
const account = (nonce: bigint, balance: bigint): Hex =>
  toRlp([rlpInt(nonce), rlpInt(balance), EMPTY_ROOT, EMPTY_CODE_HASH]);

const full = await createMPT({ useKeyHashing: true });
for (let i = 0; i < accounts; i++) {
  await full.put(hexToBytes(addr(i)), hexToBytes(account(1n, 1000n + BigInt(i))));
}
const nodes: Hex[] = [];
await full.walkAllNodes((n) => {
  nodes.push(bytesToHex(n.serialize()));
  return Promise.resolve();
});
const change = (address: Address, nonce: bigint, balance: bigint): AccountChange => ({
  address,
  after: { nonce, balance, codeHash: EMPTY_CODE_HASH },
  nodeLeaf: nonce === 0n && balance === 0n ? null : "0x01",
  storageRootBefore: EMPTY_ROOT,
  storage: new Map(),
});
const changes: AccountChange[] = [];
for (let i = 0; i < changed; i++) {
  const gone = i % 4 === 0;
  changes.push(change(addr((i * 9) % accounts), gone ? 0n : 2n, gone ? 0n : 5n + BigInt(i)));
}
for (let i = 0; i < changed / 4; i++) {
  changes.push(change(numberToHex(10_000_000n + BigInt(i), { size: 20 }) as Address, 0n, 9n));
}

const preRoot = bytesToHex(full.root());
const times: number[] = [];
for (let r = 0; r < Number(values.runs); r++) {
  const t0 = performance.now();
  await computePostStateRoot(nodes, preRoot, changes, "node");
  await computePostStateRoot(nodes, preRoot, changes, "canonical");
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
console.log(
  `${nodes.length} witness nodes, ${changes.length} account changes, both modes: ` +
    `median ${times[Math.floor(times.length / 2)].toFixed(0)} ms, fastest ${
      times[0].toFixed(0)
    } ms`,
);
