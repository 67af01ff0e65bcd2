import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Which Office.js requirement set each API the add-in touches belongs to, read from the
 * annotations in @types/office-js (`[Api set: ExcelApi 1.7]`, or `**Requirement set**: … Settings`
 * for the common API), and whether each use beyond the manifest's sets is guarded.
 *
 * A use is a property read or write, a method call, an object-literal property given to an
 * Office type (`rule = { decimal: … }`), or a string literal that names an enum member
 * (`conditionalFormats.add('ContainsText')`, `paperSize = 'A4'`). Its set is the member's own
 * annotation, else its class's.
 *
 * Guards: a use is covered by `supports(set, v)` / `isSetSupported(set, v)` (any callee of that
 * name, v at least the use's version) in an `if` around it, a `?:` or `&&` before it, or an
 * `if (!…) return/throw` before it in its block; a variable or property assigned such a call
 * (`const canFilter = options.supports('ExcelApi', '1.9')`, then `if (canFilter)` or
 * `if (options.canFilter)`) stands for it anywhere in the add-in. What a function needs flows to
 * every place that references it (a call, or the function passed on), unless that reference is
 * guarded; what reaches a function nothing in the add-in references (an entry point) unguarded is a
 * violation.
 */

export interface SetVersion {
  set: string;
  /** '1.1' when the annotation names the set only (the common API's sets: Settings, File …). */
  version: string;
}

export interface ApiUse extends SetVersion {
  /** e.g. Excel.PageLayout.paperSize */
  api: string;
  /** file:line, relative to the project root */
  at: string;
  /** The guards that hold where it is used (not counting those of its callers). */
  guards: SetVersion[];
  /** The named function it is in (or `<module file>`). */
  container: string;
}

export interface Violation {
  use: ApiUse;
  /** Entry point first, down to the function the use is in. */
  path: string[];
}

export interface Analysis {
  uses: ApiUse[];
  violations: Violation[];
}

/** The requirement sets a manifest declares: `<Set Name="ExcelApi" MinVersion="1.8" />` (DefaultMinVersion for those without). */
export function manifestSets(xml: string): Map<string, string> {
  const defaultMin = /<Sets\b[^>]*DefaultMinVersion="([^"]+)"/.exec(xml)?.[1] ?? '1.1';
  const sets = new Map<string, string>();
  for (const m of xml.matchAll(/<Set\b([^>]*)\/?>/g)) {
    const name = /Name="([^"]+)"/.exec(m[1]!)?.[1];
    if (name) sets.set(name, /MinVersion="([^"]+)"/.exec(m[1]!)?.[1] ?? defaultMin);
  }
  return sets;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Within what the manifest declares: the set is declared, at a version at least the use's. */
export function declaredFor(sets: ReadonlyMap<string, string>, use: SetVersion): boolean {
  const min = sets.get(use.set);
  return min !== undefined && compareVersions(use.version, min) <= 0;
}

const covers = (guards: readonly SetVersion[], use: SetVersion) => guards.some((g) => g.set === use.set && compareVersions(g.version, use.version) >= 0);

const API_SET = /\[Api set:\s*([A-Za-z]\w*)\s*([\d.]+)?\s*\]/;
const REQUIREMENT_SET = /\*\*Requirement set\*\*:\s*(?:\{@link [^|}]*\|\s*)?([A-Za-z]\w*)(?:\s+([\d.]+))?/;

function isOfficeDeclaration(node: ts.Node): boolean {
  return /[\\/]@types[\\/]office-js[\\/]/.test(node.getSourceFile().fileName);
}

/** The set named in the JSDoc right before `decl`, if any. */
function ownTag(decl: ts.Node): SetVersion | undefined {
  const file = decl.getSourceFile();
  const text = file.text;
  for (const range of ts.getLeadingCommentRanges(text, decl.getFullStart()) ?? []) {
    const comment = text.slice(range.pos, range.end);
    const m = API_SET.exec(comment) ?? REQUIREMENT_SET.exec(comment);
    if (m && m[1] !== 'Not') return { set: m[1]!, version: m[2] ?? '1.1' };
  }
  return undefined;
}

function declarationName(decl: ts.Node): string {
  const named = decl as ts.NamedDeclaration;
  return named.name && ts.isIdentifier(named.name) ? named.name.text : named.name ? named.name.getText() : '?';
}

/** Namespace.Class.member, from the declaration up. */
function qualifiedName(decl: ts.Node): string {
  const parts: string[] = [declarationName(decl)];
  for (let p = decl.parent; p && !ts.isSourceFile(p); p = p.parent) {
    if (ts.isClassDeclaration(p) || ts.isInterfaceDeclaration(p) || ts.isEnumDeclaration(p) || ts.isModuleDeclaration(p)) parts.unshift(declarationName(p));
  }
  return parts.join('.');
}

/** The member's tag, else its class's, interface's or enum's. */
function tagOf(decl: ts.Node): SetVersion | undefined {
  const own = ownTag(decl);
  if (own) return own;
  const owner = decl.parent;
  if (owner && (ts.isClassDeclaration(owner) || ts.isInterfaceDeclaration(owner) || ts.isEnumDeclaration(owner))) return ownTag(owner);
  return undefined;
}

interface Options {
  /** Absolute paths of the add-in's source files. */
  files: string[];
  compilerOptions: ts.CompilerOptions;
  /** Paths in messages are relative to this. */
  root: string;
  /** The manifest's sets: uses within them need no guard. */
  sets: ReadonlyMap<string, string>;
}

/** The add-in's compiler options (addin/tsconfig.json). */
export function addinCompilerOptions(root: string): ts.CompilerOptions {
  const configFile = path.join(root, 'addin', 'tsconfig.json');
  const read = ts.readConfigFile(configFile, (f) => fs.readFileSync(f, 'utf8'));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configFile)).options;
}

export function analyse({ files, compilerOptions, root, sets }: Options): Analysis {
  const program = ts.createProgram(files, { ...compilerOptions, noEmit: true });
  const checker = program.getTypeChecker();
  const sources = files.map((f) => program.getSourceFile(f)).filter((s): s is ts.SourceFile => !!s);
  const where = (node: ts.Node) => {
    const sf = node.getSourceFile();
    return `${path.relative(root, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  };

  const resolve = (symbol: ts.Symbol | undefined): ts.Symbol | undefined => (symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);

  // Names that stand for a guard: variables and properties assigned supports(…)/isSetSupported(…).
  const guardNames = new Map<string, SetVersion>();
  const supportsCall = (e: ts.Expression): SetVersion | undefined => {
    while (ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e)) e = e.expression;
    if (!ts.isCallExpression(e)) return undefined;
    const callee = e.expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (name !== 'supports' && name !== 'isSetSupported') return undefined;
    const [set, version] = e.arguments;
    if (!set || !ts.isStringLiteralLike(set)) return undefined;
    return { set: set.text, version: version && ts.isStringLiteralLike(version) ? version.text : '1.1' };
  };
  for (const sf of sources) {
    sf.forEachChild(function visit(node): void {
      if ((ts.isVariableDeclaration(node) || ts.isPropertyAssignment(node)) && node.initializer && ts.isIdentifier(node.name)) {
        const guard = supportsCall(node.initializer);
        if (guard) guardNames.set(node.name.text, guard);
      }
      node.forEachChild(visit);
    });
  }

  /** What a condition being true tells. */
  const factsOf = (e: ts.Expression): SetVersion[] => {
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    const call = supportsCall(e);
    if (call) return [call];
    if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
      const named = guardNames.get(ts.isIdentifier(e) ? e.text : e.name.text);
      return named ? [named] : [];
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return [...factsOf(e.left), ...factsOf(e.right)];
    return [];
  };
  /** What a condition being false tells (`if (!x) return`). */
  const negativeFactsOf = (e: ts.Expression): SetVersion[] => {
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return factsOf(e.operand);
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.BarBarToken) return [...negativeFactsOf(e.left), ...negativeFactsOf(e.right)];
    return [];
  };
  const exits = (s: ts.Statement): boolean => {
    if (ts.isReturnStatement(s) || ts.isThrowStatement(s)) return true;
    if (ts.isBlock(s)) return s.statements.length > 0 && exits(s.statements[s.statements.length - 1]!);
    return false;
  };

  /** The guards that hold at `node` inside its function (lexically). */
  const guardsAt = (node: ts.Node): SetVersion[] => {
    const guards: SetVersion[] = [];
    for (let child: ts.Node = node, p = node.parent; p; child = p, p = p.parent) {
      if (ts.isIfStatement(p) && child === p.thenStatement) guards.push(...factsOf(p.expression));
      if (ts.isIfStatement(p) && child === p.elseStatement) guards.push(...negativeFactsOf(p.expression));
      if (ts.isConditionalExpression(p) && child === p.whenTrue) guards.push(...factsOf(p.condition));
      if (ts.isConditionalExpression(p) && child === p.whenFalse) guards.push(...negativeFactsOf(p.condition));
      if (ts.isBinaryExpression(p) && child === p.right && p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) guards.push(...factsOf(p.left));
      if (ts.isBlock(p) || ts.isSourceFile(p) || ts.isCaseClause(p) || ts.isDefaultClause(p)) {
        for (const s of p.statements) {
          if (s === child) break;
          if (ts.isIfStatement(s) && !s.elseStatement && exits(s.thenStatement)) guards.push(...negativeFactsOf(s.expression));
        }
      }
      if (isContainer(p)) break;
    }
    return guards;
  };

  /** Named functions: what a requirement is charged to, and what references lead to. */
  const containerNodes = new Map<ts.Node, string>();
  function isContainer(node: ts.Node): boolean {
    return containerNodes.has(node);
  }
  for (const sf of sources) {
    sf.forEachChild(function visit(node): void {
      if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name && node.body && !ts.isObjectLiteralExpression(node.parent)) {
        const owner = ts.isClassLike(node.parent) && node.parent.name ? `${node.parent.name.text}.` : '';
        containerNodes.set(node, `${owner}${node.name.getText()} (${where(node)})`);
      }
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) {
        containerNodes.set(node.initializer, `${node.name.text} (${where(node)})`);
      }
      node.forEachChild(visit);
    });
  }
  const moduleName = (sf: ts.SourceFile) => `<module ${path.relative(root, sf.fileName)}>`;
  const containerOf = (node: ts.Node): string => {
    for (let p = node.parent; p; p = p.parent) {
      const name = containerNodes.get(p);
      if (name) return name;
    }
    return moduleName(node.getSourceFile());
  };
  /** A declaration's container name, when it is one of the add-in's named functions. */
  const containerOfDeclaration = (decl: ts.Declaration): string | undefined =>
    containerNodes.get(decl) ?? (ts.isVariableDeclaration(decl) && decl.initializer ? containerNodes.get(decl.initializer) : undefined);

  const uses: ApiUse[] = [];
  const record = (node: ts.Node, decl: ts.Node, tag: SetVersion | undefined, api = qualifiedName(decl)) => {
    if (!tag) return;
    uses.push({ ...tag, api, at: where(node), guards: guardsAt(node), container: containerOf(node) });
  };

  /** An enum member of office-js named by `value` in the declared type `typeNode` (`Excel.PaperType | "A4" | …`). */
  const enumMemberFor = (typeNode: ts.TypeNode | undefined, value: string): ts.EnumMember | undefined => {
    if (!typeNode) return undefined;
    const parts = ts.isUnionTypeNode(typeNode) ? typeNode.types : [typeNode];
    for (const part of parts) {
      if (!ts.isTypeReferenceNode(part)) continue;
      const symbol = resolve(checker.getSymbolAtLocation(part.typeName));
      const decl = symbol?.declarations?.find(ts.isEnumDeclaration);
      const member = decl?.members.find((m) => m.initializer && ts.isStringLiteral(m.initializer) && m.initializer.text === value);
      if (member) return member;
    }
    return undefined;
  };
  const declaredTypeNode = (decl: ts.Declaration | undefined): ts.TypeNode | undefined =>
    decl && (ts.isPropertyDeclaration(decl) || ts.isPropertySignature(decl) || ts.isParameter(decl)) ? decl.type : undefined;

  /** The office-js declaration a string literal is given to (a parameter, a property assigned or in an object literal). */
  const literalTarget = (literal: ts.StringLiteralLike): ts.Declaration | ts.Declaration[] | undefined => {
    const parent = literal.parent;
    if (ts.isCallExpression(parent) && parent.arguments.includes(literal as ts.Expression)) {
      // Office declares an enum parameter twice: `add(type: Excel.ChartType, …)` and `add(type: "Pie" | …, …)`.
      // The string overload is the one resolved; the enum is in its sibling.
      const index = parent.arguments.indexOf(literal as ts.Expression);
      const callee = ts.isPropertyAccessExpression(parent.expression) ? parent.expression.name : parent.expression;
      const overloads = resolve(checker.getSymbolAtLocation(callee))?.declarations ?? [];
      return overloads.flatMap((d) => (ts.isMethodSignature(d) || ts.isMethodDeclaration(d) || ts.isFunctionDeclaration(d) ? (d.parameters[index] ?? []) : []));
    }
    if (ts.isBinaryExpression(parent) && parent.right === literal && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(parent.left)) {
      return resolve(checker.getSymbolAtLocation(parent.left.name))?.declarations?.[0];
    }
    if (ts.isPropertyAssignment(parent) && parent.initializer === literal) {
      const contextual = checker.getContextualType(parent.parent);
      return contextual?.getProperty(parent.name.getText())?.declarations?.[0];
    }
    return undefined;
  };

  for (const sf of sources) {
    sf.forEachChild(function visit(node): void {
      if (ts.isPropertyAccessExpression(node)) {
        const symbol = resolve(checker.getSymbolAtLocation(node.name));
        let decl: ts.Node | undefined = symbol?.declarations?.[0];
        if (ts.isCallExpression(node.parent) && node.parent.expression === node) decl = checker.getResolvedSignature(node.parent)?.declaration ?? decl;
        if (decl && isOfficeDeclaration(decl)) record(node, decl, tagOf(decl));
      } else if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && ts.isObjectLiteralExpression(node.parent)) {
        const contextual = checker.getContextualType(node.parent);
        const decl = contextual?.getProperty(node.name.getText())?.declarations?.[0];
        if (decl && isOfficeDeclaration(decl)) record(node, decl, tagOf(decl));
      } else if (ts.isStringLiteralLike(node)) {
        const targets = [literalTarget(node) ?? []].flat().filter(isOfficeDeclaration);
        const member = targets.map((t) => enumMemberFor(declaredTypeNode(t), node.text)).find((m) => m !== undefined);
        if (member) record(node, member, tagOf(member), `${qualifiedName(member)} ('${node.text}')`);
      }
      node.forEachChild(visit);
    });
  }

  // References between named functions, with the guards at each reference.
  const edges: { from: string; to: string; guards: SetVersion[] }[] = [];
  const referenced = new Set<string>();
  for (const sf of sources) {
    sf.forEachChild(function visit(node): void {
      const declaring = (ts.isFunctionDeclaration(node.parent) || ts.isVariableDeclaration(node.parent)) && node.parent.name === node;
      const importing = ts.isImportSpecifier(node.parent) || ts.isImportClause(node.parent) || ts.isNamespaceImport(node.parent) || ts.isExportSpecifier(node.parent);
      if (ts.isIdentifier(node) && !declaring && !importing) {
        const symbol = resolve(checker.getSymbolAtLocation(node));
        for (const decl of symbol?.declarations ?? []) {
          const to = containerOfDeclaration(decl);
          if (to && sources.includes(decl.getSourceFile())) {
            edges.push({ from: containerOf(node), to, guards: guardsAt(node) });
            referenced.add(to);
          }
        }
      }
      node.forEachChild(visit);
    });
  }

  // What each function needs from its callers: its unguarded uses, and what its callees need unguarded.
  type Need = { use: ApiUse; path: string[] };
  const needs = new Map<string, Map<ApiUse, Need>>();
  const add = (container: string, need: Need): boolean => {
    const of = needs.get(container) ?? needs.set(container, new Map()).get(container)!;
    if (of.has(need.use)) return false;
    of.set(need.use, need);
    return true;
  };
  for (const use of uses) {
    if (!declaredFor(sets, use) && !covers(use.guards, use)) add(use.container, { use, path: [use.container] });
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const edge of edges) {
      for (const need of needs.get(edge.to)?.values() ?? []) {
        if (covers(edge.guards, need.use) || need.path.includes(edge.from)) continue;
        if (add(edge.from, { use: need.use, path: [edge.from, ...need.path] })) changed = true;
      }
    }
  }
  const violations: Violation[] = [];
  for (const [container, of] of needs) {
    if (referenced.has(container)) continue;
    for (const need of of.values()) violations.push(need);
  }
  return { uses, violations };
}

/** All .ts files under `dir`. */
export function tsFilesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f));
}
