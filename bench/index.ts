/**
 * The index page of a benchmark folder (`make bench` ends with it): bench-reports/index.md,
 * newest first, one section per benchmark kind, linking each JSON/Markdown report and embedding
 * its chart where it has one.
 *
 *   deno run -A bench/index.ts [dir]
 */
import { join } from "node:path";

/** A report file set: the JSON, and its Markdown and SVG siblings where present. */
interface Entry {
  readonly kind: string;
  readonly stem: string;
  readonly files: string[];
}

/** Builds the index Markdown of `dir`'s report files. */
export async function benchIndex(dir: string): Promise<string> {
  const stems = new Map<string, Entry>();
  for await (const e of Deno.readDir(dir)) {
    if (!e.isFile || e.name.startsWith("index.")) continue;
    const m = e.name.match(/^(.*)\.(json|md|svg|jsonl)$/);
    if (!m) continue;
    const stem = m[1];
    const kind = stem.replace(/-\d{4}-\d{2}-\d{2}T.*$/, "");
    const entry = stems.get(stem) ?? { kind, stem, files: [] };
    entry.files.push(e.name);
    stems.set(stem, entry);
  }
  const byKind = new Map<string, Entry[]>();
  for (const e of stems.values()) byKind.set(e.kind, [...(byKind.get(e.kind) ?? []), e]);
  const lines = [`# Benchmark reports`, "", `${stems.size} reports in ${dir}, newest first.`, ""];
  for (const [kind, entries] of [...byKind].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`## ${kind}`, "");
    for (const e of entries.sort((a, b) => b.stem.localeCompare(a.stem))) {
      const links = e.files.sort().map((f) => `[${f.split(".").pop()}](${f})`).join(" · ");
      lines.push(`- ${e.stem}: ${links}`);
    }
    const newest = entries[0];
    const svg = newest.files.find((f) => f.endsWith(".svg"));
    if (svg) lines.push("", `![${newest.stem}](${svg})`);
    lines.push("");
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const dir = Deno.args[0] ?? "bench-reports";
  const path = join(dir, "index.md");
  await Deno.writeTextFile(path, await benchIndex(dir));
  console.log(`index: ${path}`);
}
