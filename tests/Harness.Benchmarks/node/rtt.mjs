// Usage: node rtt.mjs <iii-sdk entry (dist/index.mjs)> <engine-url> <iterations> <warmup> <targets-json>
// Registers bench::echo on a bare iii-sdk worker, then a second iii-sdk connection (the caller) calls every target
// sequentially through the engine and prints one JSON line per target: {target, n, mean_us, p50_us, p90_us, p99_us, min_us}.
import { pathToFileURL } from 'node:url'

const [sdkPath, url, iterationsText, warmupText, targetsJson] = process.argv.slice(2)
const { registerWorker } = await import(pathToFileURL(sdkPath).href)
const iterations = Number(iterationsText)
const warmup = Number(warmupText)
const targets = JSON.parse(targetsJson)
const emit = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

const timer = setTimeout(() => { emit({ event: 'deadline' }); process.exit(3) }, 600000)
timer.unref()

const options = (workerName) => ({ workerName, enableMetricsReporting: false, reconnectionConfig: { initialDelayMs: 100, maxDelayMs: 500 } })
const echo = registerWorker(url, options('bench-echo'))
echo.registerFunction('bench::echo', async (payload) => payload, { description: 'bare iii-sdk echo worker' })
const caller = registerWorker(url, options('bench-caller'))

const call = (function_id, payload) => caller.trigger({ function_id, payload, timeoutMs: 15000 })

const until = Date.now() + 20000
for (;;) {
  let ids = new Set()
  try {
    const listed = await call('engine::functions::list', {})
    ids = new Set(listed.functions.map((f) => f.function_id))
  } catch { /* engine not ready yet */ }
  if (targets.every((t) => ids.has(t.function_id))) break
  if (Date.now() > until) { emit({ event: 'error', message: 'targets never listed' }); process.exit(1) }
  await sleep(50)
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
for (const target of targets) {
  for (let i = 0; i < warmup; i++) await call(target.function_id, target.payload)
  const samples = []
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint()
    await call(target.function_id, target.payload)
    samples.push(Number(process.hrtime.bigint() - start) / 1000)
  }
  samples.sort((a, b) => a - b)
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length
  emit({ target: target.function_id, n: samples.length, mean_us: mean, p50_us: percentile(samples, 0.5), p90_us: percentile(samples, 0.9), p99_us: percentile(samples, 0.99), min_us: samples[0] })
}

await caller.shutdown()
await echo.shutdown()
process.exit(0)
