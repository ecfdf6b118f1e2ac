import { EMAIL_ADDRESS } from '@parley/protocol';
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { Model } from '../model.js';
import { useGrabFocus } from './focus.js';

/**
 * One field of a {@link Form}: `n` the name its value is read by, `id` the control's id
 * (its error message is `${id}-e`), `l` the label. `t`: `email` (checked as an address),
 * `area` (a textarea) or `select` (with options `o`, `v` the one selected); `v` is the
 * prefilled value, `x` the maximum length, `ac` the autocomplete hint.
 */
export interface Spec {
  n: string;
  id: string;
  l: string;
  t?: 'email' | 'area' | 'select';
  v?: string | null | undefined;
  x?: number;
  ac?: string;
  o?: { id: string; label: string }[];
}

/**
 * Run an async action with busy state (a second submit while busy does nothing) and a
 * failed flag; returns `[busy, failed, run]`.
 */
export function useRun(): [boolean, boolean, (action: () => Promise<unknown>) => Promise<void>] {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  return [
    busy,
    failed,
    async (action) => {
      if (busy) return;
      setBusy(true);
      setFailed(false);
      try {
        await action();
      } catch {
        setFailed(true);
      }
      setBusy(false);
    },
  ];
}

/** The id and ARIA state a control with a validation message `error` needs. */
export const fieldProps = (id: string, error?: string) => ({
  id,
  'aria-invalid': error ? ('true' as const) : undefined,
  'aria-describedby': error ? `${id}-e` : undefined,
});

/** A field's validation message: every field is required, `email` ones must look like an address. */
export const check = (value: string, t: Spec['t'], s: { required: string; badEmail: string }) =>
  !value ? s.required : t == 'email' && !EMAIL_ADDRESS.test(value) ? s.badEmail : '';

/** The visible "Back to the chat" link of the ticket views. */
export const Back = ({ m }: { m: Model }) => (
  <button type="button" class="link" onClick={() => m.show('chat')}>
    {m.s.value.back}
  </button>
);

/**
 * A desk form driven by its field list: a heading that takes focus when asked (see
 * `Model.wantFocus`), labelled fields, submit and "Back". Fields are read at submit time
 * (uncontrolled: autofill may set several in one tick) and checked; errors show under each
 * field, tied to it by `aria-describedby`, and focus goes to the first invalid one. Valid
 * values (trimmed) go to `go`; if it rejects, a `role=alert` says the request failed.
 */
export function Form(p: {
  m: Model;
  title: string;
  fields: Spec[];
  submit: string;
  go: (values: Record<string, string>) => Promise<unknown>;
  cls?: string;
  children?: ComponentChildren;
}) {
  const s = p.m.s.value;
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, failed, run] = useRun();
  const form = useRef<HTMLFormElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useGrabFocus(p.m, heading);

  return (
    <form
      ref={form}
      class={'stack' + (p.cls ?? '')}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const values: Record<string, string> = {};
        const err: Record<string, string> = {};
        let bad = false;
        for (const f of p.fields) {
          const v = (values[f.n] = (form.current!.elements.namedItem(f.n) as HTMLInputElement).value.trim());
          if ((err[f.n] = check(v, f.t, s))) bad = true;
        }
        setErrors(err);
        // After the re-render, when the fields carry aria-invalid.
        if (bad) setTimeout(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
        else run(() => p.go(values));
      }}
    >
      <h3 ref={heading} tabIndex={-1}>
        {p.title}
      </h3>
      {p.children}
      {p.fields.map((f) => {
        const e = errors[f.n];
        // The same props for every kind of control (each ignores what it lacks).
        const c: {} = {
          ...fieldProps(f.id, e),
          name: f.n,
          maxLength: f.x,
          // A select's choice is its option's `selected`.
          defaultValue: f.o ? undefined : f.v ?? undefined,
          type: f.t == 'email' ? 'email' : undefined,
          autocomplete: f.t == 'email' ? 'email' : f.ac,
        };
        return (
          <div key={f.id} class="fld">
            <label for={f.id}>{f.l}</label>
            {f.o ? (
              <select {...c}>
                <option value="" />
                {f.o.map((t) => (
                  <option key={t.id} value={t.id} selected={t.id === f.v}>
                    {t.label}
                  </option>
                ))}
              </select>
            ) : f.t == 'area' ? (
              <textarea {...c} />
            ) : (
              <input {...c} />
            )}
            {e && (
              <span id={`${f.id}-e`} class="err">
                {e}
              </span>
            )}
          </div>
        );
      })}
      {failed && <p role="alert">{s.requestFailed}</p>}
      <div class="row">
        <button type="submit" class="btn go" disabled={busy}>
          {p.submit}
        </button>
        <Back m={p.m} />
      </div>
    </form>
  );
}
