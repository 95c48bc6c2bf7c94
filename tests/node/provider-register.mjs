// Usage: node provider-register.mjs <engine-url> <provider-id> <session-id> <model>
// A provider worker as the original provider packages are written: it serves provider::<id>::stream and
// provider::<id>::refresh_models, declares itself with harness::provider::register (no harness configuration names
// it), asks harness::provider::resolve for its connection, fills the catalog through its refresh (models::reconcile),
// then drives one turn with harness::trigger. Prints one line per step:
//   {"event":"register"|"resolve"|"refresh"|"trigger"|"providers"|"models", "outcome":{ok, result|code}}
//   {"event":"request","model":…}  for every stream call
//   {"event":"done","state":…}
import { call, connect, deadline, emit, finish, sleep, userMessage, waitForFunctions, waitForTerminal } from './lib.mjs'

deadline(60000)
const [url, provider, sessionId, model] = process.argv.slice(2)
const iii = connect(url, `provider-${provider}`)
const streamId = `provider::${provider}::stream`
const refreshId = `provider::${provider}::refresh_models`

iii.registerFunction(streamId, async (input) => {
  emit({ event: 'request', model: input.model })
  const writer = input.writer_ref
  const base = { role: 'assistant', content: [], stop_reason: 'end', model: input.model, provider, timestamp: Date.now() }
  const text = 'registered and streaming'
  const send = (evt) => writer.sendMessage(JSON.stringify(evt))
  send({ type: 'start', partial: base })
  send({ type: 'text_delta', delta: text, partial: { ...base, content: [{ type: 'text', text }] } })
  send({ type: 'done', message: { ...base, content: [{ type: 'text', text }], usage: { input: 2, output: 3 } } })
  writer.close()
  return { ok: true }
}, { description: `Model provider ${provider}` })

iii.registerFunction(refreshId, async () => {
  const models = [
    { id: model, provider, api: 'node', display_name: 'Node Model', context_window: 32000, supports_tools: true, transports: ['sse'] },
    { provider, display_name: 'no id: dropped' },
  ]
  const reconciled = await call(iii, 'models::reconcile', { provider, models })
  return { registered: reconciled.ok ? reconciled.result.ids : [] }
}, { description: `Model discovery of ${provider}` })

await waitForFunctions(iii, [streamId, refreshId, 'harness::provider::register'])
const step = async (event, functionId, payload) => {
  const outcome = await call(iii, functionId, payload)
  emit({ event, outcome })
  return outcome
}
await step('register', 'harness::provider::register', {
  id: provider,
  display_name: 'Node Provider',
  credential_env_var: 'HARNESS_TEST_NODE_PROVIDER_KEY',
  defaults: { api_url: 'http://127.0.0.1:9/v1', max_tokens: 1024 },
  supports_model_listing: true,
})
await step('resolve', 'harness::provider::resolve', { provider })
await step('refresh', refreshId, {})
const payload = { session_id: sessionId, message_id: 'm1', provider, model, mode: 'agent', messages: [userMessage('hi registered provider')] }
await step('trigger', 'harness::trigger', { session_id: sessionId, message_id: 'm1', payload })
emit({ event: 'done', state: await waitForTerminal(iii, sessionId) })
await step('providers', 'harness::provider::list', {})
await step('models', 'models::list', { provider })
await sleep(10)
await finish(iii)
