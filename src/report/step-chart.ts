// The small SVG step charts of the HTML reports: a version only changes when a message (or a write
// between two reads) changes it, so it is drawn as a step held flat until the next change, never as
// a slope between two points that suggests values nobody observed.

import { esc } from './html.js';

/** Above this top value the axis turns logarithmic, so that 1 still stands apart from 0 next to 1000. */
export const LOG_ABOVE = 10;

/** On a logarithmic axis, the share of the height between 0 and 1 (log 0 has no place of its own). */
const ZERO_SLOT = 0.15;

/** Where a value sits on the axis, as a share of its height (0 at the bottom, 1 at `top`), and its ticks. */
export interface VersionScale {
  log: boolean;
  at: (v: number) => number;
  ticks: number[];
}

/**
 * The vertical scale for versions up to `top`: linear up to {@link LOG_ABOVE}; above it 0 keeps the
 * bottom, 1 sits {@link ZERO_SLOT} up, and powers of ten are evenly spaced to `top`, so a design
 * stuck at 1 against an expected 1000 reads as 1, not as 0.
 */
export function versionScale(top: number): VersionScale {
  const max = Math.max(1, top);
  if (max <= LOG_ABOVE) return { log: false, at: (v) => v / max, ticks: [0, max] };
  const span = Math.log10(max);
  const at = (v: number) => (v <= 0 ? 0 : ZERO_SLOT + (1 - ZERO_SLOT) * (Math.log10(Math.max(1, v)) / span));
  const powers = [...Array(Math.floor(span) + 1).keys()].map((e) => 10 ** e);
  const last = powers.at(-1) as number;
  // The top is labelled unless it would print over the power of ten just below it.
  const ticks = [0, ...powers, ...(max > 2 * last ? [max] : [])];
  return { log: true, at, ticks };
}

/** One line of a step chart: its values (null where nothing was observed) and how it is drawn. */
export interface StepLine {
  values: (number | null)[];
  /** Attributes of each <polyline>: class, data-*, stroke, dash, width. */
  attrs: string;
  /** Whether the value at an index is marked with a red dot (observed differs from expected, a stale read). */
  marked?: (i: number) => boolean;
}

const W = 270;
const H = 120;
const PAD = { left: 40, right: 8, top: 8, bottom: 22 };

/** The points of a step line over consecutive values: flat until the next index, then straight up or down. */
export function stepPoints(values: number[], x: (i: number) => number, y: (v: number) => number): string {
  const points: [number, number][] = [];
  for (const [i, v] of values.entries()) {
    if (i > 0) points.push([x(i), y(values[i - 1] as number)]);
    points.push([x(i), y(v)]);
  }
  return points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
}

/** Runs of consecutive non-null values, each with the index it starts at. */
function runs(values: (number | null)[]): { start: number; values: number[] }[] {
  const out: { start: number; values: number[] }[] = [];
  for (const [i, v] of values.entries()) {
    if (v === null) continue;
    const last = out.at(-1);
    if (last && last.start + last.values.length === i) last.values.push(v);
    else out.push({ start: i, values: [v] });
  }
  return out;
}

/**
 * An SVG step chart of several lines over the same indices, labelled `xLabel(i)` below (every index
 * when there are few, else the first and the last), on {@link versionScale}.
 */
export function stepChart(lines: StepLine[], xLabel: (i: number) => string, ariaLabel: string): string {
  const n = Math.max(0, ...lines.map((l) => l.values.length - 1));
  const scale = versionScale(Math.max(0, ...lines.flatMap((l) => l.values.map((v) => v ?? 0))));
  const x = (i: number) => PAD.left + (n === 0 ? 0 : (i / n) * (W - PAD.left - PAD.right));
  const y = (v: number) => PAD.top + (1 - scale.at(v)) * (H - PAD.top - PAD.bottom);
  const xTicks = n <= 12 ? [...Array(n + 1).keys()] : [0, n];
  const parts = [
    ...scale.ticks.map(
      (t) =>
        `<line class="tick" x1="${PAD.left}" y1="${y(t).toFixed(1)}" x2="${W - PAD.right}" y2="${y(t).toFixed(1)}" stroke="#d0d7de" stroke-width="0.5"/><text x="${PAD.left - 4}" y="${(y(t) + 3).toFixed(1)}" text-anchor="end">${t}</text>`,
    ),
    `<line x1="${PAD.left}" y1="${y(0)}" x2="${W - PAD.right}" y2="${y(0)}" stroke="#8c959f"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${y(0)}" stroke="#8c959f"/>`,
    // Top left: versions start at 0, so no line runs there before the first message.
    scale.log ? `<text x="${PAD.left + 4}" y="${PAD.top + 8}" fill="#57606a">log scale</text>` : '',
    ...xTicks.map((i) => `<text x="${x(i)}" y="${H - 6}" text-anchor="middle">${xLabel(i)}</text>`),
    ...lines.flatMap((l) => [
      ...runs(l.values).map(
        (r) =>
          `<polyline ${l.attrs} points="${stepPoints(r.values, (i) => x(r.start + i), y)}" fill="none"/>`,
      ),
      ...l.values.map((v, i) =>
        v !== null && l.marked?.(i)
          ? `<circle cx="${x(i)}" cy="${y(v).toFixed(1)}" r="3.5" fill="#cf222e"/>`
          : '',
      ),
    ]),
  ];
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(ariaLabel)}" font-size="10" font-family="sans-serif">${parts.join('')}</svg>`;
}
