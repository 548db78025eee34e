// Preload for a browser-mode process under test: reports, at the first child process it starts,
// whether ALMANAC_TOKEN is still in its process.env (which every child would inherit).
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';

const spawn = childProcess.spawn;
let reported = false;
childProcess.spawn = function (...args) {
  if (!reported) {
    reported = true;
    process.stderr.write(
      `env at first spawn: ALMANAC_TOKEN ${'ALMANAC_TOKEN' in process.env ? 'present' : 'absent'}\n`,
    );
  }
  return spawn.apply(this, args);
};
syncBuiltinESMExports();
