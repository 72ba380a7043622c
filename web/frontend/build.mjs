// Bundles src/*.js into ../static/build/ and copies the bpmn-js and properties-panel CSS and fonts.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'static', 'build');
mkdirSync(out, { recursive: true });

const entries = readdirSync(join(here, 'src'))
  .filter((name) => name.endsWith('.js') && !name.startsWith('_'))
  .map((name) => join(here, 'src', name));

await build({
  entryPoints: entries,
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'iife',
  target: ['es2020'],
  outdir: out,
  logLevel: 'info',
  legalComments: 'linked',
});

const assets = [
  ['node_modules/bpmn-js/dist/assets/diagram-js.css', 'diagram-js.css'],
  ['node_modules/bpmn-js/dist/assets/bpmn-js.css', 'bpmn-js.css'],
  ['node_modules/bpmn-js/dist/assets/bpmn-font', 'bpmn-font'],
  ['node_modules/@bpmn-io/properties-panel/dist/assets/properties-panel.css', 'properties-panel.css'],
];
for (const [from, to] of assets) {
  cpSync(join(here, from), join(out, to), { recursive: true });
}
console.log(`bundled ${entries.length} entries and ${assets.length} assets into ${out}`);
