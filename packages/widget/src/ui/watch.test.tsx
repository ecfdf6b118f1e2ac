// @vitest-environment happy-dom
import { signal } from '@preact/signals-core';
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { useLayoutEffect, useRef, useState, watch } from './watch.js';

const tick = () => new Promise((r) => setTimeout(r, 10));
const root = document.createElement('div');
afterEach(() => render(null, root));

describe('watch', () => {
  it('re-renders on the signals read in the last render only, and stops when unmounted', async () => {
    const a = signal(1);
    const b = signal('x');
    let renders = 0;
    const C = watch(({ useB }: { useB: boolean }) => {
      renders++;
      return <p>{useB ? b.value : a.value}</p>;
    });
    render(<C useB={false} />, root);
    expect(root.textContent).toBe('1');
    a.value = 2;
    await tick();
    expect(root.textContent).toBe('2');
    b.value = 'y'; // not read: no render
    await tick();
    expect(renders).toBe(2);

    render(<C useB />, root);
    expect(root.textContent).toBe('y');
    const before = renders;
    a.value = 3; // no longer read
    await tick();
    expect(renders).toBe(before);

    render(null, root);
    b.value = 'z';
    await tick();
    expect(renders).toBe(before);
  });

  it('keeps state and refs across renders; layout effects run after commit when their deps change', async () => {
    const seen: string[] = [];
    let set!: (n: number | ((n: number) => number)) => void;
    const C = watch(({ k }: { k: string }) => {
      const [n, setN] = useState(0);
      set = setN;
      const ref = useRef<HTMLSpanElement>();
      useLayoutEffect(() => void seen.push(`${k}:${ref.current?.textContent}`), [k]);
      return <span ref={ref}>{n}</span>;
    });
    render(<C k="a" />, root);
    expect(seen).toEqual(['a:0']);
    set(5);
    await tick();
    set((n) => n + 1);
    await tick();
    expect(root.textContent).toBe('6');
    expect(seen).toEqual(['a:0']); // same deps: not again
    render(<C k="b" />, root);
    expect(seen).toEqual(['a:0', 'b:6']);
  });
});
