import * as forgeReact from '@forge/react';
import type { ReactElement } from 'react';

type Reconciler = { render(element: ReactElement): void };

/**
 * Renders a UI Kit app with `@forge/react`'s reconciler. `@forge/react` is CommonJS with a `default` export; a
 * bundler that treats this package's files as Node ESM ("type": "module") hands a default import the whole
 * `module.exports` (esbuild and Webpack both do), others unwrap `default`. Taking the namespace and unwrapping
 * here works under both, so the resource renders whichever way Forge's bundler is configured.
 */
export function renderApp(element: ReactElement): void {
  const candidate = forgeReact.default as unknown as Partial<Reconciler> & { default?: Reconciler };
  const reconciler = typeof candidate.render === 'function' ? (candidate as Reconciler) : candidate.default;
  if (!reconciler) throw new Error('@forge/react has no reconciler to render with');
  reconciler.render(element);
}
