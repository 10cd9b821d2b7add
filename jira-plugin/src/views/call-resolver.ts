import { invoke } from '@forge/bridge';
import type { Answer } from '../resolvers/answer';

/**
 * Calls a resolver function of this app. Without invoke metadata the bridge hands back the resolver's own
 * result, so the wider `InvokeResponse` type of `@forge/bridge` is narrowed to it here, in one place.
 */
export async function callResolver<T>(
  functionKey: string,
  payload?: Record<string, unknown>,
): Promise<Answer<T>> {
  try {
    return (await invoke(functionKey, payload)) as Answer<T>;
  } catch (error) {
    return {
      ok: false,
      message: `cxplan could not reach its back end: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
