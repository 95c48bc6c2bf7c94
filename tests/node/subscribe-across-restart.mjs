// Usage: node subscribe-across-restart.mjs <engine-url> <session-id>
// A console-like subscriber: binds a `stream` trigger on agent::events (group = session id) and prints every delivered
// item, deduped by item_id, until the final turn_state_changed (stopped|failed). The SDK reconnects and re-binds by
// itself when the engine restarts; items written while it was away are fetched with stream::get once the run is over
// (the item ids are <session>-<seq:8>), as a console reloading a session would.
//   {"event":"bound"} | {"event":"item","id":…,"via":"trigger"|"stream::get","type":…} | {"event":"done","last":<seq>}
import { call, connect, deadline, emit, finish, sleep } from './lib.mjs'

deadline(120000)
const [url, sessionId] = process.argv.slice(2)
const iii = connect(url, 'node-console')
const handlerId = `test::console_event::${process.pid}`
const seen = new Map()
let resolveDone
const done = new Promise((resolve) => { resolveDone = resolve })
const seqOf = (id) => Number(id.slice(sessionId.length + 1))

const record = (id, data, via) => {
  if (seen.has(id)) return
  seen.set(id, data)
  emit({ event: 'item', id, via, type: data?.type })
  if (data?.type === 'turn_state_changed' && ['stopped', 'failed'].includes(data?.new_value?.state)) resolveDone(seqOf(id))
}

iii.registerFunction(handlerId, async (frame) => {
  record(frame.id, frame?.event?.data, 'trigger')
  return null
})
iii.registerTrigger({ type: 'stream', function_id: handlerId, config: { stream_name: 'agent::events', group_id: sessionId } })
emit({ event: 'bound' })

// Frames the engine took while this worker was reconnecting reach no trigger: every 500 ms look the next stored ones
// up, as a console catching up after a reconnect would (deltas, <seq>-<delta>, are only ever seen live).
const idOf = (seq) => `${sessionId}-${String(seq).padStart(8, '0')}`
let finished = false
const catchUp = (async () => {
  let next = 1
  while (!finished) {
    await sleep(500)
    while (!finished) {
      if (seen.has(idOf(next))) { next++; continue }
      const got = await call(iii, 'stream::get', { stream_name: 'agent::events', group_id: sessionId, item_id: idOf(next) }, 5000)
      if (!got.ok || !got.result) break
      record(idOf(next), got.result, 'stream::get')
      next++
    }
  }
})()
const last = await done
finished = true
await catchUp
for (let seq = 1; seq < last; seq++) {
  const id = idOf(seq)
  if (seen.has(id)) continue
  for (let attempt = 0; attempt < 50 && !seen.has(id); attempt++) {
    const got = await call(iii, 'stream::get', { stream_name: 'agent::events', group_id: sessionId, item_id: id }, 5000)
    if (got.ok && got.result) record(id, got.result, 'stream::get')
    else await sleep(100)
  }
}
emit({ event: 'done', last })
await finish(iii)
