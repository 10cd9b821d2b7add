import { RECONNECT_MESSAGE } from '@cxplan/core';
import { describe, expect, it } from 'vitest';
import { handler } from './ingest-webtrigger';

describe('the retired ingest web trigger', () => {
  it('given an old extension posting a signed batch, when it arrives, then it is told to reconnect and nothing else', async () => {
    const response = await handler({
      method: 'POST',
      headers: { 'x-cxplan-key-id': ['k1'], 'x-cxplan-signature': ['ab'.repeat(32)] },
      body: JSON.stringify({ version: 1, items: [] }),
    });
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(String(response.body))).toEqual({
      ok: false,
      code: 'reconnect',
      message: RECONNECT_MESSAGE,
    });
  });
});
