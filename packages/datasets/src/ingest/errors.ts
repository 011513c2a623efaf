import { CassdlError } from '@cassdl/schema';

/**
 * An ingest stopped on a bad input file (with `strict`) or a table that does
 * not fit the dataset. `path` names the file or table to fix.
 */
export class CassdlIngestError extends CassdlError<'ERR_CASSDL_INGEST'> {
  readonly path: string;

  constructor(message: string, path: string) {
    super('ERR_CASSDL_INGEST', message);
    this.path = path;
  }
}
