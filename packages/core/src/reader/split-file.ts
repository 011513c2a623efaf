import { readFile } from 'node:fs/promises';
import {
  CassdlValidationError,
  parseSplitFile,
  type SplitFile,
  validationIssue,
} from '@cassdl/schema';

/**
 * Reads and checks a split file (`cassdl split create`'s JSON). An unreadable
 * file is a validation error at `field` (the option that named it), so the
 * reader and the CLI word it alike.
 */
export async function readSplitFile(path: string, field = 'reader.splitFile'): Promise<SplitFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CassdlValidationError(
      [validationIssue(field, 'a readable split file', `${JSON.stringify(path)} (${reason})`)],
      'split file',
    );
  }
  return parseSplitFile(text);
}
