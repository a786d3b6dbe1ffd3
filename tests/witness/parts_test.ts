/** Small pieces of the witness builder: bytecode scan, header range, forks, system contracts. */
import assert from "node:assert/strict";
import type { RpcHeader } from "../../lib/rpc/eth.ts";
import { headerRange, scanCode } from "../../lib/witness/blockhash.ts";
import {
  forkAtLeast,
  forkFromChainConfig,
  forkFromEthConfig,
  forkFromHeader,
  normalizeForkName,
} from "../../lib/witness/fork.ts";
import { WitnessBuildError } from "../../lib/witness/errors.ts";
import { decideQuirks, quirksForClient } from "../../lib/witness/quirks.ts";
import { quirksChoice } from "../../lib/config/parsers.ts";
import { slotKey } from "../../lib/witness/preflight.ts";
import { encodeHeader, EncodingMismatchError, rlpInt } from "../../lib/witness/rlp.ts";
import { preBlockSystemTouches, queueContracts, queueSlots } from "../../lib/witness/system.ts";

Deno.test("scanCode finds BLOCKHASH and CREATE*, not bytes inside PUSH data", () => {
  assert.deepEqual(scanCode("0x600143034060005500"), { blockhash: true, creates: false });
  assert.deepEqual(scanCode("0x6040600055"), { blockhash: false, creates: false }); // PUSH1 0x40
  assert.deepEqual(scanCode(`0x7f${"40".repeat(32)}00`), { blockhash: false, creates: false });
  assert.deepEqual(scanCode("0x60006000f5"), { blockhash: false, creates: true });
});

Deno.test("headerRange: the parent, or every header from the oldest BLOCKHASH target up", () => {
  assert.deepEqual(headerRange(10n, []), [9n]);
  assert.deepEqual(headerRange(10n, [7n, 9n]), [9n, 8n, 7n]);
  assert.deepEqual(headerRange(0n, []), []);
});

Deno.test("fork names: node spellings, order, and what a header implies", () => {
  assert.equal(normalizeForkName("Bpo1"), "bpo1");
  assert.equal(normalizeForkName("Prague"), "prague");
  assert.equal(normalizeForkName("Merge"), "paris");
  assert.ok(forkAtLeast("osaka", "prague"));
  assert.ok(!forkAtLeast("cancun", "prague"));
  assert.ok(forkAtLeast("amsterdam", "osaka"));
  const h = {
    requestsHash: "0x01",
    difficulty: "0x0",
    baseFeePerGas: "0x1",
  } as unknown as RpcHeader;
  assert.equal(forkFromHeader(h), "prague");
  assert.equal(
    forkFromHeader({ ...h, requestsHash: undefined, blobGasUsed: "0x0" } as RpcHeader),
    "cancun",
  );
});

Deno.test("a geth chain config gives the fork at a block, and refuses forks after bpo2", () => {
  const cfg = { terminalTotalDifficulty: 0, shanghaiTime: 0, cancunTime: 0, pragueTime: 100 };
  assert.equal(forkFromChainConfig(cfg, 99n), "cancun");
  assert.equal(forkFromChainConfig(cfg, 100n), "prague");
  assert.equal(forkFromChainConfig({ terminalTotalDifficulty: 0 }, 5n), "paris");
  assert.equal(forkFromChainConfig({ londonBlock: 0 }, 5n), undefined);
  // geth 1.17's plain --dev genesis: osaka and bogota at 0
  const dev = { ...cfg, pragueTime: 0, osakaTime: 0, bogotaTime: 0 };
  assert.throws(() => forkFromChainConfig(dev, 1n), WitnessBuildError);
  assert.equal(forkFromChainConfig({ ...dev, bogotaTime: 50 }, 49n), "osaka");
  // eth_config, what geth 1.17 answers (it has no debug_chainConfig)
  const osaka = {
    activationTime: 0,
    precompiles: { P256VERIFY: "0x100", BLS12_G1ADD: "0x0b" },
    systemContracts: { BEACON_ROOTS_ADDRESS: "0x0", HISTORY_STORAGE_ADDRESS: "0x0" },
    blobSchedule: { max: 9 },
  };
  assert.equal(forkFromEthConfig(osaka, 1n), "osaka");
  assert.equal(forkFromEthConfig({ ...osaka, blobSchedule: { max: 21 } }, 1n), "bpo2");
  const bogota = {
    ...osaka,
    systemContracts: { ...osaka.systemContracts, BUILDER_EXIT_CONTRACT_ADDRESS: "0x0" },
  };
  assert.throws(() => forkFromEthConfig(bogota, 1n), WitnessBuildError);
  assert.equal(forkFromEthConfig({ ...bogota, activationTime: 10 }, 9n), "osaka");
});

Deno.test("quirks: explicit configuration, else the node-identity rule (anvil only)", () => {
  assert.deepEqual(quirksForClient("anvil/v1.7.1"), ["anvil"]);
  for (const c of ["Geth/v1.17.10-stable/linux-amd64/go1.24.4", "reth/v1.9.0", "ethrex/v6.0.0"]) {
    assert.deepEqual(quirksForClient(c), [], c);
  }
  assert.deepEqual(decideQuirks("auto", "anvil/v1.7.1"), {
    quirks: ["anvil"],
    source: "node identity",
    client: "anvil/v1.7.1",
  });
  assert.deepEqual(decideQuirks([], "anvil/v1.7.1").quirks, []);
  assert.equal(decideQuirks(["sidecarsInBody"], "reth/v1").source, "config");
  assert.equal(quirksChoice.parse("auto"), "auto");
  assert.deepEqual(quirksChoice.parse("none"), []);
  assert.deepEqual(quirksChoice.parse("anvil, sidecarsInBody"), ["anvil", "sidecarsInBody"]);
  assert.throws(() => quirksChoice.parse("no spaces"), /not a quirk name/);
});

Deno.test("system contracts: history and beacon-root slots, request queues by fork", () => {
  const header = { number: "0x2a", timestamp: "0x3e8" } as unknown as RpcHeader;
  const prague = preBlockSystemTouches("prague", header);
  assert.deepEqual(prague.get("0x0000F90827F1C53a10cb7A02335B175320002935"), [slotKey(41)]);
  assert.deepEqual(prague.get("0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02"), [
    slotKey(1000),
    slotKey(1000 + 8191),
  ]);
  assert.equal(preBlockSystemTouches("cancun", header).size, 1);
  assert.equal(queueContracts("cancun").length, 0);
  const [withdrawals] = queueContracts("osaka");
  assert.deepEqual(queueSlots(withdrawals, 2n, 3n), [slotKey(10), slotKey(11), slotKey(12)]);
  assert.equal(queueSlots(withdrawals, 0n, 100n).length, 16 * 3); // at most 16 per block
});

Deno.test("rlpInt is minimal big-endian, zero is empty", () => {
  assert.equal(rlpInt(0n), "0x");
  assert.equal(rlpInt("0x0"), "0x");
  assert.equal(rlpInt(255), "0xff");
  assert.equal(rlpInt(256n), "0x0100");
});

Deno.test("a header whose fields do not reproduce its hash is refused, naming the remedy", () => {
  const h = {
    hash: `0x${"00".repeat(32)}`,
    parentHash: `0x${"11".repeat(32)}`,
    sha3Uncles: `0x${"22".repeat(32)}`,
    miner: `0x${"33".repeat(20)}`,
    stateRoot: `0x${"44".repeat(32)}`,
    transactionsRoot: `0x${"55".repeat(32)}`,
    receiptsRoot: `0x${"66".repeat(32)}`,
    logsBloom: `0x${"00".repeat(256)}`,
    difficulty: "0x0",
    number: "0x5",
    gasLimit: "0x1c9c380",
    gasUsed: "0x0",
    timestamp: "0x1",
    extraData: "0x",
    mixHash: `0x${"77".repeat(32)}`,
    nonce: "0x0000000000000000",
  } as RpcHeader;
  assert.throws(
    () => encodeHeader(h),
    (e: Error) => e instanceof EncodingMismatchError && /debug_getRawHeader/.test(e.message),
  );
});
