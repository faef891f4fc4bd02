/**
 * A small KQL evaluator for the subset our alert and workbook queries use, so their logic can be tested on
 * rows shaped as Application Insights stores them (there is no local Kusto engine). Supported: a table name,
 * then `where`, `extend`, `project`, `summarize … by …` (count, sum, min, max, arg_max; arithmetic over
 * aggregates), `order by`; scalar `tostring`, `todouble`, `bin`, `ago`, `in (…)`, `and`/`or`, comparisons and
 * arithmetic; `customDimensions.x` property access; timespans like `15m`. Anything else throws, so a query
 * that grows past the subset fails its test instead of passing untested.
 */
export type Row = Record<string, unknown>;
export type Tables = Record<string, Row[]>;

type Token = { kind: 'num' | 'str' | 'id' | 'op' | 'span'; text: string; value?: number };

const SPAN_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s+|(\d+(?:\.\d+)?)(ms|s|m|h|d)\b|(\d+(?:\.\d+)?)|"([^"]*)"|'([^']*)'|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|>=|<=|[|(),.=<>+\-*/])/gy;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < text.length && (match = pattern.exec(text)) !== null) {
    const [whole, spanNum, spanUnit, num, dq, sq, id, op] = match;
    if (spanNum !== undefined && spanUnit !== undefined)
      tokens.push({ kind: 'span', text: whole, value: Number(spanNum) * (SPAN_MS[spanUnit] ?? 0) });
    else if (num !== undefined) tokens.push({ kind: 'num', text: whole, value: Number(num) });
    else if (dq !== undefined || sq !== undefined) tokens.push({ kind: 'str', text: dq ?? sq ?? '' });
    else if (id !== undefined) tokens.push({ kind: 'id', text: id });
    else if (op !== undefined) tokens.push({ kind: 'op', text: op });
  }
  if (pattern.lastIndex < text.length) throw new Error(`KQL subset: cannot read "${text.slice(pattern.lastIndex)}"`);
  return tokens;
}

type Expr =
  | { type: 'lit'; value: unknown }
  | { type: 'col'; path: string[] }
  | { type: 'call'; name: string; args: Expr[] }
  | { type: 'bin'; op: string; left: Expr; right: Expr }
  | { type: 'in'; left: Expr; list: Expr[] };

const AGGREGATES = new Set(['count', 'sum', 'min', 'max', 'arg_max']);

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}
  peek(text?: string): Token | undefined {
    const t = this.tokens[this.i];
    return text === undefined || t?.text === text ? t : undefined;
  }
  next(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw new Error('KQL subset: unexpected end of query');
    return t;
  }
  expect(text: string): void {
    const t = this.next();
    if (t.text !== text) throw new Error(`KQL subset: expected "${text}", got "${t.text}"`);
  }
  done(): boolean {
    return this.i >= this.tokens.length;
  }
  expr(): Expr {
    return this.or();
  }
  private or(): Expr {
    let left = this.and();
    while (this.peek('or')) {
      this.next();
      left = { type: 'bin', op: 'or', left, right: this.and() };
    }
    return left;
  }
  private and(): Expr {
    let left = this.comparison();
    while (this.peek('and')) {
      this.next();
      left = { type: 'bin', op: 'and', left, right: this.comparison() };
    }
    return left;
  }
  private comparison(): Expr {
    const left = this.additive();
    const t = this.peek();
    if (t && ['==', '!=', '>', '<', '>=', '<='].includes(t.text)) {
      this.next();
      return { type: 'bin', op: t.text, left, right: this.additive() };
    }
    if (t?.text === 'in') {
      this.next();
      this.expect('(');
      const list = [this.expr()];
      while (this.peek(',')) {
        this.next();
        list.push(this.expr());
      }
      this.expect(')');
      return { type: 'in', left, list };
    }
    return left;
  }
  private additive(): Expr {
    let left = this.multiplicative();
    for (let t = this.peek(); t && (t.text === '+' || t.text === '-'); t = this.peek()) {
      this.next();
      left = { type: 'bin', op: t.text, left, right: this.multiplicative() };
    }
    return left;
  }
  private multiplicative(): Expr {
    let left = this.primary();
    for (let t = this.peek(); t && (t.text === '*' || t.text === '/'); t = this.peek()) {
      this.next();
      left = { type: 'bin', op: t.text, left, right: this.primary() };
    }
    return left;
  }
  private primary(): Expr {
    const t = this.next();
    if (t.kind === 'num' || t.kind === 'span') return { type: 'lit', value: t.value };
    if (t.kind === 'str') return { type: 'lit', value: t.text };
    if (t.text === '(') {
      const inner = this.expr();
      this.expect(')');
      return inner;
    }
    if (t.kind !== 'id') throw new Error(`KQL subset: unexpected "${t.text}"`);
    if (t.text === 'true' || t.text === 'false') return { type: 'lit', value: t.text === 'true' };
    if (this.peek('(')) {
      this.next();
      const args: Expr[] = [];
      while (!this.peek(')')) {
        args.push(this.expr());
        if (this.peek(',')) this.next();
      }
      this.expect(')');
      return { type: 'call', name: t.text, args };
    }
    const path = [t.text];
    while (this.peek('.')) {
      this.next();
      path.push(this.next().text);
    }
    return { type: 'col', path };
  }
  /** `name = expr` or a bare expression (named after its column, or `<fn>_`). */
  assignment(): { name: string; expr: Expr } {
    const t = this.peek();
    if (t?.kind === 'id' && this.tokens[this.i + 1]?.text === '=') {
      this.next();
      this.next();
      return { name: t.text, expr: this.expr() };
    }
    const expr = this.expr();
    const binned = expr.type === 'call' && expr.name === 'bin' ? expr.args[0] : undefined;
    const name =
      expr.type === 'col'
        ? expr.path.join('_')
        : binned?.type === 'col'
          ? binned.path.join('_')
          : expr.type === 'call'
            ? `${expr.name}_`
            : 'Column1';
    return { name, expr };
  }
  list(): Array<{ name: string; expr: Expr }> {
    const items = [this.assignment()];
    while (this.peek(',')) {
      this.next();
      items.push(this.assignment());
    }
    return items;
  }
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

function evaluate(expr: Expr, row: Row, now: number, group?: Row[]): unknown {
  switch (expr.type) {
    case 'lit':
      return expr.value;
    case 'col': {
      let value: unknown = row[expr.path[0] ?? ''];
      for (const key of expr.path.slice(1))
        value = typeof value === 'object' && value !== null ? (value as Row)[key] : undefined;
      return value;
    }
    case 'in': {
      const left = evaluate(expr.left, row, now, group);
      return expr.list.some((item) => evaluate(item, row, now, group) === left);
    }
    case 'bin': {
      const left = evaluate(expr.left, row, now, group);
      if (expr.op === 'and') return left === true && evaluate(expr.right, row, now, group) === true;
      if (expr.op === 'or') return left === true || evaluate(expr.right, row, now, group) === true;
      const right = evaluate(expr.right, row, now, group);
      switch (expr.op) {
        case '==':
          return left === right;
        case '!=':
          return left !== right;
        case '>':
          return compare(left, right) > 0;
        case '<':
          return compare(left, right) < 0;
        case '>=':
          return compare(left, right) >= 0;
        case '<=':
          return compare(left, right) <= 0;
        case '+':
          return Number(left) + Number(right);
        case '-':
          return Number(left) - Number(right);
        case '*':
          return Number(left) * Number(right);
        case '/':
          return Number(left) / Number(right);
      }
      throw new Error(`KQL subset: operator ${expr.op}`);
    }
    case 'call': {
      if (AGGREGATES.has(expr.name)) {
        if (!group) throw new Error(`KQL subset: ${expr.name}() outside summarize`);
        const values = (e: Expr | undefined): number[] =>
          group.map((r) => Number(e ? evaluate(e, r, now) : 0)).filter((v) => Number.isFinite(v));
        if (expr.name === 'count') return group.length;
        if (expr.name === 'sum') return values(expr.args[0]).reduce((a, b) => a + b, 0);
        if (expr.name === 'max') return Math.max(...values(expr.args[0]));
        if (expr.name === 'min') return Math.min(...values(expr.args[0]));
      }
      const args = expr.args.map((a) => evaluate(a, row, now, group));
      switch (expr.name) {
        case 'tostring':
          return typeof args[0] === 'string' || typeof args[0] === 'number' || typeof args[0] === 'boolean'
            ? String(args[0])
            : args[0] === undefined || args[0] === null
              ? ''
              : JSON.stringify(args[0]);
        case 'todouble':
          return Number(args[0]);
        case 'bin': {
          const size = Number(args[1]);
          return Math.floor(Number(args[0]) / size) * size;
        }
        case 'ago':
          return now - Number(args[0]);
      }
      throw new Error(`KQL subset: function ${expr.name}()`);
    }
  }
}

export interface RunOptions {
  /** `now()` for `ago()`; epoch ms. */
  now: number;
}

/** Runs `query` over `tables`. Lines containing the workbook's `{TimeRange}` parameter are dropped. */
export function runKql(query: string, tables: Tables, options: RunOptions): Row[] {
  const text = query
    .split('\n')
    .filter((line) => !line.includes('{TimeRange}'))
    .join('\n');
  const [source = '', ...stages] = text.split('|').map((s) => s.trim());
  let rows = [...(tables[source] ?? [])];
  for (const stage of stages) {
    const p = new Parser(tokenize(stage));
    const op = p.next().text;
    if (op === 'where') {
      const cond = p.expr();
      rows = rows.filter((r) => evaluate(cond, r, options.now) === true);
    } else if (op === 'extend') {
      const items = p.list();
      rows = rows.map((r) => {
        const next = { ...r };
        for (const item of items) next[item.name] = evaluate(item.expr, next, options.now);
        return next;
      });
    } else if (op === 'project') {
      const items = p.list();
      rows = rows.map((r) => Object.fromEntries(items.map((item) => [item.name, evaluate(item.expr, r, options.now)])));
    } else if (op === 'summarize') {
      const aggs: Array<{ name: string; expr: Expr }> = [];
      while (!p.done() && !p.peek('by')) {
        aggs.push(p.assignment());
        if (p.peek(',')) p.next();
      }
      const keys = p.peek('by') ? (p.next(), p.list()) : [];
      const groups = new Map<string, { key: Row; rows: Row[] }>();
      for (const r of rows) {
        const key = Object.fromEntries(keys.map((k) => [k.name, evaluate(k.expr, r, options.now)]));
        const id = JSON.stringify(key);
        const g = groups.get(id) ?? { key, rows: [] };
        g.rows.push(r);
        groups.set(id, g);
      }
      rows = [...groups.values()].map(({ key, rows: members }) => {
        const out: Row = { ...key };
        for (const agg of aggs) {
          if (agg.expr.type === 'call' && agg.expr.name === 'arg_max') {
            const [by, ...cols] = agg.expr.args;
            const best = members.reduce((a, b) =>
              compare(evaluate(by as Expr, b, options.now), evaluate(by as Expr, a, options.now)) > 0 ? b : a,
            );
            for (const col of [by, ...cols]) {
              if (col?.type !== 'col') throw new Error('KQL subset: arg_max takes column names');
              out[col.path.join('_')] = evaluate(col, best, options.now);
            }
          } else out[agg.name] = evaluate(agg.expr, members[0] ?? {}, options.now, members);
        }
        return out;
      });
    } else if (op === 'order') {
      p.expect('by');
      const col = p.expr();
      const desc = p.peek('desc') !== undefined;
      rows.sort((a, b) => compare(evaluate(col, a, options.now), evaluate(col, b, options.now)) * (desc ? -1 : 1));
    } else {
      throw new Error(`KQL subset: operator ${op}`);
    }
  }
  return rows;
}

/**
 * What a log alert with `timeAggregation: Count`, split by `dimensions`, does with the result rows: one alert
 * per combination of dimension values whose row count exceeds `threshold`.
 */
export function firedAlerts(rows: Row[], dimensions: readonly string[], threshold: number): Row[] {
  const counts = new Map<string, { key: Row; count: number }>();
  for (const r of rows) {
    const key = Object.fromEntries(dimensions.map((d) => [d, r[d]]));
    const id = JSON.stringify(key);
    counts.set(id, { key, count: (counts.get(id)?.count ?? 0) + 1 });
  }
  return [...counts.values()].filter((c) => c.count > threshold).map((c) => c.key);
}
