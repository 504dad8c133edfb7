/**
 * scenarios/schema.json as text: generated from the zod schema so editors (yaml-language-server, VS Code)
 * check scenario files with the same rules as portlab. `npm run schema` writes it, and
 * scripts/check-schema.js and a test fail when the committed file is stale.
 */
import { scenarioJsonSchema } from './schema.js';

/** Where the schema lives, relative to the package root; scenario files point at it with a modeline. */
export const SCHEMA_FILE = 'scenarios/schema.json';

/** The first line of every bundled scenario file, so editors find the schema. */
export const SCHEMA_MODELINE = '# yaml-language-server: $schema=./schema.json';

/** The schema file's exact content: two-space JSON and a final newline. */
export function renderScenarioJsonSchema(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
