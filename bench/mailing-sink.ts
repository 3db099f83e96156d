/**
 * The receiving MTA of `npm run bench -- mailing`, in its own process (as a real MTA would be):
 * smtp-server on 127.0.0.1, accepts every message after reading it whole, and reports to the
 * parent over IPC: its port, the first acceptance, and when `expect` messages were accepted.
 */
import { SMTPServer } from 'smtp-server';

const expect = Number(process.argv[2] ?? '0');
let count = 0;
const server = new SMTPServer({
  secure: false, authOptional: true, disabledCommands: ['STARTTLS'], logger: false, maxClients: 500,
  onData(stream, _s, cb) {
    stream.on('data', () => {});
    stream.on('end', () => {
      count++;
      if (count === 1) process.send!({ type: 'first' });
      if (count === expect) process.send!({ type: 'done', count });
      cb(null, 'Queued');
    });
  },
});
server.listen(0, '127.0.0.1', () => process.send!({ type: 'port', port: (server.server.address() as { port: number }).port }));
process.on('message', (m: { type: string }) => {
  if (m.type === 'count') process.send!({ type: 'count', count });
  if (m.type === 'close') server.close(() => process.exit(0));
});
