import type { ReactNode } from 'react';

/** A labelled input with the server's problems for it right underneath. */
export function Field({
  id,
  label,
  problems,
  children,
}: {
  id: string;
  label: string;
  problems?: string[];
  children: ReactNode;
}) {
  return (
    <div className={`field${problems?.length ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {problems?.map((problem) => (
        <p key={problem} className="problem" id={`${id}-problem`}>
          {problem}
        </p>
      ))}
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
