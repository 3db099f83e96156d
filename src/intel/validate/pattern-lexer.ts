/**
 * Lexer for the STIX 2.1 patterning language, following the token rules of the OASIS grammar
 * (../shared/testdata/stix-schemas/pattern_grammar/STIXPattern.g4): longest match wins, keywords
 * before identifiers, whitespace and comments skipped.
 */
export type TokenKind =
  | 'IntPos' | 'IntNeg' | 'FloatPos' | 'FloatNeg' | 'String' | 'Binary' | 'Hex' | 'Timestamp' | 'Bool'
  | 'Ident' | 'IdentHyphen' | 'Keyword' | 'Op' | 'Punct' | 'EOF';

export type Token = { kind: TokenKind; text: string; value?: string; pos: number };

export const KEYWORDS = new Set([
  'AND', 'OR', 'NOT', 'FOLLOWEDBY', 'LIKE', 'MATCHES', 'ISSUPERSET', 'ISSUBSET', 'EXISTS', 'LAST', 'IN',
  'START', 'STOP', 'SECONDS', 'WITHIN', 'REPEATS', 'TIMES',
]);

export class PatternSyntaxError extends Error {
  constructor(message: string, public readonly pos: number) {
    super(`${message} (at character ${pos})`);
    this.name = 'PatternSyntaxError';
  }
}

const WS = /[ \t\r\n\u000B\u000C\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const TIMESTAMP = /^t'\d{4}-(0[1-9]|1[012])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z'/;
const HEX = /^h'((?:[A-Fa-f0-9]{2})*)'/;
const BINARY = /^b'((?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==))'/;
const NUMBER = /^([+-]?)(\d*\.\d+|0|[1-9]\d*)/;
const IDENT = /^[a-zA-Z_][a-zA-Z0-9_-]*/;
const OPS = ['==', '!=', '<>', '<=', '>=', '=', '<', '>'];
const PUNCT = ':.,()[]*';

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (WS.test(c)) { i++; continue; }
    if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new PatternSyntaxError('Unterminated comment', i);
      i = end + 2;
      continue;
    }
    if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n' && src[i] !== '\r') i++;
      continue;
    }
    const rest = src.slice(i, i + 4096);
    if ((c === 't' || c === 'h' || c === 'b') && src[i + 1] === "'") {
      const re = c === 't' ? TIMESTAMP : c === 'h' ? HEX : BINARY;
      const m = re.exec(rest);
      if (!m) throw new PatternSyntaxError(`Malformed ${c === 't' ? 'timestamp' : c === 'h' ? 'hex' : 'binary'} literal`, i);
      out.push({ kind: c === 't' ? 'Timestamp' : c === 'h' ? 'Hex' : 'Binary', text: m[0], value: c === 't' ? m[0].slice(2, -1) : m[1], pos: i });
      i += m[0].length;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= src.length) throw new PatternSyntaxError('Unterminated string literal', i);
        const d = src[j]!;
        if (d === "'") break;
        if (d === '\\') {
          const e = src[j + 1];
          if (e !== "'" && e !== '\\') throw new PatternSyntaxError("Only \\' and \\\\ may be escaped in a string literal", j);
          value += e;
          j += 2;
          continue;
        }
        value += d;
        j++;
      }
      out.push({ kind: 'String', text: src.slice(i, j + 1), value, pos: i });
      i = j + 1;
      continue;
    }
    const num = /[0-9+.-]/.test(c) ? NUMBER.exec(rest) : null;
    if (num) {
      const isFloat = num[2]!.includes('.');
      const neg = num[1] === '-';
      out.push({ kind: isFloat ? (neg ? 'FloatNeg' : 'FloatPos') : neg ? 'IntNeg' : 'IntPos', text: num[0], value: num[0], pos: i });
      i += num[0].length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id) {
      const text = id[0];
      // Keywords and booleans win only on an exact match (ANTLR: equal length, earlier rule).
      if (KEYWORDS.has(text)) out.push({ kind: 'Keyword', text, pos: i });
      else if (text === 'true' || text === 'false') out.push({ kind: 'Bool', text, value: text, pos: i });
      else out.push({ kind: text.includes('-') ? 'IdentHyphen' : 'Ident', text, pos: i });
      i += text.length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) { out.push({ kind: 'Op', text: op, pos: i }); i += op.length; continue; }
    if (PUNCT.includes(c)) { out.push({ kind: 'Punct', text: c, pos: i }); i++; continue; }
    throw new PatternSyntaxError(`Unexpected character ${JSON.stringify(c)}`, i);
  }
  out.push({ kind: 'EOF', text: '', pos: src.length });
  return out;
}
