/**
 * How the transport was chosen (run by hand: `npx tsx bench/transport-choice.ts`; not a section
 * of `npm run bench`): the same DELETE with a JSON body, BENCH_CHOICE_REQUESTS (default 3,000)
 * times at concurrency 8 over loopback, the server in a process of its own, through
 * - node:http with a keep-alive Agent (what src/core/node-exchange.ts does),
 * - undici's dispatcher API (`Pool.request`, undici 5, present as a dependency of the
 *   edge-impulse-api dev dependency), connection reuse kept for requests with a body,
 * - Node's global fetch, for reference.
 * Prints, per run and way: requests/s, client CPU per request, connections the server accepted.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request as httpRequest } from 'node:http';
import { Pool } from 'undici';

const BODY = JSON.stringify({ collection: 'CollectionA', fields: 'A1,A2' });
const SERVER = `
  const http = require('node:http');
  let connections = 0;
  const answer = '{"errorCode":"0"}';
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length }); res.end(answer); });
  });
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
  process.stdin.on('data', () => { process.stdout.write(connections + '\\n'); connections = 0; });
`;

type One = (i: number) => Promise<void>;

function nodeHttp(port: number): One {
  const agent = new Agent({ keepAlive: true, scheduling: 'lifo' });
  return (i) =>
    new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: `/files/F${i}/metadata`,
          method: 'DELETE',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            JSON.parse(Buffer.concat(chunks).toString());
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(BODY);
    });
}

function undiciPool(port: number): One {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 8 });
  return async (i) => {
    const { body } = await pool.request({
      path: `/files/F${i}/metadata`,
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
      body: BODY,
      // Without this undici closes the connection after a DELETE that has a body.
      reset: false,
    } as Parameters<Pool['request']>[0]);
    await body.json();
  };
}

function globalFetch(port: number): One {
  return async (i) => {
    const response = await fetch(`http://127.0.0.1:${port}/files/F${i}/metadata`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
      body: BODY,
    });
    await response.json();
  };
}

async function pool(one: One, total: number, concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await one(next++);
    }),
  );
}

async function main(): Promise<void> {
  const total = Number(process.env.BENCH_CHOICE_REQUESTS ?? 3000);
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [portLine] = (await once(server.stdout, 'data')) as [Buffer];
  const port = Number(portLine.toString().trim());
  const connections = async (): Promise<number> => {
    server.stdin.write('\n');
    const [line] = (await once(server.stdout, 'data')) as [Buffer];
    return Number(line.toString().trim());
  };
  const ways: [string, One][] = [
    ['node:http keep-alive', nodeHttp(port)],
    ['undici Pool.request', undiciPool(port)],
    ['global fetch', globalFetch(port)],
  ];
  for (const [, one] of ways) await pool(one, 300, 8);
  await connections();
  for (let run = 1; run <= 3; run++) {
    for (const [name, one] of run % 2 ? ways : [...ways].reverse()) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      await pool(one, total, 8);
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu);
      const perRequest = ((used.user + used.system) / 1000 / total).toFixed(3);
      process.stdout.write(
        `run ${run} ${name}: ${Math.round((total * 1000) / ms)} requests/s, ${perRequest} ms CPU/request, ${await connections()} connections\n`,
      );
    }
  }
  server.kill();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
