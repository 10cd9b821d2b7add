import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

/** Origins a Jira web trigger can live on (https anywhere; plain http only on loopback, for tests). */
const JIRA_TRIGGER_ORIGINS = ['https://*/*', 'http://127.0.0.1/*'] as const;

/**
 * Firefox built-in data consent (extensionworkshop.com/documentation/develop/firefox-builtin-data-consent/).
 * Nothing leaves the browser unless the user pairs with Jira. A paired install transmits, to the user's own Jira
 * site only: the clipped text and the quote around it (`websiteContent`), the URL and title of the page each clip
 * came from (`browsingActivity`), and who captured a clip / owns a goal (`personallyIdentifyingInfo`), with the
 * department goals and actions of the plan. Capturing and planning work without any of it, so these are
 * `optional` (requested together with the trigger's origin when the user connects to the team, see
 * entrypoints/options/OptionsApp.tsx) and `required` stays `none`: the extension needs no data collection to do
 * its job.
 */
const FIREFOX_DATA_COLLECTION = ['websiteContent', 'browsingActivity', 'personallyIdentifyingInfo'];

/**
 * cxplan's browser extension. Permissions are the minimum the capture flow needs (see README.md):
 * no host permissions and no <all_urls>; page access comes only from `activeTab`, i.e. a user gesture.
 */
export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  // The real-browser tests build into a directory of their own, so concurrent runs never swap files under each other.
  outDir: process.env.CXPLAN_OUTPUT_DIR ?? '.output',
  // Explicit imports everywhere: files say where each name comes from.
  imports: false,
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: 'cxplan — customer feedback clipper',
    description: 'Clip customer feedback, goals and actions from any page into your local cxplan workspace.',
    // unlimitedStorage: the workspace in IndexedDB is often the only copy of a person's work. Without it Firefox
    // keeps an add-on's IndexedDB as best-effort storage it may evict when the disk runs low (persisted() is
    // false, and persist() can only prompt from a tab); with it, Firefox marks it persistent and Chrome never
    // picks it for eviction.
    permissions: ['activeTab', 'scripting', 'contextMenus', 'storage', 'alarms', 'unlimitedStorage'],
    // Pairing with Jira (issue 7) asks for the web trigger's origin at that moment, nothing before.
    ...(browser === 'firefox'
      ? { optional_permissions: [...JIRA_TRIGGER_ORIGINS] }
      : { optional_host_permissions: [...JIRA_TRIGGER_ORIGINS] }),
    commands: {
      'capture-selection': {
        suggested_key: { default: 'Alt+Shift+K' },
        description: 'Clip the selection as customer feedback',
      },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'clipper@cxplan.dev',
              // 140 (an ESR) is the first Firefox that reads data_collection_permissions; it also brings the CSS
              // Custom Highlight API the popup's "find this clip" uses. web-ext lint checks the keys against it.
              strict_min_version: '140.0',
              // See FIREFOX_DATA_COLLECTION: optional, granted at pairing; nothing is required.
              data_collection_permissions: { required: ['none'], optional: [...FIREFOX_DATA_COLLECTION] },
            },
            // Firefox for Android reads data_collection_permissions from 142. cxplan does not target Android (no
            // sidebar, context menus or commands there), but the manifest's range must still agree with its keys.
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
