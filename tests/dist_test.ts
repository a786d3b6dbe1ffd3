/**
 * The GPU box's single binary (issue 17): the CLI never depends on the working directory or the
 * checkout's layout, `make build` without a Deno runtime stops at once with one line, and
 * `make dist` lays out a release folder whose files check against their SHA-256 sums.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO_ROOT, runMain } from "./helpers/cli.ts";
import { defaultHostBin, hostBinExists, resolveHostBin } from "../lib/host/bin.ts";

const HOST = defaultHostBin();
const haveHost = hostBinExists(HOST);
const noHost = `SKIP: no zkvm-host at ${HOST} (make setup)`;

/** Runs a command with `cwd`, returning its exit code and output. */
async function sh(cmd: string, args: string[], env: Record<string, string>, cwd = REPO_ROOT) {
  const out = await new Deno.Command(cmd, { args, env, cwd, stdin: "null" }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("outside the checkout: --help, --version, execute --input and perf-test run from any directory", async (t) => {
  const cwd = await Deno.makeTempDir({ prefix: "l2p-elsewhere-" });
  try {
    await t.step("--help", async () => {
      const r = await runMain(["--help"], {}, { cwd });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /perf-test/);
    });
    await t.step(
      "deploy --help, and the contract artifacts it deploys are compiled in",
      async () => {
        const r = await runMain(["deploy", "--help"], {}, { cwd });
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /ETH_RPC_URL/);
        const { OnChainProposer } = await import("../contracts/build/artifacts.ts");
        assert.match(OnChainProposer.bytecode, /^0x[0-9a-f]{200,}$/);
        assert.ok(OnChainProposer.abi.some((e) => "name" in e && e.name === "verifyBatches"));
      },
    );
    if (!haveHost) {
      console.log(noHost);
      return;
    }
    await t.step("--version names the CLI, Deno, the host it found and how", async () => {
      const r = await runMain(["--version"], {}, { cwd });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^l2-prover\s+\d+\.\d+\.\d+/m);
      assert.match(
        r.stdout,
        new RegExp(`^deno\\s+${Deno.version.deno.replaceAll(".", "\\.")}$`, "m"),
      );
      assert.match(
        r.stdout,
        /^zkvm-host\s+\d+\.\d+\.\d+ \[exec[^\]]*\] at .*zkvm-host \(checkout build\)$/m,
      );
      assert.match(r.stdout, /^commit\s+[0-9a-f]{7,}/m);
    });
    await t.step("execute --input with a path relative to that directory", async () => {
      const fixture = "cancun-transfers-2.json";
      await Deno.copyFile(join(REPO_ROOT, "tests/fixtures/inputs", fixture), join(cwd, fixture));
      const r = await runMain(["execute", "--input", fixture, "--json"], {}, { cwd });
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { ok?: boolean; postStateRoot?: string };
      assert.equal(out.ok, true, `unexpected execute output: ${r.stdout}`);
      assert.match(out.postStateRoot ?? "", /^0x[0-9a-f]{64}$/);
    });
    await t.step("perf-test --backend exec finds the shipped fixtures", async () => {
      const r = await runMain(["perf-test", "--backend", "exec", "--only", "transfers"], {}, {
        cwd,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout + r.stderr, /cancun-transfers-2/);
      assert.doesNotMatch(r.stderr, /no fixtures/);
    });
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("host binary: ZKVM_HOST_BIN, then beside a compiled executable, then the checkout", () => {
  const none = { get: () => undefined };
  assert.deepEqual(
    resolveHostBin({ env: { get: (k) => (k === "ZKVM_HOST_BIN" ? "/opt/h" : undefined) } }),
    { path: "/opt/h", source: "ZKVM_HOST_BIN" },
  );
  assert.deepEqual(
    resolveHostBin({ env: none, compiled: true, executableDir: "/opt/rel", exists: () => true }),
    { path: "/opt/rel/zkvm-host", source: "next to the executable" },
  );
  const fallback = resolveHostBin({
    env: none,
    compiled: true,
    executableDir: "/opt/rel",
    exists: () => false,
  });
  assert.equal(fallback.source, "checkout build");
  assert.match(fallback.path, /zkvm\/target\/release\/zkvm-host$/);
  // Not compiled (deno run): the deno binary's directory is never searched.
  assert.equal(
    resolveHostBin({ env: none, compiled: false, executableDir: "/x", exists: () => true }).source,
    "checkout build",
  );
});

Deno.test("make build without a Deno runtime stops with one line naming DENORT_BIN", async () => {
  const denoDir = await Deno.makeTempDir();
  try {
    const r = await sh("bash", ["scripts/build.sh", "build"], {
      DENORT_DOWNLOAD: "0",
      DENO_DIR: denoDir,
      DENORT_BIN: "",
    });
    assert.equal(r.code, 4, r.stderr);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, `one line expected, got: ${r.stderr}`);
    assert.match(lines[0], /DENORT_BIN/);
    assert.match(lines[0], /machine with internet/);
    const bad = await sh("bash", ["scripts/build.sh", "build"], {
      DENORT_BIN: "/nonexistent/denort",
    });
    assert.equal(bad.code, 4);
    assert.match(bad.stderr, /DENORT_BIN=\/nonexistent\/denort is not an executable file/);
  } finally {
    await Deno.remove(denoDir, { recursive: true });
  }
});

Deno.test("make dist: release folder with the host kind in its name, and sums that check", async () => {
  if (!haveHost) {
    console.log(noHost);
    return;
  }
  const out = await Deno.makeTempDir({ prefix: "l2p-dist-" });
  try {
    // A compiled CLI cannot be made here (no denort): package a stand-in executable instead, as
    // L2_PROVER_BIN lets an operator package one compiled elsewhere.
    const exe = join(out, "prebuilt-l2-prover");
    await Deno.writeTextFile(exe, "#!/bin/sh\necho stand-in\n", { mode: 0o755 });
    const r = await sh("bash", ["scripts/build.sh", "dist"], {
      L2_PROVER_BIN: exe,
      DIST_DIR: out,
      ZKVM_HOST_BIN: HOST,
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    });
    assert.equal(r.code, 0, r.stderr);
    const folders = [...Deno.readDirSync(out)].filter((e) => e.isDirectory).map((e) => e.name);
    assert.equal(folders.length, 1, `one release folder expected: ${folders}`);
    const name = folders[0];
    assert.match(name, /^l2-prover-\d+\.\d+\.\d+-linux-[a-z0-9_]+-(exec|cpu|cuda)$/);
    const dir = join(out, name);
    const files = new Set([...Deno.readDirSync(dir)].map((e) => e.name));
    for (const f of ["l2-prover", "zkvm-host", ".env.example", "README.md", "SHA256SUMS"]) {
      assert.ok(files.has(f), `${f} missing from ${[...files]}`);
    }
    if (!name.endsWith("-exec")) assert.ok(files.has("guest.bin") && files.has("image-id.txt"));
    const check = await sh("sha256sum", ["-c", "SHA256SUMS"], {}, dir);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    // A tampered file fails the check: the sums cover what ships.
    await Deno.writeTextFile(join(dir, "README.md"), "tampered\n", { append: true });
    assert.notEqual((await sh("sha256sum", ["-c", "SHA256SUMS"], {}, dir)).code, 0);
    const tar = await sh("tar", ["tzf", `${dir}.tar.gz`], {});
    assert.equal(tar.code, 0, tar.stderr);
    assert.match(tar.stdout, new RegExp(`^${name}/zkvm-host$`, "m"));
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
