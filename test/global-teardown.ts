// Stops the DynamoDB-compatible server started by global-setup.ts.
export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as any).__DYNALITE__ as import('http').Server | undefined;
  if (!server) return;
  // the SDK keeps connections alive; close them, or close() waits for them
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
