import { createServer } from 'node:http';

/** A port on 127.0.0.1 that nothing listens on (bound, then released): for a server to start on, or to fail against. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}
