/**
 * The lookup bench's HTTP client. bench/lookup.ts forks this file so that the figures measure the
 * node rather than the bench's own client (HTTP client, JSON parsing of 2 MB bulk answers and its GC)
 * sharing the node's thread; with `--client-in-process` the bench calls the same functions in its
 * own process instead. Over IPC: { run: Job } → { result: number[] } (one figure per request, ms);
 * { stop: true } → exit.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** One GET, body read to the end; resolves with the status. */
function get(agent: http.Agent, url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent, headers }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    }).on('error', reject);
  });
}

export type Job =
  /** Sequential GETs (keep-alive), one latency per path. */
  | { kind: 'get'; url: string; headers: Record<string, string>; paths: string[] }
  /** One bulk POST per value list: its time, after checking the answer has one item per value. */
  | { kind: 'bulk'; url: string; headers: Record<string, string>; path: string; runs: string[][] };

export async function runJob(job: Job): Promise<number[]> {
  const out: number[] = [];
  if (job.kind === 'get') {
    // node:http on one kept-alive socket: a leaner client than fetch (undici), whose own per-request
    // work and garbage showed in the tail of the figures.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (const path of job.paths) {
        const s = performance.now();
        const status = await get(agent, `${job.url}${path}`, job.headers);
        if (status !== 200) throw new Error(`GET ${path}: ${status}`);
        out.push(performance.now() - s);
      }
    } finally {
      agent.destroy();
    }
  } else {
    for (const values of job.runs) {
      const s = performance.now();
      const r = await fetch(`${job.url}${job.path}`, {
        method: 'POST', headers: { ...job.headers, 'content-type': 'application/json' }, body: JSON.stringify({ values }),
      });
      const body = (await r.json()) as { items?: unknown[] };
      const took = performance.now() - s;
      if (body.items?.length !== values.length) throw new Error(`bulk answered ${r.status} with ${body.items?.length} items`);
      out.push(took);
    }
  }
  return out;
}

export const CHILD_FLAG = '--lookup-bench-client';

if (process.send && process.argv.includes(CHILD_FLAG)) {
  process.on('message', (msg: { run?: Job; stop?: boolean }) => {
    if (msg.stop) process.exit(0);
    if (msg.run) {
      runJob(msg.run).then(
        (result) => process.send!({ result }),
        (err: Error) => process.send!({ error: err.message }),
      );
    }
  });
  process.send('ready');
}
