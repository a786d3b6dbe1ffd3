/** OnChainProposer on L1, typed: its views and the calldata of its two transactions. */
import { type Address, decodeFunctionResult, encodeFunctionData, type Hex } from "viem";
import { OnChainProposer } from "./artifacts.ts";
import type { L1Client } from "./client.ts";

const abi = OnChainProposer.abi;

/** What the contract holds for one committed batch. */
export interface CommittedBatch {
  readonly number: number;
  readonly firstBlock: number;
  readonly lastBlock: number;
  readonly lastBlockHash: Hex;
  readonly stateRoot: Hex;
}

/** One OnChainProposer at `address`, read and called through `l1`. */
export class Proposer {
  constructor(readonly l1: L1Client, readonly address: Address) {}

  private read<T>(functionName: string, args: readonly unknown[] = []): Promise<T> {
    return this.l1.pub.readContract({
      address: this.address,
      abi,
      functionName: functionName as never,
      args: args as never,
    }) as Promise<T>;
  }

  /** The highest batch committed (0: none since genesis). */
  async lastCommittedBatch(): Promise<number> {
    return Number(await this.read<bigint>("lastCommittedBatch"));
  }

  /** The highest batch verified: the truth of what is settled. */
  async lastVerifiedBatch(): Promise<number> {
    return Number(await this.read<bigint>("lastVerifiedBatch"));
  }

  /** What was committed for `batch` (batch 0: genesis). */
  async batch(batch: number): Promise<CommittedBatch> {
    const [firstBlock, lastBlock, lastBlockHash, stateRoot] = await this.read<
      [bigint, bigint, Hex, Hex]
    >("batches", [BigInt(batch)]);
    return {
      number: batch,
      firstBlock: Number(firstBlock),
      lastBlock: Number(lastBlock),
      lastBlockHash,
      stateRoot,
    };
  }

  /** The journal v2 the contract rebuilds for `batch` (what a seal must prove). */
  journalOf(batch: number): Promise<Hex> {
    return this.read<Hex>("journalOf", [BigInt(batch)]);
  }

  /** The image id the contract accepts. */
  imageId(): Promise<Hex> {
    return this.read<Hex>("imageId");
  }

  /** The rules digest the contract accepts. */
  rulesDigest(): Promise<Hex> {
    return this.read<Hex>("rulesDigest");
  }

  /** The IRiscZeroVerifier (router) seals are checked by. */
  verifier(): Promise<Address> {
    return this.read<Address>("verifier");
  }

  /** The committer account. */
  committer(): Promise<Address> {
    return this.read<Address>("committer");
  }

  /** The verifier account. */
  verifierAccount(): Promise<Address> {
    return this.read<Address>("verifierAccount");
  }

  /** The L2 chain id the contract commits in journals. */
  async chainId(): Promise<number> {
    return Number(await this.read<bigint>("chainId"));
  }

  /** Calldata of `commitBatch`. */
  static commitBatchData(b: CommittedBatch): Hex {
    return encodeFunctionData({
      abi,
      functionName: "commitBatch",
      args: [
        BigInt(b.number),
        BigInt(b.firstBlock),
        BigInt(b.lastBlock),
        b.stateRoot,
        b.lastBlockHash,
      ],
    });
  }

  /** Calldata of `verifyBatches(firstBatch, seals)`. */
  static verifyBatchesData(firstBatch: number, seals: readonly Hex[]): Hex {
    return encodeFunctionData({
      abi,
      functionName: "verifyBatches",
      args: [BigInt(firstBatch), [...seals]],
    });
  }

  /** Decodes `journalOf`'s return data (for raw eth_call results). */
  static decodeJournal(data: Hex): Hex {
    return decodeFunctionResult({ abi, functionName: "journalOf", data }) as Hex;
  }
}
