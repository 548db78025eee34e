/**
 * Run conditions on the desktop (issue 16 §2): the power source and idle time from Electron's
 * powerMonitor. Power and lock changes are announced, so a waiting run is looked at once.
 */
import type { PowerMonitor } from 'electron';
import type { SystemConditions } from '../engine/ports';

const CHANGES = ['on-ac', 'on-battery', 'lock-screen', 'unlock-screen', 'resume'] as const;

export function powerConditions(
  monitor: Pick<PowerMonitor, 'isOnBatteryPower' | 'getSystemIdleTime' | 'on' | 'off'>,
): SystemConditions {
  return {
    supported: true,
    onACPower: () => !monitor.isOnBatteryPower(),
    idleSeconds: () => monitor.getSystemIdleTime(),
    onChange(changed) {
      const listener = () => changed();
      for (const event of CHANGES) monitor.on(event as 'on-ac', listener);
      return () => CHANGES.forEach((event) => monitor.off(event as 'on-ac', listener));
    },
  };
}
