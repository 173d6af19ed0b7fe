// Admin mode's connection in the page URL (`mode=admin&url=…`). The password never goes into a URL.
import type { AdminConnectOptions } from '../admin/admin-options.ts';

const MAX_TEXT = 4096;

export function adminOptionsToParams(options: AdminConnectOptions): URLSearchParams {
  const params = new URLSearchParams({ mode: 'admin', url: options.url });
  if (options.path && options.path !== '/socket.io') params.set('path', options.path);
  if (options.username) params.set('user', options.username);
  return params;
}

export function adminOptionsFromParams(params: URLSearchParams): AdminConnectOptions | undefined {
  const url = params.get('url');
  if (params.get('mode') !== 'admin' || url === null || url.length > MAX_TEXT) return undefined;
  const path = params.get('path');
  const username = params.get('user');
  return {
    url,
    ...(path !== null && path.length <= MAX_TEXT ? { path } : {}),
    ...(username !== null && username.length <= MAX_TEXT ? { username } : {}),
  };
}
