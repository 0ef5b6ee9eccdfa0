import type { ReactNode } from 'react';

/** The server's problems for one input or group, each on its own line. */
export function Problems({ problems }: { problems?: string[] }) {
  return (
    <>
      {problems?.map((problem) => (
        <p key={problem} className="problem">
          {problem}
        </p>
      ))}
    </>
  );
}

/** A labelled input with the server's problems for it right underneath. */
export function Field({
  id,
  label,
  hint,
  problems,
  children,
}: {
  id: string;
  label: string;
  /** What the field means, under it; the input should name `${id}-hint` in aria-describedby. */
  hint?: string;
  problems?: string[];
  children: ReactNode;
}) {
  return (
    <div className={`field${problems?.length ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <Problems problems={problems} />
    </div>
  );
}

/** A password or token: never shown back by the API, so while editing a blank input keeps the stored one. */
export function SecretField({
  id,
  label,
  problems,
  value,
  editing,
  onChange,
}: {
  id: string;
  label: string;
  problems?: string[];
  value: string;
  editing: boolean;
  onChange: (value: string) => void;
}) {
  return (
    <Field id={id} label={label} problems={problems}>
      <input
        id={id}
        type="password"
        autoComplete="new-password"
        placeholder={editing ? 'unchanged' : ''}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </Field>
  );
}
