import { buildExtension } from './build-extension';

/** Vitest globalSetup: build the extension once for every real-browser test file. */
export default function setup(): void {
  buildExtension();
}
