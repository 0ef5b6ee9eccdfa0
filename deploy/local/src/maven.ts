import { runCommand } from './run-command';
import type { StackLayout } from './stack-config';

const dependencyPlugin = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';
const wagonPlugin = 'org.codehaus.mojo:wagon-maven-plugin:2.0.2';

function baseArgs(layout: StackLayout): string[] {
  return ['-B', '-q', `-Dmaven.repo.local=${layout.mavenRepo}`];
}

/** Copies a pom's runtime class path into a folder, through the local Maven repository under the cache. */
export async function copyDependencies(
  layout: StackLayout,
  pomFile: string,
  properties: Record<string, string>,
) {
  const defines = Object.entries(properties).map(([key, value]) => `-D${key}=${value}`);
  await runCommand('mvn', [
    ...baseArgs(layout),
    '-f',
    pomFile,
    ...defines,
    `${dependencyPlugin}:copy-dependencies`,
  ]);
}

/**
 * Downloads one file of Maven Central with Maven's own transport. Used for distribution archives whose
 * parent POM Central does not serve (Apicurio 3.0.x), which dependency:get refuses to resolve.
 */
export async function downloadFromCentral(layout: StackLayout, pathInRepository: string, toFile: string) {
  await runCommand('mvn', [
    ...baseArgs(layout),
    `${wagonPlugin}:download-single`,
    `-Dwagon.url=${layout.settings.MAVEN_CENTRAL_URL}`,
    `-Dwagon.fromFile=${pathInRepository}`,
    `-Dwagon.toFile=${toFile}`,
  ]);
}
