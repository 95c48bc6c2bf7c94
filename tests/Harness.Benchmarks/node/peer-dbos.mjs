// Usage: node peer-dbos.mjs <postgres-url>
// DBOS Transact peer: one workflow per turn with three checkpointed steps, model → tool → model (the same scripted
// model as the LangGraph peer: a tool call first, then the answer). DBOS keeps its system tables in this database.
import { DBOS } from '@dbos-inc/dbos-sdk'
import { serve } from './peer-loop.mjs'

const [url] = process.argv.slice(2)

const model = async (history) => history.some((m) => m.role === 'tool')
  ? { role: 'assistant', text: 'echo answered: the durable turn works' }
  : { role: 'assistant', tool_call: { id: 'call-1', name: 'echo', args: { text: 'ping' } } }

const echo = async (args) => ({ role: 'tool', tool_call_id: 'call-1', text: args.text })

const turn = DBOS.registerWorkflow(async (text) => {
  const history = [{ role: 'user', text }]
  const call = await DBOS.runStep(() => model(history), { name: 'model' })
  history.push(call)
  history.push(await DBOS.runStep(() => echo(call.tool_call.args), { name: 'tool' }))
  const answer = await DBOS.runStep(() => model(history), { name: 'model' })
  return answer.text
}, { name: 'turn' })

DBOS.setConfig({ name: 'harness-bench', applicationVersion: 'bench', systemDatabaseUrl: url, runAdminServer: false, logLevel: 'warn' })
await DBOS.launch()

const runTurn = async (id) => {
  const handle = await DBOS.startWorkflow(turn, { workflowID: id })('hi')
  const text = await handle.getResult()
  if (!text.startsWith('echo answered')) throw new Error(`unexpected turn result ${JSON.stringify(text)}`)
}

await serve(runTurn, () => DBOS.shutdown())
