import { CxplanDb } from '../../extension/src/storage/db';
import { queryInbox } from '../../extension/src/workspace/inbox-query';

async function probe(): Promise<Record<string, number>> {
  const db = new CxplanDb();
  await db.open();
  const t = async (f: () => Promise<unknown>): Promise<number> => {
    const t0 = performance.now();
    await f();
    return performance.now() - t0;
  };
  const out: Record<string, number> = {};
  for (let i = 0; i < 3; i++) {
    out.keys5001 = await t(() => db.evidence.where('origin.capturedBy').equals('user7').limit(5001).primaryKeys());
    out.getAllUser7 = await t(() => db.evidence.where('origin.capturedBy').equals('user7').toArray());
    out.keysPartner = await t(() => db.evidence.where('sourceKind').equals('partner').limit(5001).primaryKeys());
    out.queryUser7 = await t(() => queryInbox(db, { capturedBy: 'user7' }));
    out.queryRefund = await t(() => queryInbox(db, { text: 'refund' }));
    out.queryPartner = await t(() => queryInbox(db, { sourceKind: 'partner' }));
    out.walkUser7 = await t(() => queryInbox(db, { capturedBy: 'user7' }, 0, 200, -1));
    out.walkRefund = await t(() => queryInbox(db, { text: 'refund' }, 0, 200, -1));
    out.walkNone = await t(() => queryInbox(db, {}, 0, 200, -1));
  }
  return out;
}
(globalThis as unknown as { probe: unknown }).probe = probe;
