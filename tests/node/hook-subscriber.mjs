// Usage: node hook-subscriber.mjs <engine-url> <session-id> <model>
// An after-function-call hook subscriber as in v0.5: a durable:subscriber trigger on agent::after_function_call whose
// handler replies with stream::set into the message's reply_stream / event_id, rewriting the result's content and
// details. Also serves the tool node::hook_tool::echo, starts a scripted run that calls it, waits for the run and
// prints {"event":"hook","function_id","text"} per hook message, then {"event":"done","state":…}.
import { call, connect, deadline, emit, finish, sleep, userMessage, waitForFunctions, waitForTerminal } from './lib.mjs'

deadline(60000)
const [url, sessionId, model] = process.argv.slice(2)
const iii = connect(url, 'node-hooks')
const topic = 'agent::after_function_call'

iii.registerFunction('node::hook_tool::echo', async () => ({
  content: [{ type: 'text', text: 'original' }],
  details: { source: 'tool' },
}), { description: 'A tool whose result the hook rewrites' })

iii.registerFunction('node::hook::after', async ({ event_id, reply_stream, payload }) => {
  const text = payload.result.content[0].text
  emit({ event: 'hook', function_id: payload.function_call.function_id, text })
  await iii.trigger({
    function_id: 'stream::set',
    payload: { stream_name: reply_stream, group_id: event_id, item_id: 'node', data: { content: [{ type: 'text', text: `rewritten: ${text}` }], details: { rewritten: true } } },
  })
  return null
}, { description: 'after-function-call hook' })
iii.registerTrigger({ type: 'durable:subscriber', function_id: 'node::hook::after', config: { topic } })

await waitForFunctions(iii, ['node::hook_tool::echo', 'node::hook::after', 'run::start'])
const until = Date.now() + 10000
for (;;) {
  const listed = await call(iii, 'engine::registered-triggers::list', { trigger_type: 'durable:subscriber' })
  if (listed.ok && listed.result.registered_triggers.some((t) => t.trigger_type === 'durable:subscriber' && t.config?.topic === topic)) break
  if (Date.now() > until) throw new Error('subscriber trigger never listed')
  await sleep(50)
}
const started = await call(iii, 'run::start', { session_id: sessionId, provider: 'scripted', model, messages: [userMessage('use the tool')] })
if (!started.ok || !started.result.started) {
  emit({ event: 'error', started })
  await finish(iii, 1)
}
emit({ event: 'done', state: await waitForTerminal(iii, sessionId) })
await finish(iii)
