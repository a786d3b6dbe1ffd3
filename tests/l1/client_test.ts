/** L1Client on anvil: a transaction left unmined is re-sent with higher fees, same nonce. */
import assert from "node:assert/strict";
import { L1Client, type SignedTx } from "../../lib/l1/client.ts";
import { startAnvil } from "../../lib/devnet/anvil.ts";
import { ANVIL_KEYS } from "../helpers/l1.ts";
import { rpcCall } from "../helpers/l2.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";

Deno.test("L1Client: a stuck transaction gets a fee bump (same nonce, +25 %), and the bumped one is mined", async () => {
  await using anvil = await startAnvil();
  let now = 0;
  const l1 = await L1Client.connect({
    url: anvil.url,
    privateKey: ANVIL_KEYS.stranger,
    pollMs: 10,
    bumpAfterMs: 1000,
    clock: () => now,
    log: memoryLogger().log,
  });
  await rpcCall(anvil.url, "evm_setAutomine", [false]);
  const signed: SignedTx[] = [];
  const sending = l1.send(
    {
      to: "0x000000000000000000000000000000000000dEaD",
      data: "0x",
      label: "transfer",
      gas: 21000n,
    },
    (tx) => {
      signed.push(tx);
      return Promise.resolve();
    },
  );
  while (signed.length < 1) await new Promise((r) => setTimeout(r, 5));
  // time passes with the transaction unmined, until the client bumps it
  for (let i = 0; i < 500 && signed.length < 2; i++) {
    now += 1000;
    await new Promise((r) => setTimeout(r, 10));
  }
  await rpcCall(anvil.url, "evm_mine");
  const receipt = await sending;
  await rpcCall(anvil.url, "evm_setAutomine", [true]);
  assert.equal(signed[1].nonce, signed[0].nonce);
  assert.ok(signed[1].maxFeePerGas >= (signed[0].maxFeePerGas * 5n) / 4n);
  assert.equal(
    receipt.transactionHash,
    signed[1].hash,
    "the bumped transaction replaced the first",
  );
});
