// Usage: node keep-calling.mjs <engine-url> <model> <stop-file>
// A real iii-sdk caller that keeps using the harness while bridge silos die: rounds of turn::get_state,
// harness::trigger (a new session each round) and approval::resolve until <stop-file> exists. Each call is retried
// (every 200 ms, for at most 90 s) until it is answered, as a client of an engine does; every call prints one line:
//   {"event":"call","round":n,"function_id":…,"ok":true|false,"attempts":n,"errors":[codes…],"ms":…}
import { existsSync } from 'node:fs'
import { call, connect, deadline, emit, finish, sleep, userMessage } from './lib.mjs'

deadline(300000)
const [url, model, stopFile] = process.argv.slice(2)
const iii = connect(url, 'node-caller')
const watched = `watched-${process.pid}`

const answered = async (round, function_id, payload) => {
  const started = Date.now()
  const errors = []
  for (let attempt = 1; ; attempt++) {
    const outcome = await call(iii, function_id, payload, 15000)
    if (outcome.ok) {
      emit({ event: 'call', round, function_id, ok: true, attempts: attempt, errors, ms: Date.now() - started })
      return
    }
    errors.push(outcome.code)
    if (Date.now() - started > 90000) {
      emit({ event: 'call', round, function_id, ok: false, attempts: attempt, errors, ms: Date.now() - started, last: outcome.message })
      return
    }
    await sleep(200)
  }
}

for (let round = 1; !existsSync(stopFile); round++) {
  await answered(round, 'turn::get_state', { session_id: watched })
  const sid = `${watched}-${round}`
  await answered(round, 'harness::trigger', {
    session_id: sid,
    message_id: `m-${round}`,
    payload: { session_id: sid, message_id: `m-${round}`, provider: 'scripted', model, messages: [userMessage(`round ${round}`)] },
  })
  await answered(round, 'approval::resolve', { session_id: sid, function_call_id: 'not-parked', decision: 'deny' })
  emit({ event: 'round', round })
}
emit({ event: 'done' })
await finish(iii)
