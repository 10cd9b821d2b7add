import { toWebAnnotation, type WebAnnotation } from '@cxplan/core';
import type { StorageService } from './storage-service';

/** The clips as W3C Web Annotations, and the ids of evidence that has no page to annotate. */
export interface AnnotationExport {
  annotations: WebAnnotation[];
  skipped: { id: string; message: string }[];
}

/** Exports every stored clip as a W3C Web Annotation (JSON-LD) with the core's mapping, tags named by the framework. */
export async function exportAnnotations(storage: StorageService): Promise<AnnotationExport> {
  const [evidence, stages, events, touchpoints] = await Promise.all([
    storage.list('evidence'),
    storage.list('stages'),
    storage.list('events'),
    storage.list('touchpoints'),
  ]);
  const out: AnnotationExport = { annotations: [], skipped: [] };
  for (const e of evidence) {
    const r = toWebAnnotation(e, { stages, events, touchpoints });
    if (r.ok) out.annotations.push(r.annotation);
    else out.skipped.push({ id: e.id, message: r.message });
  }
  return out;
}
