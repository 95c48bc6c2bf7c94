// Usage: node peer-bridge.mjs <engine-url> <model>
// Drives the harness over the iii bus the way the console does, with the real iii-sdk: harness::trigger starts a
// run, and a stream trigger on agent::events delivers the session's events to a function of this worker; a turn is
// done when its agent_end arrives. This process is the client: its CPU is not counted as the server's.
import { registerWorker } from 'iii-sdk'
import { serve } from './peer-loop.mjs'

const [url, model] = process.argv.slice(2)
const iii = registerWorker(url, { workerName: 'bench-console', enableMetricsReporting: false, reconnectionConfig: { initialDelayMs: 100, maxDelayMs: 500 } })
const waiting = new Map()
const handlerId = `bench::on_agent_event::${process.pid}`

iii.registerFunction(handlerId, async (frame) => {
  const data = frame?.event?.data ?? frame?.data
  if (data?.type === 'agent_end') waiting.get(frame.groupId)?.()
  return null
})
iii.registerTrigger({ type: 'stream', function_id: handlerId, config: { stream_name: 'agent::events' } })

const until = Date.now() + 60000
for (;;) {
  let ids = new Set()
  try {
    ids = new Set((await iii.trigger({ function_id: 'engine::functions::list', payload: {}, timeoutMs: 2000 })).functions.map((f) => f.function_id))
  } catch { /* engine not ready */ }
  if (ids.has('harness::trigger') && ids.has(handlerId)) break
  if (Date.now() > until) throw new Error('harness::trigger never listed')
  await new Promise((resolve) => setTimeout(resolve, 100))
}

const runTurn = async (sessionId) => {
  let timer
  const ended = new Promise((resolve, reject) => {
    waiting.set(sessionId, resolve)
    timer = setTimeout(() => reject(new Error(`no agent_end for ${sessionId} within 60 s`)), 60000)
  })
  try {
    const reply = await iii.trigger({
      function_id: 'harness::trigger',
      payload: {
        session_id: sessionId,
        message_id: 'm1',
        payload: { session_id: sessionId, provider: 'scripted', model, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }], timestamp: Date.now() }] },
      },
      timeoutMs: 30000,
    })
    if (reply?.status_code !== 200) throw new Error(`harness::trigger answered ${JSON.stringify(reply)}`)
    await ended
  } finally {
    clearTimeout(timer)
    waiting.delete(sessionId)
  }
}

await serve(runTurn, () => iii.shutdown())
