import { effect } from '@preact/signals-core';
import { Component, type ComponentChildren, type ComponentType } from 'preact';

/**
 * The widget's components and the three hooks they use, at a fraction of the size of
 * @preact/signals and preact/hooks together (the script-tag widget has a size budget).
 *
 * A component made with {@link watch} re-renders when a signal it read while rendering
 * changes: each render runs inside a fresh effect that records the signals read; the first
 * change after it asks Preact for a render, which records them again. The effect ends with
 * the next render, or when the component unmounts. The hooks work inside such components only.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each subclass's own props
type Props = any;

class Watched extends Component<Props> {
  /** The component's render function. */
  declare r: (props: Props) => ComponentChildren;
  /** Hook slots, in call order. */
  h: unknown[] = [];
  /** Layout effects due after this render. */
  fx: (() => void)[] = [];
  stop?: () => void;

  override render(props: Props) {
    cur = this;
    at = 0;
    this.stop?.();
    let out: ComponentChildren;
    let first = true;
    this.stop = effect(() => {
      if (first) out = this.r(props);
      else this.setState({});
      first = false;
    });
    return out;
  }

  override componentDidMount() {
    for (const fn of this.fx.splice(0)) fn();
  }

  override componentDidUpdate() {
    this.componentDidMount();
  }

  override componentWillUnmount() {
    this.stop!();
  }
}

/** The component rendering now, and its next hook slot. */
let cur: Watched;
let at = 0;

/** Make a function component that re-renders on the signals it reads (see above). */
export function watch<P>(render: (props: P) => ComponentChildren): ComponentType<P> {
  return class extends Watched {
    override r = render;
  } as ComponentType<P>;
}

/** Like Preact's `useState` (the setter always re-renders). */
export function useState<T>(initial: T): [T, (next: T | ((old: T) => T)) => void] {
  const c = cur;
  const slot = (c.h[at++] ??= [
    initial,
    (next: T | ((old: T) => T)) => {
      slot[0] = typeof next == 'function' ? (next as (old: T) => T)(slot[0]) : next;
      c.setState({});
    },
  ]) as [T, (next: T | ((old: T) => T)) => void];
  return slot;
}

/** Like Preact's `useRef(null)`: a ref for an element. */
export function useRef<T>(): { current: T | null } {
  return (cur.h[at++] ??= { current: null }) as { current: T | null };
}

/** Like Preact's `useLayoutEffect` without a cleanup: `fn` runs after the render commits, when `deps` changed. */
export function useLayoutEffect(fn: () => void, deps: unknown[]): void {
  const old = cur.h[at] as unknown[] | undefined;
  if (!old || deps.some((d, i) => d !== old[i])) {
    cur.h[at] = deps;
    cur.fx.push(fn);
  }
  at++;
}
