import { IngestSecretTokenSchema, parseWith } from '@cxplan/core';
import { describe, expect, it } from 'vitest';
import { INGEST_SECRET_KEY } from './ingest-kvs';
import {
  generateIngestSecret,
  ingestSecretStatus,
  readIngestSecret,
  rotateIngestSecret,
} from './ingest-secret';
import { MemoryKvs } from './testing/memory-kvs';

const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);

describe('ingest secret', () => {
  it('is generated once, in secret storage, and shown only at that moment', async () => {
    const kv = new MemoryKvs();
    expect(await ingestSecretStatus(kv)).toEqual({ configured: false });
    const shown = await generateIngestSecret(kv, NOW);
    expect(parseWith(IngestSecretTokenSchema, shown.secret).ok).toBe(true);
    expect(shown.secret).toContain(`.${shown.keyId}.`);
    const status = await ingestSecretStatus(kv);
    expect(status).toEqual({
      configured: true,
      keyId: shown.keyId,
      createdAt: '2026-11-23T10:00:00.000Z',
      generation: 0,
    });
    expect(JSON.stringify(status)).not.toContain(shown.secret.split('.')[2]);
    expect(kv.keys()).toEqual([]); // nothing in ordinary (queryable) storage
    expect(await kv.getSecret(INGEST_SECRET_KEY)).toMatchObject({ token: shown.secret });
  });

  it('refuses to generate over an existing secret (rotation is explicit)', async () => {
    const kv = new MemoryKvs();
    await generateIngestSecret(kv, NOW);
    await expect(generateIngestSecret(kv, NOW)).rejects.toThrow(/rotate/);
  });

  it('rotation replaces the secret and its key id and counts generations', async () => {
    const kv = new MemoryKvs();
    const first = await generateIngestSecret(kv, NOW);
    const second = await rotateIngestSecret(kv, NOW + 1000);
    expect(second.secret).not.toBe(first.secret);
    expect(second.keyId).not.toBe(first.keyId);
    expect(second.generation).toBe(1);
    expect((await readIngestSecret(kv))?.token).toBe(second.secret);
  });

  it('treats an unreadable stored record as no secret (the admin is asked to rotate)', async () => {
    const kv = new MemoryKvs();
    await kv.setSecret(INGEST_SECRET_KEY, { token: 42 });
    expect(await ingestSecretStatus(kv)).toEqual({ configured: false });
  });
});
