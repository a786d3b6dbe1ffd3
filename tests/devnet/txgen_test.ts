/**
 * The transaction generator on a real anvil: every kind of its mix lands in blocks and succeeds
 * (ETH transfers, ERC-20 Transfer logs, storage-heavy fills, contract creations).
 */
import assert from "node:assert/strict";
import type { Hex } from "viem";
import { startAnvil } from "../../lib/devnet/anvil.ts";
import { startTxGen, TX_KINDS } from "../../lib/devnet/txgen.ts";
import { RpcClient } from "../../lib/rpc/mod.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";

const TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

interface Receipt {
  status: Hex;
  to: Hex | null;
  contractAddress: Hex | null;
  logs: { address: Hex; topics: Hex[] }[];
  gasUsed: Hex;
}

Deno.test("txgen sends transfers, ERC-20 transfers, storage-heavy calls and creations", async () => {
  await using anvil = await startAnvil();
  const rpc = new RpcClient(anvil.url);
  const first = Number(BigInt(await rpc.request<Hex>("eth_blockNumber", [])));
  const gen = await startTxGen(rpc, {
    txsPerTick: TX_KINDS.length,
    tickMs: 20,
    log: memoryLogger().log,
  });
  while (gen.sent() < 2 * TX_KINDS.length) await new Promise((r) => setTimeout(r, 20));
  await gen.stop();
  const byKind = gen.sentByKind();
  for (const k of TX_KINDS) assert.ok(byKind[k] > 0, `no ${k} sent: ${JSON.stringify(byKind)}`);

  const head = Number(BigInt(await rpc.request<Hex>("eth_blockNumber", [])));
  const seen = { transfer: 0, erc20: 0, storage: 0, create: 0 };
  for (let n = first + 1; n <= head; n++) {
    const receipts = await rpc.request<Receipt[]>("eth_getBlockReceipts", [`0x${n.toString(16)}`]);
    for (const r of receipts) {
      assert.equal(r.status, "0x1", JSON.stringify(r));
      const to = r.to?.toLowerCase();
      if (r.contractAddress) seen.create++;
      else if (to === gen.contracts.token.toLowerCase()) {
        assert.equal(r.logs[0]?.topics[0], TRANSFER_TOPIC);
        seen.erc20++;
      } else if (to === gen.contracts.storage.toLowerCase()) {
        // eight fresh slots at 22.1k gas each, at least
        assert.ok(Number(BigInt(r.gasUsed)) > 8 * 22_000, `fill used ${BigInt(r.gasUsed)} gas`);
        seen.storage++;
      } else seen.transfer++;
    }
  }
  assert.ok(seen.transfer >= byKind.transfer, JSON.stringify(seen));
  assert.ok(seen.erc20 >= byKind.erc20, JSON.stringify(seen));
  assert.ok(seen.storage >= byKind.storage, JSON.stringify(seen));
  assert.ok(seen.create >= byKind.create, JSON.stringify(seen));
});
