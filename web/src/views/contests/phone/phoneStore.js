// What the phone keeps for the contest pages (issue 17 E), all in localStorage: the identities it
// already holds (a player's key from registering for this contest, the server keeps players per
// contest; a student's key from a course
// check-in, views/checkin/CheckinPhone.vue, a volunteer's from /v/register) and, per contest, the
// attempt under way (its id and token), so that a reload or a closed tab comes back to the paper.
const read = (k) => { try { return JSON.parse(localStorage.getItem(k) || 'null') } catch { return null } }

const playerKey = (cid) => `kepu_contest_player_${cid}`

// The identities this phone holds that contest cid's audience admits: [{ kind, key, name }].
export function identities(cid, audience = []) {
  const out = []
  const player = read(playerKey(cid))
  if (player?.key && audience.includes('public')) out.push({ kind: 'player', key: player.key, name: player.name })
  const student = read('kepu_student_key')
  if (student?.key && audience.includes('student')) out.push({ kind: 'student', key: student.key, name: student.name })
  const vol = read('kepu_volunteer')
  if (vol?.key && audience.includes('volunteer')) out.push({ kind: 'volunteer', key: vol.key, name: vol.name })
  return out
}

export function savePlayer(cid, key, name) { localStorage.setItem(playerKey(cid), JSON.stringify({ key, name })) }
// A player key the server no longer knows: forget it so that the phone registers again (the keys
// of students and volunteers belong to their own pages and stay).
export function forgetPlayer(cid) { localStorage.removeItem(playerKey(cid)) }

const attemptKey = (cid) => `kepu_contest_attempt_${cid}`
export const loadAttempt = (cid) => read(attemptKey(cid))
export function saveAttempt(cid, a) { localStorage.setItem(attemptKey(cid), JSON.stringify(a)) }
export function dropAttempt(cid) { localStorage.removeItem(attemptKey(cid)) }

// The attempts this phone finished (id and token, newest last, at most 20): the certificate PDF
// is the holder's, asked for with the token of the person's best attempt.
const doneKey = (cid) => `kepu_contest_done_${cid}`
export const loadDone = (cid) => read(doneKey(cid)) || []
export function saveDone(cid, a) {
  const list = loadDone(cid).filter((x) => x.aid !== a.aid)
  list.push({ aid: a.aid, token: a.token })
  localStorage.setItem(doneKey(cid), JSON.stringify(list.slice(-20)))
}

// The server's clock minus the phone's, from a reply's server_now: deadlines are the server's.
export function clockOffset(serverNow) {
  const s = Date.parse(serverNow || '')
  return Number.isNaN(s) ? 0 : s - Date.now()
}

// 125 -> "2:05"
export function mmss(seconds) {
  const s = Math.max(0, Math.floor(seconds))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}
