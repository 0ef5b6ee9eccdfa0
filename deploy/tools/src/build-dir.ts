import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build` puts each service (`dist/<service>/main.js`), and where the supervisor starts it from. */
export const buildDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'dist');
