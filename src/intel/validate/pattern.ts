/**
 * A hand-written recursive-descent parser for STIX 2.1 patterns (grammar:
 * ../shared/testdata/stix-schemas/pattern_grammar/STIXPattern.g4). Left-recursive rules of the
 * grammar become loops (left-associative). Precedence, loosest first: FOLLOWEDBY, OR, AND between
 * observation expressions; OR, AND inside a comparison expression.
 *
 * Beyond the grammar, two rules of the specification are enforced: an observation expression
 * carries at most one qualifier of each kind, and comparisons joined by AND inside one
 * observation expression use the same object type. The AST is exported for later consumers
 * (correlation extracts observables from it).
 */
import { PatternSyntaxError, tokenize, type Token } from './pattern-lexer.ts';

export { PatternSyntaxError } from './pattern-lexer.ts';

export type Literal = { kind: 'int' | 'float' | 'string' | 'binary' | 'hex' | 'timestamp' | 'bool'; value: string };
export type PathStep = { key: string } | { index: number | '*' };
export type ObjectPath = { objectType: string; steps: PathStep[] };

export type ComparisonOp = '=' | '!=' | '>' | '<' | '>=' | '<=' | 'IN' | 'LIKE' | 'MATCHES' | 'ISSUBSET' | 'ISSUPERSET' | 'EXISTS';
export type Comparison =
  | { kind: 'comparison'; path: ObjectPath; op: ComparisonOp; negated: boolean; value?: Literal | Literal[] }
  | { kind: 'and' | 'or'; left: Comparison; right: Comparison };

export type Qualifier =
  | { kind: 'within'; seconds: string }
  | { kind: 'repeats'; times: number }
  | { kind: 'startStop'; start: string; stop: string };

export type Observation =
  | { kind: 'observation'; comparison: Comparison; qualifiers: Qualifier[] }
  | { kind: 'group'; inner: Observation; qualifiers: Qualifier[] }
  | { kind: 'and' | 'or' | 'followedBy'; left: Observation; right: Observation };

const ORDER_OPS = new Set(['>', '<', '>=', '<=']);
const STRING_OPS = new Set(['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET']);

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  private get t(): Token { return this.toks[this.i]!; }
  private fail(what: string): never {
    const t = this.t;
    throw new PatternSyntaxError(`${what}, found ${t.kind === 'EOF' ? 'end of pattern' : JSON.stringify(t.text)}`, t.pos);
  }
  private isKw(k: string): boolean { return this.t.kind === 'Keyword' && this.t.text === k; }
  private isP(p: string): boolean { return this.t.kind === 'Punct' && this.t.text === p; }
  private next(): Token { return this.toks[this.i++]!; }
  private expectP(p: string): void { if (!this.isP(p)) this.fail(`Expected "${p}"`); this.i++; }
  private expectKw(k: string): void { if (!this.isKw(k)) this.fail(`Expected ${k}`); this.i++; }

  pattern(): Observation {
    const o = this.observations();
    if (this.t.kind !== 'EOF') this.fail('Expected AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern');
    return o;
  }

  private observations(): Observation {
    let left = this.observationOr();
    while (this.isKw('FOLLOWEDBY')) { this.i++; left = { kind: 'followedBy', left, right: this.observationOr() }; }
    return left;
  }
  private observationOr(): Observation {
    let left = this.observationAnd();
    while (this.isKw('OR')) { this.i++; left = { kind: 'or', left, right: this.observationAnd() }; }
    return left;
  }
  private observationAnd(): Observation {
    let left = this.observation();
    while (this.isKw('AND')) { this.i++; left = { kind: 'and', left, right: this.observation() }; }
    return left;
  }
  private observation(): Observation {
    let node: Observation;
    if (this.isP('[')) {
      this.i++;
      const comparison = this.comparisonOr();
      this.expectP(']');
      node = { kind: 'observation', comparison, qualifiers: [] };
    } else if (this.isP('(')) {
      this.i++;
      const inner = this.observations();
      this.expectP(')');
      node = { kind: 'group', inner, qualifiers: [] };
    } else {
      this.fail('Expected "[" or "(" to start an observation expression');
    }
    for (;;) {
      const start = this.t.pos;
      let q: Qualifier | undefined;
      if (this.isKw('WITHIN')) {
        this.i++;
        const n = this.next();
        if (n.kind !== 'IntPos' && n.kind !== 'FloatPos') { this.i--; this.fail('Expected a positive number after WITHIN'); }
        this.expectKw('SECONDS');
        q = { kind: 'within', seconds: n.text };
      } else if (this.isKw('REPEATS')) {
        this.i++;
        const n = this.next();
        if (n.kind !== 'IntPos') { this.i--; this.fail('Expected a positive integer after REPEATS'); }
        this.expectKw('TIMES');
        q = { kind: 'repeats', times: Number(n.text) };
      } else if (this.isKw('START')) {
        this.i++;
        const a = this.next();
        if (a.kind !== 'Timestamp') { this.i--; this.fail('Expected a timestamp literal after START'); }
        this.expectKw('STOP');
        const b = this.next();
        if (b.kind !== 'Timestamp') { this.i--; this.fail('Expected a timestamp literal after STOP'); }
        q = { kind: 'startStop', start: a.value!, stop: b.value! };
      }
      if (!q) return node;
      if (node.qualifiers.some((x) => x.kind === q.kind)) throw new PatternSyntaxError(`An observation expression may carry only one ${q.kind} qualifier`, start);
      node.qualifiers.push(q);
    }
  }

  private comparisonOr(): Comparison {
    let left = this.comparisonAnd();
    while (this.isKw('OR')) { this.i++; left = { kind: 'or', left, right: this.comparisonAnd() }; }
    return left;
  }
  private comparisonAnd(): Comparison {
    const pos = this.t.pos;
    let left = this.propTest();
    while (this.isKw('AND')) { this.i++; left = { kind: 'and', left, right: this.propTest() }; }
    if (left.kind === 'and') {
      const types = new Set(andTypes(left));
      if (types.size > 1) throw new PatternSyntaxError(`Comparisons joined by AND must use one object type (found ${[...types].join(', ')})`, pos);
    }
    return left;
  }

  private propTest(): Comparison {
    if (this.isP('(')) {
      this.i++;
      const inner = this.comparisonOr();
      this.expectP(')');
      return inner;
    }
    let negated = false;
    if (this.isKw('NOT') && this.toks[this.i + 1]?.text === 'EXISTS') { this.i++; negated = true; }
    if (this.isKw('EXISTS')) { this.i++; return { kind: 'comparison', op: 'EXISTS', negated, path: this.objectPath() }; }
    const path = this.objectPath();
    if (this.isKw('NOT')) { this.i++; negated = true; }
    const t = this.next();
    if (t.kind === 'Op') {
      const op = (t.text === '==' ? '=' : t.text === '<>' ? '!=' : t.text) as ComparisonOp;
      const value = ORDER_OPS.has(op) ? this.literal(false) : this.literal(true);
      return { kind: 'comparison', path, op, negated, value };
    }
    if (t.kind === 'Keyword' && t.text === 'IN') return { kind: 'comparison', path, op: 'IN', negated, value: this.setLiteral() };
    if (t.kind === 'Keyword' && STRING_OPS.has(t.text)) {
      const s = this.next();
      if (s.kind !== 'String') { this.i--; this.fail(`Expected a string literal after ${t.text}`); }
      return { kind: 'comparison', path, op: t.text as ComparisonOp, negated, value: { kind: 'string', value: s.value! } };
    }
    this.i--;
    this.fail('Expected a comparison operator');
  }

  private objectPath(): ObjectPath {
    const type = this.next();
    if (type.kind !== 'Ident' && type.kind !== 'IdentHyphen') { this.i--; this.fail('Expected an object type'); }
    this.expectP(':');
    const first = this.next();
    if (first.kind !== 'Ident' && first.kind !== 'String') { this.i--; this.fail('Expected a property name'); }
    const steps: PathStep[] = [{ key: first.kind === 'String' ? first.value! : first.text }];
    for (;;) {
      if (this.isP('.')) {
        this.i++;
        const k = this.next();
        if (k.kind !== 'Ident' && k.kind !== 'String') { this.i--; this.fail('Expected a property name after "."'); }
        steps.push({ key: k.kind === 'String' ? k.value! : k.text });
      } else if (this.isP('[') && this.isIndexStep()) {
        this.i++;
        const n = this.next();
        steps.push({ index: n.text === '*' ? '*' : Number(n.text) });
        this.expectP(']');
      } else {
        return { objectType: type.text, steps };
      }
    }
  }
  private isIndexStep(): boolean {
    const n = this.toks[this.i + 1];
    return !!n && (n.kind === 'IntPos' || n.kind === 'IntNeg' || (n.kind === 'Punct' && n.text === '*'));
  }

  private literal(allowBool: boolean): Literal {
    const t = this.next();
    switch (t.kind) {
      case 'IntPos': case 'IntNeg': return { kind: 'int', value: t.text };
      case 'FloatPos': case 'FloatNeg': return { kind: 'float', value: t.text };
      case 'String': return { kind: 'string', value: t.value! };
      case 'Binary': return { kind: 'binary', value: t.value! };
      case 'Hex': return { kind: 'hex', value: t.value! };
      case 'Timestamp': return { kind: 'timestamp', value: t.value! };
      case 'Bool': if (allowBool) return { kind: 'bool', value: t.text }; break;
      default: break;
    }
    this.i--;
    this.fail(allowBool ? 'Expected a literal' : 'Expected an orderable literal');
  }
  private setLiteral(): Literal[] {
    this.expectP('(');
    const items: Literal[] = [];
    if (this.isP(')')) { this.i++; return items; }
    items.push(this.literal(true));
    while (this.isP(',')) { this.i++; items.push(this.literal(true)); }
    this.expectP(')');
    return items;
  }
}

function andTypes(c: Comparison): string[] {
  if (c.kind === 'comparison') return [c.path.objectType];
  if (c.kind === 'and') return [...andTypes(c.left), ...andTypes(c.right)];
  return []; // a parenthesised OR is checked on its own
}

/** Parses a STIX pattern; throws PatternSyntaxError with the character position. */
export function parsePattern(src: string): Observation {
  return new Parser(tokenize(src)).pattern();
}

/** Every comparison (leaf) of a parsed pattern, in order. */
export function comparisonsOf(o: Observation): Extract<Comparison, { kind: 'comparison' }>[] {
  const out: Extract<Comparison, { kind: 'comparison' }>[] = [];
  const walkC = (c: Comparison): void => { if (c.kind === 'comparison') out.push(c); else { walkC(c.left); walkC(c.right); } };
  const walkO = (x: Observation): void => {
    if (x.kind === 'observation') walkC(x.comparison);
    else if (x.kind === 'group') walkO(x.inner);
    else { walkO(x.left); walkO(x.right); }
  };
  walkO(o);
  return out;
}
