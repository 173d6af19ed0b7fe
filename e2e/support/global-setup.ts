// Runs once before any e2e spec (vitest.e2e.config.ts globalSetup): without a browser, one clear stop with the
// how-to, instead of the same failure in every spec file.
import { findChromium } from './chromium.ts';

export default function checkChromium(): void {
  try {
    findChromium();
  } catch (error) {
    // Thrown from here, vitest prints "No test files found" above the reason and a stack trace of its own under it:
    // say only the reason, and stop before any spec starts.
    process.stderr.write(`\nEnd-to-end run stopped before any spec: ${(error as Error).message}\n\n`);
    process.exit(1);
  }
}
