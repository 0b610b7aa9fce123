/**
 * Preloaded (`node --import`) into a benchmarked child: as the process exits, writes its peak
 * resident set size in kilobytes (`process.resourceUsage().maxRSS`) to the file named by
 * METACLEAR_BENCH_RSS_FILE. Imports nothing from the project, so it changes nothing it measures.
 */
import { writeFileSync } from 'node:fs';

const target = process.env.METACLEAR_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    writeFileSync(target, String(process.resourceUsage().maxRSS));
  });
}
