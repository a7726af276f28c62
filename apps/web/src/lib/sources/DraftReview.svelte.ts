import { SvelteSet } from 'svelte/reactivity';
import { ApiError, createSource, type SourceDraft } from '../api.ts';
import { type FieldErrors, fieldsFromCsl, type MetadataFields, metadataPatch } from './metadataFields.ts';

export type Proposal = SourceDraft['proposals'][number];

/** A stretch of the preview text, either kept as it is or proposed for removal. */
export interface PreviewSegment {
  text: string;
  proposal: Proposal | null;
}

/** Cuts the normalised text at the proposals (offsets into it); overlaps are clipped, not repeated. */
export function previewSegments(text: string, proposals: readonly Proposal[]): PreviewSegment[] {
  const segments: PreviewSegment[] = [];
  let at = 0;
  for (const proposal of [...proposals].sort((a, b) => a.start - b.start)) {
    const start = Math.max(at, proposal.start);
    const end = Math.min(text.length, proposal.end);
    if (end <= start) continue;
    if (start > at) segments.push({ text: text.slice(at, start), proposal: null });
    segments.push({ text: text.slice(start, end), proposal });
    at = end;
  }
  if (at < text.length) segments.push({ text: text.slice(at), proposal: null });
  return segments;
}

/**
 * One imported file, page or paste that a person reviews before it enters the library: which
 * proposed removals to accept, and corrections to the extracted metadata.
 */
export class DraftReview {
  readonly key = globalThis.crypto.randomUUID();
  readonly accepted: SvelteSet<string>;
  readonly segments: PreviewSegment[];
  fields: MetadataFields;
  fieldErrors = $state<FieldErrors>({});
  /** The library already holds this content: the person must confirm before saving a second copy. */
  duplicate: { sourceId: string; title: string } | null;
  saving = $state(false);
  error = $state<string | null>(null);
  saved = $state<{ id: string; title: string } | null>(null);

  constructor(readonly draft: SourceDraft) {
    this.accepted = new SvelteSet(draft.proposals.map((p) => p.id));
    this.segments = previewSegments(draft.normalised, draft.proposals);
    this.fields = $state(fieldsFromCsl(draft.metadata));
    this.duplicate = $state(draft.duplicate);
  }

  get label(): string {
    return this.draft.fileName ?? this.draft.url ?? 'Pasted text';
  }

  toggle(id: string, accept: boolean): void {
    if (accept) this.accepted.add(id);
    else this.accepted.delete(id);
  }

  /** Saves the reviewed source; on refusal nothing is stored and the reason is shown. */
  async save(allowDuplicate = false): Promise<boolean> {
    const { patch, errors } = metadataPatch(this.fields, this.draft.metadata);
    this.fieldErrors = errors;
    if (Object.keys(errors).length > 0) return false;
    this.saving = true;
    this.error = null;
    try {
      this.saved = await createSource({
        format: this.draft.format,
        content: this.draft.content,
        ...(this.draft.fileName ? { fileName: this.draft.fileName } : {}),
        ...(this.draft.url ? { url: this.draft.url } : {}),
        acceptedCleaning: this.draft.proposals.filter((p) => this.accepted.has(p.id)).map((p) => p.id),
        metadata: patch,
        ...(allowDuplicate ? { allowDuplicate } : {}),
      });
      this.duplicate = null;
      return true;
    } catch (cause) {
      if (
        cause instanceof ApiError &&
        cause.code === 'duplicate_source' &&
        typeof cause.details.sourceId === 'string'
      ) {
        const title = typeof cause.details.title === 'string' ? cause.details.title : 'another source';
        this.duplicate = { sourceId: cause.details.sourceId, title };
      } else {
        this.error = cause instanceof Error ? cause.message : String(cause);
      }
      return false;
    } finally {
      this.saving = false;
    }
  }
}
