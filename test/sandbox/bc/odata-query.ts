/**
 * The OData query options the BC simulator understands: a small real `$filter` parser (comparison
 * operators, `and`/`or`/`not`, parentheses, `contains`/`startswith`/`endswith`/`tolower`/`toupper`;
 * literals: strings with `''` escaping, numbers, booleans, null, GUIDs and ISO dates unquoted) and the
 * `$expand` / `$select` lists.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Row = Record<string, Json>;

/** Text of a JSON cell (the simulator's rows hold JSON values). */
export function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '';
  return JSON.stringify(value);
}

/** Thrown for a malformed query: the simulator answers 400 with BC's code. */
export class ODataQueryError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Token =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'guid'; v: string }
  | { t: 'date'; v: string }
  | { t: 'id'; v: string }
  | { t: 'punct'; v: '(' | ')' | ',' };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_@][A-Za-z0-9_./@]*/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ t: 'punct', v: ch });
      i += 1;
      continue;
    }
    if (ch === "'") {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length) throw syntax('unterminated string literal');
        const c = text[i] ?? '';
        if (c === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += c;
        i += 1;
      }
      tokens.push({ t: 'str', v: value });
      continue;
    }
    const rest = text.slice(i);
    const guid = GUID.exec(rest);
    if (guid && !/[0-9a-z]/i.test(rest[guid[0].length] ?? '')) {
      tokens.push({ t: 'guid', v: guid[0].toLowerCase() });
      i += guid[0].length;
      continue;
    }
    const date = DATE.exec(rest);
    if (date) {
      tokens.push({ t: 'date', v: date[0] });
      i += date[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      tokens.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const ident = IDENT.exec(rest);
    if (ident) {
      tokens.push({ t: 'id', v: ident[0] });
      i += ident[0].length;
      continue;
    }
    throw syntax(`unexpected character '${ch}' at position ${i}`);
  }
  return tokens;
}

function syntax(detail: string): ODataQueryError {
  return new ODataQueryError('BadRequest_NotFound', `Bad Request - Error in query syntax. ${detail}`);
}

export type FilterNode =
  | { kind: 'literal'; value: Json; literalType: 'string' | 'number' | 'boolean' | 'null' | 'guid' | 'date' }
  | { kind: 'field'; name: string }
  | { kind: 'call'; name: string; args: FilterNode[] }
  | { kind: 'compare'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; left: FilterNode; right: FilterNode }
  | { kind: 'logical'; op: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode };

const COMPARE_OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set(['contains', 'startswith', 'endswith', 'tolower', 'toupper']);

/** Parses a `$filter` expression. */
export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isKeyword = (token: Token | undefined, word: string): boolean =>
    token?.t === 'id' && token.v.toLowerCase() === word;

  function parseOr(): FilterNode {
    let left = parseAnd();
    while (isKeyword(peek(), 'or')) {
      pos += 1;
      left = { kind: 'logical', op: 'or', left, right: parseAnd() };
    }
    return left;
  }
  function parseAnd(): FilterNode {
    let left = parseUnary();
    while (isKeyword(peek(), 'and')) {
      pos += 1;
      left = { kind: 'logical', op: 'and', left, right: parseUnary() };
    }
    return left;
  }
  function parseUnary(): FilterNode {
    if (isKeyword(peek(), 'not')) {
      pos += 1;
      return { kind: 'not', operand: parseUnary() };
    }
    const left = parsePrimary();
    const next = peek();
    if (next?.t === 'id' && COMPARE_OPS.has(next.v.toLowerCase())) {
      pos += 1;
      const op = next.v.toLowerCase() as 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
      return { kind: 'compare', op, left, right: parsePrimary() };
    }
    return left;
  }
  function parsePrimary(): FilterNode {
    const token = peek();
    if (token === undefined) throw syntax('unexpected end of expression');
    pos += 1;
    switch (token.t) {
      case 'punct': {
        if (token.v !== '(') throw syntax(`unexpected '${token.v}'`);
        const inner = parseOr();
        expect(')');
        return inner;
      }
      case 'str':
        return { kind: 'literal', value: token.v, literalType: 'string' };
      case 'num':
        return { kind: 'literal', value: token.v, literalType: 'number' };
      case 'guid':
        return { kind: 'literal', value: token.v, literalType: 'guid' };
      case 'date':
        return { kind: 'literal', value: token.v, literalType: 'date' };
      case 'id': {
        const word = token.v.toLowerCase();
        if (word === 'true' || word === 'false')
          return { kind: 'literal', value: word === 'true', literalType: 'boolean' };
        if (word === 'null') return { kind: 'literal', value: null, literalType: 'null' };
        const after = peek();
        if (after?.t === 'punct' && after.v === '(') {
          if (!FUNCTIONS.has(word)) throw syntax(`unknown function '${token.v}'`);
          pos += 1;
          const args: FilterNode[] = [parseOr()];
          while (peek()?.t === 'punct' && peek()?.v === ',') {
            pos += 1;
            args.push(parseOr());
          }
          expect(')');
          return { kind: 'call', name: word, args };
        }
        return { kind: 'field', name: token.v };
      }
    }
  }
  function expect(punct: ')' | ','): void {
    const token = peek();
    if (token?.t !== 'punct' || token.v !== punct) throw syntax(`expected '${punct}'`);
    pos += 1;
  }

  const tree = parseOr();
  if (pos !== tokens.length) throw syntax('unexpected trailing input');
  return tree;
}

/** Fields referenced by a filter (for BC's "OR on distinct fields" rule and unknown-field errors). */
export function filterFields(node: FilterNode): string[] {
  switch (node.kind) {
    case 'field':
      return [node.name];
    case 'literal':
      return [];
    case 'call':
      return node.args.flatMap(filterFields);
    case 'compare':
    case 'logical':
      return [...filterFields(node.left), ...filterFields(node.right)];
    case 'not':
      return filterFields(node.operand);
  }
}

/** Rejects what BC rejects: `or` across different fields (reference §1.2). */
export function checkFilterSupported(node: FilterNode): void {
  if (node.kind === 'logical' && node.op === 'or') {
    const fields = new Set(filterFields(node));
    if (fields.size > 1) {
      throw new ODataQueryError(
        'BadRequest',
        "The 'OR' operator is not supported on distinct fields on an OData filter.",
      );
    }
  }
  if (node.kind === 'logical') {
    checkFilterSupported(node.left);
    checkFilterSupported(node.right);
  }
  if (node.kind === 'not') checkFilterSupported(node.operand);
}

export interface FilterContext {
  /** Code fields: BC upper-cases values compared with them, so comparisons are case-insensitive. */
  codeFields: ReadonlySet<string>;
  /** Every property of the entity type; other names are an error. */
  knownFields: ReadonlySet<string>;
  typeName: string;
}

interface Evaluated {
  value: Json;
  fromCodeField: boolean;
  isDate: boolean;
}

/** Whether `row` matches `node`. */
export function matchesFilter(node: FilterNode, row: Row, context: FilterContext): boolean {
  return truthy(evaluate(node, row, context).value);
}

function truthy(value: Json): boolean {
  return value === true;
}

function evaluate(node: FilterNode, row: Row, context: FilterContext): Evaluated {
  switch (node.kind) {
    case 'literal':
      return { value: node.value, fromCodeField: false, isDate: node.literalType === 'date' };
    case 'field': {
      if (!context.knownFields.has(node.name)) {
        throw new ODataQueryError(
          'BadRequest_NotFound',
          `Could not find a property named '${node.name}' on type 'Microsoft.NAV.${context.typeName}'.`,
        );
      }
      return { value: row[node.name] ?? null, fromCodeField: context.codeFields.has(node.name), isDate: false };
    }
    case 'not':
      return { value: !truthy(evaluate(node.operand, row, context).value), fromCodeField: false, isDate: false };
    case 'logical': {
      const left = truthy(evaluate(node.left, row, context).value);
      const result =
        node.op === 'and'
          ? left && truthy(evaluate(node.right, row, context).value)
          : left || truthy(evaluate(node.right, row, context).value);
      return { value: result, fromCodeField: false, isDate: false };
    }
    case 'call': {
      const args = node.args.map((arg) => evaluate(arg, row, context));
      const text = (i: number): string => {
        const a = args[i];
        const v = a?.value;
        const s = str(v);
        return args.some((x) => x.fromCodeField) ? s.toUpperCase() : s;
      };
      switch (node.name) {
        case 'tolower':
          return { value: text(0).toLowerCase(), fromCodeField: true, isDate: false };
        case 'toupper':
          return { value: text(0).toUpperCase(), fromCodeField: true, isDate: false };
        case 'contains':
          return { value: text(0).includes(text(1)), fromCodeField: false, isDate: false };
        case 'startswith':
          return { value: text(0).startsWith(text(1)), fromCodeField: false, isDate: false };
        case 'endswith':
          return { value: text(0).endsWith(text(1)), fromCodeField: false, isDate: false };
        default:
          throw syntax(`unknown function '${node.name}'`);
      }
    }
    case 'compare': {
      const left = evaluate(node.left, row, context);
      const right = evaluate(node.right, row, context);
      return { value: compare(node.op, left, right), fromCodeField: false, isDate: false };
    }
  }
}

function compare(op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le', left: Evaluated, right: Evaluated): boolean {
  let a: Json = left.value;
  let b: Json = right.value;
  if (left.isDate || right.isDate) {
    // A date-time literal against a date/date-time field: compare instants (dates as UTC midnight).
    a = typeof a === 'string' ? Date.parse(a) : a;
    b = typeof b === 'string' ? Date.parse(b) : b;
  } else if (left.fromCodeField || right.fromCodeField) {
    // D-CODE: a literal compared with a Code field is converted to Code, i.e. upper-cased and trimmed.
    if (typeof a === 'string') a = a.trim().toUpperCase();
    if (typeof b === 'string') b = b.trim().toUpperCase();
  }
  if (typeof a === 'string' && typeof b === 'string' && /^[0-9a-f-]{36}$/i.test(a) && /^[0-9a-f-]{36}$/i.test(b)) {
    a = a.toLowerCase();
    b = b.toLowerCase();
  }
  if (op === 'eq') return a === b;
  if (op === 'ne') return a !== b;
  if (a === null || b === null) return false;
  if (typeof a !== typeof b || (typeof a !== 'string' && typeof a !== 'number')) return false;
  const ordered = a < b ? -1 : a > b ? 1 : 0;
  switch (op) {
    case 'gt':
      return ordered > 0;
    case 'ge':
      return ordered >= 0;
    case 'lt':
      return ordered < 0;
    case 'le':
      return ordered <= 0;
  }
}

export interface ExpandItem {
  name: string;
  expand: ExpandItem[];
}

/** Parses `$expand=purchaseInvoiceLines($expand=dimensionSetLines),dimensionSetLines`. */
export function parseExpand(text: string): ExpandItem[] {
  const items: ExpandItem[] = [];
  let i = 0;
  while (i < text.length) {
    const nameMatch = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*/.exec(text.slice(i));
    if (!nameMatch?.[1]) throw syntax(`bad $expand near position ${i}`);
    i += nameMatch[0].length;
    let nested: ExpandItem[] = [];
    if (text[i] === '(') {
      let depth = 1;
      const start = i + 1;
      i += 1;
      while (i < text.length && depth > 0) {
        if (text[i] === '(') depth += 1;
        if (text[i] === ')') depth -= 1;
        i += 1;
      }
      if (depth !== 0) throw syntax('unbalanced parentheses in $expand');
      const inner = text.slice(start, i - 1);
      for (const option of inner.split(';')) {
        const [key, value] = option.split('=', 2);
        if (key?.trim() === '$expand' && value !== undefined) nested = parseExpand(value);
        else if (key?.trim() !== '' && key?.trim() !== '$select')
          throw syntax(`unsupported nested option '${key ?? ''}'`);
      }
    }
    items.push({ name: nameMatch[1], expand: nested });
    while (text[i] === ' ') i += 1;
    if (text[i] === ',') i += 1;
  }
  return items;
}
