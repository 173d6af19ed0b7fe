import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import JsonNode from './JsonNode.svelte';
import { PAGE } from './json-node.ts';

describe('JSON view', () => {
  it('renders children only when opened, a page at a time', async () => {
    const big = Array.from({ length: 250_000 }, (_, i) => i);
    const { container } = render(JsonNode, { props: { value: { big } } });
    expect(container.querySelectorAll('.node')).toHaveLength(1);
    await fireEvent.click(screen.getByRole('button', { expanded: false }));
    await fireEvent.click(screen.getAllByRole('button', { expanded: false })[0]);
    expect(container.querySelectorAll('.node')).toHaveLength(2 + PAGE);
    await fireEvent.click(screen.getByText(/show 100 more of 249,900/));
    expect(container.querySelectorAll('.node')).toHaveLength(2 + 2 * PAGE);
  });

  it('is safe on a 10,000-deep value: one level per click', async () => {
    const deep = JSON.parse('['.repeat(10_000) + ']'.repeat(10_000));
    const { container } = render(JsonNode, { props: { value: deep, open: true } });
    expect(container.querySelectorAll('.node')).toHaveLength(2);
  });

  it('shows markup as text and keeps __proto__ an ordinary key', async () => {
    const hostile = JSON.parse('{"__proto__":{"polluted":true},"html":"<img src=x onerror=alert(1)>"}');
    const { container } = render(JsonNode, { props: { value: hostile, open: true } });
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(container.textContent).toContain('__proto__');
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('cuts long strings and binary short, with the way to see more', async () => {
    const { container } = render(JsonNode, { props: { value: ['x'.repeat(5000), new Uint8Array(10_000).fill(65)], open: true } });
    expect(container.textContent).toContain('show all 5,000 characters');
    expect(container.textContent).toContain('<10000 bytes>');
    await fireEvent.click(screen.getAllByRole('button', { expanded: false })[0]);
    expect(container.querySelector('.hex')?.textContent).toMatch(/^00000000  41 41/);
    expect(container.querySelector('.hex')?.textContent).toContain('5,904 more bytes');
  });
});
