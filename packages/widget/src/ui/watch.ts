import { effect } from '@preact/signals-core';
import type { ComponentChildren, FunctionComponent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * A component that re-renders when a signal it read while rendering changes (what
 * @preact/signals does for every component, for the few the widget has, at a fraction of
 * the size). Each render runs inside a fresh effect that records the signals read; the
 * first change after it asks Preact for a render, which records them again. The effect
 * ends with the render after it, or when the component unmounts.
 */
export function watch<P>(render: (props: P) => ComponentChildren): FunctionComponent<P> {
  return (props) => {
    const [, update] = useState(0);
    const stop = useRef<() => void>(null);
    useEffect(() => () => stop.current!(), []);
    stop.current?.();
    let out: ComponentChildren;
    let first = true;
    stop.current = effect(() => {
      if (first) out = render(props);
      else update((n) => n + 1);
      first = false;
    });
    return out;
  };
}
