/**
 * The server's risc0 receipt check through zkvm-host: the trusted image id is the server's own,
 * dev-mode receipts only when allowed, a receipt must match its journal. Without the risc0 backend
 * the verifier says it is unavailable (and the receipt cases are skipped with the reason).
 */
import assert from "node:assert/strict";
import { toPayload } from "../../lib/client/host_prover.ts";
import { defaultHostBin, hostBinExists, hostImageId, runHost } from "../../lib/host/mod.ts";
import { readProverInput } from "../../lib/input/mod.ts";
import { Logger, LogSink } from "../../lib/log/logger.ts";
import type { ProofPayload } from "../../lib/protocol/proof.ts";
import type { BatchFacts } from "../../lib/server/facts.ts";
import { hostReceiptVerifier } from "../../lib/server/receipt_verifier.ts";

const log = new Logger(new LogSink("error", "json", () => {}), "test");
const FACTS = {} as BatchFacts; // the receipt check does not look at the block facts
const hasHost = hostBinExists();
const risc0 = hasHost ? await hostImageId().then(() => true, () => false) : false;
if (!risc0) {
  console.log(
    `SKIP receipt verification cases: zkvm-host at ${defaultHostBin()} has no risc0 backend/guest`,
  );
}

async function devProof(): Promise<ProofPayload> {
  const dir = new URL("../fixtures/inputs/", import.meta.url).pathname;
  const name = [...Deno.readDirSync(dir)].map((e) => e.name).find((n) =>
    /^bpo1-empty-block/.test(n)
  );
  const input = await readProverInput(dir + name);
  return toPayload(await runHost({ input, backend: "risc0", devMode: true }));
}

Deno.test({
  name: "receipt verifier: without the risc0 backend, risc0 proofs get verifier_unavailable",
  ignore: !hasHost || risc0,
  async fn() {
    const verify = hostReceiptVerifier({ devMode: true, log });
    const proof = {
      backend: "risc0",
      mode: "dev",
      imageId: "0x" + "11".repeat(32),
    } as ProofPayload;
    const out = await verify(proof, FACTS);
    assert.equal(out.ok, false);
    assert.equal(!out.ok && out.code, "verifier_unavailable");
  },
});

Deno.test({
  name: "receipt verifier: a dev receipt passes in dev mode, fails otherwise or when tampered",
  ignore: !risc0,
  async fn() {
    const proof = await devProof();
    const dev = hostReceiptVerifier({ devMode: true, log });
    assert.deepEqual(await dev(proof, FACTS), { ok: true });

    const strict = await hostReceiptVerifier({ devMode: false, log })(proof, FACTS);
    assert.equal(!strict.ok && strict.code, "verification_failed");
    assert.match(!strict.ok ? strict.message : "", /RISC0_DEV_MODE=0/);

    const otherImage = await dev({ ...proof, imageId: `0x${"22".repeat(32)}` }, FACTS);
    assert.match(!otherImage.ok ? otherImage.message : "", /this server trusts/);

    const flipped = proof.journal.slice(0, -2) + (proof.journal.endsWith("0") ? "1" : "0");
    const badJournal = await dev({ ...proof, journal: flipped as `0x${string}` }, FACTS);
    assert.equal(!badJournal.ok && badJournal.code, "verification_failed");
  },
});
