import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's folder (the one holding package.json), found by walking up
 * from this module: the same answer from src/ under tsx and from the
 * bundle in dist/, so files shipped beside the code (mail templates, the
 * console's build, the docs page's initializer) are found from either.
 */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('Usher cannot find its package.json above its own code');
    dir = up;
  }
  return dir;
}

export const ROOT = projectRoot();
