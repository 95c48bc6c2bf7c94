// Usage: node calls.mjs <engine-url>  (stdin: JSON array of {function_id, payload, timeout_ms?, until?})
// Runs the calls in order as a real iii-sdk 0.22.1 worker and prints one result line per call:
//   {"ok":true,"result":…} | {"ok":false,"code":…,"message":…}
// `until: {path:[…], in:[…], timeout_ms}` repeats the call (every 100 ms, bounded) until the value at path is listed.
import { readFileSync } from 'node:fs'
import { call, connect, deadline, emit, finish, sleep } from './lib.mjs'

deadline(60000)
const url = process.argv[2]
const calls = JSON.parse(readFileSync(0, 'utf8'))
const iii = connect(url, 'node-caller')

const at = (value, path) => path.reduce((v, key) => (v == null ? undefined : v[key]), value)

for (const c of calls) {
  let outcome = await call(iii, c.function_id, c.payload, c.timeout_ms ?? 15000)
  if (c.until) {
    const stop = Date.now() + (c.until.timeout_ms ?? 15000)
    while (!(outcome.ok && c.until.in.includes(at(outcome.result, c.until.path))) && Date.now() < stop) {
      await sleep(100)
      outcome = await call(iii, c.function_id, c.payload, c.timeout_ms ?? 15000)
    }
  }
  emit(outcome)
}
await finish(iii)
