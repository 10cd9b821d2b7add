/** The parts of `browser.runtime` and `browser.permissions` the consent check needs. */
export interface ConsentApis {
  runtime: { getManifest(): unknown };
  // `origins` is never passed; it is declared so Chrome's typings (which lack `data_collection`) still fit.
  permissions: { contains(p: { origins?: string[]; data_collection: string[] }): Promise<boolean> };
}

/** Firefox's optional data-collection types declared in the manifest (wxt.config.ts); none in Chrome. */
export function declaredDataCollection(runtime: ConsentApis['runtime']): string[] {
  const manifest = runtime.getManifest() as {
    browser_specific_settings?: { gecko?: { data_collection_permissions?: { optional?: string[] } } };
  };
  return manifest.browser_specific_settings?.gecko?.data_collection_permissions?.optional ?? [];
}

/**
 * Whether the user's data-collection consent allows sending to Jira. Firefox lets the user withdraw the optional
 * consent given at pairing (about:addons → Permissions); then nothing is transmitted and entries wait. Where the
 * manifest declares no such consent (Chrome), the host permission granted at pairing is the consent.
 */
export async function dataConsentGranted(apis: ConsentApis): Promise<boolean> {
  const types = declaredDataCollection(apis.runtime);
  if (types.length === 0) return true;
  try {
    return await apis.permissions.contains({ data_collection: types });
  } catch {
    // Firefox before 140 knows no data-collection permissions: nothing to withdraw there.
    return true;
  }
}
