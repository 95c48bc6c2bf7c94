// Usage: node probe-frames.mjs <engine-url>
// Does what the C# bridge does on connect (announce itself, publish a function with schemas, bind a stream trigger)
// plus a synchronous and a fire-and-forget call, so a test can compare this real client's frames with ours.
import { connect, deadline, emit, finish, sleep, waitForFunctions } from './lib.mjs'
import { TriggerAction } from 'iii-sdk'

deadline(30000)
const iii = connect(process.argv[2], 'node-probe')
let calls = 0
iii.registerFunction('probe::fn', async () => { calls += 1; return { ok: true } }, {
  description: 'probe function',
  request_format: { type: 'object', properties: { a: { type: 'string' } } },
  response_format: { type: 'object' },
})
iii.registerTrigger({ type: 'stream', function_id: 'probe::fn', config: { stream_name: 'probe' } })
await waitForFunctions(iii, ['probe::fn'])
await iii.trigger({ function_id: 'probe::fn', payload: { a: 'x' } })
iii.trigger({ function_id: 'probe::fn', payload: { a: 'y' }, action: TriggerAction.Void() })
// Both calls come back to this worker; let the second answer go out before leaving (bounded).
for (let i = 0; i < 100 && calls < 2; i++) await sleep(20)
await sleep(100)
emit({ event: 'done', calls })
await finish(iii)
