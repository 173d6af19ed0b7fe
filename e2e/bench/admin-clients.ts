// A share of bench:admin's real clients, in its own process: `count` socket.io-client connections (WebSocket) to
// `url`, at most `inFlight` connecting at once. Prints `connected <n>` as it goes and `done <ms>` at the end, then
// holds them until killed.
import { io, type Socket } from 'socket.io-client';

const [url, countText, inFlightText = '50'] = process.argv.slice(2);
const count = Number(countText);
const inFlight = Number(inFlightText);
const sockets: Socket[] = [];
const started = performance.now();
let connected = 0;
let next = 0;

function open(): void {
  if (next >= count) return;
  next++;
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(socket);
  socket.once('connect', () => {
    connected++;
    if (connected % 500 === 0) process.stdout.write(`connected ${connected}\n`);
    if (connected === count) process.stdout.write(`done ${Math.round(performance.now() - started)}\n`);
    open();
  });
  socket.once('connect_error', (error) => {
    process.stderr.write(`connect_error ${error.message}\n`);
    open();
  });
}

for (let i = 0; i < inFlight; i++) open();
process.on('SIGTERM', () => {
  for (const socket of sockets) socket.disconnect();
  process.exit(0);
});
