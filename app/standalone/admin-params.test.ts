import { describe, expect, it } from 'vitest';
import { adminOptionsFromParams, adminOptionsToParams } from './admin-params.ts';

describe('admin options in the page URL', () => {
  it('round-trips url, path and user; never the password', () => {
    const params = adminOptionsToParams({ url: 'http://h:1', path: '/io', username: 'admin', password: 'hunter2' });
    expect(params.toString()).not.toContain('hunter2');
    expect(adminOptionsFromParams(params)).toEqual({ url: 'http://h:1', path: '/io', username: 'admin' });
  });
  it('names nothing outside admin mode or without a url', () => {
    expect(adminOptionsFromParams(new URLSearchParams('url=http://h:1'))).toBeUndefined();
    expect(adminOptionsFromParams(new URLSearchParams('mode=admin'))).toBeUndefined();
  });
});
