/**
 * What Node the project supports is said in three places that must agree: package.json's engines,
 * the README's "Requirements", and .ci/run's check; and the EBADENGINE warnings the README explains
 * are exactly the installed packages that ask for a newer Node than that.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };
const lock = JSON.parse(read('package-lock.json')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

describe('supported Node', () => {
  const [, major, minor] = /^>=(\d+)\.(\d+)\.0$/.exec(pkg.engines.node) ?? [];

  it('package.json, the README and .ci/run name the same minimum', () => {
    expect(major, `engines.node is ${pkg.engines.node}`).toBeDefined();
    expect(read('README.md')).toContain(`Node ${major}.${minor} or later`);
    expect(read('.ci/run')).toContain(`major < ${major} || (major == ${major} && minor < ${minor})`);
  });

  it('the README names every installed package that asks for more (the EBADENGINE warnings), and no other', () => {
    /** Whether an engines range admits the minimum: a `||` alternative that starts at or below it. */
    const admits = (range: string) =>
      range.split('||').some((alternative) => {
        const first = /(\d+)(?:\.(\d+))?/.exec(alternative);
        if (!first) return true;
        const [m, n] = [Number(first[1]), Number(first[2] ?? 0)];
        return m < Number(major) || (m === Number(major) && n <= Number(minor));
      });
    const asking = Object.entries(lock.packages)
      .filter(
        ([name, entry]) =>
          name && !Array.isArray(entry.engines) && entry.engines?.node && !admits(entry.engines.node),
      )
      .map(([name]) => name.replace(/^.*node_modules\//, ''))
      .sort();
    const readme = read('README.md');
    const said = /prints (\w+) `EBADENGINE` warnings, for ([^:]+):/.exec(readme.replace(/\s+/g, ' '));
    expect(said).not.toBeNull();
    const named = [...said![2]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]).sort();
    expect(named).toEqual(asking);
    expect(said![1]).toBe(['zero', 'one', 'two', 'three', 'four', 'five', 'six'][asking.length]);
    expect(read('.ci/run')).toContain(`expect ${asking.length} EBADENGINE warnings`);
  });
});
