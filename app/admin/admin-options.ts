/** Where and how to reach a server instrumented with `@socket.io/admin-ui` (its `/admin` namespace). */
export interface AdminConnectOptions {
  /** Server origin, e.g. `http://localhost:3000` (the `/admin` namespace is added). */
  url: string;
  /** Socket.IO path on that server; `/socket.io` when absent. */
  path?: string;
  /** Basic auth (the server's `auth: { type: 'basic' }`); leave both empty for a server without auth. */
  username?: string;
  password?: string;
}
