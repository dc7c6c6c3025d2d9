// Course ratings from the phone (docs/api.md "The teacher's page and course ratings"): public, the
// remembered student key identifies the person who checked in.
import { http } from './http.js'

export const publicRate = (session, body) => http.post(`/public/checkin/${session}/rating`, body, { silent: true })
