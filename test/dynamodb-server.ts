// A DynamoDB-compatible server (dynalite, in memory, on a free loopback port) for each test file, in the worker that
// runs it, so the elevated-access handlers run against DynamoDB's semantics (conditions, update expressions,
// pagination), not a fake. In the worker's own process: one server in jest's parent for every worker answered
// slowly enough, when two workers ran instrumented suites at once, for the state machine tests to time out.
// aws-sdk v3 reads AWS_ENDPOINT_URL_DYNAMODB at a client's first request, so clients made on import find it.
import type { Server } from 'http';
import type { AddressInfo } from 'net';

let server: Server | undefined;

beforeAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;
  const s = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve());
  });
  server = s;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (!server) return;
  // the SDK keeps connections alive; close them, or close() waits for them
  server.closeAllConnections();
  await new Promise<void>((resolve) => server!.close(() => resolve()));
});
