import { webTrigger } from '@forge/api';

/** The manifest key of the ingest web trigger. */
export const INGEST_TRIGGER_KEY = 'cxplan-ingest';

/**
 * The ingest web trigger's URL for this installation, to paste into the extension with the secret. Forge makes
 * one stable URL per installation and module; the URL alone grants nothing (every request must be signed).
 */
export function ingestTriggerUrl(): Promise<string> {
  return webTrigger.getUrl(INGEST_TRIGGER_KEY);
}
