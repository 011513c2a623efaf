import type { z } from 'zod';

// The slice of zod 4's internal definition this walk reads. zod keeps it
// stable as `_zod.def`; typing it narrowly keeps the walk honest.
interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly left?: z.ZodType;
  readonly right?: z.ZodType;
  readonly getter?: () => z.ZodType;
}

const def = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * The option names an object schema accepts at `path`, found by walking the
 * schema (through optional/default/pipe/array/record/union wrappers) so an
 * unknown-key error can suggest the closest real name.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const keys = new Set<string>();
  collect(schema, path, keys, 0);
  return [...keys];
}

function collect(schema: z.ZodType, path: readonly PropertyKey[], out: Set<string>, depth: number) {
  if (depth > 64) return; // recursive (lazy) schemas: give up rather than loop
  const d = def(schema);
  const next = (inner: z.ZodType | undefined, rest = path) => {
    if (inner !== undefined) collect(inner, rest, out, depth + 1);
  };
  switch (d.type) {
    case 'object': {
      const shape = d.shape ?? {};
      if (path.length === 0) for (const key of Object.keys(shape)) out.add(key);
      else next(shape[String(path[0])], path.slice(1));
      return;
    }
    case 'array':
      return next(d.element, path.slice(1));
    case 'record':
      return next(d.valueType, path.slice(1));
    case 'pipe':
      return next(d.in);
    case 'union':
      for (const option of d.options ?? []) next(option);
      return;
    case 'intersection':
      next(d.left);
      return next(d.right);
    case 'lazy':
      return next(d.getter?.());
    default:
      // optional, nullable, default, prefault, readonly, catch, nonoptional...
      return next(d.innerType);
  }
}
