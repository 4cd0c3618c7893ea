import { useEffect, useRef, useState } from 'preact/hooks';
import { Notice } from './components.js';

/**
 * A secret shown this once (an API key, a client secret): a read-only field, selected on arrival, and a Copy button
 * that says whether the browser let it copy (if not, the text is selected to copy by hand).
 */
export function SecretField({
  id,
  label,
  value,
  button,
  noun,
  focus = true,
}: {
  id: string;
  label: string;
  value: string;
  button: string;
  /** What the refusal message calls it: "the key is selected". */
  noun: string;
  /** Focused and selected on arrival (a secret just made); false for a value shown among others. */
  focus?: boolean;
}) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState('');
  useEffect(() => {
    if (!focus) return;
    field.current?.focus();
    field.current?.select();
  }, []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('Copied to the clipboard.');
    } catch {
      field.current?.select();
      setCopied(`Copying was refused by the browser: the ${noun} is selected, copy it with Ctrl+C (⌘C).`);
    }
  };
  return (
    <>
      <div class="field">
        <label for={id}>{label}</label>
        <div class="with-button">
          <input ref={field} id={id} class="mono" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={copy}>
            {button}
          </button>
        </div>
      </div>
      <Notice>{copied}</Notice>
    </>
  );
}
