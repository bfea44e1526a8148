import type { Node as TsNode, Tree } from 'web-tree-sitter';
import type { PyAssignment, PyCall, PyComparison, PyImport, Span } from '../../model';
import { flatten, REF_TYPES } from './tree';
import { CellValues } from './values';

/** The structure of a cell from its tree: calls, assignments, imports and string literals, into `out`. */
export class Extractor extends CellValues {
  /** Extract from a node and everything under it, or from a whole tree. */
  run(root: TsNode | Tree): void {
    const t = flatten(root, this.src);
    this.t = t;
    this.argumentsByNode = new Map();
    this.refsByNode = new Map();
    // (Comments come from the pre-pass tokenizer, not from the tree.)
    // The functions (and lambdas) around the current node, innermost last: nodes come in document order.
    const functions: number[] = [];
    // Where the current `assert` ends: a comparison in it is a test's expectation, not a value the code accepts.
    let assertEnd = -1;
    for (const n of t.extracted) {
      while (functions.length && t.end[functions[functions.length - 1]] <= t.start[n]) functions.pop();
      switch (t.type[n]) {
        case 'assert_statement':
          assertEnd = t.end[n];
          break;
        case 'function_definition':
        case 'lambda':
          functions.push(n);
          break;
        case 'call':
          this.call(n);
          break;
        case 'assignment':
          this.assignment(n);
          break;
        case 'augmented_assignment':
          this.mergeAssignment(n);
          break;
        case 'comparison_operator':
          if (t.start[n] >= assertEnd) this.comparison(n);
          break;
        case 'default_parameter':
        case 'typed_default_parameter':
          if (functions.length) this.parameterDefault(n, functions[functions.length - 1]);
          break;
        case 'import_statement':
        case 'import_from_statement':
        case 'future_import_statement':
          this.importStatement(n);
          break;
        case 'string':
          this.string(n);
          break;
        default:
          break;
      }
    }
  }

  /**
   * A string literal. f-strings with interpolations are not literals: they are left out (as arguments and
   * assigned values they are expressions with `literalParts`); rules that scan text read the cell source.
   */
  private string(n: number): void {
    const p = this.stringParts(n);
    if (p.interpolations.length === 0 || !/[ft]/.test(p.prefix)) this.out.strings.push(this.scalarString(n, p, []));
  }

  private call(n: number): void {
    const fn = this.child(n, this.f.function);
    if (fn < 0) return;
    const { args, kwargs, insertAt } = this.arguments(this.child(n, this.f.arguments), this.t.end[n]);
    this.out.calls.push({
      callee: this.text(fn),
      span: this.span(n),
      calleeSpan: this.span(fn),
      args,
      kwargs,
      insertAt: this.sp(insertAt, insertAt),
    } satisfies PyCall);
  }

  private assignment(n: number): void {
    const { type } = this.t;
    const left = this.child(n, this.f.left);
    let right = this.child(n, this.f.right);
    if (left < 0 || right < 0) return;
    while (type[right] === 'assignment') {
      const r = this.child(right, this.f.right);
      if (r < 0) return;
      right = r;
    }
    const lt = type[left];
    if (REF_TYPES.has(lt)) {
      this.pushAssignment(left, right, n);
      return;
    }
    // `a, b = "x", "y"`: pair the elements when both sides have the same length.
    if (lt === 'pattern_list' || lt === 'tuple_pattern' || lt === 'list_pattern') {
      const inner = type[right] === 'parenthesized_expression' ? this.firstNonComment(right) : right;
      if (inner < 0 || !['expression_list', 'tuple', 'list'].includes(type[inner])) return;
      const targets = this.nonComments(left);
      const values = this.nonComments(inner);
      if (targets.length !== values.length) return;
      targets.forEach((tg, i) => {
        if (REF_TYPES.has(type[tg])) this.pushAssignment(tg, values[i], n);
      });
    }
  }

  /**
   * `os.environ |= {"API_KEY": "..."}`, `config |= {...}`: a dict merged in sets its entries as an assignment of the
   * dict would (other augmented assignments combine with the old value, which is not known here).
   */
  private mergeAssignment(n: number): void {
    const left = this.child(n, this.f.left);
    const right = this.child(n, this.f.right);
    if (left < 0 || right < 0 || !REF_TYPES.has(this.t.type[left]) || this.t.type[right] !== 'dictionary') return;
    if (this.src.slice(this.t.end[left], this.t.start[right]).trim() === '|=') this.pushAssignment(left, right, n);
  }

  /**
   * `def connect(password="...")`, `password: str = "..."` (and lambda parameters): a default binds the parameter's
   * name to the value the way an assignment binds a variable, inside the function only (its `scope`).
   */
  private parameterDefault(n: number, fn: number): void {
    const name = this.child(n, this.f.name);
    const value = this.child(n, this.f.value);
    if (name >= 0 && value >= 0 && this.t.type[name] === 'identifier') this.pushAssignment(name, value, n, this.span(fn));
  }

  /** `password == "root"`, `"root" != password`: one name, one string literal, `==` or `!=` between them. */
  private comparison(n: number): void {
    const { type } = this.t;
    const sides = this.nonComments(n);
    if (sides.length !== 2) return;
    const [a, b] = sides;
    const op = this.src.slice(this.t.end[a], this.t.start[b]).trim();
    if (op !== '==' && op !== '!=') return;
    const [target, value] = REF_TYPES.has(type[a]) && type[b] === 'string' ? [a, b] : REF_TYPES.has(type[b]) && type[a] === 'string' ? [b, a] : [-1, -1];
    if (target < 0) return;
    this.out.comparisons.push({
      target: this.text(target),
      targetSpan: this.span(target),
      value: this.toNode(value, []),
      span: this.span(n),
    } satisfies PyComparison);
  }

  private pushAssignment(target: number, value: number, whole: number, scope?: Span): void {
    const assignment: PyAssignment = { target: this.text(target), targetSpan: this.span(target), value: this.toNode(value, []), span: this.span(whole) };
    if (scope) assignment.scope = scope;
    this.out.assignments.push(assignment);
  }

  private importStatement(n: number): void {
    const { type, first, next, field } = this.t;
    const span = this.span(n);
    if (type[n] === 'import_statement') {
      for (let c = first[n]; c >= 0; c = next[c]) {
        if (field[c] !== this.f.name) continue;
        if (type[c] === 'aliased_import') {
          const name = this.child(c, this.f.name);
          const alias = this.child(c, this.f.alias);
          if (name < 0) continue;
          const module = this.text(name);
          const imp: PyImport = { module, names: [], span };
          if (alias >= 0) imp.aliases = { [this.text(alias)]: module };
          this.out.imports.push(imp);
        } else {
          this.out.imports.push({ module: this.text(c), names: [], span });
        }
      }
      return;
    }
    const moduleNode = this.child(n, this.f.module_name);
    const module = type[n] === 'future_import_statement' ? '__future__' : moduleNode >= 0 ? this.text(moduleNode) : '';
    const names: string[] = [];
    const aliases: Record<string, string> = {};
    for (let c = first[n]; c >= 0; c = next[c]) {
      if (c === moduleNode) continue;
      const ct = type[c];
      if (ct === 'wildcard_import') names.push('*');
      else if (ct === 'dotted_name') names.push(this.text(c));
      else if (ct === 'aliased_import') {
        const name = this.child(c, this.f.name);
        const alias = this.child(c, this.f.alias);
        if (name < 0) continue;
        names.push(this.text(name));
        if (alias >= 0) aliases[this.text(alias)] = this.text(name);
      }
    }
    const imp: PyImport = { module, names, span };
    if (Object.keys(aliases).length > 0) imp.aliases = aliases;
    this.out.imports.push(imp);
  }
}
