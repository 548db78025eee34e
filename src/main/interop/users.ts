/** The accounts of this machine, to tell an /etc/cron.d user column from a command's first word. */
import fs from 'node:fs';
import os from 'node:os';

export function localUsers(): Set<string> {
  const users = new Set(['root']);
  try {
    users.add(os.userInfo().username);
  } catch {
    // no user database entry for this process
  }
  try {
    for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const name = line.split(':')[0];
      if (name && !name.startsWith('#')) users.add(name);
    }
  } catch {
    // not a POSIX machine, or no readable passwd: root and the current user still count
  }
  return users;
}
