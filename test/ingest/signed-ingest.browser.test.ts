import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIngestRequest } from '../../jira-plugin/src/ingest/verify-signature';
import { htmlPage, type PageServer, startPageServer } from '../harness/page-server';
import { selectText } from '../harness/select-text';
import { type ExtensionSession, launchSession, newProfile, removeProfile } from './extension-session';
import { type IngestServer, startIngestServer } from './ingest-server';

/**
 * The built extension in real Chromium sends its captures to the REAL ingest handler (the function the Forge web
 * trigger exports) served over HTTP on 127.0.0.1: pairing through the options page, offline periods, a server
 * answering 503 then 200, a browser restart with work queued, and forged or replayed requests. At the end every
 * capture is in the Jira app's storage exactly once.
 */

const PARAGRAPHS = Array.from(
  { length: 12 },
  (_, i) => `<p id="p${i}">Review ${i}: the checkout page timed out on step ${i}.</p>`,
);
const REVIEWS = htmlPage('Acme reviews', PARAGRAPHS.join(''));

let pages: PageServer;
let ingest: IngestServer;
let profile: string;
let xb: ExtensionSession;
let reviews: Page;
const captured: string[] = [];
/** The options page refreshes every 1.5 s; give UI polls room. */
const POLL = { timeout: 10_000 };

async function clip(i: number): Promise<string> {
  await selectText(reviews, `#p${i}`, `checkout page timed out on step ${i}`);
  const outcome = await xb.capture(reviews);
  if (!outcome.ok || !outcome.evidence) throw new Error(`capture ${i} failed: ${outcome.message}`);
  captured.push(outcome.evidence.id);
  return outcome.evidence.id;
}

async function options(): Promise<Page> {
  const page = await xb.context.newPage();
  await page.goto(`chrome-extension://${xb.extensionId}/options.html`);
  return page;
}

async function stateOf(page: Page, id: string): Promise<string | null> {
  return page.locator(`tr[data-clip-id="${id}"] td.state`).getAttribute('data-state');
}

/** Waits until every id is stored by the server, polling; fails with what is missing. */
async function waitStored(ids: readonly string[], timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const stored = await ingest.stored();
    const missing = ids.filter((id) => !stored.has(id));
    if (missing.length === 0) return;
    if (Date.now() > until) throw new Error(`not stored after ${timeoutMs} ms: ${missing.join(', ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  pages = await startPageServer({ '/reviews': REVIEWS });
  ingest = await startIngestServer();
  profile = newProfile();
  xb = await launchSession(profile);
  reviews = await xb.context.newPage();
  await reviews.goto(pages.url('/reviews'));
});

afterAll(async () => {
  await xb?.quit();
  removeProfile(profile);
  await ingest?.close();
  await pages?.close();
});

describe('signed ingest from the extension to the Jira app', () => {
  it('asks for no host at install: the trigger origin is an optional permission, requested at pairing', async () => {
    const manifest = await xb.worker.evaluate(() => chrome.runtime.getManifest());
    expect(manifest.host_permissions ?? []).toEqual([]);
    expect(manifest.optional_host_permissions).toEqual(['https://*/*', 'http://127.0.0.1/*']);
    expect((await xb.worker.evaluate(() => chrome.permissions.getAll())).origins).toEqual([]);
  });

  it('refuses a mistyped pairing with the fields at fault and stores nothing', async () => {
    const page = await options();
    await page.fill('#trigger-url', 'http://jira.example/x1/trigger');
    await page.fill('#secret', 'hunter2');
    await page.click('#pair');
    await expect
      .poll(() => page.locator('.error').allTextContents(), POLL)
      .toEqual([
        'triggerUrl must use https (plain http only on 127.0.0.1 for local testing)',
        'secret must be the secret shown on the cxplan admin page in Jira (it starts with cxp1.)',
      ]);
    expect(await page.locator('#pairing-status').getAttribute('data-paired')).toBe('none');
    expect(await xb.worker.evaluate(() => chrome.storage.local.get('cxplan.jiraPairing'))).toEqual({});
    await page.close();
  });

  it('keeps captures queued while not paired, then pairs through the options page and sends them', async () => {
    const ids = [await clip(0), await clip(1), await clip(2)];
    const page = await options();
    await expect.poll(() => stateOf(page, ids[0] as string), POLL).toBe('queued');
    expect(await page.locator(`tr[data-clip-id="${ids[0]}"] td.state`).textContent()).toBe(
      'Waiting: not paired with Jira',
    );
    expect(ingest.log).toEqual([]);

    // Headless Chromium cannot show the permission prompt; the user allows the site in Site access instead,
    // after which the pairing's permissions.request() is granted without a prompt.
    await xb.allowSite('http://127.0.0.1/*');
    await page.fill('#trigger-url', ingest.url);
    await page.fill('#secret', ingest.secret.secret);
    await page.click('#pair');
    await expect.poll(() => page.locator('#pairing-status').getAttribute('data-paired'), POLL).toBe('ok');
    expect(
      await xb.worker.evaluate(() => chrome.permissions.contains({ origins: ['http://127.0.0.1/*'] })),
    ).toBe(true);

    await waitStored(ids);
    for (const id of ids) await expect.poll(() => stateOf(page, id), POLL).toBe('synced');
    const stored = await ingest.stored();
    expect(stored.get(ids[1] as string)?.evidence.text).toBe('checkout page timed out on step 1');
    await page.close();
  });

  it('survives an offline period: nothing is lost, it is sent when the network is back', async () => {
    ingest.setOffline(true);
    const ids = [await clip(3), await clip(4)];
    await expect.poll(() => ingest.log.some((l) => l.injected === 'drop'), { timeout: 15_000 }).toBe(true);
    const page = await options();
    await expect.poll(() => stateOf(page, ids[0] as string), POLL).toBe('queued');
    ingest.setOffline(false);
    // No user action: the outbox alarm retries after the backoff.
    await waitStored(ids, 45_000);
    await expect.poll(() => stateOf(page, ids[1] as string), { timeout: 10_000 }).toBe('synced');
    await page.close();
  });

  it('retries after a 503 (honouring Retry-After) and then stores the clip', async () => {
    ingest.failNext([503], 2);
    const before = ingest.log.length;
    const id = await clip(5);
    await waitStored([id], 45_000);
    const mine = ingest.log.slice(before).filter((l) => l.clientIds.includes(id));
    expect(mine.map((l) => l.status)).toEqual([503, 200]);
    const [refused, accepted] = mine;
    expect((accepted?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(1_900); // Retry-After: 2
  });

  it('resumes after a browser restart with captures still queued', async () => {
    ingest.setOffline(true);
    const ids = [await clip(6), await clip(7)];
    await expect
      .poll(() => ingest.log.filter((l) => l.injected === 'drop').length, { timeout: 15_000 })
      .toBeGreaterThan(1);
    await xb.quit();
    ingest.setOffline(false);
    xb = await launchSession(profile);
    reviews = await xb.context.newPage();
    await reviews.goto(pages.url('/reviews'));
    await waitStored(ids, 60_000);
  });

  it('after the admin rotates the secret: sending pauses with a clear message, and resumes once paired again', async () => {
    await ingest.rotate();
    const id = await clip(8);
    const page = await options();
    await expect
      .poll(() => page.locator('#pairing-status').getAttribute('data-paired'), { timeout: 15_000 })
      .toBe('broken');
    expect(await page.locator('#pairing-status').textContent()).toContain('pair the extension again');
    expect((await ingest.stored()).has(id)).toBe(false);
    expect(await stateOf(page, id)).toBe('queued'); // kept, not failed
    await page.fill('#trigger-url', ingest.url);
    await page.fill('#secret', ingest.secret.secret);
    await page.click('#pair');
    await expect.poll(() => page.locator('#pairing-status').getAttribute('data-paired'), POLL).toBe('ok');
    await waitStored([id]);
    await page.close();
  });

  it('refuses a forged request (wrong secret) with 401 and a replayed one with 409, storing nothing', async () => {
    const body = JSON.stringify({
      version: 1,
      sentAt: new Date().toISOString(),
      items: [
        {
          clientId: 'forged-1',
          kind: 'evidence',
          payload: {
            evidence: {
              id: 'forged-1',
              text: 'injected',
              sourceKind: 'customer',
              origin: { capturedBy: 'Mallory', capturedAt: new Date().toISOString() },
            },
          },
        },
      ],
    });
    const timestamp = String(Date.now());
    const nonce = 'forged-nonce-0123456789';
    const wrong = `cxp1.${ingest.secret.keyId}.${'Z'.repeat(43)}`;
    const forged = await fetch(ingest.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-cxplan-timestamp': timestamp,
        'x-cxplan-nonce': nonce,
        'x-cxplan-key-id': ingest.secret.keyId,
        'x-cxplan-signature': `v1=${signIngestRequest(wrong, timestamp, nonce, body)}`,
      },
      body,
    });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ ok: false, code: 'bad-signature' });

    const real = ingest.log.find((l) => l.status === 200 && l.request);
    if (!real?.request) throw new Error('no accepted request to replay');
    const headers = Object.fromEntries(
      Object.entries(real.request.headers)
        .filter(([k]) => k.startsWith('x-cxplan-') || k === 'content-type')
        .map(([k, v]) => [k, v[0] ?? '']),
    );
    const replay = await fetch(ingest.url, { method: 'POST', headers, body: real.request.body });
    // Within the ±5 min window the nonce gives it away (409); later the timestamp would (401).
    expect([409, 401]).toContain(replay.status);
    expect((await ingest.stored()).has('forged-1')).toBe(false);
  });

  it('ends with every capture stored exactly once, as the extension has it', async () => {
    const stored = await ingest.stored();
    expect([...stored.keys()].sort()).toEqual([...captured].sort());
    const created = ingest.log.flatMap((l) =>
      l.results.filter((r) => r.status === 'created').map((r) => r.clientId),
    );
    expect(created.sort()).toEqual([...captured].sort()); // created once each; resends came back as duplicates
    const rows = await xb.worker.evaluate(async () => {
      const open = indexedDB.open('cxplan');
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const all = await new Promise<Array<{ id: string; text: string }>>((resolve, reject) => {
        const req = db.transaction('evidence').objectStore('evidence').getAll();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      db.close();
      return all.map((r) => ({ id: r.id, text: r.text }));
    });
    expect(rows.map((r) => r.id).sort()).toEqual([...captured].sort());
    for (const row of rows) expect(stored.get(row.id)?.evidence.text).toBe(row.text);
  });
});
