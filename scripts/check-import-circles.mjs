/**
 * The import-graph check (`npm run check:imports`, a step of CI): madge reads every TypeScript
 * module of src/, scripts/, bench/ and test/ (type-only imports included, resolved through
 * tsconfig.json) and lists the import circles. Any circle fails the check, except those in
 * ALLOWED below; an allowed circle that is no longer there fails it too, so the list cannot go
 * stale.
 */
import madge from 'madge';

const FOLDERS = ['src', 'scripts', 'bench', 'test'];

// Circles tolerated for a while, each with the reason; none today.
const ALLOWED = [];

const key = (circle) => [...circle].sort().join(' <-> ');

const result = await madge(FOLDERS, {
  fileExtensions: ['ts', 'mts', 'cts'],
  tsConfig: 'tsconfig.json',
  detectiveOptions: { ts: { skipTypeImports: false }, es6: { skipTypeImports: false } },
});
const circles = result.circular();
const allowed = new Set(ALLOWED.map(key));
const found = new Set(circles.map(key));
const unexpected = circles.filter((circle) => !allowed.has(key(circle)));
const gone = ALLOWED.filter((circle) => !found.has(key(circle)));

const modules = Object.keys(result.obj()).length;
for (const circle of unexpected) process.stderr.write(`import circle: ${[...circle, circle[0]].join(' -> ')}\n`);
for (const circle of gone) {
  process.stderr.write(`allowed circle no longer found (remove it from ALLOWED): ${circle.join(' <-> ')}\n`);
}
if (unexpected.length > 0 || gone.length > 0) {
  process.stderr.write(`check:imports: ${unexpected.length} import circle(s) in ${modules} modules\n`);
  process.exitCode = 1;
} else {
  const note = circles.length > 0 ? ` (${circles.length} allowed: ${circles.map(key).join('; ')})` : '';
  process.stdout.write(`check:imports: no import circle in ${modules} modules${note}\n`);
}
