// Sign-offs (签认) of a point's teaching completion for a term (docs/api.md "Teaching sign-offs").
import { http } from './http.js'

export const listSignoffs = (params, opts) => http.get('/teaching/signoffs', params, opts)
export const createSignoff = (body, opts) => http.post('/teaching/signoffs', body, opts)
export const updateSignoff = (id, body, opts) => http.patch(`/teaching/signoffs/${id}`, body, opts)
