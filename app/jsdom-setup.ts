// jsdom has no layout, so no ResizeObserver: sizes stay unmeasured (components fall back to a screenful).
globalThis.ResizeObserver ??= class {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
};
