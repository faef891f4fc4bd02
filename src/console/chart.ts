/**
 * The overview's activity chart as inline SVG: invoices posted per hour as bars, the median
 * webhook-to-posted latency as a line on its own scale, and hours with throttling marked. The numbers are
 * also in a table below it for screen readers and for anyone who wants them exact.
 */
import type { ActivityHour } from '../sync/admin/overview.js';
import { h, svg, tableHead } from './dom.js';

const width = 720;
const height = 200;
const pad = { left: 36, right: 44, top: 12, bottom: 28 };

/** A median latency in whole seconds, or a dash for an hour that had none. */
const wholeSeconds = (seconds: number | null) => (seconds === null ? '—' : Math.round(seconds));

export function activityChart(hours: readonly ActivityHour[]): HTMLElement {
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const maxPosted = Math.max(1, ...hours.map((x) => x.posted));
  const latencies = hours.flatMap((x) => (x.medianLatencySeconds === null ? [] : [x.medianLatencySeconds]));
  const maxLatency = Math.max(1, ...latencies);
  const step = plotW / Math.max(1, hours.length);
  const y = (value: number, max: number) => pad.top + plotH - (value / max) * plotH;
  const bars = hours.map((hour, i) =>
    hour.posted === 0
      ? null
      : svg(
          'rect',
          {
            class: 'bar',
            x: (pad.left + i * step + step * 0.1).toFixed(1),
            y: y(hour.posted, maxPosted).toFixed(1),
            width: Math.max(1, step * 0.8).toFixed(1),
            height: ((hour.posted / maxPosted) * plotH).toFixed(1),
          },
          svg('title', {}, `${new Date(hour.hour).toLocaleString('en-GB')}: ${hour.posted} posted`),
        ),
  );
  const points = hours.flatMap((hour, i) =>
    hour.medianLatencySeconds === null
      ? []
      : [{ x: (pad.left + i * step + step / 2).toFixed(1), y: y(hour.medianLatencySeconds, maxLatency).toFixed(1) }],
  );
  const throttled = hours.map((hour, i) =>
    hour.throttled === 0
      ? null
      : svg('rect', {
          class: 'throttle',
          x: (pad.left + i * step).toFixed(1),
          y: (height - pad.bottom + 4).toFixed(1),
          width: Math.max(2, step).toFixed(1),
          height: '6',
        }),
  );
  const first = hours[0];
  const last = hours[hours.length - 1];
  const totalPosted = hours.reduce((sum, x) => sum + x.posted, 0);
  const totalThrottled = hours.reduce((sum, x) => sum + x.throttled, 0);
  const busiest = maxPosted === 1 && totalPosted === 0 ? 0 : maxPosted;
  const longest = latencies.length > 0 ? Math.round(maxLatency) : 0;
  const summary =
    `${totalPosted} invoices posted in the last ${hours.length} hours; busiest hour ${busiest}; ` +
    `longest median latency ${longest} s; ${totalThrottled} throttled answers`;
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': summary, class: 'chart' },
    svg('line', {
      class: 'axis',
      x1: pad.left,
      x2: width - pad.right,
      y1: height - pad.bottom,
      y2: height - pad.bottom,
    }),
    svg('text', { x: pad.left - 6, y: pad.top + 8, 'text-anchor': 'end', class: 'label' }, String(maxPosted)),
    svg('text', { x: pad.left - 6, y: height - pad.bottom, 'text-anchor': 'end', class: 'label' }, '0'),
    svg(
      'text',
      { x: width - pad.right + 6, y: pad.top + 8, class: 'label latency-label' },
      `${Math.round(maxLatency)} s`,
    ),
    first
      ? svg(
          'text',
          { x: pad.left, y: height - 4, class: 'label' },
          new Date(first.hour).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' }),
        )
      : null,
    last ? svg('text', { x: width - pad.right, y: height - 4, 'text-anchor': 'end', class: 'label' }, 'now') : null,
    ...bars,
    points.length > 1
      ? svg('polyline', { class: 'latency', points: points.map((p) => `${p.x},${p.y}`).join(' ') })
      : null,
    // A dot per hour, so a single hour with postings still shows its latency.
    ...points.map((p) => svg('circle', { class: 'latency-point', cx: p.x, cy: p.y, r: 3 })),
    ...throttled,
  );
  const busy = hours.filter((x) => x.posted > 0 || x.throttled > 0);
  return h(
    'figure',
    { class: 'chart-figure' },
    chart,
    h(
      'figcaption',
      {},
      h('span', { class: 'key key-bar' }, 'posted per hour'),
      ' ',
      h('span', { class: 'key key-latency' }, 'median webhook-to-posted latency'),
      ' ',
      h('span', { class: 'key key-throttle' }, 'hours with throttling'),
    ),
    h(
      'details',
      {},
      h('summary', {}, 'The numbers'),
      busy.length === 0
        ? h('p', {}, 'Nothing was posted or throttled in this period.')
        : h(
            'table',
            {},
            tableHead('Hour', 'Posted', 'Median latency (s)', 'Throttled'),
            h(
              'tbody',
              {},
              busy.map((x) =>
                h(
                  'tr',
                  {},
                  h('td', {}, new Date(x.hour).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' })),
                  h('td', { class: 'num' }, x.posted),
                  h('td', { class: 'num' }, wholeSeconds(x.medianLatencySeconds)),
                  h('td', { class: 'num' }, x.throttled),
                ),
              ),
            ),
          ),
    ),
  );
}
