/** node-schedule ships no types; the bench uses this much of it. */
declare module 'node-schedule' {
  interface Job {
    cancel(): boolean;
  }
  const schedule: {
    scheduleJob(spec: { rule: string; tz?: string }, callback: (fireDate: Date) => void): Job | null;
    gracefulShutdown(): Promise<void>;
  };
  export default schedule;
}
