/*
 * Plots drawn on the server as SVG: no script, readable at 360 px (horizontal rows that stack),
 * every mark a link to the incidents behind it, and a <title> on each for screen readers and tooltips.
 */

export interface PlotRow {
  label: string;
  marks: PlotMark[];
}

export interface PlotMark {
  /** Which series: drawn with its own shape and colour, named in the legend. */
  series: number;
  value: number | null;
  href: string;
  title: string;
}

const WIDTH = 640;
const LABEL_WIDTH = 150;
const ROW_HEIGHT = 28;
const TOP = 8;
const AXIS_HEIGHT = 28;
/** Colours with at least 4.5:1 contrast on white, told apart by shape as well. */
export const SERIES_COLOURS = ['#1f5fa8', '#a33a12', '#2d6a2d'];

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A round maximum for the axis, so ticks land on readable numbers. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * magnitude) return step * magnitude;
  return 10 * magnitude;
}

function axis(max: number, y: number): string {
  const plotWidth = WIDTH - LABEL_WIDTH - 16;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((fraction) => {
    const x = LABEL_WIDTH + fraction * plotWidth;
    const value = Math.round(max * fraction * 10) / 10;
    return `<line x1="${x}" y1="${TOP}" x2="${x}" y2="${y}" class="grid"/><text x="${x}" y="${y + 16}" text-anchor="middle" class="tick">${value}</text>`;
  });
  return ticks.join('');
}

/** One row per category; each mark a dot (series 0), a diamond (series 1) or a bar (`bars`). */
export function horizontalPlot(options: { title: string; description: string; rows: PlotRow[]; bars?: boolean }): string {
  const { rows } = options;
  const max = niceMax(Math.max(0, ...rows.flatMap((row) => row.marks.map((mark) => mark.value ?? 0))));
  const plotWidth = WIDTH - LABEL_WIDTH - 16;
  const height = TOP + rows.length * ROW_HEIGHT + AXIS_HEIGHT;
  const x = (value: number) => LABEL_WIDTH + (value / max) * plotWidth;
  const body = rows
    .map((row, index) => {
      const centre = TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2;
      const marks = row.marks
        .filter((mark) => mark.value !== null)
        .map((mark) => {
          const colour = SERIES_COLOURS[mark.series % SERIES_COLOURS.length];
          const px = x(mark.value!);
          const shape = options.bars
            ? `<rect x="${LABEL_WIDTH}" y="${centre - 8}" width="${Math.max(2, px - LABEL_WIDTH)}" height="16" fill="${colour}"/>`
            : mark.series === 0
              ? `<circle cx="${px}" cy="${centre}" r="7" fill="${colour}"/>`
              : `<rect x="${px - 6}" y="${centre - 6}" width="12" height="12" transform="rotate(45 ${px} ${centre})" fill="${colour}"/>`;
          return `<a href="${escape(mark.href)}" class="mark"><title>${escape(mark.title)}</title>${shape}</a>`;
        })
        .join('');
      return `<text x="${LABEL_WIDTH - 8}" y="${centre + 5}" text-anchor="end" class="label">${escape(row.label.length > 20 ? `${row.label.slice(0, 19)}…` : row.label)}</text>${marks}`;
    })
    .join('');
  const id = options.title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return (
    `<svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${id}-t ${id}-d" class="plot" preserveAspectRatio="xMinYMin meet">` +
    `<title id="${id}-t">${escape(options.title)}</title><desc id="${id}-d">${escape(options.description)}</desc>` +
    axis(max, TOP + rows.length * ROW_HEIGHT) +
    body +
    `</svg>`
  );
}
