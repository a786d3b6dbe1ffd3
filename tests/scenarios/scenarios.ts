/**
 * The scenario blocks: each scenario mines one or more multi-transaction blocks on a
 * ScenarioChain that exercise one family of state changes. The suite runs them at several forks;
 * every block they mine must execute statelessly to the node's post-state root.
 */
import { type Address, type Hex, keccak256, pad, toHex } from "viem";
import { forkAtLeast } from "../../lib/witness/fork.ts";
import { calldata, type ScenarioChain } from "./chain.ts";
import { precompileCalls } from "./precompiles.ts";

/** One scenario. */
export interface Scenario {
  readonly name: string;
  /** Oldest fork the scenario needs. */
  readonly minFork?: "cancun" | "prague" | "osaka";
  /** Mines the scenario's blocks; returns the blocks worth keeping as fixtures. */
  run(chain: ScenarioChain, fork: string): Promise<bigint[]>;
}

const fresh = (tag: number, i: number) => pad(toHex(tag * 0x10000 + i), { size: 20 }) as Address;

async function expectSuccess(chain: ScenarioChain, hashes: Hex[], failing: Hex[] = []) {
  for (const h of hashes) {
    const ok = await chain.succeeded(h);
    if (ok === failing.includes(h)) {
      throw new Error(
        `transaction ${h} ${ok ? "succeeded" : "failed"} against the scenario's intent`,
      );
    }
  }
}

/** Every scenario, in the order the suite runs them. */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: "transfers",
    async run(chain) {
      const hs = [
        await chain.send({ from: 0, to: fresh(1, 1), value: 10n ** 18n, kind: "legacy" }),
        await chain.send({ from: 1, to: fresh(1, 2), value: 1n, kind: "eip2930" }),
        await chain.send({
          from: 2,
          to: fresh(1, 3),
          value: 12345n,
          kind: "eip2930",
          gas: 30_000n,
          accessList: [{ address: fresh(1, 4), storageKeys: [pad("0x01", { size: 32 })] }],
        }),
        await chain.send({ from: 3, to: fresh(1, 5), value: 2n * 10n ** 18n }),
        await chain.send({ from: 0, to: chain.address(5), value: 3n }),
        // zero value to a new address: touched, stays empty, so never enters the trie
        await chain.send({ from: 1, to: fresh(1, 6), value: 0n }),
        await chain.send({ from: 2, to: fresh(1, 1), value: 5n, kind: "legacy" }),
        await chain.send({ from: 3, to: chain.address(0), value: 7n }),
      ];
      const n = await chain.mine();
      await expectSuccess(chain, hs);
      // anvil left the zero-value recipient in its trie as an empty account; touching it again
      // makes a spec executor remove it (EIP-161): an account-trie deletion.
      const again = [
        await chain.send({ from: 2, to: fresh(1, 6), value: 0n }),
        await chain.send({ from: 3, to: fresh(1, 7), value: 9n }),
      ];
      const touchedAgain = await chain.mine();
      await expectSuccess(chain, again);
      return [n, touchedAgain];
    },
  },
  {
    name: "storage",
    async run(chain) {
      const store = await chain.deploy("Store");
      const a = [
        await chain.send({ to: store, data: calldata("Store", "fill", [0n, 24n, 1n]) }),
        await chain.send({ from: 1, to: store, data: calldata("Store", "push", [6n]) }),
        await chain.send({ from: 2, to: store, data: calldata("Store", "set", [1000n, 5n]) }),
        await chain.send({
          from: 3,
          to: store,
          data: calldata("Store", "writeAndRevert", [1n]),
          gas: 200_000n,
        }),
      ];
      const filled = await chain.mine();
      await expectSuccess(chain, a, [a[3]]);
      // Clear all but one key: branches collapse all the way up the storage trie.
      const b = [
        await chain.send({ to: store, data: calldata("Store", "clear", [0n, 23n]) }),
        await chain.send({ from: 1, to: store, data: calldata("Store", "pop", [4n]) }),
        await chain.send({ from: 2, to: store, data: calldata("Store", "fill", [100n, 3n, 7n]) }),
      ];
      const cleared = await chain.mine();
      await expectSuccess(chain, b);
      // A storage trie cleared completely.
      const small = await chain.deploy("Store");
      await chain.send({ to: small, data: calldata("Store", "fill", [0n, 4n, 1n]) });
      await chain.mine();
      const c = [
        await chain.send({ to: small, data: calldata("Store", "clear", [0n, 4n]) }),
        await chain.send({ from: 1, to: store, data: calldata("Store", "pop", [2n]) }),
      ];
      const emptied = await chain.mine();
      await expectSuccess(chain, c);
      return [filled, cleared, emptied];
    },
  },
  {
    name: "create2-selfdestruct",
    async run(chain) {
      const factory = await chain.deploy("Factory");
      const a = [
        await chain.send({
          to: factory,
          data: calldata("Factory", "create2", [keccak256(toHex("one")), 11n]),
          value: 1000n,
          gas: 1_000_000n,
        }),
        await chain.send({
          from: 1,
          to: factory,
          data: calldata("Factory", "create", [12n]),
          gas: 1_000_000n,
        }),
        await chain.send({
          from: 2,
          to: factory,
          data: calldata("Factory", "createAndDestroy", [keccak256(toHex("two"))]),
          value: 5n,
          gas: 1_000_000n,
        }),
      ];
      const created = await chain.mine();
      await expectSuccess(chain, a);
      const child = `0x${
        (await chain.call(factory, calldata("Factory", "last"))).slice(26)
      }` as Address;
      // An older contract self-destructs: since Cancun it only hands over its balance.
      const b = [
        await chain.send({
          to: child,
          data: calldata("Child", "destroy", [fresh(3, 1)]),
          gas: 200_000n,
        }),
        await chain.send({
          from: 1,
          to: factory,
          data: calldata("Factory", "create2", [keccak256(toHex("three")), 13n]),
          gas: 1_000_000n,
        }),
      ];
      const destroyed = await chain.mine();
      await expectSuccess(chain, b);
      return [created, destroyed];
    },
  },
  {
    name: "blockhash",
    async run(chain) {
      const hashes = await chain.deploy("Hashes");
      for (let i = 0; i < 16; i++) {
        await chain.send({ from: 4, to: fresh(4, i), value: 1n });
        await chain.mine();
      }
      const h = await chain.send({
        to: hashes,
        data: calldata("Hashes", "record", [[1n, 2n, 3n, 7n, 15n]]),
      });
      const n = await chain.mine();
      await expectSuccess(chain, [h]);
      return [n];
    },
  },
  {
    name: "precompiles",
    async run(chain, fork) {
      const caller = await chain.deploy("Caller");
      const calls = await precompileCalls(fork);
      for (const c of calls) {
        const out = await chain.call(caller, calldata("Caller", "probe", [c.address, c.input]));
        // probe returns (bool ok, bytes out): word 0 is ok
        if (BigInt(out.slice(0, 66)) !== 1n) {
          throw new Error(`precompile ${c.name} rejected its input`);
        }
      }
      const hs: Hex[] = [];
      for (let i = 0; i < calls.length; i += 6) {
        const part = calls.slice(i, i + 6);
        hs.push(
          await chain.send({
            from: (i / 6) % 4,
            to: caller,
            data: calldata("Caller", "run", [part.map((c) => c.address), part.map((c) => c.input)]),
            gas: 3_000_000n,
          }),
        );
      }
      const n = await chain.mine();
      await expectSuccess(chain, hs);
      return [n];
    },
  },
  {
    name: "transient-storage",
    async run(chain) {
      const t = await chain.deploy("Transient");
      const hs = [
        await chain.send({ to: t, data: calldata("Transient", "roundTrip", [5n]) }),
        await chain.send({ from: 1, to: t, data: calldata("Transient", "readBack") }),
      ];
      const n = await chain.mine();
      await expectSuccess(chain, hs);
      return [n];
    },
  },
  {
    name: "tx-types",
    async run(chain, fork) {
      const store = await chain.deploy("Store");
      const delegate = forkAtLeast(fork, "prague") ? await chain.deploy("Delegate") : undefined;
      const slot0 = keccak256(`0x${"00".repeat(31)}07${"00".repeat(32)}` as Hex);
      const hs = [
        await chain.send({ kind: "legacy", to: store, data: calldata("Store", "set", [7n, 1n]) }),
        await chain.send({
          from: 1,
          kind: "eip2930",
          to: store,
          data: calldata("Store", "set", [7n, 2n]),
          accessList: [{ address: store, storageKeys: [slot0] }],
        }),
        await chain.send({
          from: 2,
          kind: "eip1559",
          to: store,
          data: calldata("Store", "set", [8n, 3n]),
        }),
      ];
      if (delegate) {
        hs.push(
          await chain.send({
            from: 3,
            kind: "eip7702",
            to: chain.address(4),
            data: calldata("Delegate", "bump"),
            authorities: [4, 5],
            delegateTo: delegate,
            gas: 300_000n,
          }),
        );
      }
      const n = await chain.mine();
      await expectSuccess(chain, hs);
      return [n];
    },
  },
  {
    name: "blob-tx",
    async run(chain) {
      const hs = [
        await chain.send({ kind: "eip4844", to: fresh(7, 1), value: 5n, gas: 50_000n }),
        await chain.send({ from: 1, to: fresh(7, 2), value: 6n }),
      ];
      const n = await chain.mine();
      await expectSuccess(chain, hs);
      return [n];
    },
  },
  {
    name: "busy-block",
    async run(chain) {
      const store = await chain.deploy("Store");
      const hs: Hex[] = [];
      for (let i = 0; i < 120; i++) {
        // geth (on-demand sealing): one sender, whose transactions its pool promotes at once,
        // into one block; not account 4 or 5, which tx-types delegates (EIP-7702): geth's pool
        // keeps at most one transaction in flight per delegated account. anvil: six senders.
        const from = chain.kind === "geth" ? 6 : i % 6;
        hs.push(
          i % 3 === 2
            ? await chain.send({
              from,
              to: store,
              data: calldata("Store", "fill", [BigInt(i * 10), 4n, 3n]),
              gas: 200_000n,
            })
            : await chain.send({
              from,
              to: fresh(6, i),
              value: BigInt(i + 1),
              kind: i % 2 ? "eip1559" : "legacy",
            }),
        );
      }
      const n = await chain.mine();
      await expectSuccess(chain, hs);
      return [n];
    },
  },
  {
    name: "empty-block",
    async run(chain) {
      return [await chain.mine()];
    },
  },
];

/** The scenarios that run at `fork`. */
export function scenariosFor(fork: string): Scenario[] {
  return SCENARIOS.filter((s) => !s.minFork || forkAtLeast(fork, s.minFork));
}
