// Stops the DynamoDB-compatible server started by global-setup.ts.
import type { ChildProcess } from 'child_process';

export default async function globalTeardown(): Promise<void> {
  const child = (globalThis as any).__DYNALITE__ as ChildProcess | undefined;
  if (child && child.exitCode === null) child.kill();
}
