/**
 * An ingest stopped on a bad input file (with `strict`) or a table that does
 * not fit the dataset. `path` names the file or table to fix.
 */
export class CassdlIngestError extends Error {
  readonly code = 'ERR_CASSDL_INGEST' as const;
  readonly path: string;

  constructor(message: string, path: string) {
    super(message);
    this.name = 'CassdlIngestError';
    this.path = path;
  }
}
