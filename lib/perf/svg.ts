/**
 * Small self-contained SVG charts for the perf reports (no library: a report must open in any
 * browser or Markdown viewer, offline). Horizontal bars per fixture, and a line per trend.
 */

/** One bar: a label and a value (null: not measured, drawn as a gap). */
export interface Bar {
  readonly label: string;
  readonly value: number | null;
}

/** A panel of horizontal bars with a title and a unit. */
export interface BarPanel {
  readonly title: string;
  readonly unit: string;
  readonly bars: readonly Bar[];
}

const ROW = 18, LABEL_W = 230, BAR_W = 360, PAD = 10, TITLE_H = 24;

/** Renders panels side by side, one row per fixture. */
export function barChartSvg(panels: readonly BarPanel[]): string {
  const rows = Math.max(0, ...panels.map((p) => p.bars.length));
  const panelW = LABEL_W + BAR_W + 80;
  const width = PAD * 2 + panels.length * panelW;
  const height = PAD * 2 + TITLE_H + rows * ROW;
  const parts: string[] = [];
  panels.forEach((p, i) => {
    const x0 = PAD + i * panelW;
    const max = Math.max(0, ...p.bars.map((b) => b.value ?? 0));
    parts.push(text(x0, PAD + 14, `${p.title} (${p.unit})`, "bold"));
    p.bars.forEach((b, r) => {
      const y = PAD + TITLE_H + r * ROW;
      parts.push(text(x0, y + 12, b.label));
      if (b.value === null) {
        parts.push(text(x0 + LABEL_W, y + 12, "-"));
        return;
      }
      const w = max > 0 ? Math.max(1, (b.value / max) * BAR_W) : 1;
      parts.push(
        `<rect x="${x0 + LABEL_W}" y="${y + 2}" width="${w.toFixed(1)}" height="${
          ROW - 5
        }" fill="#4878a8"/>`,
      );
      parts.push(text(x0 + LABEL_W + w + 4, y + 12, short(b.value)));
    });
  });
  return svg(width, height, parts);
}

/** One series of a trend chart: a name and (x label, value) points in order. */
export interface Series {
  readonly name: string;
  readonly points: readonly { readonly x: string; readonly y: number }[];
}

/** Renders a line chart of `series` over shared x labels (runs in order). */
export function lineChartSvg(title: string, unit: string, series: readonly Series[]): string {
  const width = 720, height = 320, left = 70, bottom = 60, top = 34, right = 160;
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))];
  const maxY = Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.y)));
  const plotW = width - left - right, plotH = height - top - bottom;
  const px = (i: number) => left + (xs.length > 1 ? (i / (xs.length - 1)) * plotW : plotW / 2);
  const py = (y: number) => top + plotH - (maxY > 0 ? (y / maxY) * plotH : 0);
  const colors = ["#4878a8", "#d0703a", "#5a9e55", "#a84878", "#7a6ab0", "#8a8a3a"];
  const parts = [
    text(left, 20, `${title} (${unit})`, "bold"),
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${
      top + plotH
    }" stroke="#888"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#888"/>`,
    text(4, top + 10, short(maxY)),
    text(4, top + plotH, "0"),
  ];
  xs.forEach((x, i) => {
    if (xs.length <= 12 || i % Math.ceil(xs.length / 12) === 0) {
      parts.push(
        `<text x="${px(i)}" y="${top + plotH + 14}" font-size="10" transform="rotate(30 ${px(i)} ${
          top + plotH + 14
        })">${escape(x)}</text>`,
      );
    }
  });
  series.forEach((s, k) => {
    const color = colors[k % colors.length];
    const pts = s.points.map((p) => `${px(xs.indexOf(p.x)).toFixed(1)},${py(p.y).toFixed(1)}`);
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.join(" ")}"/>`,
    );
    for (const p of pts) {
      const [cx, cy] = p.split(",");
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
    }
    parts.push(
      `<rect x="${left + plotW + 12}" y="${top + k * 16}" width="10" height="10" fill="${color}"/>`,
    );
    parts.push(text(left + plotW + 26, top + k * 16 + 9, s.name));
  });
  return svg(width, height, parts);
}

function svg(width: number, height: number, parts: readonly string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">\n` +
    `<rect width="100%" height="100%" fill="white"/>\n${parts.join("\n")}\n</svg>\n`;
}

function text(x: number, y: number, s: string, weight?: "bold"): string {
  return `<text x="${x}" y="${y}"${weight ? ` font-weight="${weight}"` : ""}>${escape(s)}</text>`;
}

function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function short(v: number): string {
  if (v >= 1e9) return `${(v / 1e9).toFixed(2)}G`;
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (v >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}
