// A local HTTP server that plays API Gateway with IAM authorization for the lz-access CLI tests: it checks the SigV4
// signature the CLI made, asks the test who the signer is (or whether a resource policy denies them), and hands the
// signer's identity to the real API handler.
import * as http from 'http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { handler as apiHandler } from '../../src/elevated-access/handlers/access-api.lambda';

/** Every test key's secret. */
export const SECRET = 'local-test-secret';

/** The signer's ARN, or the refusal API Gateway answers before the handler. */
export type Signer = { readonly userArn: string } | { readonly deny: string } | undefined;

/** Plays API Gateway with IAM authorization: verifies the signature, then invokes the handler as the signer. */
export function apiGateway(signerOf: (accessKeyId: string, sessionToken: string | undefined) => Signer): http.Server {
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url!, `http://${req.headers.host}`);
      const auth = String(req.headers.authorization ?? '');
      const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\/execute-api\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)/.exec(auth);
      const signer = m ? signerOf(m[1], req.headers['x-amz-security-token'] as string | undefined) : undefined;
      let valid = false;
      if (m && signer) {
        const signed = m[3].split(';');
        const headers = Object.fromEntries(signed.map((h) => [h, String(req.headers[h])]));
        const sigv4 = new SignatureV4({ service: 'execute-api', region: m[2], sha256: Hash.bind(null, 'sha256'), credentials: { accessKeyId: m[1], secretAccessKey: SECRET } });
        const amzDate = String(req.headers['x-amz-date']);
        const date = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
        const again = await sigv4.sign({
          method: req.method!,
          protocol: 'http:',
          hostname: url.hostname,
          port: Number(url.port),
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers,
          body: body || undefined,
        }, { signingDate: date });
        valid = String(again.headers.authorization).endsWith(`Signature=${m[4]}`);
      }
      if (!valid || !signer) {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'The request signature we calculated does not match the signature you provided.' }));
        return;
      }
      if ('deny' in signer) {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ Message: signer.deny }));
        return;
      }
      const parts = url.pathname.replace(/^\/v1/, '').split('/').filter(Boolean);
      const resource = parts.length === 1 ? '/requests' : parts.length === 2 ? '/requests/{requestId}' : `/requests/{requestId}/${parts[2]}`;
      const out = await apiHandler({
        httpMethod: req.method,
        resource,
        path: url.pathname,
        pathParameters: parts[1] ? { requestId: decodeURIComponent(parts[1]) } : null,
        queryStringParameters: url.searchParams.size > 0 ? Object.fromEntries(url.searchParams) : null,
        body: body || null,
        requestContext: { identity: { userArn: signer.userArn } },
      } as any);
      res.writeHead(out.statusCode, { 'content-type': 'application/json' });
      res.end(out.body);
    });
  });
}
