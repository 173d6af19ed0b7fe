import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_OPTIONS, type ClientConnectOptions } from './connect-options.ts';
import ConnectForm from './ConnectForm.svelte';
import { SAVED_KEY } from './saved-connections.ts';

describe('connect form', () => {
  beforeEach(() => localStorage.clear());

  it('lists what is wrong instead of connecting', async () => {
    const asked: ClientConnectOptions[] = [];
    render(ConnectForm, { props: { initial: DEFAULT_CLIENT_OPTIONS, connected: false, onconnect: (o: ClientConnectOptions) => asked.push(o), ondisconnect: () => {} } });
    await fireEvent.input(screen.getByLabelText('Server URL'), { target: { value: 'localhost:3000' } });
    await fireEvent.input(screen.getByLabelText('auth (JSON)'), { target: { value: '{"token":' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('must start with http');
    expect(alert.textContent).toContain('auth is not JSON');
    expect(asked).toEqual([]);
  });

  it('hands over the options as typed, namespaces parsed', async () => {
    const asked: ClientConnectOptions[] = [];
    render(ConnectForm, { props: { initial: DEFAULT_CLIENT_OPTIONS, connected: false, onconnect: (o: ClientConnectOptions) => asked.push(o), ondisconnect: () => {} } });
    await fireEvent.input(screen.getByLabelText('Namespaces'), { target: { value: '/, chat' } });
    await fireEvent.input(screen.getByLabelText('auth (JSON)'), { target: { value: '{"token":"secret"}' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(asked).toEqual([{ ...DEFAULT_CLIENT_OPTIONS, namespaces: ['/', '/chat'], auth: '{"token":"secret"}' }]);
  });

  it('shows saved names as text, whatever they contain', () => {
    localStorage.setItem(SAVED_KEY, JSON.stringify([{ name: '<img src=x onerror=alert(1)>', options: DEFAULT_CLIENT_OPTIONS }]));
    const { container } = render(ConnectForm, { props: { initial: DEFAULT_CLIENT_OPTIONS, connected: false, onconnect: () => {}, ondisconnect: () => {} } });
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByRole('option', { name: '<img src=x onerror=alert(1)>' })).toBeTruthy();
  });
});
