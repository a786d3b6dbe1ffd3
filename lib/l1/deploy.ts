/**
 * Deployment of the settlement contracts: OnChainProposer, and on a local chain risc0's
 * RiscZeroMockVerifier (selector 0xFFFFFFFF) behind a RiscZeroVerifierRouter.
 */
import { type Abi, type Address, encodeDeployData, encodeFunctionData, type Hex } from "viem";
import {
  CONTROL_ID,
  OnChainProposer,
  RiscZeroGroth16Verifier,
  RiscZeroMockVerifier,
  RiscZeroVerifierRouter,
} from "./artifacts.ts";
import type { L1Client } from "./client.ts";
import { MOCK_SELECTOR } from "../host/seal.ts";

/** Deploys `bytecode` with constructor `args`; resolves to the new contract's address. */
export async function deployContract(
  l1: L1Client,
  artifact: { readonly abi: Abi | readonly unknown[]; readonly bytecode: Hex },
  args: readonly unknown[],
  label: string,
): Promise<Address> {
  const data = encodeDeployData({
    abi: artifact.abi as Abi,
    bytecode: artifact.bytecode,
    args: args as never,
  });
  const receipt = await l1.send({ data, label: `deploy ${label}` });
  if (!receipt.contractAddress) throw new Error(`deploy ${label}: the receipt has no address`);
  return receipt.contractAddress;
}

/** The local verifier stack: a router owned by the deployer with the mock verifier behind it. */
export interface LocalVerifier {
  readonly router: Address;
  readonly mockVerifier: Address;
}

/** Deploys RiscZeroMockVerifier(0xFFFFFFFF) and a RiscZeroVerifierRouter routing to it. */
export async function deployLocalVerifier(l1: L1Client): Promise<LocalVerifier> {
  const mockVerifier = await deployContract(
    l1,
    RiscZeroMockVerifier,
    [MOCK_SELECTOR],
    "RiscZeroMockVerifier",
  );
  const router = await deployContract(
    l1,
    RiscZeroVerifierRouter,
    [l1.address],
    "RiscZeroVerifierRouter",
  );
  await l1.send({
    to: router,
    data: encodeFunctionData({
      abi: RiscZeroVerifierRouter.abi,
      functionName: "addVerifier",
      args: [MOCK_SELECTOR, mockVerifier],
    }),
    label: "router.addVerifier(0xffffffff)",
  });
  return { router, mockVerifier };
}

/** Deploys risc0's RiscZeroGroth16Verifier with the ControlID of the crate's sources. */
export function deployGroth16Verifier(l1: L1Client): Promise<Address> {
  return deployContract(
    l1,
    RiscZeroGroth16Verifier,
    [CONTROL_ID.controlRoot, CONTROL_ID.bn254ControlId],
    "RiscZeroGroth16Verifier",
  );
}

/** The constructor arguments of OnChainProposer (INTERFACES.md). */
export interface ProposerParams {
  readonly owner: Address;
  readonly committer: Address;
  readonly verifierAccount: Address;
  readonly verifier: Address;
  readonly imageId: Hex;
  readonly rulesDigest: Hex;
  readonly chainId: number;
  readonly genesisBlock: number;
  readonly genesisBlockHash: Hex;
  readonly genesisStateRoot: Hex;
}

/** Deploys OnChainProposer with `p`; resolves to its address. */
export function deployProposer(l1: L1Client, p: ProposerParams): Promise<Address> {
  if (p.committer.toLowerCase() === p.verifierAccount.toLowerCase()) {
    throw new Error(
      `the committer and the verifier account are both ${p.committer}: use two accounts`,
    );
  }
  return deployContract(l1, OnChainProposer, [
    p.owner,
    p.committer,
    p.verifierAccount,
    p.verifier,
    p.imageId,
    p.rulesDigest,
    BigInt(p.chainId),
    BigInt(p.genesisBlock),
    p.genesisBlockHash,
    p.genesisStateRoot,
  ], "OnChainProposer");
}
