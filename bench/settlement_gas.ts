/**
 * Benchmark (not a test): L1 gas of verifyBatches on anvil, with the mock verifier behind
 * risc0's router and, estimated, with risc0's Groth16 verifier (measured on risc0's own 3.0
 * receipt), per transaction, per batch and per L2 block at batch sizes 1, 10 and 100.
 *
 *   deno run -A bench/settlement_gas.ts
 */
import { encodeFunctionData, type Hex, sha256 } from "viem";
import { startAnvil } from "../lib/devnet/anvil.ts";
import { logger } from "../lib/log/logger.ts";
import { GROTH16_TEST_RECEIPT, RiscZeroMockVerifier } from "../lib/l1/artifacts.ts";
import { mockSeal } from "../lib/host/seal.ts";
import { L1Client } from "../lib/l1/client.ts";
import { deployGroth16Verifier, deployLocalVerifier, deployProposer } from "../lib/l1/deploy.ts";
import { Proposer } from "../lib/l1/proposer.ts";

const KEYS = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
] as const;
const SEALS_PER_TX = [1, 10];
const BATCH_SIZES = [1, 10, 100];
const w = (n: number): Hex => `0x${n.toString(16).padStart(64, "0")}`;

if (import.meta.main) {
  await using anvil = await startAnvil();
  const log = logger("bench");
  const [owner, committer, verifier] = await Promise.all(
    KEYS.map((k) => L1Client.connect({ url: anvil.url, privateKey: k, pollMs: 20, log })),
  );
  const { router } = await deployLocalVerifier(owner);
  const imageId = w(7);
  const proposer = await deployProposer(owner, {
    owner: owner.address!,
    committer: committer.address!,
    verifierAccount: verifier.address!,
    verifier: router,
    imageId,
    rulesDigest: w(9),
    chainId: 1729,
    genesisBlock: 0,
    genesisBlockHash: w(1),
    genesisStateRoot: w(2),
  });
  const view = new Proposer(committer, proposer);
  let committed = 0;
  let verified = 0;
  const commitGas: bigint[] = [];
  const perTx: Record<number, bigint> = {};
  for (const k of SEALS_PER_TX) {
    const seals: Hex[] = [];
    for (let i = 0; i < k; i++) {
      const n = ++committed;
      const r = await committer.send({
        to: proposer,
        data: Proposer.commitBatchData({
          number: n,
          firstBlock: n,
          lastBlock: n,
          lastBlockHash: w(1000 + n),
          stateRoot: w(2000 + n),
        }),
        label: "commit",
      });
      commitGas.push(r.gasUsed);
      seals.push(mockSeal(imageId, await view.journalOf(n)));
    }
    const r = await verifier.send({
      to: proposer,
      data: Proposer.verifyBatchesData(verified + 1, seals),
      label: "verify",
    });
    verified += k;
    perTx[k] = r.gasUsed;
  }
  // Groth16 vs mock, each a whole transaction calling the verifier with one seal.
  const groth16 = await deployGroth16Verifier(owner);
  const g = GROTH16_TEST_RECEIPT;
  const call = (seal: Hex, journal: Hex) =>
    encodeFunctionData({
      abi: RiscZeroMockVerifier.abi,
      functionName: "verify",
      args: [seal, g.imageId, sha256(journal)],
    });
  const g16 = await owner.pub.estimateGas({
    account: owner.address,
    to: groth16,
    data: call(g.seal, g.journal),
  });
  const mock = await owner.pub.estimateGas({
    account: owner.address,
    to: router,
    data: call(mockSeal(g.imageId, g.journal), g.journal),
  });
  const extra = g16 - mock; // Groth16's pairing check and its longer seal, per seal
  console.log(`commitBatch gas: ${commitGas[1]} (first: ${commitGas[0]})`);
  console.log(
    `one seal, whole tx: groth16 ${g16}, mock via router ${mock}; groth16 extra ${extra}`,
  );
  console.log(
    "| seals/tx | verifier | gas/tx | gas/batch | gas/L2 block at batch size 1 / 10 / 100 |",
  );
  console.log("|---|---|---|---|---|");
  for (const k of SEALS_PER_TX) {
    for (
      const [name, tx] of [["mock", perTx[k]], [
        "groth16 (est.)",
        perTx[k] + BigInt(k) * extra,
      ]] as const
    ) {
      const perBatch = tx / BigInt(k);
      const perBlock = BATCH_SIZES.map((s) => (perBatch / BigInt(s)).toString()).join(" / ");
      console.log(`| ${k} | ${name} | ${tx} | ${perBatch} | ${perBlock} |`);
    }
  }
}
