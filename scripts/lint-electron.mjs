/**
 * Doyensec's Electron linter, electronegativity, over src/ with the installed Electron's version
 * (`npm run lint:electron`, part of `npm test`). Each finding must be fixed, or suppressed in
 * electronegativity.json with a reason. It fails on a finding left over, on a suppression that no
 * longer matches anything (so the list stays true), and on a file it could not parse.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');
const config = JSON.parse(fs.readFileSync(path.join(root, 'electronegativity.json'), 'utf8'));
const electronVersion = require('electron/package.json').version;
const electronegativity = require('@doyensec/electronegativity');

const { issues, errors } = await electronegativity({
  input: path.join(root, config.input),
  isRelative: true,
  electronVersionOverride: electronVersion,
  excludeFromScan: config.exclude.map((entry) => entry.check),
});

const matches = (rule, issue) =>
  rule.check === issue.id && rule.file === issue.file && String(issue.sample ?? '').includes(rule.sample);
const where = (issue) => `${issue.file}:${issue.location.line}:${issue.location.column}`;
let failed = false;

console.log(
  `electronegativity on ${config.input}/ as Electron ${electronVersion}: ${issues.length} finding(s)`,
);
for (const issue of issues) {
  const rule = config.suppress.find((candidate) => matches(candidate, issue));
  if (rule) {
    console.log(`  suppressed  ${issue.id}  ${where(issue)}\n              ${rule.reason}`);
  } else {
    failed = true;
    console.log(
      `  FINDING     ${issue.id}  ${where(issue)}  ${issue.severity.name}/${issue.confidence.name}\n` +
        `              ${issue.description}\n              ${issue.sample ?? ''}`,
    );
  }
}
for (const rule of config.suppress) {
  if (issues.some((issue) => matches(rule, issue))) continue;
  failed = true;
  console.log(`  STALE       ${rule.check}  ${rule.file}: this suppression matches no finding; remove it`);
}
for (const error of errors) {
  if (!error.tolerable) failed = true;
  console.log(`  ${error.tolerable ? 'warning' : 'UNPARSED'}    ${error.file}: ${error.message}`);
}
for (const entry of config.exclude) console.log(`  not run     ${entry.check}: ${entry.reason}`);
if (failed) {
  console.log(
    'Fix each FINDING, or suppress it in electronegativity.json with the reason it does not apply.',
  );
  process.exit(1);
}
