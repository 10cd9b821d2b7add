import { describe, expect, it } from 'vitest';
import { parsePairingInput } from './ingest-pairing';

const secret = `cxp1.k_12345678.${'A'.repeat(43)}`;

describe('parsePairingInput', () => {
  it('accepts an https web trigger URL and derives the origin pattern', () => {
    const r = parsePairingInput({
      triggerUrl: 'https://abc123.hello.atlassian-dev.net/x1/AbCdEf?q=1',
      secret,
    });
    expect(r).toEqual({
      ok: true,
      value: {
        triggerUrl: 'https://abc123.hello.atlassian-dev.net/x1/AbCdEf?q=1',
        originPattern: 'https://abc123.hello.atlassian-dev.net/*',
        secret,
        keyId: 'k_12345678',
      },
    });
  });

  it('accepts plain http only on the loopback address (any port)', () => {
    const r = parsePairingInput({ triggerUrl: 'http://127.0.0.1:43123/ingest', secret });
    expect(r.ok && r.value.originPattern).toBe('http://127.0.0.1/*');
    const remote = parsePairingInput({ triggerUrl: 'http://jira.example/ingest', secret });
    expect(!remote.ok && remote.errors[0]).toEqual({
      path: 'triggerUrl',
      message: 'triggerUrl must use https (plain http only on 127.0.0.1 for local testing)',
    });
  });

  it('names both fields when both are wrong', () => {
    const r = parsePairingInput({ triggerUrl: 'not a url', secret: 'x' });
    expect(!r.ok && r.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['triggerUrl', 'secret']));
  });
});
