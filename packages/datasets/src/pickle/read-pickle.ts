import { CassdlPickleError } from './errors.js';
import {
  ALLOWED_GLOBALS,
  NdArray,
  NpDtype,
  type PickleGlobal,
  type PickleValue,
  PyTuple,
  PyUuid,
} from './values.js';

/** Stack entries: values (the globals a pickle names among them) and MARK. */
type Entry = PickleValue | typeof MARK;
const MARK = Symbol('mark');
const NOT_LITERAL = Symbol('not a literal');

const TEXT = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a pickle of protocol 2 to 5 (what Python 3's `pickle.dump` writes)
 * without running any of it: a small stack machine that knows the opcodes of
 * those protocols and builds values only from `ALLOWED_GLOBALS` (numpy
 * arrays, `uuid.UUID`). Any other global, an out-of-band buffer, or a text
 * protocol 0/1 opcode stops with a `CassdlPickleError` naming it and its
 * byte offset. `what` names the file in messages.
 */
export function readPickle(bytes: Uint8Array, what: string): PickleValue {
  return new PickleMachine(bytes, what).run();
}

class PickleMachine {
  private at = 0;
  private stack: Entry[] = [];
  private readonly memo = new Map<number, Entry>();
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  run(): PickleValue {
    for (;;) {
      const start = this.at;
      const op = this.u8();
      if (op === 0x2e /* STOP . */) return this.value(this.pop(), start);
      this.step(op, start);
    }
  }

  private fail(message: string, at = this.at): never {
    throw new CassdlPickleError(`${this.what}: ${message} (at byte ${at})`);
  }

  private step(op: number, start: number): void {
    const literal = this.literal(op, start);
    if (literal !== NOT_LITERAL) {
      this.stack.push(literal);
      return;
    }
    switch (op) {
      case 0x80: // PROTO
        if (this.u8() < 2)
          this.fail('pickle protocol 0/1 is not read; save with protocol 2 or newer', start);
        return;
      case 0x95: // FRAME: a length prefix only
        this.take(8);
        return;
      case 0x28: // MARK (
        this.stack.push(MARK);
        return;
      case 0x30: // POP 0
        this.pop();
        return;
      case 0x31: // POP_MARK 1
        this.popMark();
        return;
      case 0x32: // DUP 2
        this.stack.push(this.top());
        return;
      case 0x85: // TUPLE1
      case 0x86: // TUPLE2
      case 0x87: {
        // TUPLE3
        const n = op - 0x84;
        if (this.stack.length < n) this.fail('stack underflow', start);
        const items = this.stack.splice(this.stack.length - n, n);
        this.stack.push(new PyTuple(items.map((e) => this.value(e, start))));
        return;
      }
      case 0x61: {
        // APPEND a
        const item = this.value(this.pop(), start);
        this.list(start).push(item);
        return;
      }
      case 0x65: {
        // APPENDS e
        const items = this.popMark().map((e) => this.value(e, start));
        this.list(start).push(...items);
        return;
      }
      case 0x73: {
        // SETITEM s
        const value = this.value(this.pop(), start);
        const key = this.value(this.pop(), start);
        this.dict(start).set(key, value);
        return;
      }
      case 0x75: {
        // SETITEMS u
        const items = this.popMark().map((e) => this.value(e, start));
        const dict = this.dict(start);
        for (let i = 0; i + 1 < items.length; i += 2)
          dict.set(items[i] as PickleValue, items[i + 1] as PickleValue);
        return;
      }
      case 0x63: // GLOBAL c: "module\nname\n"
        this.pushGlobal(`${this.line()} ${this.line()}`, start);
        return;
      case 0x93: {
        // STACK_GLOBAL
        const name = this.pop();
        const module = this.pop();
        if (typeof module !== 'string' || typeof name !== 'string')
          this.fail('STACK_GLOBAL without module and name strings', start);
        this.pushGlobal(`${module} ${name}`, start);
        return;
      }
      case 0x52: {
        // REDUCE R
        const args = this.pop();
        const callable = this.pop();
        if (!isGlobal(callable) || callable.kind !== 'call' || !(args instanceof PyTuple))
          this.fail('REDUCE of something that is not an allowed function', start);
        this.stack.push(this.guard(() => callable.call(args.items), start));
        return;
      }
      case 0x81: // NEWOBJ
      case 0x92: {
        // NEWOBJ_EX
        if (op === 0x92) this.pop(); // kwargs
        this.pop(); // args: UUID takes none, its state comes by BUILD
        const cls = this.pop();
        if (!isGlobal(cls) || cls.kind !== 'class')
          this.fail('NEWOBJ of something that is not an allowed class', start);
        this.stack.push(cls.create());
        return;
      }
      case 0x62: {
        // BUILD b
        const state = this.value(this.pop(), start);
        const target = this.top();
        if (target instanceof PyUuid || target instanceof NdArray || target instanceof NpDtype)
          this.guard(() => target.setState(state), start);
        else this.fail('BUILD on a value that takes no state', start);
        return;
      }
      case 0x94: // MEMOIZE
        this.memo.set(this.memo.size, this.top());
        return;
      case 0x71: // BINPUT q
        this.memo.set(this.u8(), this.top());
        return;
      case 0x72: // LONG_BINPUT r
        this.memo.set(this.u32(), this.top());
        return;
      case 0x68: // BINGET h
        this.get(this.u8(), start);
        return;
      case 0x6a: // LONG_BINGET j
        this.get(this.u32(), start);
        return;
      case 0x97: // NEXT_BUFFER
      case 0x98: // READONLY_BUFFER
        this.fail('an out-of-band buffer (pickled with buffer_callback); pickle in-band', start);
        break;
      default:
        this.fail(
          `opcode 0x${op.toString(16)} (${JSON.stringify(String.fromCharCode(op))}), ` +
            'which pickles of dicts, lists, str, int, numpy int arrays and uuid.UUID do not use',
          start,
        );
    }
  }

  /** The value a constant opcode pushes (numbers, strings, bytes, None, booleans), or NOT_LITERAL. */
  private literal(op: number, start: number): PickleValue | typeof NOT_LITERAL {
    switch (op) {
      case 0x4e: // NONE N
        return null;
      case 0x88: // NEWTRUE
        return true;
      case 0x89: // NEWFALSE
        return false;
      case 0x4a: // BININT J
        return this.view.getInt32(this.advance(4), true);
      case 0x4b: // BININT1 K
        return this.u8();
      case 0x4d: // BININT2 M
        return this.view.getUint16(this.advance(2), true);
      case 0x8a: // LONG1
        return this.long(this.u8());
      case 0x8b: // LONG4
        return this.long(this.u32());
      case 0x47: // BINFLOAT G
        return this.view.getFloat64(this.advance(8), false);
      case 0x8c: // SHORT_BINUNICODE
        return this.text(this.u8());
      case 0x58: // BINUNICODE X
        return this.text(this.u32());
      case 0x8d: // BINUNICODE8
        return this.text(this.u64());
      case 0x43: // SHORT_BINBYTES C
        return new Uint8Array(this.take(this.u8()));
      case 0x42: // BINBYTES B
        return new Uint8Array(this.take(this.u32()));
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        return new Uint8Array(this.take(this.u64()));
      case 0x29: // EMPTY_TUPLE )
        return new PyTuple([]);
      case 0x74: // TUPLE t
        return new PyTuple(this.popMark().map((e) => this.value(e, start)));
      case 0x5d: // EMPTY_LIST ]
        return [];
      case 0x7d: // EMPTY_DICT }
        return new Map();
      default:
        return NOT_LITERAL;
    }
  }

  private pushGlobal(key: string, start: number): void {
    const found = ALLOWED_GLOBALS.get(key);
    if (found !== undefined) {
      this.stack.push(found);
      return;
    }
    const name = key.replace(' ', '.');
    const hint = name.startsWith('pandas')
      ? ' (a pandas object, such as the metadata cache of cache_db_data_to_file: read the split file or the id list instead)'
      : '';
    this.fail(
      `the pickle needs ${name}${hint}; cassdl reads only dict, list, tuple, str, int, ` +
        'numpy integer arrays and uuid.UUID, and runs no code from the file',
      start,
    );
  }

  private guard<T>(work: () => T, start: number): T {
    try {
      return work();
    } catch (error) {
      if (error instanceof CassdlPickleError) this.fail(error.message, start);
      throw error;
    }
  }

  private get(index: number, start: number): void {
    const entry = this.memo.get(index);
    if (entry === undefined) this.fail(`memo entry ${index} used before it is set`, start);
    this.stack.push(entry);
  }

  private pop(): Entry {
    if (this.stack.length === 0) this.fail('stack underflow');
    return this.stack.pop() as Entry;
  }

  private top(): Entry {
    if (this.stack.length === 0) this.fail('stack underflow');
    return this.stack[this.stack.length - 1] as Entry;
  }

  private popMark(): Entry[] {
    const mark = this.stack.lastIndexOf(MARK);
    if (mark < 0) this.fail('no MARK on the stack');
    const items = this.stack.slice(mark + 1);
    this.stack.length = mark;
    return items;
  }

  private list(start: number): PickleValue[] {
    const target = this.top();
    if (!Array.isArray(target)) this.fail('APPEND to something that is not a list', start);
    return target;
  }

  private dict(start: number): Map<PickleValue, PickleValue> {
    const target = this.top();
    if (!(target instanceof Map)) this.fail('SETITEM on something that is not a dict', start);
    return target;
  }

  /** A stack entry as a value: MARK is not one. */
  private value(entry: Entry, start: number): PickleValue {
    if (entry === MARK) this.fail('a MARK used as a value', start);
    return entry;
  }

  private advance(n: number): number {
    if (n > this.bytes.length - this.at) this.fail('the file ends early (truncated?)');
    const at = this.at;
    this.at += n;
    return at;
  }

  private take(n: number): Uint8Array {
    const at = this.advance(n);
    return this.bytes.subarray(at, at + n);
  }

  private u8(): number {
    return this.view.getUint8(this.advance(1));
  }

  private u32(): number {
    return this.view.getUint32(this.advance(4), true);
  }

  private u64(): number {
    const n = this.view.getBigUint64(this.advance(8), true);
    if (n > BigInt(this.bytes.length)) this.fail('a length beyond the end of the file');
    return Number(n);
  }

  private text(n: number): string {
    try {
      return TEXT.decode(this.take(n));
    } catch {
      return this.fail('a string that is not UTF-8');
    }
  }

  private line(): string {
    const end = this.bytes.indexOf(0x0a, this.at);
    if (end < 0) this.fail('a GLOBAL name without its newline');
    const text = Buffer.from(this.bytes.subarray(this.at, end)).toString('latin1');
    this.at = end + 1;
    return text;
  }

  /** Two's-complement little-endian integer of `n` bytes. */
  private long(n: number): number | bigint {
    const b = this.take(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] ?? 0);
    if (n > 0 && ((b[n - 1] ?? 0) & 0x80) !== 0) v -= 1n << BigInt(8 * n);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : v;
  }
}

function isGlobal(entry: Entry): entry is PickleGlobal {
  return (
    typeof entry === 'object' &&
    entry !== null &&
    'kind' in entry &&
    !(entry instanceof Map) &&
    !Array.isArray(entry)
  );
}
