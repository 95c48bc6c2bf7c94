// Usage: node tool-worker.mjs <engine-url> <tool-function-id> <session-id> <model>
// Registers <tool-function-id> as a real iii-sdk worker, starts a run whose scripted model calls it through
// agent_trigger, waits for the run to finish and prints:
//   {"event":"call","payload":…,"metadata":…}  for every invocation of the tool
//   {"event":"done","state":…}                  the final turn state
import { call, connect, deadline, emit, finish, userMessage, waitForFunctions, waitForTerminal } from './lib.mjs'

deadline(60000)
const [url, toolId, sessionId, model] = process.argv.slice(2)
const iii = connect(url, 'node-tool-worker')

iii.registerFunction(toolId, async (payload, metadata) => {
  emit({ event: 'call', payload, metadata: metadata ?? null })
  return { content: [{ type: 'text', text: 'node tool says hello' }], details: { node: true, echoed: payload.text ?? null } }
}, { description: 'A tool served by a Node iii worker' })

await waitForFunctions(iii, [toolId, 'run::start'])
const started = await call(iii, 'run::start', { session_id: sessionId, provider: 'scripted', model, messages: [userMessage('use the node tool')] })
if (!started.ok || !started.result.started) {
  emit({ event: 'error', started })
  await finish(iii, 1)
}
emit({ event: 'done', state: await waitForTerminal(iii, sessionId) })
await finish(iii)
