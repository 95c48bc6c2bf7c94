// Shared helpers for the Node peers that cross-check the C# iii bridge with the official iii-sdk client.
// Every script prints one JSON object per line on stdout; the xunit tests parse those lines.
import { registerWorker } from 'iii-sdk'

export const emit = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Fails the process after `ms` so a test can never hang on a peer. */
export const deadline = (ms) => {
  const timer = setTimeout(() => {
    emit({ event: 'deadline', ms })
    process.exit(3)
  }, ms)
  timer.unref()
}

export const connect = (url, workerName) =>
  registerWorker(url, {
    workerName,
    enableMetricsReporting: false,
    reconnectionConfig: { initialDelayMs: 100, maxDelayMs: 500 },
  })

/** Calls a function and returns {ok, result} or {ok:false, code, message} instead of throwing. */
export const call = async (iii, function_id, payload, timeoutMs = 15000) => {
  try {
    return { ok: true, result: await iii.trigger({ function_id, payload, timeoutMs }) }
  } catch (error) {
    return { ok: false, code: error?.code ?? 'UNKNOWN', message: error?.message ?? String(error) }
  }
}

/** Waits (bounded) until the engine lists every id in `functionIds`, i.e. our registrations have been processed. */
export const waitForFunctions = async (iii, functionIds, timeoutMs = 10000) => {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    const listed = await call(iii, 'engine::functions::list', {}, 2000)
    const ids = new Set((listed.ok ? listed.result.functions : []).map((f) => f.function_id))
    if (functionIds.every((id) => ids.has(id))) return
    await sleep(50)
  }
  throw new Error(`functions never listed: ${functionIds.join(', ')}`)
}

/** Polls turn::get_state (bounded) until the run is stopped or failed. */
export const waitForTerminal = async (iii, sessionId, timeoutMs = 20000) => {
  const until = Date.now() + timeoutMs
  let last = null
  while (Date.now() < until) {
    last = await call(iii, 'turn::get_state', { session_id: sessionId })
    if (last.ok && last.result && ['stopped', 'failed'].includes(last.result.state)) return last.result
    await sleep(100)
  }
  throw new Error(`session ${sessionId} did not finish: ${JSON.stringify(last)}`)
}

export const userMessage = (text) => ({ role: 'user', content: [{ type: 'text', text }], timestamp: Date.now() })

export const finish = async (iii, code = 0) => {
  await iii.shutdown()
  process.exit(code)
}
