/** Shapes of the standard Ethereum JSON-RPC answers the product reads (only the fields it uses). */
import type { Address, Hex } from "viem";

/** A header as `eth_getBlockByNumber` returns it (and geth's `debug_executionWitness`). */
export interface RpcHeader {
  readonly hash: Hex;
  readonly parentHash: Hex;
  readonly sha3Uncles: Hex;
  readonly miner: Address;
  readonly stateRoot: Hex;
  readonly transactionsRoot: Hex;
  readonly receiptsRoot: Hex;
  readonly logsBloom: Hex;
  readonly difficulty: Hex;
  readonly number: Hex;
  readonly gasLimit: Hex;
  readonly gasUsed: Hex;
  readonly timestamp: Hex;
  readonly extraData: Hex;
  readonly mixHash: Hex;
  readonly nonce: Hex;
  readonly baseFeePerGas?: Hex;
  readonly withdrawalsRoot?: Hex;
  readonly blobGasUsed?: Hex;
  readonly excessBlobGas?: Hex;
  readonly parentBeaconBlockRoot?: Hex;
  readonly requestsHash?: Hex;
}

/** One EIP-7702 authorization as nodes return it. */
export interface RpcAuthorization {
  readonly chainId: Hex;
  readonly address: Address;
  readonly nonce: Hex;
  readonly yParity: Hex;
  readonly r: Hex;
  readonly s: Hex;
}

/** A transaction as `eth_getBlockByNumber(n, true)` returns it. */
export interface RpcTransaction {
  readonly hash: Hex;
  readonly type?: Hex;
  readonly from: Address;
  readonly to: Address | null;
  readonly input: Hex;
  readonly authorizationList?: readonly RpcAuthorization[];
  readonly [field: string]: unknown;
}

/** A withdrawal (EIP-4895). */
export interface RpcWithdrawal {
  readonly index: Hex;
  readonly validatorIndex: Hex;
  readonly address: Address;
  readonly amount: Hex;
}

/** A block with full transactions. */
export interface RpcBlock extends RpcHeader {
  readonly transactions: readonly RpcTransaction[];
  readonly uncles: readonly Hex[];
  readonly withdrawals?: readonly RpcWithdrawal[];
}

/** The answer of `eth_getProof` (EIP-1186). */
export interface RpcProof {
  readonly address: Address;
  readonly balance: Hex;
  readonly codeHash: Hex;
  readonly nonce: Hex;
  readonly storageHash: Hex;
  readonly accountProof: readonly Hex[];
  readonly storageProof: readonly {
    readonly key: Hex;
    readonly value: Hex;
    readonly proof: readonly Hex[];
  }[];
}

/** `0x…` block number parameter. */
export function blockTag(n: bigint): Hex {
  return `0x${n.toString(16)}`;
}
