// Starts one DynamoDB-compatible server (dynalite, in memory, on a free loopback port) for the whole test run, so the
// elevated-access handlers run against DynamoDB's semantics (conditions, update expressions, pagination), not a fake.
// The workers inherit the endpoint through the environment; aws-sdk v3 reads AWS_ENDPOINT_URL_DYNAMODB.
import type { AddressInfo } from 'net';

export default async function globalSetup(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite') as (options: Record<string, unknown>) => import('http').Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  (globalThis as any).__DYNALITE__ = server;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${port}`;
}
