import { createServer } from 'node:http';

/**
 * The raw node:http baseline: answers every request (GET or POST, body read
 * and dropped) with a JSON body of the size asked in `?bytes=N`, so each
 * scenario is compared with a server doing nothing but HTTP and JSON of the
 * same size. Plain JavaScript, run by node itself as Usher's build is (no loader).
 */
/** @type {Map<number, string>} */
const bodies = new Map();
/** @param {number} bytes */
function bodyOf(bytes) {
  let body = bodies.get(bytes);
  if (!body) {
    body = JSON.stringify({ data: 'x'.repeat(Math.max(0, bytes - 11)) });
    bodies.set(bytes, body);
  }
  return body;
}

const server = createServer((req, res) => {
  const bytes = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('bytes') ?? 64);
  req.resume();
  req.on('end', () => {
    const body = bodyOf(bytes);
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
