// Bundled by bench/team-sync.ts and evaluated in an extension page: the baseline. The same clips the team holds,
// bulk-inserted into this browser's own IndexedDB through the extension's storage service (as an import would).
import { CxplanDb } from '../../extension/src/storage/db';
import { StorageService } from '../../extension/src/storage/storage-service';
import { benchClip } from './clips';

async function insertLocally(clips: number, events: number): Promise<number> {
  const storage = new StorageService(new CxplanDb());
  const t0 = performance.now();
  for (let start = 0; start < clips; start += 2_000) {
    const rows = Array.from({ length: Math.min(2_000, clips - start) }, (_, k) =>
      benchClip(start + k, events),
    );
    await storage.bulkAddEvidence(rows);
  }
  const ms = performance.now() - t0;
  storage.db.close();
  return ms;
}

(globalThis as unknown as { cxplanTeamBench: unknown }).cxplanTeamBench = { insertLocally };
