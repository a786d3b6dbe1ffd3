import assert from "node:assert/strict";
import { startAnvil } from "../../lib/devnet/anvil.ts";
import { deployLocal } from "../../lib/l1/deployment.ts";
import { resolveImageId } from "../../lib/host/image_id.ts";
import { Proposer } from "../../lib/l1/proposer.ts";
import { checkVerifierAccepts } from "../../lib/l1/verifier_check.ts";
import { ANVIL_KEYS, l1Client } from "../helpers/l1.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";

Deno.test("deployLocal: router with the mock verifier, OnChainProposer with the local image id", async () => {
  await using l1 = await startAnvil();
  await using l2 = await startAnvil({ chainId: 1729 });
  const [c, v] = await Promise.all([
    l1Client(l1.url, ANVIL_KEYS.committer),
    l1Client(l1.url, ANVIL_KEYS.verifier),
  ]);
  const d = await deployLocal({
    l1Url: l1.url,
    l2Url: l2.url,
    deployerKey: ANVIL_KEYS.owner,
    committer: c.address!,
    verifierAccount: v.address!,
    log: memoryLogger().log,
  });
  const p = new Proposer(v, d.onChainProposer);
  assert.equal((await p.verifier()).toLowerCase(), d.verifier.toLowerCase());
  assert.equal(await p.imageId(), resolveImageId({ dev: d.l2.quirks.length > 0 }));
  assert.equal(d.l2.chainId, 1729);
  await checkVerifierAccepts(v, d.verifier, "mock");
});
