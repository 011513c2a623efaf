// Placeholder until the schema package lands; the schema helper replaces this file.
export type LabelType = 'int' | 'blob' | 'none';
