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
