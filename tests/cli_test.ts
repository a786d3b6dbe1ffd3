import assert from "node:assert/strict";
import { join } from "node:path";
import { runMain } from "./helpers/cli.ts";
import { provingEnv } from "../lib/host/mod.ts";
import { COMMANDS } from "../lib/cli/commands/mod.ts";
import type { OptionSpec } from "../lib/config/spec.ts";

Deno.test("cli: --help lists every subcommand with its summary", async () => {
  const r = await runMain(["--help"]);
  assert.equal(r.code, 0);
  assert.ok(COMMANDS.length >= 8, `only ${COMMANDS.length} subcommands registered`);
  const help = r.stdout.replace(/\s+/g, " ");
  for (const cmd of COMMANDS) {
    assert.match(help, new RegExp(`\\b${cmd.name}\\b`), `${cmd.name} missing from --help`);
  }
});

for (const cmd of COMMANDS) {
  Deno.test(`cli: ${cmd.name} --help shows every option with its env name`, async () => {
    const r = await runMain([cmd.name, "--help"]);
    assert.equal(r.code, 0, r.stderr);
    const help = r.stdout.replace(/\s+/g, " ");
    for (const spec of Object.values(cmd.options) as OptionSpec<unknown>[]) {
      const flag = spec.flag.split(" ")[0];
      assert.ok(help.includes(flag), `${cmd.name} --help lacks ${flag}`);
      if (spec.env) {
        assert.ok(help.includes(`env: ${spec.env}`), `${cmd.name} --help lacks ${spec.env}`);
      }
    }
  });
}

Deno.test("cli: subcommand --help shows defaults beside env names", async () => {
  const r = await runMain(["prover-server", "--help"]);
  assert.equal(r.code, 0);
  const help = r.stdout.replace(/\s+/g, " ");
  assert.match(help, /--listen-port <port>.*default: "3000", env: PROVER_SERVER_LISTEN_PORT/);
  assert.match(help, /--dev-mode <0\|1>.*default: "0", env: RISC0_DEV_MODE/);
});

Deno.test("cli: a bad env value exits 2 naming the variable, before starting anything", async () => {
  const r = await runMain(["prover-server"], { PROVER_SERVER_LISTEN_PORT: "abc" });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /PROVER_SERVER_LISTEN_PORT/);
  assert.equal(r.stderr.trim().split("\n").length, 1, `one line expected, got: ${r.stderr}`);
});

Deno.test("cli: unknown flags are usage errors (exit 2)", async () => {
  const r = await runMain(["prover-client", "--no-such-flag"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown option '--no-such-flag'/);
});

Deno.test("cli: .env file is read, the environment wins over it, --print-config redacts", async () => {
  const dir = await Deno.makeTempDir();
  const key = "0x" + "5a".repeat(32);
  await Deno.writeTextFile(
    join(dir, ".env"),
    `PROVER_SERVER_LISTEN_PORT=4100\nPROVER_SERVER_LISTEN_IP=0.0.0.0\nPROVER_SERVER_VERIFIER_PRIVATE_KEY=${key}\n`,
  );
  const r = await runMain(["prover-server", "--print-config"], {
    PROVER_SERVER_LISTEN_IP: "127.0.0.2",
  }, { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /PROVER_SERVER_LISTEN_PORT.*4100.*\[env-file\]/);
  assert.match(r.stdout, /PROVER_SERVER_LISTEN_IP\s+127\.0\.0\.2\s+\[env\]/);
  assert.match(r.stdout, /<redacted>/);
  assert.ok(!r.stdout.includes("5a5a") && !r.stderr.includes("5a5a"), "key leaked");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("cli: an --env-file that does not exist is a config error", async () => {
  const r = await runMain(["prover-client", "--env-file", "/nonexistent/.env", "--print-config"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--env-file: cannot read '\/nonexistent\/.env'/);
});

Deno.test("cli: proving knobs are checked at the edge and reach zkvm-host's environment", async () => {
  const bad = await runMain(["prover-client"], { ZKVM_SEGMENT_PO2: "23" });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /ZKVM_SEGMENT_PO2/);

  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    join(dir, ".env"),
    "BONSAI_API_KEY=k-from-dotenv\nZKVM_SEGMENT_PO2=22\n",
  );
  const r = await runMain(["prover-client", "--print-config"], {}, { cwd: dir });
  await Deno.remove(dir, { recursive: true });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /ZKVM_SEGMENT_PO2 .*\b22\b/);
  assert.match(r.stdout, /BONSAI_API_KEY .*<redacted>/);
  assert.doesNotMatch(r.stdout, /k-from-dotenv/, "the Bonsai key is a secret");
  assert.deepEqual(
    provingEnv({ segmentPo2: 22, bonsaiApiUrl: "http://127.0.0.1:1", bonsaiApiKey: "k" }),
    { ZKVM_SEGMENT_PO2: "22", BONSAI_API_URL: "http://127.0.0.1:1", BONSAI_API_KEY: "k" },
  );
  assert.deepEqual(provingEnv({}), {});
});
