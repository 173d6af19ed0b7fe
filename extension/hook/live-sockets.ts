/**
 * The page's Engine.IO WebSockets by the hook's conn id, for the emit composer, until each closes. A null-prototype
 * object, not a Map: property access runs no page code, whatever the page did to Map.prototype.
 */
const sockets: Record<string, WebSocket> = Object.create(null);

export function rememberSocket(conn: string, ws: WebSocket): void {
  sockets[conn] = ws;
}

export function forgetSocket(conn: string): void {
  delete sockets[conn];
}

export function socketOf(conn: string): WebSocket | undefined {
  return sockets[conn];
}
