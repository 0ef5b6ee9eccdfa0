import { useEffect, useState } from 'react';

export type Route =
  | { page: 'list' }
  | { page: 'new' }
  | { page: 'edit'; id: string }
  | { page: 'logs'; id: string; replayFrom?: string };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const logs = /^\/webhooks\/([^/]+)\/logs$/.exec(path);
  if (logs) {
    const replayFrom = new URLSearchParams(query).get('replayFrom');
    return { page: 'logs', id: logs[1] as string, ...(replayFrom ? { replayFrom } : {}) };
  }
  if (path === '/webhooks/new') return { page: 'new' };
  const edit = /^\/webhooks\/([^/]+)$/.exec(path);
  if (edit) return { page: 'edit', id: edit[1] as string };
  return { page: 'list' };
}

export function navigate(path: string) {
  window.location.hash = path;
}

/** Hash routes, so the api service serves one index.html and links like #/webhooks/<id>/logs work. */
export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
