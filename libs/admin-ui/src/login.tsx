import { type FormEvent, useState } from 'react';

export function Login({ onSignIn }: { onSignIn: (key: string) => void }) {
  const [key, setKey] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (key.trim()) onSignIn(key.trim());
  };
  return (
    <form className="login" onSubmit={submit}>
      <h1>Webhooks</h1>
      <p>Sign in with an API key: the admin key, or a key for your goods owners.</p>
      <label htmlFor="api-key">API key</label>
      <input
        id="api-key"
        type="password"
        autoComplete="off"
        value={key}
        onChange={(e) => setKey(e.target.value)}
      />
      <button type="submit">Sign in</button>
    </form>
  );
}
