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
  // the decision-table editor (dmn-js): its own copy of diagram-js.css under another name
  ['node_modules/dmn-js/dist/assets/diagram-js.css', 'dmn-diagram-js.css'],
  ['node_modules/dmn-js/dist/assets/dmn-js-shared.css', 'dmn-js-shared.css'],
  ['node_modules/dmn-js/dist/assets/dmn-js-decision-table.css', 'dmn-js-decision-table.css'],
  ['node_modules/dmn-js/dist/assets/dmn-js-decision-table-controls.css', 'dmn-js-decision-table-controls.css'],
  ['node_modules/dmn-js/dist/assets/dmn-js-drd.css', 'dmn-js-drd.css'],
  ['node_modules/dmn-js/dist/assets/dmn-font', 'dmn-font'],
];
for (const [from, to] of assets) {
  cpSync(join(here, from), join(out, to), { recursive: true });
}
console.log(`bundled ${entries.length} entries and ${assets.length} assets into ${out}`);
