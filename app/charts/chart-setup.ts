// Chart.js, registered once with only what the charts use (the rest is tree-shaken out of the build), and the
// panel's theme read from its CSS variables.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Decimation,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';

Chart.register(LineController, ScatterController, BarController, LineElement, PointElement, BarElement, LinearScale, CategoryScale, Decimation, Tooltip, Legend);

export { Chart };

export interface ChartTheme {
  fg: string;
  muted: string;
  grid: string;
  in: string;
  out: string;
  /** Colours for series with no meaning of their own (one per event name). */
  palette: string[];
}

const LIGHT_PALETTE = ['#1a73e8', '#d93025', '#188038', '#e37400', '#9334e6', '#007b83', '#b06000', '#5f6368'];
const DARK_PALETTE = ['#8ab4f8', '#f28b82', '#81c995', '#fdd663', '#c58af9', '#78d9ec', '#fcad70', '#bdc1c6'];

/** The colours of the element's theme (the panel's CSS variables), with the light theme as fallback. */
export function readTheme(element: Element, dark: boolean): ChartTheme {
  const style = getComputedStyle(element);
  const css = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    fg: css('--fg', dark ? '#e3e3e3' : '#1f1f1f'),
    muted: css('--muted', dark ? '#9aa0a6' : '#6e6e6e'),
    grid: css('--row-border', dark ? '#2b2c2f' : '#f0f0f0'),
    in: css('--in', dark ? '#81c995' : '#1e8e3e'),
    out: css('--out', dark ? '#8ab4f8' : '#1a73e8'),
    palette: dark ? DARK_PALETTE : LIGHT_PALETTE,
  };
}

/** "1.5 s", "12 s", "2 min 5 s": x axes count seconds from the start of the capture. */
export function formatSeconds(seconds: number): string {
  if (Math.abs(seconds) < 10) return `${Number(seconds.toFixed(2))} s`;
  if (Math.abs(seconds) < 120) return `${Number(seconds.toFixed(1))} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

const UNITS = ['', 'k', 'M', 'G'];

/** 950, 1.2k, 3.4M, with the unit after: "1.2k B/s". */
export function formatQuantity(value: number, unit: string): string {
  if (unit === 'ms' && Math.abs(value) >= 1000) return `${Number((value / 1000).toFixed(Math.abs(value) < 10_000 ? 2 : 1))} s`;
  let v = value;
  let u = 0;
  while (Math.abs(v) >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  const digits = Math.abs(v) < 10 && (u > 0 || !Number.isInteger(v)) ? 1 : 0;
  return `${Number(v.toFixed(digits))}${UNITS[u]} ${unit}`.trim();
}
