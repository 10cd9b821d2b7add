import { NONCE_RETENTION_MS } from '@cxplan/core';
import { isKeyConflict, type TeamKvs } from './team-kvs';

/** Storage key of a seen nonce. */
export function nonceKey(nonce: string): string {
  return `cxplan-ingest-nonce:${nonce}`;
}

/**
 * Claims a nonce atomically: the first request to use it wins, any later one is a replay. KVS's `FAIL_IF_EXISTS`
 * makes the check-and-set one operation, so two concurrent replays cannot both pass; the TTL forgets the nonce
 * once its timestamp could no longer pass the ±5 minute check anyway.
 */
export async function claimNonce(
  kv: Pick<TeamKvs, 'set'>,
  nonce: string,
  now: number,
): Promise<'fresh' | 'replayed'> {
  try {
    await kv.set(nonceKey(nonce), now, {
      keyPolicy: 'FAIL_IF_EXISTS',
      ttl: { value: Math.ceil(NONCE_RETENTION_MS / 1000), unit: 'SECONDS' },
    });
    return 'fresh';
  } catch (error) {
    if (isKeyConflict(error)) return 'replayed';
    throw error;
  }
}
