import type { Browser } from 'wxt/browser';
import type { Failure } from '../messaging/protocol';

/** The toolbar-button API: `action` in MV3, `browserAction` in Firefox's MV2 build. */
export type BadgeApi = Pick<typeof Browser.action, 'setBadgeText' | 'setTitle' | 'setBadgeBackgroundColor'>;

/**
 * Tells the user what happened to a capture that had no window of its own (context menu, shortcut): a "!" badge
 * and the reason as the button's tooltip on failure, cleared on success; the popup shows the same sentence.
 */
export class CaptureStatusBoard {
  private readonly errors = new Map<number, Failure>();

  constructor(private readonly badge: BadgeApi | undefined) {}

  /** Records the outcome of a capture in a tab. */
  async record(tabId: number, failure: Failure | null): Promise<void> {
    if (failure === null) this.errors.delete(tabId);
    else this.errors.set(tabId, failure);
    if (this.badge === undefined) return;
    try {
      await this.badge.setBadgeText({ tabId, text: failure === null ? '' : '!' });
      await this.badge.setTitle({ tabId, title: failure === null ? 'cxplan' : `cxplan: ${failure.message}` });
      if (failure !== null) await this.badge.setBadgeBackgroundColor({ tabId, color: '#b00020' });
    } catch {
      // The tab may have closed in between; the status is only advice.
    }
  }

  /** The last capture failure in a tab, or null. */
  lastError(tabId: number): Failure | null {
    return this.errors.get(tabId) ?? null;
  }
}
