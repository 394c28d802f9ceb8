// A promise the operator's guide makes, held to the code: every message it quotes for a qvirt
// component is one the code can really produce. It reads every workspace's source, so it lives at
// the repository's root, not in a workspace.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const doc = (name: string): string => readFileSync(join(REPO, 'docs', name), 'utf8');

const STAR = '\uE000';
const QVIRT = new Set(['virt-api', 'virt-controller', 'virt-handler', 'virt-launcher']);
const OTHERS = new Set(['libvirt', 'qemu', 'kernel', 'kube-scheduler', 'kube-apiserver']);

/** `> **component:** `message`` lines; `…` and `<...>` are the parts that vary. */
function quotedMessages(text: string): { component: string; message: string }[] {
  return [...text.matchAll(/^> \*\*([a-z-]+):\*\* `([^`]+)`\s*$/gm)].map((m) => ({ component: m[1]!, message: m[2]! }));
}

function docPattern(message: string): string {
  return message.replace(/<[^<>]*>|…/g, STAR).replace(/\uE000+/g, STAR);
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (e.endsWith('.ts') && !e.endsWith('.test.ts') && !e.endsWith('.fixture.ts') && !e.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/**
 * Every string the code can build, as a pattern: string literals, template literals (each
 * `${...}` a wildcard) and `+` chains of them (each non-literal operand a wildcard).
 */
function sourcePatterns(): string[] {
  const roots = ['packages', 'apps'].flatMap((top) =>
    readdirSync(join(REPO, top))
      .filter((p) => p !== 'testenv')
      .map((p) => join(REPO, top, p, 'src')),
  );
  const patterns = new Set<string>();
  const fold = (n: ts.Node): string => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return n.text;
    if (ts.isTemplateExpression(n)) return n.head.text + n.templateSpans.map((s) => STAR + s.literal.text).join('');
    if (ts.isParenthesizedExpression(n)) return fold(n.expression);
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken) return fold(n.left) + fold(n.right);
    return STAR;
  };
  const isPlus = (n: ts.Node): n is ts.BinaryExpression => ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken;
  for (const file of roots.flatMap((r) => {
    try {
      return sourceFiles(r);
    } catch {
      return [];
    }
  })) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n)) patterns.add(fold(n));
      else if (isPlus(n) && !isPlus(n.parent) && fold(n).replaceAll(STAR, '').length > 0) patterns.add(fold(n));
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  // A pattern of (almost) only values would stand for any quote.
  return [...patterns].map((p) => p.replace(/\uE000+/g, STAR)).filter((p) => literalLength(p) >= 6);
}

/**
 * Whether the quoted message can be a string the source pattern builds. A quote's wildcards
 * (`…`, `<...>`) stand for values: they lie within the code's `${...}` (STAR in `source`), never
 * over its literal text, so every literal part of the code's message must be quoted as it is.
 * The code's values may stand for quoted text (`PF 0000:3d:00.0 state down` for `PF ${a} state down`).
 */
export function quoteMatches(quote: string, source: string): boolean {
  const seen = new Set<number>();
  const stack: [number, number][] = [[0, 0]];
  const width = source.length + 1;
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    const key = i * width + j;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === quote.length && j === source.length) return true;
    const q = quote[i];
    const s = source[j];
    if (s === STAR) {
      stack.push([i, j + 1]); // the value ends here
      if (q !== undefined) stack.push([i + 1, j]); // the value covers this quoted character or wildcard
    }
    if (q === STAR) stack.push([i + 1, j]); // a quoted wildcard may stand for an empty part of a value
    if (q !== undefined && s !== undefined && q !== STAR && s !== STAR && q === s) stack.push([i + 1, j + 1]);
  }
  return false;
}

/** Literal characters of a pattern. */
const literalLength = (p: string): number => p.replaceAll(STAR, '').length;

describe('messages quoted in docs/troubleshooting.md', () => {
  const quoted = quotedMessages(doc('troubleshooting.md'));
  let patterns: string[];
  beforeAll(() => {
    patterns = sourcePatterns();
  });

  it('quotes the symptoms the guide is about, naming who prints each', () => {
    expect(quoted.length).toBeGreaterThan(30);
    for (const { component, message } of quoted) expect(QVIRT.has(component) || OTHERS.has(component), `${component}: ${message}`).toBe(true);
    const text = quoted.map((q) => q.message).join('\n');
    for (const s of [
      'Insufficient qat.intel.com/',
      "host doesn't support passthrough",
      'Unmanaged PCI device',
      'heartbeat failed',
      'a group goes to one VM whole',
      'RLIMIT_MEMLOCK',
      "launcher's libvirtd",
      'plugin socket removed',
    ]) {
      expect(text).toContain(s);
    }
  });

  it.each(quoted.filter((q) => QVIRT.has(q.component)))('$component really prints: $message', ({ message }) => {
    const pattern = docPattern(message);
    expect(pattern.replaceAll(STAR, '').length, 'too little of the message is quoted').toBeGreaterThanOrEqual(6);
    expect(
      patterns.some((p) => quoteMatches(pattern, p)),
      `no string in packages/*/src or apps/*/src can be "${message}"`,
    ).toBe(true);
  });

  it('really fails for a message the code does not print', () => {
    for (const wrong of ['QAT feature gate is not enabled in kubevirt-conf', 'launcher for VMI <ns>/<name> quit: …', 'launcher for VMI vms/vmi-qat ended: …']) {
      expect(
        patterns.some((p) => quoteMatches(docPattern(wrong), p)),
        wrong,
      ).toBe(false);
    }
  });
});

describe('quoteMatches', () => {
  const p = (x: string) => x.replaceAll('*', STAR);
  it('lets code values cover quoted text, and quoted wildcards stand only for values', () => {
    expect(quoteMatches(p('PF 0000:3d:00.0 state down'), p('PF * state down'))).toBe(true);
    expect(quoteMatches(p('launcher for VMI */* exited: *'), p('launcher for VMI * exited: *'))).toBe(true);
    expect(quoteMatches(p('Error creating pod: *'), p('Error creating pod: *'))).toBe(true);
    expect(quoteMatches(p('launcher for VMI */* exited: *'), p('launcher for VMI * ended: *'))).toBe(false);
    expect(quoteMatches(p('a * d'), p('a b c d'))).toBe(false);
    expect(quoteMatches(p('abc'), p('abcd'))).toBe(false);
  });
});
