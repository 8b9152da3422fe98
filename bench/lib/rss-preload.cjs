// Preloaded (node -r) into a measured command: at exit, appends this
// process's own peak RSS (KiB) and CPU time (µs, user+sys) to $BENCH_SELF_FILE.
const file = process.env.BENCH_SELF_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    require('node:fs').appendFileSync(file, `${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}\n`);
  });
}
