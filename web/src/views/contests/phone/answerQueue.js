// The phone's answer queue (issue 17 E): each tapped answer is kept in localStorage until the
// server said it is saved, and sent again with a growing pause (1 s, 2 s, 4 s … 30 s) when it was
// lost in transit or the server was busy. The PUT of one answer is idempotent (the server counts
// a resend once), so a resend after an answer that did arrive but whose reply was lost is safe.
// A reload finds the queue again (the paper page restarts it). A refusal (409 after the deadline,
// 404 for a question not in the paper, …) ends the retries of that answer and is reported.
//
//   const q = createAnswerQueue({ attemptId, send: (no, answer) => promise, onChange })
//   q.put(no, answer); q.state.value[no] -> 'saving' | 'retrying' | 'saved' | 'refused'
//   await q.drain(ms)   // before submitting: resolves true when nothing is left unsent
//   q.stop()            // the page goes away (the queue stays stored)
import { ref } from 'vue'

const storeKey = (aid) => `kepu_contest_queue_${aid}`
const MAX_PAUSE = 30000

// An answer worth another try: no reply at all, the server busy or failing, a rate limit.
const transient = (err) => !err || err.status === 0 || err.status === 429 || err.status >= 500

export function createAnswerQueue({ attemptId, send, onRefused = () => {} }) {
  let pending = {}
  try { pending = JSON.parse(localStorage.getItem(storeKey(attemptId)) || '{}') } catch { pending = {} }
  const state = ref({})
  const timers = {}
  const inFlight = {}
  let stopped = false

  const persist = () => {
    try { localStorage.setItem(storeKey(attemptId), JSON.stringify(pending)) } catch { /* storage full: memory only */ }
  }
  const mark = (no, s) => { state.value = { ...state.value, [no]: s } }

  async function flush(no) {
    const item = pending[no]
    if (!item || inFlight[no] || stopped) return
    clearTimeout(timers[no])
    inFlight[no] = true
    const sent = JSON.stringify(item.answer)
    let again = false
    mark(no, item.tries ? 'retrying' : 'saving')
    try {
      await send(Number(no), item.answer)
      // a newer tap while this one travelled: send that one too (after finally)
      again = !!pending[no] && JSON.stringify(pending[no].answer) !== sent
      if (again) return
      delete pending[no]
      persist()
      mark(no, 'saved')
    } catch (err) {
      if (!pending[no]) { /* dropped meanwhile */ } else if (transient(err)) {
        pending[no].tries = (pending[no].tries || 0) + 1
        persist()
        mark(no, 'retrying')
        const pause = Math.min(MAX_PAUSE, 1000 * 2 ** (pending[no].tries - 1))
        timers[no] = setTimeout(() => flush(no), pause)
      } else {
        delete pending[no]
        persist()
        mark(no, 'refused')
        onRefused(Number(no), err)
      }
    } finally {
      inFlight[no] = false
      if (again) flush(no)
    }
  }

  function put(no, answer) {
    pending[no] = { answer, tries: 0 }
    persist()
    flush(no)
  }

  // Back online: every waiting answer goes now instead of at the end of its pause.
  const online = () => { for (const no of Object.keys(pending)) { clearTimeout(timers[no]); flush(no) } }
  window.addEventListener('online', online)
  online()

  // Resolves true once nothing is pending (or false after ms): the paper sends what is left before
  // it submits, trying each waiting answer right away.
  async function drain(ms = 8000) {
    online()
    const until = Date.now() + ms
    while (Object.keys(pending).length && Date.now() < until) await new Promise((r) => setTimeout(r, 200))
    return Object.keys(pending).length === 0
  }

  function stop() {
    stopped = true
    window.removeEventListener('online', online)
    for (const tm of Object.values(timers)) clearTimeout(tm)
  }

  // The attempt is over (submitted): its queue is of no use any more.
  function clear() { stop(); pending = {}; localStorage.removeItem(storeKey(attemptId)) }

  const waiting = () => Object.keys(pending).length
  const pendingAnswer = (no) => pending[no]?.answer
  return { state, put, drain, stop, clear, waiting, pendingAnswer }
}
