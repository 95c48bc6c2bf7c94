// Shared closed-loop driver of the peer comparison. The benchmark (C#) sends one JSON command per stdin line:
//   {"cmd":"run","c":16,"ms":5000,"prefix":"r1-c16"}  → c workers run turns back to back for ms, then every turn in
//                                                       flight finishes; prints {"event":"result",turns,errors,…}
//   {"cmd":"exit"}                                    → shuts the system down and exits
// Each turn gets a fresh session (thread / workflow) id, so no system pays for a growing history.
import readline from 'node:readline'

export const emit = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function closedLoop(runTurn, c, ms, prefix) {
  const started = performance.now()
  const deadline = started + ms
  const latencies = []
  let errors = 0
  let firstError
  let next = 0
  await Promise.all(Array.from({ length: c }, async () => {
    while (performance.now() < deadline) {
      const id = `${prefix}-${process.pid}-${next++}`
      const t0 = performance.now()
      try {
        await runTurn(id)
        latencies.push(performance.now() - t0)
      } catch (error) {
        errors++
        firstError ??= String(error?.stack ?? error)
        await sleep(20) // a failing system must not turn the loop into a spin
      }
    }
  }))
  return { turns: latencies.length, errors, first_error: firstError, elapsed_ms: performance.now() - started, latencies_ms: latencies }
}

/** Prints {"event":"ready"} and serves commands until "exit" (or stdin closes). */
export async function serve(runTurn, shutdown) {
  const watchdog = setTimeout(() => { emit({ event: 'deadline' }); process.exit(3) }, 30 * 60 * 1000)
  watchdog.unref()
  emit({ event: 'ready', pid: process.pid })
  const lines = readline.createInterface({ input: process.stdin })
  for await (const line of lines) {
    if (!line.trim()) continue
    const command = JSON.parse(line)
    if (command.cmd === 'run') {
      emit({ event: 'result', ...(await closedLoop(runTurn, command.c, command.ms, command.prefix ?? 't')) })
    } else if (command.cmd === 'exit') {
      break
    }
  }
  await shutdown()
  process.exit(0)
}
