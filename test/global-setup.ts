// Starts one DynamoDB-compatible server (dynalite, in memory, on a free loopback port) for the whole test run, so the
// elevated-access handlers run against DynamoDB's semantics (conditions, update expressions, pagination), not a fake.
// It runs in a child process, so nothing it leaves open keeps jest alive; the workers inherit the endpoint through the
// environment (aws-sdk v3 reads AWS_ENDPOINT_URL_DYNAMODB).
import { spawn } from 'child_process';

const SERVER = `
const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.on('disconnect', () => process.exit(0));
`;

export default async function globalSetup(): Promise<void> {
  const child = spawn(process.execPath, ['-e', SERVER], { cwd: __dirname, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`dynalite exited with ${code}`)));
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()));
  });
  child.stdout!.destroy();
  child.unref();
  child.channel?.unref();
  (globalThis as any).__DYNALITE__ = child;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${port}`;
}
