/**
 * Canonical RLP of headers, transactions and blocks from their JSON-RPC form (viem does the RLP
 * and transaction serialisation). Each encoding is checked against the hash the node reported,
 * so a field this code does not know yet fails loudly instead of producing a wrong block.
 */
import { formatTransaction, fromRlp, type Hex, keccak256, serializeTransaction, toRlp } from "viem";
import type { RpcBlock, RpcHeader, RpcTransaction, RpcWithdrawal } from "../rpc/eth.ts";
import type { RlpItem } from "./trie.ts";

/** An encoding does not reproduce the hash the node reported. */
export class EncodingMismatchError extends Error {
  override name = "EncodingMismatchError";
}

// Header fields in RLP order; the optional tail appears fork by fork and stops at the first absent.
const OPTIONAL_TAIL = [
  ["baseFeePerGas", "int"],
  ["withdrawalsRoot", "bytes"],
  ["blobGasUsed", "int"],
  ["excessBlobGas", "int"],
  ["parentBeaconBlockRoot", "bytes"],
  ["requestsHash", "bytes"],
] as const;

/** RLP integer: minimal big-endian bytes, zero is the empty string. */
export function rlpInt(value: Hex | bigint | number): Hex {
  const n = BigInt(value);
  if (n === 0n) return "0x";
  const h = n.toString(16);
  return `0x${h.length % 2 ? "0" : ""}${h}`;
}

/** The RLP item list of a header. */
export function headerItems(h: RpcHeader): Hex[] {
  const items: Hex[] = [
    h.parentHash,
    h.sha3Uncles,
    h.miner,
    h.stateRoot,
    h.transactionsRoot,
    h.receiptsRoot,
    h.logsBloom,
    rlpInt(h.difficulty),
    rlpInt(h.number),
    rlpInt(h.gasLimit),
    rlpInt(h.gasUsed),
    rlpInt(h.timestamp),
    h.extraData,
    h.mixHash,
    h.nonce,
  ];
  for (const [field, kind] of OPTIONAL_TAIL) {
    const v = h[field];
    if (v === undefined || v === null) break;
    items.push(kind === "int" ? rlpInt(v) : v);
  }
  return items;
}

/** The RLP of a header, checked against its hash. */
export function encodeHeader(h: RpcHeader): Hex {
  const rlp = toRlp(headerItems(h));
  if (h.hash && keccak256(rlp) !== h.hash.toLowerCase()) {
    throw new EncodingMismatchError(
      `header ${BigInt(h.number)} encodes to hash ${keccak256(rlp)}, node says ${h.hash}: ` +
        "the header has fields this encoder does not know (use a node with debug_getRawHeader)",
    );
  }
  return rlp;
}

/** The network encoding of a signed transaction (typed: type byte ‖ RLP), checked against its hash. */
export function encodeTransaction(tx: RpcTransaction): Hex {
  // deno-lint-ignore no-explicit-any
  const formatted: any = formatTransaction(tx as any);
  if (formatted.type === "legacy" && formatted.v !== undefined && formatted.v < 35n) {
    delete formatted.chainId; // pre-EIP-155: the chain id is not part of the signature
  }
  if (formatted.type === "eip4844") delete formatted.sidecars;
  formatted.data = formatted.input; // the serialiser reads `data`; JSON-RPC says `input`
  // The legacy serialiser only signs with an explicit signature argument.
  const raw = serializeTransaction(formatted, {
    r: formatted.r,
    s: formatted.s,
    v: formatted.v,
    yParity: formatted.yParity,
  });
  if (keccak256(raw) !== tx.hash.toLowerCase()) {
    throw new EncodingMismatchError(
      `transaction ${tx.hash} (type ${tx.type ?? "0x0"}) encodes to hash ${keccak256(raw)}`,
    );
  }
  return raw;
}

function withdrawalItems(w: RpcWithdrawal): Hex[] {
  return [rlpInt(w.index), rlpInt(w.validatorIndex), w.address, rlpInt(w.amount)];
}

/**
 * The RLP of a full block (header, transactions, ommers, withdrawals) from its JSON form.
 * `rawTxs` (by lowercase hash) replaces the encoding of those transactions, e.g. by a node's
 * network form; the header's transactions root is then the executor's to check.
 */
export function encodeBlock(b: RpcBlock, rawTxs?: ReadonlyMap<Hex, Hex>): Hex {
  if (b.uncles.length > 0) {
    throw new EncodingMismatchError(
      `block ${
        BigInt(b.number)
      } has ommers, which JSON-RPC does not return in full; use a node with debug_getRawBlock`,
    );
  }
  encodeHeader(b); // checks the hash
  const txs: RlpItem[] = b.transactions.map((tx) => {
    const given = rawTxs?.get(tx.hash.toLowerCase() as Hex);
    if (given) return given;
    const raw = encodeTransaction(tx);
    // A legacy transaction is an RLP list inside the block; a typed one is a byte string.
    return BigInt(tx.type ?? "0x0") === 0n ? (fromRlp(raw, "hex") as RlpItem) : raw;
  });
  const body: RlpItem[] = [headerItems(b), txs, []];
  if (b.withdrawalsRoot !== undefined && b.withdrawalsRoot !== null) {
    body.push((b.withdrawals ?? []).map(withdrawalItems));
  }
  // deno-lint-ignore no-explicit-any
  return toRlp(body as any);
}

/** The hash of the header inside a block RLP. */
export function blockRlpHash(rlp: Hex): Hex {
  const items = fromRlp(rlp, "hex") as RlpItem[];
  // deno-lint-ignore no-explicit-any
  return keccak256(toRlp(items[0] as any));
}

/** The transaction count of a block RLP. */
export function blockRlpTxCount(rlp: Hex): number {
  const items = fromRlp(rlp, "hex") as RlpItem[];
  return (items[1] as RlpItem[]).length;
}
