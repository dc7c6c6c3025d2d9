// The teaching panel of the home page (docs/api.md "Teaching home"): a point's term plan,
// upcoming courses, course progress and attendance, or a district's review queue and its
// points' completion.
import { http } from './http.js'

export const getTeachingHome = (params, opts) => http.get('/teaching/home', params, opts)
