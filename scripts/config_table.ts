/**
 * Prints the README's configuration table from the option specs themselves, so the documentation
 * cannot drift from the code: `deno run -A scripts/config_table.ts`.
 */
import { COMMANDS } from "../lib/cli/commands/mod.ts";
import { commonOptions } from "../lib/config/common.ts";
import { flagName } from "../lib/config/load.ts";
import type { OptionSpec } from "../lib/config/spec.ts";

interface Row {
  spec: OptionSpec<unknown>;
  commands: string[];
}

/** The markdown table of every setting of every subcommand. */
export function configTable(): string {
  const rows = new Map<string, Row>();
  for (const cmd of COMMANDS) {
    for (const spec of Object.values(cmd.options) as OptionSpec<unknown>[]) {
      const id = `${spec.env ?? ""} ${flagName(spec)}`;
      const row = rows.get(id) ?? { spec, commands: [] };
      row.commands.push(cmd.name);
      rows.set(id, row);
    }
  }
  for (const spec of Object.values(commonOptions) as OptionSpec<unknown>[]) {
    rows.set(`${spec.env ?? ""} ${flagName(spec)}`, { spec, commands: ["all"] });
  }

  const cell = (s: string) => s.replaceAll("|", "\\|");
  const lines = ["| variable | flag | default | used by | meaning |", "|---|---|---|---|---|"];
  for (const { spec, commands } of rows.values()) {
    const def = spec.defaultLabel ?? spec.defaultRaw;
    lines.push(
      `| ${spec.env ? `\`${spec.env}\`` : "—"} | \`${cell(spec.flag)}\` | ${
        def !== undefined && def !== "false" ? `\`${cell(def)}\`` : "—"
      } | ${commands.join(", ")} | ${cell(spec.description)} |`,
    );
  }
  return lines.join("\n") + "\n";
}

if (import.meta.main) console.log(configTable());
