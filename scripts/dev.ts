/**
 * `npm run dev`: the server (restarted on change) on PORT (default 8080) and the Vite dev server
 * with hot reload on 5173, proxying /api (and the WebSocket) to it. Open http://localhost:5173.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createServer } from 'vite';
import { WEB_ROOT } from './ensure-web-build.ts';

const server = spawn(process.execPath, ['--import', 'tsx', '--watch', 'src/main.ts'], { stdio: 'inherit' });
const vite = await createServer({ configFile: path.join(WEB_ROOT, 'vite.config.ts'), server: { port: 5173 } });
await vite.listen();
vite.printUrls();
const stop = async () => {
  server.kill('SIGTERM');
  await vite.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
