/** A point of a time chart: x in epoch ms, and the log entry it stands for when there is one. */
export interface TimePoint {
  x: number;
  y: number;
  index?: number;
}

/** One line or one cloud of points, already bucketed (the chart draws what it is given, never parses). */
export interface TimeSeries {
  label: string;
  color: string;
  points: TimePoint[];
}
