// Drag across a chart to choose a time range. The chart's own click (a point) still works: a press that moves
// less than a few pixels is a click; a drag shows a band while it lasts and suppresses the click that ends it.

const MIN_DRAG_PX = 5;

export interface BrushOptions {
  /** Pixel x (in the canvas) to the axis value, and the plot area's horizontal bounds. */
  valueAt(px: number): number | undefined;
  area(): { left: number; right: number; top: number; bottom: number } | undefined;
  onbrush(from: number, to: number): void;
}

export interface Brush {
  /** True once after a drag: the click that ends it is not a click on a point. */
  consumeDrag(): boolean;
  destroy(): void;
}

export function attachBrush(canvas: HTMLCanvasElement, band: HTMLElement, options: BrushOptions): Brush {
  let startX: number | undefined;
  let dragged = false;
  const localX = (e: PointerEvent) => {
    const area = options.area();
    const x = e.clientX - canvas.getBoundingClientRect().left;
    return area ? Math.max(area.left, Math.min(area.right, x)) : x;
  };
  const show = (from: number, to: number) => {
    const area = options.area();
    band.style.display = 'block';
    band.style.left = `${Math.min(from, to)}px`;
    band.style.width = `${Math.abs(to - from)}px`;
    band.style.top = `${area?.top ?? 0}px`;
    band.style.height = `${(area?.bottom ?? canvas.clientHeight) - (area?.top ?? 0)}px`;
  };
  const down = (e: PointerEvent) => {
    if (e.button !== 0) return;
    startX = localX(e);
    dragged = false;
    canvas.setPointerCapture?.(e.pointerId);
  };
  const move = (e: PointerEvent) => {
    if (startX === undefined) return;
    const x = localX(e);
    if (Math.abs(x - startX) >= MIN_DRAG_PX) dragged = true;
    if (dragged) show(startX, x);
  };
  const up = (e: PointerEvent) => {
    if (startX === undefined) return;
    const x = localX(e);
    const from = startX;
    startX = undefined;
    band.style.display = 'none';
    if (!dragged) return;
    const a = options.valueAt(Math.min(from, x));
    const b = options.valueAt(Math.max(from, x));
    if (a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b)) options.onbrush(a, b);
  };
  const cancel = () => {
    startX = undefined;
    band.style.display = 'none';
  };
  canvas.addEventListener('pointerdown', down);
  canvas.addEventListener('pointermove', move);
  canvas.addEventListener('pointerup', up);
  canvas.addEventListener('pointercancel', cancel);
  return {
    consumeDrag() {
      const was = dragged;
      dragged = false;
      return was;
    },
    destroy() {
      canvas.removeEventListener('pointerdown', down);
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', up);
      canvas.removeEventListener('pointercancel', cancel);
    },
  };
}
