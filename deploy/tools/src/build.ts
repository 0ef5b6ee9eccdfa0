import { buildDir, buildServices } from './build-services';
import { runTool } from './run-tool';

/** `npm run build`: every service as one JavaScript file under dist/, started with `node dist/<service>/main.js`. */
runTool(async () => {
  const built = await buildServices();
  for (const { service, bytes } of built) {
    console.log(`  ${service.padEnd(10)} ${(bytes / 1_048_576).toFixed(1)} MB`);
  }
  console.log(`Built into ${buildDir}; start a service with node dist/<service>/main.js`);
});
