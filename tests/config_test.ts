import assert from "node:assert/strict";
import { ConfigError } from "../lib/config/errors.ts";
import { formatSettings, loadConfig } from "../lib/config/load.ts";
import { dataDir, l1Settlement, serverListen } from "../lib/config/options.ts";
import { byteSize, durationMs, endpoint, privateKey } from "../lib/config/parsers.ts";

const specs = { ...serverListen, ...l1Settlement, ...dataDir };
const KEY = "0x" + "ab".repeat(32);

Deno.test("config: flag beats env beats .env file beats default", () => {
  const sources = {
    flags: { listenPort: "4001" },
    env: { PROVER_SERVER_LISTEN_PORT: "4002", PROVER_SERVER_LISTEN_IP: "0.0.0.0" },
    envFile: {
      PROVER_SERVER_LISTEN_PORT: "4003",
      PROVER_SERVER_LISTEN_IP: "10.0.0.1",
      PROVER_DATA_DIR: "/tmp/from-file",
    },
  };
  const { config, settings } = loadConfig(specs, sources);
  assert.equal(config.listenPort, 4001);
  assert.equal(config.listenIp, "0.0.0.0");
  assert.equal(config.dataDir, "/tmp/from-file");
  assert.equal(config.onChainProposer, undefined);
  const sourceOf = (k: string) => settings.find((s) => s.key === k)?.source;
  assert.equal(sourceOf("listenPort"), "flag");
  assert.equal(sourceOf("listenIp"), "env");
  assert.equal(sourceOf("dataDir"), "env-file");
  assert.equal(loadConfig(specs, { flags: {}, env: {}, envFile: {} }).config.listenPort, 3000);
});

Deno.test("config: a bad env value names the variable and the expected form", () => {
  assert.throws(
    () => loadConfig(specs, { flags: {}, env: { PROVER_SERVER_LISTEN_PORT: "abc" }, envFile: {} }),
    (e: unknown) =>
      e instanceof ConfigError && e.setting === "PROVER_SERVER_LISTEN_PORT" &&
      /not an integer/.test(e.message) && /TCP port/.test(e.message),
  );
  assert.throws(
    () => loadConfig(specs, { flags: {}, env: {}, envFile: { ON_CHAIN_PROPOSER_ADDRESS: "0x12" } }),
    (e: unknown) => e instanceof ConfigError && /ON_CHAIN_PROPOSER_ADDRESS/.test(e.message),
  );
});

Deno.test("config: secrets are redacted in the printed config and in errors", () => {
  const { config, settings } = loadConfig(specs, {
    flags: {},
    env: { PROVER_SERVER_VERIFIER_PRIVATE_KEY: KEY },
    envFile: {},
  });
  assert.equal(config.verifierPrivateKey, KEY);
  const text = formatSettings(settings);
  assert.ok(text.includes("<redacted>"));
  assert.ok(!text.includes("abab"));
  const bad = "0x" + "cd".repeat(31);
  assert.throws(
    () =>
      loadConfig(specs, {
        flags: {},
        env: { PROVER_SERVER_VERIFIER_PRIVATE_KEY: bad },
        envFile: {},
      }),
    (e: unknown) => e instanceof ConfigError && !e.message.includes("cdcd"),
  );
});

Deno.test("config: the private key flag reads a file, never takes the key itself", () => {
  const file = Deno.makeTempFileSync();
  Deno.writeTextFileSync(file, KEY + "\n");
  const { config } = loadConfig(specs, {
    flags: { verifierPrivateKey: file },
    env: {},
    envFile: {},
  });
  assert.equal(config.verifierPrivateKey, KEY);
  Deno.removeSync(file);
  assert.throws(
    () => loadConfig(specs, { flags: { verifierPrivateKey: file }, env: {}, envFile: {} }),
    /--verifier-private-key-file: cannot read/,
  );
});

Deno.test("parsers: durations, sizes, endpoints, keys", () => {
  assert.equal(durationMs.parse("10m"), 600_000);
  assert.equal(durationMs.parse("1500"), 1500);
  assert.equal(durationMs.parse("2.5s"), 2500);
  assert.throws(() => durationMs.parse("soon"));
  assert.equal(byteSize.parse("64MiB"), 64 * 1024 * 1024);
  assert.equal(byteSize.parse("512k"), 512 * 1024);
  assert.deepEqual(endpoint.parse("[::1]:3000"), { host: "::1", port: 3000 });
  assert.deepEqual(endpoint.parse("10.1.2.3:3001"), { host: "10.1.2.3", port: 3001 });
  assert.throws(() => endpoint.parse("localhost"));
  assert.equal(privateKey.parse("ab".repeat(32)), KEY);
});
