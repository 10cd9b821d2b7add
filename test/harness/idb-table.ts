/**
 * Reads every row of one object store of the extension's IndexedDB database `cxplan` with the raw IndexedDB API.
 * Runs inside an extension page (both harnesses pass it to their page's `evaluate`), so it uses nothing from the
 * module around it. A database that does not exist yet reads as empty: opening it would create an empty v1 and
 * confuse Dexie's upgrade, so the upgrade is aborted.
 */
export function readIdbTable<T>(name: string): Promise<T[]> {
  return new Promise<T[]>((resolve, reject) => {
    const open = indexedDB.open('cxplan');
    open.onupgradeneeded = () => open.transaction?.abort();
    open.onerror = () => (open.error?.name === 'AbortError' ? resolve([]) : reject(open.error));
    open.onsuccess = () => {
      const db = open.result;
      const req = db.transaction(name, 'readonly').objectStore(name).getAll();
      req.onsuccess = () => {
        db.close();
        resolve(req.result as T[]);
      };
      req.onerror = () => reject(req.error);
    };
  });
}
