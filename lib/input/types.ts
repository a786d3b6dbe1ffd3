/** The prover input (DESIGN §1), versions 1 (one block) and 2 (a batch): what the server hands the client and the host reads. */

/** A 0x-prefixed hex string (lowercase or mixed case as received). */
export type Hex = `0x${string}`;

/** The execution witness, in the exact shape of `debug_executionWitness`. */
export interface Witness {
  /** RLP trie nodes (account and storage tries) of the pre-state, in any order. */
  readonly state: Hex[];
  /** Contract bytecodes the block reads or runs. */
  readonly codes: Hex[];
  /** Preimages of hashed trie keys (addresses and storage slots); informational. */
  readonly keys: Hex[];
  /** RLP headers: the parent and every ancestor BLOCKHASH reaches. */
  readonly headers: Hex[];
}

/** Everything the stateless executor needs to check one block (version 1; lib/witness builds it). */
export interface ProverInput {
  readonly version: 1;
  readonly chainId: number;
  /** Lowercase execution-layer fork name: "cancun", "prague", "osaka", "bpo1", … */
  readonly fork: string;
  /** RLP of the full block: header, transactions, ommers, withdrawals. */
  readonly block: Hex;
  readonly witness: Witness;
  /**
   * Opt-in deviations from the Ethereum spec that the node which built the block is known to make
   * (e.g. "anvil"; names in zkvm/executor/src/quirks.rs). Absent for a spec-following chain. A
   * proof of an input with quirks attests the node's rules, not Ethereum's: dev chains only.
   */
  readonly quirks?: readonly string[];
}

/**
 * A batch of consecutive blocks (version 2): the blocks in ascending order and one witness, the
 * union of theirs; `witness.headers` holds the first block's parent and every ancestor
 * BLOCKHASH reaches (extra headers are ignored by the executor).
 */
export interface BatchInput {
  readonly version: 2;
  readonly chainId: number;
  readonly fork: string;
  /** RLP of each full block, consecutive, ascending (at least one). */
  readonly blocks: Hex[];
  readonly witness: Witness;
  readonly quirks?: readonly string[];
}

/** Either version of the prover input (the host reads both; version 1 is a batch of one). */
export type AnyInput = ProverInput | BatchInput;

/** The fork names the format knows, in activation order (the host decides which it supports). */
export const KNOWN_FORKS = [
  "frontier",
  "homestead",
  "byzantium",
  "constantinople",
  "petersburg",
  "istanbul",
  "berlin",
  "london",
  "paris",
  "shanghai",
  "cancun",
  "prague",
  "osaka",
  "bpo1",
  "bpo2",
  "bpo3",
  "bpo4",
  "bpo5",
  "amsterdam",
] as const;
