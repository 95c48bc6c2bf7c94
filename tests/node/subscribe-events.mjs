// Usage: node subscribe-events.mjs <engine-url> <session-id> <model>
// Binds a `stream` trigger on agent::events (group = session id) to a function of this real iii-sdk worker, starts a
// run, and prints every delivered frame until the final turn_state_changed (stopped|failed):
//   {"event":"frame","frame":…}   the engine's stream wrapper, as delivered
//   {"event":"done"}
import { call, connect, deadline, emit, finish, userMessage, waitForFunctions } from './lib.mjs'

deadline(60000)
const [url, sessionId, model] = process.argv.slice(2)
const iii = connect(url, 'node-subscriber')
const handlerId = `test::on_agent_event::${process.pid}`
let resolveDone
const done = new Promise((resolve) => { resolveDone = resolve })

iii.registerFunction(handlerId, async (frame) => {
  emit({ event: 'frame', frame })
  const data = frame?.event?.data ?? frame?.data
  if (data?.type === 'turn_state_changed' && ['stopped', 'failed'].includes(data?.new_value?.state)) resolveDone()
  return null
})
iii.registerTrigger({ type: 'stream', function_id: handlerId, config: { stream_name: 'agent::events', group_id: sessionId } })

await waitForFunctions(iii, [handlerId, 'run::start'])
const started = await call(iii, 'run::start', { session_id: sessionId, provider: 'scripted', model, messages: [userMessage('hello')] })
if (!started.ok || !started.result.started) {
  emit({ event: 'error', started })
  await finish(iii, 1)
}
await done
emit({ event: 'done' })
await finish(iii)
