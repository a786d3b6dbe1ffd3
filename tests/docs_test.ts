import assert from "node:assert/strict";
import { configTable } from "../scripts/config_table.ts";
import { readmeTable, tableCells } from "../scripts/readme_config.ts";
import { COMMANDS } from "../lib/cli/commands/mod.ts";
import { commonOptions } from "../lib/config/common.ts";
import type { OptionSpec } from "../lib/config/spec.ts";

const root = new URL("../", import.meta.url);

function envNames(): Set<string> {
  const names = new Set<string>();
  const specs = [
    ...COMMANDS.flatMap((c) => Object.values(c.options)),
    ...Object.values(commonOptions),
  ];
  for (const s of specs as OptionSpec<unknown>[]) if (s.env) names.add(s.env);
  return names;
}

Deno.test("docs: README's configuration table equals the option specs (run `make docs`)", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", root));
  assert.deepEqual(tableCells(readmeTable(readme)), tableCells(configTable()));
});

Deno.test("docs: .env.example documents every environment variable the CLI reads", async () => {
  const example = await Deno.readTextFile(new URL(".env.example", root));
  const missing = [...envNames()].filter((n) => !new RegExp(`^#? ?${n}=`, "m").test(example));
  assert.deepEqual(missing, [], `not in .env.example: ${missing.join(", ")}`);
});

Deno.test("config: every environment variable has one spec (same flag, default, parser, text)", () => {
  const byEnv = new Map<string, { command: string; spec: OptionSpec<unknown> }[]>();
  const add = (command: string, spec: OptionSpec<unknown>) => {
    if (spec.env) byEnv.set(spec.env, [...(byEnv.get(spec.env) ?? []), { command, spec }]);
  };
  for (const c of COMMANDS) {
    for (const s of Object.values(c.options)) add(c.name, s as OptionSpec<unknown>);
  }
  for (const s of Object.values(commonOptions)) add("(common)", s as OptionSpec<unknown>);
  const disagreeing: string[] = [];
  for (const [env, uses] of byEnv) {
    const [first] = uses;
    for (const u of uses.slice(1)) {
      const a = first.spec, b = u.spec;
      if (
        a.flag !== b.flag || a.defaultRaw !== b.defaultRaw || a.parser !== b.parser ||
        a.description !== b.description || a.secret !== b.secret
      ) {
        disagreeing.push(
          `${env}: ${first.command} (${a.flag}=${a.defaultRaw}) vs ${u.command} (${b.flag}=${b.defaultRaw})`,
        );
      }
    }
  }
  assert.deepEqual(disagreeing, []);
});
