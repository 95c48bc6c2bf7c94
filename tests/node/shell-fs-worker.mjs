// Usage: node shell-fs-worker.mjs <engine-url>   (stdin: JSON array of harness::fs::read_inline payloads)
// Serves shell::fs::read {path} as the shell worker does: answers {content:<reader ref>, size}, then streams the
// file's bytes into the channel as binary frames. Files are fixed by path: "text" (UTF-8 with non-ASCII), "binary"
// (not UTF-8), "big" (300000 × "a"). Then calls harness::fs::read_inline with each payload and prints
//   {"event":"read","path":…}  for every shell::fs::read call
//   {"ok":…, "result"|"code":…}  per payload (a text over 4096 characters is given only as its length)
import { readFileSync } from 'node:fs'
import { createChannel } from 'iii-sdk/helpers'
import { call, connect, deadline, emit, finish, waitForFunctions } from './lib.mjs'

deadline(60000)
const url = process.argv[2]
const payloads = JSON.parse(readFileSync(0, 'utf8'))
const iii = connect(url, 'shell')
const files = {
  text: Buffer.from('héllo wörld — ünïcode\n'.repeat(3), 'utf8'),
  binary: Buffer.from([0xff, 0xfe, 0x00, 0x81, 0xc3, 0x28]),
  big: Buffer.alloc(300000, 'a'),
}

iii.registerFunction('shell::fs::read', async ({ path }) => {
  emit({ event: 'read', path })
  const data = files[path]
  if (!data) throw new Error(`ENOENT: ${path}`)
  const channel = await createChannel(iii)
  setImmediate(() => {
    channel.writer.stream.write(data)
    channel.writer.stream.end()
  })
  return { content: channel.readerRef, size: data.length }
}, { description: 'Read a file into a channel' })

await waitForFunctions(iii, ['shell::fs::read', 'harness::fs::read_inline'])
// Long texts are reported by length: a huge stdout line could be cut when the process exits.
const brief = (block) => (block.text.length > 4096 ? { type: block.type, length: block.text.length } : { ...block, length: block.text.length })
for (const payload of payloads) {
  const outcome = await call(iii, 'harness::fs::read_inline', payload)
  emit(outcome.ok ? { ...outcome, result: { ...outcome.result, content: outcome.result.content.map(brief) } } : outcome)
}
await finish(iii)
