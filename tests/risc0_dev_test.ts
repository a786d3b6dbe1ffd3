/**
 * The risc0 backend in dev mode (RISC0_DEV_MODE=1: the guest really runs in the zkVM, the receipt
 * is fake): every scenario fixture must give a journal byte-identical to the exec backend's.
 * Needs zkvm-host built with the risc0 feature and the guest (make host-risc0 guest); otherwise
 * every case is skipped with the reason printed.
 */
import assert from "node:assert/strict";
import {
  BackendUnavailableError,
  defaultHostBin,
  hostBinExists,
  hostImageId,
  mockSeal,
  runHost,
} from "../lib/host/mod.ts";
import { loadFixtures } from "../lib/perf/fixtures.ts";

const FIXTURES = new URL("./fixtures/inputs/", import.meta.url).pathname;

async function risc0Unavailable(): Promise<string | undefined> {
  const bin = defaultHostBin();
  if (!hostBinExists(bin)) return `no zkvm-host at ${bin} (make setup)`;
  try {
    await hostImageId(bin);
    return undefined;
  } catch (e) {
    return `zkvm-host has no risc0 backend or guest (${
      (e as Error).message
    }): make guest host-risc0`;
  }
}

const reason = await risc0Unavailable();
if (reason) console.log(`SKIP risc0 dev-mode tests: ${reason}`);
const fixtures = await loadFixtures(FIXTURES);

for (const fx of fixtures) {
  Deno.test({
    name: `risc0 dev mode: ${fx.name} commits the exec backend's journal`,
    ignore: reason !== undefined,
    async fn() {
      const exec = await runHost({ input: fx.input, backend: "exec" });
      const dev = await runHost({ input: fx.input, backend: "risc0", devMode: true });
      assert.equal(dev.backend, "risc0");
      assert.equal(dev.mode, "dev");
      assert.equal(dev.journal, exec.journal, "journal differs between zkVM and native run");
      // Inputs with quirks run on the dev guest (the settlement guest refuses them).
      const quirks = (fx.input.quirks?.length ?? 0) > 0;
      assert.equal(dev.imageId, await hostImageId(undefined, { dev: quirks }));
      // the mock verifier's seal: 0xFFFFFFFF ‖ claimDigest(imageId, sha256(journal)), the one
      // the exec backend computes without risc0 (it names the built guest's image id too)
      assert.equal(dev.seal, mockSeal(dev.imageId!, dev.journal));
      assert.equal(dev.seal, exec.seal, "exec and dev mode make the same mock seal");
      assert.ok((dev.cycles.total ?? 0) > 0 && dev.segments > 0, "no cycles reported");
      assert.deepEqual(dev.block, exec.block);
    },
  });
}

// A ZKVM_OFFLINE build (CI's) has no recursion programs: a succinct receipt must be refused
// before any proving starts, not after the composite proof (half an hour on CI's 2 cores).
const offline = Deno.env.get("ZKVM_OFFLINE");
if (!reason && !offline) {
  console.log(
    "SKIP recursion refusal test: ZKVM_OFFLINE is unset, so this host may prove for real",
  );
}
Deno.test({
  name: "risc0 offline build: a succinct receipt is refused up front (RecursionUnavailable)",
  ignore: reason !== undefined || !offline,
  async fn() {
    const started = performance.now();
    await assert.rejects(
      runHost({ input: fixtures[0].input, backend: "risc0", devMode: false, receipt: "succinct" }),
      (e: unknown) =>
        e instanceof BackendUnavailableError && e.exitCode === 4 &&
        e.info?.code === "RecursionUnavailable" && /--receipt composite/.test(e.message),
    );
    assert.ok(performance.now() - started < 30_000, "refused only after proving had started");
  },
});

// The guest's accelerated crypto (risc0-crypto-evm, keccak) links only for the zkVM, so its
// edge cases are compared with revm's and alloy's software inside it: `make guest` builds a
// second program for that (zkvm/guest/program/src/bin/crypto_check.rs).
const CRYPTO_CHECK = new URL("../zkvm/guest/out/crypto-check/guest.bin", import.meta.url).pathname;
const noCryptoCheck = reason ??
  (await Deno.stat(CRYPTO_CHECK).then(() => undefined, () => `no ${CRYPTO_CHECK} (make guest)`));
if (!reason && noCryptoCheck) console.log(`SKIP crypto check: ${noCryptoCheck}`);
Deno.test({
  name: "risc0 dev mode: accelerated crypto equals revm's software on every edge case",
  ignore: noCryptoCheck !== undefined,
  async fn() {
    const r = await runHost({
      input: fixtures[0].input,
      backend: "risc0",
      devMode: true,
      // The fixture has quirks, so the host loads the dev guest's path: point both at the check.
      env: { ZKVM_GUEST_PATH: CRYPTO_CHECK, ZKVM_DEV_GUEST_PATH: CRYPTO_CHECK },
    });
    const phases = r.cycles.phases as Record<string, number>;
    // A mismatch makes the check program reject (CryptoMismatch, naming the case) instead.
    assert.ok(phases.checked >= 400, `only ${phases.checked} cases checked`);
    assert.ok(phases.declined < phases.checked, "the accelerator declined every case");
  },
});
