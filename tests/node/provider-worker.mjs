// Usage: node provider-worker.mjs <engine-url> <provider-name> <session-id> <model>
// Serves provider::<provider-name>::stream as a real iii-sdk worker: writes one AssistantMessageEvent per channel text
// frame to the writer_ref it is given, then closes the channel. Starts a run that uses this provider, waits for it to
// finish and prints:
//   {"event":"request","model":…,"roles":[…],"tools":[…]}  for every stream call
//   {"event":"done","state":…}
import { call, connect, deadline, emit, finish, sleep, userMessage, waitForFunctions, waitForTerminal } from './lib.mjs'

deadline(60000)
const [url, provider, sessionId, model] = process.argv.slice(2)
const iii = connect(url, 'node-provider')
const functionId = `provider::${provider}::stream`

iii.registerFunction(functionId, async (input) => {
  emit({ event: 'request', model: input.model, roles: input.messages.map((m) => m.role), tools: input.tools.map((t) => t.name) })
  const writer = input.writer_ref
  const base = { role: 'assistant', content: [], stop_reason: 'end', model: input.model, provider, timestamp: Date.now() }
  const words = ['hello ', 'from ', 'node']
  let text = ''
  const send = (evt) => writer.sendMessage(JSON.stringify(evt))
  send({ type: 'start', partial: base })
  send({ type: 'text_start', partial: { ...base, content: [{ type: 'text', text: '' }] } })
  for (const word of words) {
    text += word
    send({ type: 'text_delta', delta: word, partial: { ...base, content: [{ type: 'text', text }] } })
    await sleep(5)
  }
  send({ type: 'text_end', partial: { ...base, content: [{ type: 'text', text }] } })
  send({ type: 'usage', usage: { input: 3, output: 3 } })
  send({ type: 'done', message: { ...base, content: [{ type: 'text', text }], usage: { input: 3, output: 3 } } })
  writer.close()
  return { ok: true }
}, { description: `Model provider ${provider} served over an iii channel` })

await waitForFunctions(iii, [functionId, 'run::start'])
const started = await call(iii, 'run::start', { session_id: sessionId, provider, model, messages: [userMessage('hi provider')] })
if (!started.ok || !started.result.started) {
  emit({ event: 'error', started })
  await finish(iii, 1)
}
emit({ event: 'done', state: await waitForTerminal(iii, sessionId) })
await finish(iii)
