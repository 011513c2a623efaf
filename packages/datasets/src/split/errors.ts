/** A split cannot be made from this table as asked; `table` names it. */
export class CassdlSplitError extends Error {
  readonly code = 'ERR_CASSDL_SPLIT' as const;
  readonly table: string;

  constructor(message: string, table: string) {
    super(message);
    this.name = 'CassdlSplitError';
    this.table = table;
  }
}
