// Usage: node console-c4-turns.mjs <engine-url>   (config JSON on stdin)
// Behaves like the newest iii console chat "C4" (console-and-data §1.6) with the real iii-sdk: for each session it
// registers its browser functions and binds the worker-provided trigger types to them BEFORE its calls
// (harness::turn-started / turn-completed / message-queued {session_id}, approval::pending-created {session_id},
// approval::pending-resolved {}), then:
//   chat:  harness::send (string message, idempotency_key) → pending-created → approval::list-pending (session and
//          global) → approval::resolve {access_duration:"session"} → pending-resolved → turn-completed → harness::status;
//          the same send again (same idempotency_key) → deduplicated, nothing new runs;
//   busy:  harness::send (content-block message) to a hanging model, a second send while it streams → queued,
//          message-queued, harness::status lists it, harness::edit_queued, harness::unqueue, harness::stop →
//          turn-completed (cancelled);
//   bad:   harness::send without a message and approval::resolve with a bad access_duration.
// Prints one JSON line per step with the replies and deliveries as the console read them.
// Config: {chat_session, busy_session, chat_model, hang_model, provider, tool}
import { randomUUID } from 'node:crypto'
import { call, connect, deadline, emit, finish, sleep, waitForFunctions } from './lib.mjs'

deadline(120000)
const [url] = process.argv.slice(2)
const config = JSON.parse(await new Promise((resolve) => {
  let text = ''
  process.stdin.on('data', (chunk) => { text += chunk })
  process.stdin.on('end', () => resolve(text))
}))
const browserId = `console-${randomUUID()}`
const iii = connect(url, 'iii-console')

const until = async (condition, what, timeoutMs = 20000) => {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    const value = condition()
    if (value) return value
    await sleep(25)
  }
  throw new Error(`console never saw ${what}`)
}

/** Deliveries per browser function (short name), as the console's handlers saw them. */
const seen = {}
const fns = {
  turn_started: 'harness::turn-started',
  turn_completed: 'harness::turn-completed',
  message_queued: 'harness::message-queued',
  approval_pending_created: 'approval::pending-created',
  approval_pending_resolved: 'approval::pending-resolved',
}
for (const name of Object.keys(fns)) {
  seen[name] = []
  iii.registerFunction(`iii::console::${name}::${browserId}`, async (payload) => { seen[name].push(payload); return null })
}
await waitForFunctions(iii, Object.keys(fns).map((n) => `iii::console::${n}::${browserId}`).concat(['harness::send']))

/** The console's bind: a trigger of the type targeting the browser function, scoped to the session (or {}). */
const bindings = []
const bind = (name, sessionId) => {
  bindings.push(iii.registerTrigger({ type: fns[name], function_id: `iii::console::${name}::${browserId}`, config: sessionId ? { session_id: sessionId } : {} }))
}
/** Waits until the cluster stored `count` bindings targeting our functions (so the first event cannot be missed). */
const bound = async (count) => {
  const end = Date.now() + 20000
  while (Date.now() < end) {
    let stored = 0
    for (const name of Object.keys(fns)) {
      const reply = await call(iii, 'harness::console::bindings', { function_id: `iii::console::${name}::${browserId}` })
      stored += reply.ok ? reply.result.bindings.length : 0
    }
    if (stored >= count) return stored
    await sleep(50)
  }
  throw new Error(`bindings never stored (${count})`)
}

const of = (list, sessionId) => list.filter((p) => p?.session_id === sessionId)

// ---- chat with a tool that needs approval ---------------------------------------------------------------------------
const chat = config.chat_session
bind('turn_started', chat)
bind('turn_completed', chat)
bind('message_queued', chat)
bind('approval_pending_created', chat)
bind('approval_pending_resolved', null)
await bound(5)

const key = `msg-${randomUUID()}`
const sendChat = () => call(iii, 'harness::send', {
  session_id: chat,
  message: 'look it up',
  model: config.chat_model,
  provider: config.provider,
  idempotency_key: key,
  session: { metadata: { surface: 'console' } },
  options: { mode: 'agent', functions: { allow: ['*'], deny: [], expose: 'agent_trigger' }, thinking_level: 'low', max_turns: 8, metadata: { session_id: chat, message_id: key } },
}, 30000)
const first = await sendChat()
const created = await until(() => of(seen.approval_pending_created, chat)[0], 'approval::pending-created')
const listedSession = await call(iii, 'approval::list-pending', { session_id: chat })
const listedAll = await call(iii, 'approval::list-pending', { limit: 500 })
const resolved = await call(iii, 'approval::resolve', { session_id: chat, function_call_id: created.function_call_id, decision: 'allow', access_duration: 'session' })
const resolvedEvent = await until(() => of(seen.approval_pending_resolved, chat)[0], 'approval::pending-resolved')
const completed = await until(() => of(seen.turn_completed, chat)[0], 'harness::turn-completed')
const status = await call(iii, 'harness::status', { session_id: chat })
const settings = await call(iii, 'approval::get_settings', { session_id: chat })
const listedAfter = await call(iii, 'approval::list-pending', { session_id: chat })
const again = await sendChat()
const statusAgain = await call(iii, 'harness::status', { session_id: chat })
emit({
  event: 'chat',
  first,
  created,
  listed_session: listedSession,
  listed_all: listedAll.ok ? listedAll.result.pending.filter((p) => p.session_id === chat) : listedAll,
  resolved,
  resolved_event: resolvedEvent,
  started: of(seen.turn_started, chat),
  completed,
  status,
  approved_always: settings.ok ? (settings.result.approved_always ?? settings.result.settings?.approved_always ?? []) : settings,
  listed_after: listedAfter,
  again,
  status_again: statusAgain,
})

// ---- a message sent while busy: queued, edited, unqueued; then stop --------------------------------------------------
const busy = config.busy_session
bind('turn_started', busy)
bind('turn_completed', busy)
bind('message_queued', busy)
await bound(8)
const blocks = (text) => ({ role: 'user', content: [{ type: 'text', text }], timestamp: Date.now() })
const running = await call(iii, 'harness::send', { session_id: busy, message: blocks('this will hang'), model: config.hang_model, provider: config.provider, idempotency_key: `msg-${randomUUID()}` }, 30000)
const busyStarted = await until(() => of(seen.turn_started, busy)[0], 'turn-started of the busy session')
let streaming = null
for (let i = 0; i < 400 && streaming !== 'running'; i++) {
  const s = await call(iii, 'harness::status', { session_id: busy })
  streaming = s.ok ? s.result?.status : null
  if (streaming !== 'running') await sleep(25)
}
const queuedReply = await call(iii, 'harness::send', { session_id: busy, message: 'queued one', idempotency_key: `msg-${randomUUID()}` })
const queuedEvent = await until(() => of(seen.message_queued, busy)[0], 'harness::message-queued')
const statusQueued = await call(iii, 'harness::status', { session_id: busy })
const entryId = statusQueued.ok ? statusQueued.result?.queued?.[0]?.entry_id : null
const edited = await call(iii, 'harness::edit_queued', { session_id: busy, entry_id: entryId, message: blocks('edited one') })
const statusEdited = await call(iii, 'harness::status', { session_id: busy })
const unqueued = await call(iii, 'harness::unqueue', { session_id: busy, entry_id: entryId })
const statusUnqueued = await call(iii, 'harness::status', { session_id: busy })
const stop = await call(iii, 'harness::stop', { session_id: busy })
const cancelled = await until(() => of(seen.turn_completed, busy)[0], 'turn-completed of the stopped turn')
const statusStopped = await call(iii, 'harness::status', { session_id: busy })
const stopAgain = await call(iii, 'harness::stop', { session_id: busy })
emit({
  event: 'busy',
  running,
  started: busyStarted,
  queued_reply: queuedReply,
  queued_event: queuedEvent,
  status_queued: statusQueued,
  edited,
  status_edited: statusEdited,
  unqueued,
  status_unqueued: statusUnqueued,
  stop,
  cancelled,
  status_stopped: statusStopped,
  stop_again: stopAgain,
})

// ---- bad input ------------------------------------------------------------------------------------------------------
emit({
  event: 'bad',
  no_message: await call(iii, 'harness::send', { session_id: chat }),
  bad_duration: await call(iii, 'approval::resolve', { session_id: chat, function_call_id: 'x', decision: 'allow', access_duration: 'forever' }),
  no_model: await call(iii, 'harness::send', { message: 'new session without a model' }),
})

for (const b of bindings) b.unregister()
emit({ event: 'done', browser_id: browserId })
await finish(iii)
