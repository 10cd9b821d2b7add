import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

/**
 * cxplan's browser extension. Permissions are the minimum the capture flow needs (see README.md):
 * no host permissions and no <all_urls>; page access comes only from `activeTab`, i.e. a user gesture.
 */
export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  outDir: '.output',
  // Explicit imports everywhere: files say where each name comes from.
  imports: false,
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: 'cxplan — customer feedback clipper',
    description: 'Clip customer feedback, goals and actions from any page into your local cxplan workspace.',
    permissions: ['activeTab', 'scripting', 'contextMenus', 'storage', 'alarms'],
    commands: {
      'capture-selection': {
        suggested_key: { default: 'Alt+Shift+K' },
        description: 'Clip the selection as customer feedback',
      },
    },
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'clipper@cxplan.dev', strict_min_version: '115.0' } } }
      : {}),
  }),
});
