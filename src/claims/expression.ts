/**
 * The checks that decide a claim, written as people say them: `connected[fin-timeout=1] ==
 * connected[fin-timeout=60]`, `onsetMs[a] within 10% of onsetMs[b]`, `failure[recycle] == SYSCTL_REFUSED`.
 * A value is a number, `none`, an UPPER_CASE word (an error code), a figure of a cell (`figure[cell]`, or
 * `figure` alone when the claim has one cell) and + - * / mod between them, with parentheses. Pure.
 */
import type { FigureValue } from './types.js';

export type ValueExpr =
  | { kind: 'num'; value: number }
  | { kind: 'str'; value: string }
  | { kind: 'none' }
  | { kind: 'ref'; figure: string; cell: string | null; offset: number }
  | { kind: 'bin'; op: ArithOp; left: ValueExpr; right: ValueExpr };

export type ArithOp = '+' | '-' | '*' | '/' | 'mod';
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type CheckExpr =
  | { kind: 'cmp'; op: CompareOp; left: ValueExpr; right: ValueExpr }
  | { kind: 'within'; pct: number; left: ValueExpr; right: ValueExpr };

/** A check that does not parse; `offset` is the 0-based position in its text. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

type Token =
  | { t: 'num'; value: number; at: number }
  | { t: 'word'; value: string; at: number }
  | { t: 'cell'; value: string; at: number }
  | { t: 'op'; value: string; at: number }
  | { t: 'end'; at: number };

const OPS = ['==', '!=', '<=', '>=', '<', '>', '+', '-', '*', '/', '(', ')', '%'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(rest);
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest);
    if (num) {
      tokens.push({ t: 'num', value: Number(num[0]), at: i });
      i += num[0].length;
    } else if (word) {
      tokens.push({ t: 'word', value: word[0], at: i });
      i += word[0].length;
    } else if (rest.startsWith('[')) {
      const close = rest.indexOf(']');
      if (close < 0) throw new ExpressionError('"[" without its "]"', i);
      const cell = rest.slice(1, close).trim();
      if (cell === '') throw new ExpressionError('"[]" names no cell', i);
      tokens.push({ t: 'cell', value: cell, at: i });
      i += close + 1;
    } else {
      const op = OPS.find((o) => rest.startsWith(o));
      if (!op) throw new ExpressionError(`unexpected "${rest[0]}"`, i);
      tokens.push({ t: 'op', value: op, at: i });
      i += op.length;
    }
  }
  tokens.push({ t: 'end', at: text.length });
  return tokens;
}

const describeToken = (token: Token): string => (token.t === 'end' ? 'the end' : `"${token.t === 'cell' ? `[${token.value}]` : token.value}"`);

/** Recursive descent over the tokens: value := term (+|- term)*, term := factor (*|/|mod factor)*. */
class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    return this.tokens[this.i++]!;
  }

  /** Consumes an operator or keyword token and returns its text. */
  private opText(): string {
    const token = this.next();
    return token.t === 'op' || token.t === 'word' ? token.value : '';
  }

  private isOp(value: string): boolean {
    const token = this.peek();
    return token.t === 'op' && token.value === value;
  }

  private isWord(value: string): boolean {
    const token = this.peek();
    return token.t === 'word' && token.value === value;
  }

  value(): ValueExpr {
    let left = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.opText() as ArithOp;
      left = { kind: 'bin', op, left, right: this.term() };
    }
    return left;
  }

  private term(): ValueExpr {
    let left = this.factor();
    while (this.isOp('*') || this.isOp('/') || this.isWord('mod')) {
      const op = this.opText() as ArithOp;
      left = { kind: 'bin', op, left, right: this.factor() };
    }
    return left;
  }

  private factor(): ValueExpr {
    const token = this.next();
    if (token.t === 'num') return { kind: 'num', value: token.value };
    if (token.t === 'op' && token.value === '-') return { kind: 'bin', op: '-', left: { kind: 'num', value: 0 }, right: this.factor() };
    if (token.t === 'op' && token.value === '(') {
      const inner = this.value();
      const close = this.next();
      if (close.t !== 'op' || close.value !== ')') throw new ExpressionError(`expected ")", found ${describeToken(close)}`, close.at);
      return inner;
    }
    if (token.t === 'word') {
      const cell = this.peek();
      if (cell.t === 'cell') {
        this.next();
        return { kind: 'ref', figure: token.value, cell: cell.value, offset: token.at };
      }
      if (token.value === 'none') return { kind: 'none' };
      if (/^[A-Z][A-Z0-9_]*$/.test(token.value)) return { kind: 'str', value: token.value };
      return { kind: 'ref', figure: token.value, cell: null, offset: token.at };
    }
    throw new ExpressionError(`expected a number, a figure like connected[CELL], none or an error code; found ${describeToken(token)}`, token.at);
  }

  check(): CheckExpr {
    const left = this.value();
    const token = this.next();
    let check: CheckExpr;
    if (token.t === 'word' && token.value === 'within') {
      const pct = this.next();
      if (pct.t !== 'num') throw new ExpressionError(`expected a percentage after "within", like 10%; found ${describeToken(pct)}`, pct.at);
      const sign = this.next();
      if (sign.t !== 'op' || sign.value !== '%') throw new ExpressionError(`expected "%" after ${pct.value}`, sign.at);
      const of = this.next();
      if (of.t !== 'word' || of.value !== 'of') throw new ExpressionError(`expected "of" after "within ${pct.value}%"`, of.at);
      check = { kind: 'within', pct: pct.value, left, right: this.value() };
    } else if (token.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(token.value)) {
      check = { kind: 'cmp', op: token.value as CompareOp, left, right: this.value() };
    } else {
      throw new ExpressionError(`expected ==, !=, <, <=, >, >= or "within N% of"; found ${describeToken(token)}`, token.at);
    }
    this.end();
    return check;
  }

  end(): void {
    const token = this.peek();
    if (token.t !== 'end') throw new ExpressionError(`unexpected ${describeToken(token)} after the end of the check`, token.at);
  }
}

/** Parses a check; throws ExpressionError with the offset of the problem. */
export function parseCheck(text: string): CheckExpr {
  return new Parser(tokenize(text)).check();
}

/** Parses a value (a `{...}` of the measured sentence); throws ExpressionError. */
export function parseValue(text: string): ValueExpr {
  const parser = new Parser(tokenize(text));
  const value = parser.value();
  parser.end();
  return value;
}

/** Every figure reference in an expression, for validation. */
export function refsOf(expr: ValueExpr | CheckExpr): Extract<ValueExpr, { kind: 'ref' }>[] {
  switch (expr.kind) {
    case 'ref':
      return [expr];
    case 'bin':
    case 'cmp':
    case 'within':
      return [...refsOf(expr.left), ...refsOf(expr.right)];
    default:
      return [];
  }
}

/** Looks a figure up in a cell (null: the claim's only cell). */
export type FigureLookup = (figure: string, cell: string | null) => FigureValue;

function arith(op: ArithOp, a: number, b: number): number | null {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? null : a / b;
    case 'mod':
      return b === 0 ? null : a % b;
  }
}

/** A value; none where a figure is none or the arithmetic has no answer (a string, a division by 0). */
export function evaluateValue(expr: ValueExpr, lookup: FigureLookup): FigureValue {
  switch (expr.kind) {
    case 'num':
    case 'str':
      return expr.value;
    case 'none':
      return null;
    case 'ref':
      return lookup(expr.figure, expr.cell);
    case 'bin': {
      const left = evaluateValue(expr.left, lookup);
      const right = evaluateValue(expr.right, lookup);
      return typeof left === 'number' && typeof right === 'number' ? arith(expr.op, left, right) : null;
    }
  }
}

/** 1234 -> "1,234"; 1.23456 -> "1.23"; none for null. */
export function formatFigure(value: FigureValue): string {
  if (value === null) return 'none';
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return String(Number(value.toFixed(Math.abs(value) >= 100 ? 0 : 2)));
}

function compare(op: CompareOp, a: FigureValue, b: FigureValue): boolean {
  if (op === '==') return a === b;
  if (op === '!=') return a !== b;
  if (typeof a !== 'number' || typeof b !== 'number') return false;
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** Evaluates a check: whether it holds, and the values it compared. */
export function evaluateCheck(expr: CheckExpr, lookup: FigureLookup): { pass: boolean; detail: string } {
  const left = evaluateValue(expr.left, lookup);
  const right = evaluateValue(expr.right, lookup);
  if (expr.kind === 'cmp') return { pass: compare(expr.op, left, right), detail: `${formatFigure(left)} ${expr.op} ${formatFigure(right)}` };
  if (typeof left !== 'number' || typeof right !== 'number') {
    return { pass: false, detail: `${formatFigure(left)} vs ${formatFigure(right)}: not two numbers` };
  }
  const apartPct = right === 0 ? (left === 0 ? 0 : Infinity) : (Math.abs(left - right) / Math.abs(right)) * 100;
  const apart = Number.isFinite(apartPct) ? `${apartPct.toFixed(1)}% apart` : 'apart from 0';
  return { pass: apartPct <= expr.pct, detail: `${formatFigure(left)} vs ${formatFigure(right)}: ${apart}, at most ${expr.pct}%` };
}
