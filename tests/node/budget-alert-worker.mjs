// Usage: node budget-alert-worker.mjs <engine-url> <callback-function-id>
// Registers <callback-function-id> as a real iii-sdk worker, creates a $10/day budget with alerts at 50% and 80%
// whose callback is that function, records 6 + 1 + 1.5 + 1 USD (each threshold is crossed once), waits until the
// budget has no undelivered alert left and prints:
//   {"event":"alert","payload":…}                 for every invocation of the callback
//   {"event":"done","budget_id":…,"alert_ids":[…]} at the end
import { call, connect, deadline, emit, finish, sleep, waitForFunctions } from './lib.mjs'

deadline(60000)
const [url, callbackId] = process.argv.slice(2)
const iii = connect(url, 'node-budget-watcher')
let received = 0

iii.registerFunction(callbackId, async (payload) => {
  received++
  emit({ event: 'alert', payload })
  return { ok: true }
}, { description: 'Receives budget alerts' })

const must = async (functionId, payload) => {
  const reply = await call(iii, functionId, payload)
  if (!reply.ok) {
    emit({ event: 'error', functionId, reply })
    await finish(iii, 1)
  }
  return reply.result
}

await waitForFunctions(iii, [callbackId, 'budget::create'])
const { budget_id } = await must('budget::create', { ceiling_usd: 10, period: 'day', name: 'node-watched' })
const half = await must('budget::alert_set', { budget_id, threshold_pct: 0.5, callback_function_id: callbackId, callback_payload: { source: 'node' } })
const most = await must('budget::alert_set', { budget_id, threshold_pct: 0.8, callback_function_id: callbackId })
for (const cost_usd of [6, 1, 1.5, 1]) {
  await must('budget::record', { budget_id, cost_usd })
}

const until = Date.now() + 20000
while (Date.now() < until) {
  const { budget } = await must('budget::get', { budget_id })
  if (received >= 2 && budget.pending_alert_deliveries === 0) break
  await sleep(100)
}
emit({ event: 'done', budget_id, alert_ids: [half.alert_id, most.alert_id] })
await finish(iii)
