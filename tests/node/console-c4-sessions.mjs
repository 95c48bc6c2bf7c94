// Usage: node console-c4-sessions.mjs <engine-url>   (config JSON on stdin)
// Behaves like the newest iii console "C4" (console-and-data §1.6) with the real iii-sdk, for its session-manager,
// model-picker and /compact calls (the turn calls harness::send/status are another peer's):
//   picker:   router::models::list, router::provider::list, provider::<id>::refresh_models for listing providers;
//   sidebar:  session::ensure {session_id, title, metadata}, session::list {limit:200, order:"updated_desc"},
//             session::set-meta (rename: metadata replaced wholesale), session::get, session::set-draft (text, then
//             with attachment_ids), session::put-attachment / get-attachment / delete-attachment, session::set-status,
//             session::delete;
//   transcript: session::messages {limit, include_custom:true, include_image_data:false, cursor?} looping next_cursor;
//   /compact: session::messages → context::compact {messages, model:{id, provider, limits}, options:{lease_key}} →
//             session::append {custom:{custom_type:"compaction", data:{summary, tail_start_entry_id, tokens_before, timestamp}}};
//   a session driven the v0.5 way (harness::trigger) is read back through session::messages and continued after /compact.
// Prints one JSON line per console step.
// Config: {c2_session, model, provider, context_window}
import { randomUUID } from 'node:crypto'
import { call, connect, deadline, emit, finish, sleep, waitForFunctions, waitForTerminal } from './lib.mjs'

deadline(120000)
const [url] = process.argv.slice(2)
const config = JSON.parse(await new Promise((resolve) => {
  let text = ''
  process.stdin.on('data', (chunk) => { text += chunk })
  process.stdin.on('end', () => resolve(text))
}))
const iii = connect(url, 'iii-console')

/** The console throws on a failed call; here a failure becomes a line and the peer exits non-zero. */
const must = async (function_id, payload, timeoutMs = 15000) => {
  const reply = await call(iii, function_id, payload, timeoutMs)
  if (!reply.ok) {
    emit({ event: 'call_failed', function_id, code: reply.code, message: reply.message })
    await finish(iii, 1)
  }
  return reply.result
}

/** fetchTranscript: loops the cursor until exhausted; keeps rows with a string entry_id. */
const fetchTranscript = async (sessionId, limit, pages = []) => {
  const items = []
  let cursor
  for (;;) {
    const resp = await must('session::messages', { session_id: sessionId, limit, include_custom: true, include_image_data: false, ...(cursor ? { cursor } : {}) })
    const page = resp?.messages ?? []
    pages.push(page.length)
    for (const item of page) if (item && typeof item.entry_id === 'string') items.push(item)
    const next = resp?.next_cursor
    if (!next || page.length === 0) return items
    cursor = next
  }
}

const textOf = (item) => item.message?.content?.find((c) => c.type === 'text')?.text ?? null
const row = (item) => ({ entry_id: item.entry_id, role: item.message?.role ?? null, text: textOf(item), custom_type: item.custom?.custom_type ?? null })

await waitForFunctions(iii, ['session::list', 'router::models::list', 'context::compact', 'harness::trigger'])

// ---- live updates: bindings before calls (register a browser function, then bind a trigger of the type to it) -------
const browserId = `console-${randomUUID()}`
const live = {}
const bind = (type, scope, config) => {
  const fn = `iii::console::${type.replaceAll('::', '_').replaceAll('-', '_')}_${scope}::${browserId}`
  live[type] = []
  iii.registerFunction(fn, async (payload) => { live[type].push(payload); return null })
  iii.registerTrigger({ type, function_id: fn, config })
}
bind('router::models::changed', 'all', {})
bind('router::provider::changed', 'all', {})
bind('session::message-added', 'c2', { session_id: config.c2_session })
bind('session::message-updated', 'c2', { session_id: config.c2_session })
for (const type of ['session::meta-updated', 'session::status-changed', 'session::deleted', 'session::created']) bind(type, 'all', {})
/** Polls (bounded) until `condition()` is true. */
const until = async (condition, what, timeoutMs = 15000) => {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    if (condition()) return
    await sleep(25)
  }
  emit({ event: 'never_saw', what, live })
  await finish(iii, 1)
}
// The last binding is live once a session created now is announced to it.
const probe = `console-probe-${randomUUID()}`
const probeEnd = Date.now() + 15000
while (!live['session::created'].some((e) => e.session_id === probe) && Date.now() < probeEnd) {
  await call(iii, 'session::ensure', { session_id: probe })
  await sleep(100)
  if (!live['session::created'].some((e) => e.session_id === probe)) await call(iii, 'session::delete', { session_id: probe })
}
await until(() => live['session::created'].some((e) => e.session_id === probe), 'the probe session::created')

// ---- model picker -------------------------------------------------------------------------------------------------
await must('harness::provider::configure', { provider: config.provider, max_tokens: 1000 })
const providers = (await must('router::provider::list', {})).providers
const listing = providers.filter((p) => p.supports_model_listing && p.available !== false).map((p) => p.id)
const before = (await must('router::models::list', {})).models.length
const refreshed = {}
for (const id of listing) refreshed[id] = await call(iii, `provider::${id}::refresh_models`, {}, 30000)
const models = (await must('router::models::list', {})).models
emit({
  event: 'picker',
  provider: providers.find((p) => p.id === config.provider) ?? null,
  refreshed: Object.fromEntries(Object.entries(refreshed).map(([id, r]) => [id, r.ok ? r.result.count : r.code])),
  models_before: before,
  model: models.find((m) => m.provider === config.provider && m.id === config.model) ?? null,
})

// ---- sidebar: a console-created session --------------------------------------------------------------------------
const sid = `console-${randomUUID()}`
const ensured = await must('session::ensure', { session_id: sid, title: 'New chat', metadata: { surface: 'console' } })
const ensuredAgain = await must('session::ensure', { session_id: sid, title: 'ignored' })
const listed = (await must('session::list', { limit: 200, order: 'updated_desc' })).sessions
const renamed = (await must('session::set-meta', { session_id: sid, title: 'Renamed', metadata: { surface: 'console', title_manual: true } })).meta
const textDraft = await must('session::set-draft', { session_id: sid, draft: 'half typed' })
const upload = await must('session::put-attachment', { session_id: sid, name: 'notes.txt', mime: 'text/plain', data: Buffer.from('hello c4').toString('base64') })
const chip = await must('session::put-attachment', { session_id: sid, name: 'chip.png', mime: 'image/png', data: Buffer.from([1, 2, 3]).toString('base64') })
const parked = await must('session::set-draft', { session_id: sid, draft: 'with files', attachment_ids: [upload.attachment.attachment_id, chip.attachment.attachment_id] })
const read = await must('session::get-attachment', { session_id: sid, attachment_id: upload.attachment.attachment_id })
const metaOnly = await must('session::get-attachment', { session_id: sid, attachment_id: upload.attachment.attachment_id, include_data: false })
const removed = await must('session::delete-attachment', { session_id: sid, attachment_id: chip.attachment.attachment_id })
await must('session::append', { session_id: sid, custom: { custom_type: 'note', data: { by: 'console' } } })
const working = await must('session::set-status', { session_id: sid, status: 'working' })
const done = await must('session::set-status', { session_id: sid, status: 'done' })
const got = (await must('session::get', { session_id: sid }))?.meta ?? null
emit({
  event: 'sidebar',
  created: ensured.created,
  created_again: ensuredAgain.created,
  listed: listed.some((s) => s.session_id === sid),
  listed_title: listed.find((s) => s.session_id === sid)?.title ?? null,
  renamed: { title: renamed.title, metadata: renamed.metadata },
  text_draft: textDraft,
  block: upload.block,
  parked: parked.attachments.map((a) => a.name),
  read: { name: read.attachment.name, size: read.attachment.size, text: Buffer.from(read.data, 'base64').toString() },
  meta_only_data: metaOnly.data,
  removed: removed.deleted,
  status: [working, done],
  got: got && { title: got.title, status: got.status, draft: got.draft, draft_attachments: (got.draft_attachments ?? []).map((a) => a.name), message_count: got.message_count },
})

// ---- a session driven the v0.5 way, read back the C4 way ---------------------------------------------------------
const c2 = config.c2_session
let turns = 0
const trigger = async (text) => {
  const messageId = `msg-${randomUUID()}`
  const kickoff = await must('harness::trigger', {
    session_id: c2,
    message_id: messageId,
    payload: { session_id: c2, message_id: messageId, provider: config.provider, model: config.model, mode: 'agent', messages: [{ role: 'user', content: [{ type: 'text', text }], timestamp: Date.now() }] },
  }, 30000)
  // The previous turn's terminal state may still be showing: wait for this turn's answer, then for the end.
  turns++
  const end = Date.now() + 30000
  for (;;) {
    const tree = await must('session-tree::messages', { session_id: c2 })
    if (tree.messages.filter((m) => m.message.role === 'assistant').length >= turns) break
    if (Date.now() > end) throw new Error(`turn ${turns} of ${c2} never answered`)
    await sleep(50)
  }
  await waitForTerminal(iii, c2, 30000)
  return kickoff
}
for (const text of ['q1', 'q2', 'q3']) await trigger(text)
const pages = []
const transcript = await fetchTranscript(c2, 2, pages)
const tree = (await must('session-tree::messages', { session_id: c2 })).messages
emit({ event: 'c2_transcript', pages, rows: transcript.map(row), tree_ids: tree.map((m) => m.entry_id) })

// ---- /compact ------------------------------------------------------------------------------------------------------
const items = (await fetchTranscript(c2, 500)).filter((item) => item.message !== undefined)
const compact = await must('context::compact', {
  messages: items.map((item) => item.message),
  model: { id: config.model, provider: config.provider, limits: { context_window: config.context_window, max_output_tokens: 4096 } },
  options: { lease_key: c2 },
}, 60000)
let marker = null
if (compact?.status === 'ok') {
  const tailStartEntryId = typeof compact.tail_start_index === 'number' && items[compact.tail_start_index] ? items[compact.tail_start_index].entry_id : null
  marker = await must('session::append', {
    session_id: c2,
    custom: { custom_type: 'compaction', data: { summary: compact.summary, tail_start_entry_id: tailStartEntryId, tokens_before: compact.tokens_before, timestamp: Date.now() } },
  })
  marker.tail_start_entry_id = tailStartEntryId
}
emit({ event: 'compact', reply: compact, marker })

// The next turn (v0.5 kickoff) after the console's compaction record.
await trigger('q4')
const after = await fetchTranscript(c2, 3)
emit({ event: 'after_compact', rows: after.map(row) })

// ---- delete ----------------------------------------------------------------------------------------------------------
const deleted = await must('session::delete', { session_id: sid })
const gone = await must('session::get', { session_id: sid })
const listedAfter = (await must('session::list', { limit: 200, order: 'updated_desc' })).sessions
const attachmentAfter = await must('session::get-attachment', { session_id: sid, attachment_id: upload.attachment.attachment_id })
emit({ event: 'deleted', deleted: deleted.deleted, get: gone, listed: listedAfter.some((s) => s.session_id === sid), attachment: attachmentAfter, c2_listed: listedAfter.some((s) => s.session_id === c2) })

// ---- what the live bindings received ----------------------------------------------------------------------------
const c2Added = () => live['session::message-added'].length
await until(() => c2Added() >= 9 && live['session::deleted'].some((e) => e.session_id === sid)
  && live['router::models::changed'].length > 0 && live['router::provider::changed'].length > 0, 'every live update')
const forSid = (type) => live[type].filter((e) => e.session_id === sid)
emit({
  event: 'live',
  models_changed: live['router::models::changed'],
  provider_changed: live['router::provider::changed'],
  created: forSid('session::created').map((e) => ({ title: e.title, status: e.status })),
  c2_created: live['session::created'].filter((e) => e.session_id === c2).length,
  meta_updated: forSid('session::meta-updated').map((e) => ({ title: e.title, metadata: e.metadata })),
  status_changed: forSid('session::status-changed').map((e) => [e.previous_status, e.status]),
  deleted: forSid('session::deleted').length,
  c2_added: live['session::message-added'].map((e) => ({ session_id: e.session_id, entry_id: e.entry_id, parent_id: e.parent_id, role: e.message?.role ?? null, custom_type: e.custom?.custom_type ?? null })),
  other_sessions_added: live['session::message-added'].filter((e) => e.session_id !== c2).length,
})

await finish(iii, 0)
