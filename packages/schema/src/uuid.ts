import { z } from 'zod';
import {
  CassdlValidationError,
  capIssues,
  MAX_REPORTED_ISSUES,
  type ValidationIssue,
  validationIssue,
} from './errors.js';
import { describeReceived } from './validation/describe.js';
import { addIssue } from './validation/refine.js';

/** How a UUID should look, shared by every error that rejects one. */
export const UUID_EXPECTED = 'UUID such as 123e4567-e89b-12d3-a456-426614174000';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

// Where each byte's two hex digits start in the hyphenated and bare forms.
const DASHED_DIGITS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
const BARE_DIGITS = DASHED_DIGITS.map((_, i) => 2 * i);

/**
 * Decodes a UUID's text into `out` at `offset`; false when the text is not a
 * UUID. Accepts the RFC 4122 forms people paste: canonical with hyphens, 32
 * bare hex digits, `{braced}`, `urn:uuid:` prefixed; any letter case.
 * Allocation-free: split files and id lists hold millions of these.
 */
export function decodeUuidInto(text: string, out: Uint8Array, offset: number): boolean {
  let start = 0;
  let length = text.length;
  if (length === 45 && text.slice(0, 9).toLowerCase() === 'urn:uuid:') {
    start = 9;
    length = 36;
  } else if (length === 38 && text.charCodeAt(0) === 0x7b && text.charCodeAt(37) === 0x7d) {
    start = 1; // {...}
    length = 36;
  }
  let digits: readonly number[];
  if (length === 32) digits = BARE_DIGITS;
  else if (length === 36 && hasDashes(text, start)) digits = DASHED_DIGITS;
  else return false;
  for (let i = 0; i < 16; i++) {
    const at = start + (digits[i] ?? 0);
    const hi = hexValue(text.charCodeAt(at));
    const lo = hexValue(text.charCodeAt(at + 1));
    if (hi < 0 || lo < 0) return false;
    out[offset + i] = (hi << 4) | lo;
  }
  return true;
}

function hasDashes(text: string, start: number): boolean {
  const dash = 0x2d;
  return (
    text.charCodeAt(start + 8) === dash &&
    text.charCodeAt(start + 13) === dash &&
    text.charCodeAt(start + 18) === dash &&
    text.charCodeAt(start + 23) === dash
  );
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  const lower = code | 0x20; // folds A-F onto a-f
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/** Canonical lowercase text of the 16 bytes at `offset`. */
export function formatUuid(bytes: Uint8Array, offset = 0): string {
  if (!Number.isInteger(offset) || offset < 0 || offset + 16 > bytes.length) {
    throw new RangeError(
      `formatUuid: offset ${offset} needs 16 bytes but the array has ${bytes.length}`,
    );
  }
  let text = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text += '-';
    text += HEX[bytes[offset + i] ?? 0];
  }
  return text;
}

/** The 16 bytes of a UUID's text; throws CassdlValidationError naming the text. */
export function parseUuid(text: string): Uint8Array {
  const bytes = new Uint8Array(16);
  if (typeof text === 'string' && decodeUuidInto(text, bytes, 0)) return bytes;
  throw new CassdlValidationError(
    [validationIssue('uuid', UUID_EXPECTED, describeReceived(text))],
    'UUID',
  );
}

/**
 * Packs UUID texts into one `Uint8Array` of `16 * n` bytes (the layout keys
 * travel in). Every bad entry is reported with its index, not only the first.
 */
export function packUuids(texts: readonly string[]): Uint8Array {
  const packed = new Uint8Array(texts.length * 16);
  const bad: ValidationIssue[] = [];
  let badCount = 0;
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i];
    if (typeof text === 'string' && decodeUuidInto(text, packed, i * 16)) continue;
    if (++badCount <= MAX_REPORTED_ISSUES) {
      bad.push(validationIssue(`uuids[${i}]`, UUID_EXPECTED, describeReceived(text)));
    }
  }
  if (badCount > 0) throw new CassdlValidationError(capIssues(bad, badCount, 'uuids'), 'UUID list');
  return packed;
}

const scratch = new Uint8Array(16);
const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Normalises one UUID's text to canonical lowercase, or null when it is not a UUID. */
export function normalizeUuid(text: string): string | null {
  if (CANONICAL.test(text)) return text; // the common case, without re-encoding
  return decodeUuidInto(text, scratch, 0) ? formatUuid(scratch) : null;
}

/** A UUID in any RFC 4122 text form, output in canonical lowercase. */
export const uuidStringSchema = z.string().transform((text, ctx) => {
  const normal = normalizeUuid(text);
  if (normal !== null) return normal;
  ctx.addIssue({ code: 'invalid_format', format: 'uuid', message: UUID_EXPECTED, input: text });
  return z.NEVER;
});

/**
 * Reports bad ids of a list from a schema: the first MAX_REPORTED_ISSUES by
 * index, then one line counting the rest.
 */
export class BadUuidReporter {
  private count = 0;

  constructor(private readonly ctx: z.core.$RefinementCtx) {}

  get any(): boolean {
    return this.count > 0;
  }

  add(index: number, text: unknown): void {
    if (++this.count <= MAX_REPORTED_ISSUES) addIssue(this.ctx, [index], UUID_EXPECTED, text);
  }

  finish(): void {
    const more = this.count - MAX_REPORTED_ISSUES;
    if (more > 0) {
      addIssue(this.ctx, [], UUID_EXPECTED, undefined, {
        detail: `… and ${more} more ids that are not UUIDs`,
      });
    }
  }
}

/**
 * A list of UUID texts, each normalised to canonical lowercase in one pass
 * (a per-element schema costs seconds on a million-id split file).
 */
export const uuidListSchema = z.array(z.string()).transform((ids, ctx) => {
  const bad = new BadUuidReporter(ctx);
  const out = ids.map((id, i) => {
    const normal = normalizeUuid(id);
    if (normal === null) bad.add(i, id);
    return normal ?? '';
  });
  bad.finish();
  return bad.any ? z.NEVER : out;
});
