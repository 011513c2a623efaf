import { z } from 'zod';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/;

/** True when `text` holds PEM data (a whole `-----BEGIN X----- ... -----END X-----` block) rather than a path. */
export function isPem(text: string): boolean {
  return PEM_BLOCK.test(text);
}

/**
 * TLS material given either inline as PEM or as a file path. Only the shape
 * is checked here (this package never touches the file system): a string
 * that starts a PEM block must finish it; anything else must look like a path.
 */
export const pemOrPathSchema = z
  .string()
  .min(1)
  .refine((s) => (s.includes('-----BEGIN') ? isPem(s) : !/[\n\r\0]/.test(s)), {
    error: 'file path or complete PEM text (-----BEGIN ...----- to -----END ...-----)',
  });
