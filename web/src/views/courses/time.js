// Course times: the server answers RFC 3339 in Shanghai time (+08:00); pickers work with Dates.
const pad = (n) => String(n).padStart(2, '0')

// A Date as RFC 3339 with the browser's own offset (the server turns it into +08:00).
export function toRfc3339(d) {
  const off = -d.getTimezoneOffset()
  const a = Math.abs(off)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:00`
    + `${off >= 0 ? '+' : '-'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`
}

// "2026-05-18T09:30:00+08:00" -> "09:30", as written (Shanghai wall time).
export const clock = (s) => (s ? s.slice(11, 16) : '')
// "2026-05-18 09:30 – 11:00"
export const timeSpan = (c) => `${c.day} ${clock(c.starts_at)}–${clock(c.ends_at)}`

export const STATUS_TYPE = { scheduled: 'primary', held: 'success', cancelled: 'info' }
export const todayShanghai = () => toRfc3339(new Date(Date.now() + (new Date().getTimezoneOffset() + 480) * 60000)).slice(0, 10)
