/**
 * A chart's redraw in a task of its own. The pane's charts all get new data in the same reactive flush, and
 * Chart.js draws synchronously: drawn there, five charts and the flush made one long task. A newer redraw replaces
 * one still waiting.
 */
export class RedrawLater {
  private timer: ReturnType<typeof setTimeout> | undefined;

  schedule(redraw: () => void): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      redraw();
    }, 0);
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
