// Usage: node console-c2.mjs <engine-url>   (config JSON on stdin)
// Behaves like the v0.5-era iii console chat "C2" (console-and-data §1.2) with the real iii-sdk:
//   model picker: ui::models::subscribe + ui::models::changed::<b>, models::list, harness::provider::list,
//                 provider::<id>::refresh_models in parallel for every provider with supports_model_listing;
//   traces page:  ui::traces::changed::<b> + ui::subscribe {browser_id, session_id:null}, again after a reconnect;
//   mode picker:  approval::get_settings / set_mode / add_always_allow / remove_always_allow / clear_settings;
//   each send:    registers iii::console::session_event::<b> + the agent::events stream trigger (group = session)
//                 BEFORE the kickoff, turn::get_state (not awaited), harness::trigger (reads body.started only),
//                 translates events until agent_end, answers approval cards (approve / deny) with approval::resolve;
//   stop:         run::abort;  /compact: context-compaction::compact_session.
// Prints one JSON line per console step: what the console read and rendered.
// Config: {chat_session, stop_session, chat_model, hang_model, provider, approve, deny, context_window}
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

/** client.on(fn, h): registers `<fn>::<browserId>`; the handler's value is ignored, it answers null. */
const on = (fn, handler) => iii.registerFunction(`${fn}::${browserId}`, async (payload) => { handler(payload); return null })

/** Polls (bounded) until `condition()` is true. */
const until = async (condition, what, timeoutMs = 15000) => {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    if (condition()) return
    await sleep(25)
  }
  throw new Error(`console never saw ${what}`)
}

// ---- model picker -------------------------------------------------------------------------------------------------
let modelsChanged = 0
on('ui::models::changed', () => { modelsChanged++ })
let tracesChanged = 0
on('ui::traces::changed', () => { tracesChanged++ })
await waitForFunctions(iii, [`ui::models::changed::${browserId}`, `ui::traces::changed::${browserId}`, 'harness::trigger'])

/** A picker row needs id and provider; key provider::id, label display_name lower-cased, sorted by display_name. */
const pickerRows = (reply) => (reply.ok ? reply.result.models : [])
  .filter((m) => typeof m.id === 'string' && typeof m.provider === 'string')
  .sort((a, b) => String(a.display_name ?? a.id).localeCompare(String(b.display_name ?? b.id)))
  .map((m) => ({ key: `${m.provider}::${m.id}`, label: String(m.display_name ?? m.id).toLowerCase(), context_window: m.context_window ?? null }))

await call(iii, 'ui::models::subscribe', { browser_id: browserId })
const before = pickerRows(await call(iii, 'models::list', {}))
const providers = await call(iii, 'harness::provider::list', {})
const listing = (providers.ok ? providers.result.providers : []).filter((p) => p.supports_model_listing).map((p) => p.id)
const refreshes = await Promise.all(listing.map((id) => call(iii, `provider::${id}::refresh_models`, {}, 30000)))
const after = pickerRows(await call(iii, 'models::list', {}))
await until(() => modelsChanged > 0, 'ui::models::changed')
emit({
  event: 'picker',
  providers: providers.ok ? providers.result.providers.map((p) => ({ id: p.id, display_name: p.display_name, supports_model_listing: p.supports_model_listing })) : providers,
  refreshed: listing,
  refresh_errors: refreshes.filter((r) => !r.ok).map((r) => r.code),
  rows_before: before.length,
  rows: after,
  models_changed: modelsChanged,
})

// ---- traces page ----------------------------------------------------------------------------------------------------
const tracesSubscribe = () => call(iii, 'ui::subscribe', { browser_id: browserId, session_id: null })
const subscribed = await tracesSubscribe()
emit({ event: 'traces_subscribed', reply: subscribed.ok ? subscribed.result : subscribed })

// ---- permission-mode picker -----------------------------------------------------------------------------------------
/** The console accepts the bare settings record or {settings, source?}. */
const settingsOf = (reply) => (reply.ok ? (reply.result?.settings ?? reply.result) : null)
const sid = config.chat_session
const modes = []
modes.push(settingsOf(await call(iii, 'approval::get_settings', { session_id: sid })))
modes.push(settingsOf(await call(iii, 'approval::set_mode', { session_id: sid, mode: 'manual' })))
modes.push(settingsOf(await call(iii, 'approval::add_always_allow', { session_id: sid, function_id: 'tools::harmless' })))
modes.push(settingsOf(await call(iii, 'approval::get_settings', { session_id: sid })))
modes.push(settingsOf(await call(iii, 'approval::remove_always_allow', { session_id: sid, function_id: 'tools::harmless' })))
await call(iii, 'approval::clear_settings', { session_id: sid }).catch(() => {})
emit({
  event: 'modes',
  read: modes.map((s) => s && ({ mode: s.mode, always_allow: s.always_allow ?? [], approved_always: s.approved_always ?? [], mode_set_at: s.mode_set_at ?? null })),
})

// ---- chat -----------------------------------------------------------------------------------------------------------
const NOT_SENT = 'A turn is still running in this session — your message was not sent. Stop the current turn (or answer its pending approval), then resend.'

/** The stream frame → {sessionId, event} (session-events-live.ts extractSessionEvent). */
const extract = (frame) => ({ sessionId: frame?.groupId ?? frame?.group_id, event: frame?.event?.data ?? frame?.data })

/**
 * One send: subscribe, recover, kick off, translate until agent_end. `onEvent(evt, ui)` lets a step act (stop, busy
 * check); approval cards are answered from `decide(functionId)` → "allow" | "deny".
 */
const send = async (sessionId, prompt, model, { decide = () => 'allow', onEvent = () => {} } = {}) => {
  const queue = []
  const fnId = `iii::console::session_event::${browserId}`
  const fn = iii.registerFunction(fnId, async (frame) => {
    const { sessionId: group, event } = extract(frame)
    if (group === sessionId && event) queue.push(event)
    return null
  })
  const trigger = iii.registerTrigger({ type: 'stream', function_id: fnId, config: { stream_name: 'agent::events', group_id: sessionId } })
  await waitForFunctions(iii, [fnId])
  const ui = { tokens: '', thoughts: '', cards_added: [], cards_cleared: [], fcalls: [], fcall_ends: [], notices: [], assistant_ends: 0, compactions: [], recovered: null, started: null, states: [] }
  call(iii, 'turn::get_state', { session_id: sessionId }).then((reply) => {
    if (reply.ok && reply.result) {
      ui.recovered = reply.result.state
      queue.push({ type: 'turn_state_changed', event_type: 'state:created', new_value: reply.result })
    }
  })
  const messageId = `msg-${randomUUID()}`
  const kickoff = await call(iii, 'harness::trigger', {
    session_id: sessionId,
    message_id: messageId,
    payload: { session_id: sessionId, message_id: messageId, provider: config.provider, model, mode: 'agent', messages: [{ role: 'user', content: [{ type: 'text', text: prompt }], timestamp: Date.now() }] },
  }, 30000)
  try {
    if (!kickoff.ok) {
      ui.notices.push(`harness::trigger failed — ${kickoff.message}`)
      return ui
    }
    ui.started = kickoff.result.body.started
    if (ui.started === false) {
      ui.notices.push(NOT_SENT)
      return ui
    }
    let pending = new Map()
    const end = Date.now() + 60000
    for (;;) {
      if (Date.now() > end) throw new Error(`no agent_end for ${sessionId}`)
      const evt = queue.shift()
      if (!evt) { await sleep(10); continue }
      switch (evt.type) {
        case 'message_update': {
          const llm = evt.llm_event ?? {}
          if (llm.type === 'text_delta') ui.tokens += llm.delta ?? ''
          if (llm.type === 'thinking_delta') ui.thoughts += llm.delta ?? ''
          break
        }
        case 'message_complete': {
          const message = evt.message ?? {}
          if (message.role === 'assistant') {
            if (evt.body_streamed !== true) ui.tokens += (message.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('')
            ui.assistant_ends++
            if (['length', 'error', 'aborted'].includes(message.stop_reason)) ui.notices.push(`stop-reason:${message.stop_reason}:${message.error_message ?? ''}`)
          }
          break
        }
        case 'function_execution_start':
          ui.fcalls.push({ function_id: evt.function_id, function_call_id: evt.function_call_id, args: evt.args })
          break
        case 'function_execution_end': {
          const result = evt.result ?? {}
          const first = (result.content ?? []).find((c) => c.type === 'text')?.text
          ui.fcall_ends.push({
            function_call_id: evt.function_call_id,
            is_error: evt.is_error === true,
            duration_ms: evt.duration_ms,
            output: evt.is_error ? { error: { kind: 'function_error', message: first, details: result.details, content: result.content } } : result,
          })
          break
        }
        case 'turn_state_changed': {
          const view = evt.new_value ?? {}
          ui.states.push(view.state)
          const next = new Map()
          if (view.state === 'function_awaiting_approval') {
            for (const a of view.awaiting_approval ?? []) {
              if (typeof a.function_call_id === 'string' && typeof a.function_id === 'string') next.set(a.function_call_id, { ...a, args: a.args ?? {} })
            }
          }
          for (const [id, card] of next) {
            if (!pending.has(id)) {
              ui.cards_added.push({ function_call_id: id, function_id: card.function_id, args: card.args })
              const decision = decide(card.function_id)
              call(iii, 'approval::resolve', { session_id: sessionId, function_call_id: id, decision })
            }
          }
          for (const id of pending.keys()) if (!next.has(id)) ui.cards_cleared.push(id)
          pending = next
          break
        }
        case 'compaction_done':
          ui.compactions.push({ mode: evt.mode, summary_text: evt.summary_text, tokens_before: evt.tokens_before, compaction_entry_id: evt.compaction_entry_id, tail_start_id: evt.tail_start_id })
          break
        case 'agent_end':
          ui.assistant_ends++
          return ui
        default:
          break // turn_end and anything else: ignored
      }
      await onEvent(evt, ui)
    }
  } finally {
    fn.unregister()
    trigger.unregister()
  }
}

const chat = []
chat.push(await send(sid, 'look it up, then delete it', config.chat_model, { decide: (fid) => (fid === config.deny ? 'deny' : 'allow') }))
// A page reload between sends: what turn::get_state recovers once the first turn has finished (awaited here; the
// recovery inside send() is not awaited, as in the console, so it may see the next turn already started).
const reload = await call(iii, 'turn::get_state', { session_id: sid })
emit({ event: 'reload', state: reload.ok ? reload.result?.state ?? null : `error: ${reload.message}`, awaiting: reload.ok ? (reload.result?.awaiting_approval ?? []).length : -1 })
chat.push(await send(sid, 'second question', config.chat_model))
chat.push(await send(sid, 'third question', config.chat_model))
chat.forEach((ui, index) => emit({ event: 'send', index, ui }))

// ---- /compact -------------------------------------------------------------------------------------------------------
const compact = await call(iii, 'context-compaction::compact_session', {
  session_id: sid,
  model: { id: config.chat_model, providerID: config.provider, limit: { context: config.context_window, input: config.context_window, output: 4096 } },
}, 60000)
const c = compact.ok ? compact.result : {}
const shown = !compact.ok ? `error: ${compact.message}`
  : c.status === 'ok' && c.tokens_before === 0 ? 'empty'
  : c.status === 'ok' ? `compacted ${c.tokens_before} tokens: ${c.summary_text ?? '[prior conversation compacted by the engine]'}`
  : c.status === 'overflow' ? `overflow: ${c.message}`
  : c.status === 'busy' || c.status === 'empty' ? c.status : `error: ${JSON.stringify(c)}`
emit({ event: 'compact', status: c.status, tokens_before: c.tokens_before, summary_text: c.summary_text, auto_continued: c.auto_continued, shown })
emit({ event: 'send', index: 3, ui: await send(sid, 'after the compaction', config.chat_model) })

// ---- stop (and a resend while the turn still runs) ------------------------------------------------------------------
/** A send whose kickoff is refused: only body.started is read, the notice is shown and nothing else happens. */
const resend = async (sessionId, prompt, model) => {
  const messageId = `msg-${randomUUID()}`
  const kickoff = await call(iii, 'harness::trigger', {
    session_id: sessionId,
    message_id: messageId,
    payload: { session_id: sessionId, message_id: messageId, provider: config.provider, model, mode: 'agent', messages: [{ role: 'user', content: [{ type: 'text', text: prompt }], timestamp: Date.now() }] },
  })
  return { started: kickoff.ok ? kickoff.result.body.started : null, notice: kickoff.ok && kickoff.result.body.started === false ? NOT_SENT : null }
}
let busy = null
let aborted = null
const stopped = await send(config.stop_session, 'this will hang', config.hang_model, {
  onEvent: async (evt, ui) => {
    if (evt.type === 'turn_state_changed' && evt.new_value?.state === 'assistant_streaming' && !busy) {
      busy = await resend(config.stop_session, 'resend while running', config.hang_model)
      aborted = await call(iii, 'run::abort', { session_id: config.stop_session })
    }
  },
})
emit({ event: 'stop', ui: stopped, busy, aborted: aborted?.ok ?? false })

// ---- traces page across a reconnect ---------------------------------------------------------------------------------
await until(() => tracesChanged > 0, 'ui::traces::changed')
const beforeReconnect = tracesChanged
iii.ws?.terminate() // a dropped connection; the SDK reconnects and replays registrations, not RPCs
await until(() => iii.connectionState !== 'connected', 'the socket drop', 5000)
await until(() => iii.connectionState === 'connected', 'the reconnect')
await waitForFunctions(iii, [`ui::traces::changed::${browserId}`])
const resubscribed = await tracesSubscribe()
const last = await send(sid, 'after the reconnect', config.chat_model)
await until(() => tracesChanged > beforeReconnect, 'ui::traces::changed after the reconnect')
emit({ event: 'traces', before_reconnect: beforeReconnect, after_reconnect: tracesChanged, resubscribed: resubscribed.ok ? resubscribed.result : resubscribed, last_tokens: last.tokens })

await call(iii, 'ui::unsubscribe', { browser_id: browserId, session_id: null })
await call(iii, 'ui::models::unsubscribe', { browser_id: browserId })
emit({ event: 'done', browser_id: browserId })
await finish(iii)
