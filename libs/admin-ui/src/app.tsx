import { useCallback, useEffect, useMemo, useState } from 'react';
import { type Api, createApi } from './api-client';
import { Login } from './login';
import { LogsView } from './logs-view';
import type { Principal } from './types';
import { navigate, useHashRoute } from './use-hash-route';
import { WebhookEditor } from './webhook-editor';
import { WebhookList } from './webhook-list';

const storageKey = 'wms-webhooks.api-key';

export function App() {
  const [key, setKey] = useState(() => sessionStorage.getItem(storageKey) ?? '');
  const [principal, setPrincipal] = useState<Principal>();
  const route = useHashRoute();
  const signOut = useCallback(() => {
    sessionStorage.removeItem(storageKey);
    setKey('');
    setPrincipal(undefined);
  }, []);
  const api: Api = useMemo(() => createApi(key, signOut), [key, signOut]);

  useEffect(() => {
    if (!key) return;
    api<Principal>('/api/me').then(setPrincipal, signOut);
  }, [api, key, signOut]);

  if (!key || !principal) {
    return (
      <Login
        onSignIn={(entered) => {
          sessionStorage.setItem(storageKey, entered);
          setKey(entered);
        }}
      />
    );
  }
  return (
    <div className="shell">
      <header>
        <a className="brand" href="#/">
          Administration ⇒ Webhooks
        </a>
        <span className="who">
          {principal.name} ·{' '}
          {principal.role === 'admin' ? 'admin' : `goods owner ${principal.goodsOwnerIds.join(', ')}`}
        </span>
        <button type="button" className="link" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>
        {route.page === 'list' && <WebhookList api={api} principal={principal} />}
        {(route.page === 'new' || route.page === 'edit') && (
          // One element for both, so creating (which moves to the edit route) keeps the secret on screen.
          <WebhookEditor
            api={api}
            principal={principal}
            id={route.page === 'edit' ? route.id : undefined}
            onDone={() => navigate('/')}
          />
        )}
        {route.page === 'logs' && (
          <LogsView key={route.id} api={api} id={route.id} replayFrom={route.replayFrom} />
        )}
      </main>
    </div>
  );
}
