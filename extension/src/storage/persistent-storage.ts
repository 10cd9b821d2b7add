/** The part of `navigator.storage` that {@link keepStoragePersistent} uses. */
export type StorageManagerApi = Pick<StorageManager, 'persisted'> & Partial<Pick<StorageManager, 'persist'>>;

/**
 * Asks the browser to keep the extension's storage (the IndexedDB that holds the workspace, often the only copy of a
 * person's work) as persistent storage, which it never evicts to free disk space; answers whether it is. Called by
 * the background on start. Firefox keeps an add-on's IndexedDB as best-effort storage until `persist()` is granted,
 * and grants it without a prompt to an add-on holding `unlimitedStorage`. Chrome's service worker has no `persist()`
 * (it is a Window API) and needs none: `unlimitedStorage` already exempts the extension from eviction.
 */
export async function keepStoragePersistent(storage: StorageManagerApi | undefined): Promise<boolean> {
  if (storage?.persist === undefined) return false;
  try {
    return (await storage.persisted()) || (await storage.persist());
  } catch {
    // Not granted is what the caller hears either way: the data stays, at the browser's usual eviction policy.
    return false;
  }
}
