import { readdirSync, readFileSync } from 'node:fs';

// The CLI must start in a fraction of a second: no Nest, Kafka or database module on its import path.
const ALLOWED = [/^node:/, /^@app\/domain$/, /^handlebars$/, /^\.\/[\w-]+\.js$/, /^\.\.\/rendering\/[\w-]+\.js$/];

function importsOf(folder: string): [string, string][] {
  const dir = new URL(`../${folder}/`, import.meta.url);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))
    .flatMap((name) => {
      const source = readFileSync(new URL(name, dir), 'utf8');
      return [...source.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match): [string, string] => [`${folder}/${name}`, match[1]!]);
    });
}

describe('CLI and rendering imports', () => {
  it('reach only the domain, handlebars, node built-ins and each other', () => {
    const imports = [...importsOf('cli'), ...importsOf('rendering')];
    expect(imports.length).toBeGreaterThan(10);
    const outside = imports.filter(([, specifier]) => !ALLOWED.some((pattern) => pattern.test(specifier)));
    expect(outside).toEqual([]);
  });
});
