/**
 * Imported first by `run-demo.ts`: outside the Functions host, `@azure/functions` warns on the console that
 * it runs in test mode and skips registering each function. That is expected in the sandbox (the demo calls
 * the handlers itself), so those lines are kept here for the log file instead of cluttering the terminal.
 */
export const hostWarnings: string[] = [];

const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  const first = args[0];
  if (typeof first === 'string' && first.startsWith('WARNING:') && first.includes('"@azure/functions"')) {
    hostWarnings.push(first);
    return;
  }
  warn(...args);
};
