/** Prints the fault matrix rows (JSON lines from tests/helpers/fault_matrix.ts) as a table. */
const path = Deno.args[0];
const rows = (await Deno.readTextFile(path).catch(() => "")).split("\n").filter((l) => l.trim())
  .map((l) =>
    JSON.parse(l) as {
      fault: string;
      expected: string;
      observed: string;
      ok: boolean;
      skipped?: boolean;
    }
  );
rows.sort((a, b) => a.fault.localeCompare(b.fault));
const head = ["case", "expected", "observed", "held"];
const cells = rows.map((r) => [
  r.fault,
  r.expected,
  r.observed,
  r.skipped ? "skipped" : r.ok ? "yes" : "NO",
]);
const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(width[i])).join(" | ")} |`;
console.log(line(head));
console.log(`|${width.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const c of cells) console.log(line(c));
const failed = rows.filter((r) => !r.ok).length;
const skipped = rows.filter((r) => r.skipped).length;
console.log(
  `\nfault matrix: ${rows.length} cases, ${rows.length - failed - skipped} held, ${failed} ` +
    `failed, ${skipped} skipped`,
);
if (failed) Deno.exit(1);
