// Runs the admin connection off the page's thread: socket.io-client parses the server's messages here, and the page
// receives them already checked, in batches.
import { AdminConnection, type AdminConnectionOutput } from './admin-connection.ts';
import type { AdminAction } from './admin-messages.ts';
import type { AdminConnectOptions } from './admin-options.ts';

/** Page → worker. */
export type AdminPageToWorker =
  | { type: 'open'; options: AdminConnectOptions }
  | { type: 'action'; action: AdminAction }
  | { type: 'handshake'; nsp: string; id: string }
  | { type: 'close' };
/** Worker → page. */
export type AdminWorkerToPage = AdminConnectionOutput;

const scope = self as unknown as {
  postMessage(message: AdminWorkerToPage): void;
  onmessage: ((event: MessageEvent<AdminPageToWorker>) => void) | null;
};

let connection: AdminConnection | undefined;

scope.onmessage = ({ data }) => {
  switch (data.type) {
    case 'open':
      connection?.close();
      connection = new AdminConnection(data.options, (out) => scope.postMessage(out));
      connection.open();
      return;
    case 'action':
      connection?.send(data.action);
      return;
    case 'handshake':
      connection?.handshake(data.nsp, data.id);
      return;
    case 'close':
      connection?.close();
      connection = undefined;
  }
};
