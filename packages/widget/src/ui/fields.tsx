import type { ComponentChildren } from 'preact';

/**
 * A labelled form field with its validation message. The message is tied to the control
 * by `aria-describedby` (see {@link fieldProps}), so a screen reader reads it with the label.
 */
export function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: ComponentChildren }) {
  return (
    <div class="fld">
      <label for={id}>{label}</label>
      {children}
      {error && (
        <span id={`${id}-e`} class="err">
          {error}
        </span>
      )}
    </div>
  );
}

/** The id and ARIA state a control in a {@link Field} needs. */
export function fieldProps(id: string, error?: string) {
  return { id, 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': error ? `${id}-e` : undefined };
}

/** Move focus to the first control marked invalid in this form (after a failed submit). */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
