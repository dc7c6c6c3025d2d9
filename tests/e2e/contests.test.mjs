// Browser test of the contests (issue 17 E, server of package B): the city's staff sets up a quiz
// contest for the public (rules drawing from the demo bank's literacy questions) and publishes it
// from the 竞赛 list; the contest's 区县排名 tab is left open on a desktop. On a 390 px phone a
// player registers (name, phone, district), takes the paper one question per screen (the first
// answer's PUT is lost in transit: the page says 正在重试 and then 已保存, and the server counts it
// once), reloads halfway and resumes where it was, submits and sees the score; the open admin tab
// shows the player's district's participants moved by one without a reload (it polls every 10 s),
// and the public ranking lists the player. Closed, the contest's certificates are issued from its
// 证书 tab; the player's phone downloads the PDF and the certificate's check page names the
// contest. A second test: a staff member takes a self-assessment from the detail page (我来答题)
// and reads the literacy result in plain words. Run by tests/e2e/run.sh on the demo city
// (KEPU_E2E_FILES=contests for this file alone).
import { test } from 'node:test'
import { readFileSync } from 'node:fs'
import assert from 'node:assert/strict'
import { WAIT, TEST, URL_BASE, useBrowser, withPage, login, pageApi as api } from './lib.mjs'
import { readWorkbook } from './xlsx.mjs'

const PASSWORD = 'Demo@2026kepu'
const PHONE = { width: 390, height: 844 }
const TITLE = `全市公民科学素质网络竞赛 ${Date.now() % 100000}`

useBrowser()

function shanghai(offsetSeconds) {
  const d = new Date(Date.now() + offsetSeconds * 1000 + 8 * 3600 * 1000)
  return `${d.toISOString().slice(0, 19)}+08:00`
}

// The participants the open 区县排名 tab shows for a district (a number; 0 when the row is missing).
async function shownParticipants(page, orgId) {
  const cell = page.locator(`[data-test=rank-district-participants-${orgId}]`)
  return (await cell.count()) ? Number(await cell.innerText()) : 0
}

// Answers the question on screen (the first option of a choice, 对 for true/false, a text for a
// fill-in) and waits for the server to have it: its PUT answered, the page saying 已保存.
async function answerShown(phone) {
  const q = phone.locator('[data-test^=question-][data-type]')
  const [type, no] = [await q.getAttribute('data-type'), (await q.getAttribute('data-test')).replace('question-', '')]
  const saved = phone.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith(`/answers/${no}`) && r.ok())
  if (type === 'fill_in') {
    await phone.fill('input[data-test=answer-fill]', '科学')
    await phone.click('[data-test=answer-fill-save]')
  } else {
    await phone.click(type === 'true_false' ? '[data-test=option-true]' : '[data-test=option-A]')
  }
  await saved
  await phone.locator('[data-test=paper-save-state]', { hasText: '已保存' }).waitFor(WAIT)
  assert.match(await phone.locator(`[data-test=paper-dot-${no}]`).getAttribute('class'), /done/)
}

// 下一题 as a person taps it: not within the 350 ms in which the page takes a second tap for a
// shaky double tap.
async function next(page) {
  await page.waitForTimeout(400)
  await page.click('[data-test=paper-next]')
}

test('a player takes a contest on a phone and the district ranking moves', TEST, async () => {
  await withPage('contest-admin', { width: 1366, height: 900 }, async (admin) => {
    await login(admin, 'city_staff', PASSWORD)
    const created = await api(admin, 'POST', '/contests', {
      title: TITLE, kind: 'contest', scoring: 'points', description: '每题 5 分，限时 20 分钟。',
      opens_at: shanghai(-60), closes_at: shanghai(7 * 86400), audience: ['public'],
      rules: [{ category: 'lit_knowledge', difficulty: 0, count: 3, points: 5 },
        { category: 'lit_method', difficulty: 0, count: 2, points: 5 }],
      shuffle_questions: true, shuffle_options: true, time_limit_s: 1200, question_time_s: 0,
      attempts_per_day: 2, attempts_total: 5, certificate_top: 3,
    })
    assert.equal(created.status, 201, JSON.stringify(created.json))
    const contest = created.json

    // the list page publishes the draft
    await admin.goto(`${URL_BASE}/contests`)
    await admin.locator(`[data-test=contest-${contest.id}]`, { hasText: TITLE }).waitFor(WAIT)
    await admin.click(`[data-test=contest-publish-${contest.id}]`)
    await admin.click('.el-message-box__btns .el-button--primary')
    await admin.locator(`[data-test=contest-publish-${contest.id}]`).waitFor({ state: 'detached', ...WAIT })
    assert.equal((await api(admin, 'GET', `/contests/${contest.id}`)).json.status, 'published')
    // the list's export holds it, as 进行中
    const [sheet] = await Promise.all([admin.waitForEvent('download'), admin.click('[data-test=contests-export]')])
    assert.equal(sheet.suggestedFilename(), '竞赛与自测.xlsx')
    const rows = readWorkbook(readFileSync(await sheet.path())).sheets[0].rows.map((r) => r.map((c) => c?.value))
    assert.deepEqual(rows.find((r) => r[0] === TITLE)?.[5], '进行中')

    // the district the player will name, and the admin's 区县排名 tab left open before the play
    const districts = (await api(admin, 'GET', `/contests/${contest.id}/ranking/districts`)).json.items
    assert.ok(districts.length >= 2, 'every district of the city is ranked')
    const district = districts[0]
    await admin.goto(`${URL_BASE}/contests/${contest.id}?tab=districts`)
    await admin.locator('[data-test=rank-districts] .el-table__row').first().waitFor(WAIT)
    const before = await shownParticipants(admin, district.org_id)
    assert.equal(before, district.participants)

    await withPage('contest-phone', PHONE, async (phone) => {
      await phone.goto(`${URL_BASE}/contest/${contest.id}`)
      await phone.locator('[data-test=contest-title]', { hasText: TITLE }).waitFor(WAIT)
      assert.match(await phone.locator('[data-test=contest-facts]').innerText(), /共 5 题/)
      await phone.fill('input[data-test=contest-reg-name]', '周桂兰')
      await phone.fill('input[data-test=contest-reg-phone]', `139${String(Date.now()).slice(-8)}`)
      await phone.click('[data-test=contest-reg-district]')
      await phone.locator('.contest-district-popper .el-select-dropdown__item', { hasText: district.district }).first().click()
      await phone.click('[data-test=contest-reg-submit]')
      await phone.locator('[data-test=paper-countdown]').waitFor(WAIT)
      assert.match(await phone.locator('[data-test=paper-position]').innerText(), /第 1 题 \/ 共 5 题/)
      // the paper the phone was given holds no answers (the server scores)
      const started = await phone.evaluate((cid) => JSON.parse(localStorage.getItem(`kepu_contest_attempt_${cid}`)), contest.id)
      assert.equal(started.started.questions.length, 5)
      assert.ok(started.started.questions.every((x) => !('answer' in x) && !('correct' in x)))

      // the first answer's PUT is lost once: the page retries it and then says 已保存
      let dropped = 0
      await phone.route('**/api/v1/public/contests/*/attempts/*/answers/*', (route) => {
        if (dropped++ === 0) return route.abort('failed')
        return route.continue()
      })
      const q = phone.locator('[data-test^=question-][data-type]')
      const type = await q.getAttribute('data-type')
      if (type === 'fill_in') {
        await phone.fill('input[data-test=answer-fill]', '科学')
        await phone.click('[data-test=answer-fill-save]')
      } else {
        await phone.click(type === 'true_false' ? '[data-test=option-true]' : '[data-test=option-A]')
      }
      await phone.locator('[data-test=paper-save-state]', { hasText: '正在重试' }).waitFor(WAIT)
      await phone.locator('[data-test=paper-save-state]', { hasText: '已保存' }).waitFor(WAIT)
      assert.ok(dropped >= 2, 'the lost answer was sent again')
      await phone.unroute('**/api/v1/public/contests/*/attempts/*/answers/*')

      // two more, then a reload: the paper comes back at the first open question
      for (let i = 2; i <= 3; i++) {
        await next(phone)
        await phone.locator('[data-test=paper-position]', { hasText: `第 ${i} 题` }).waitFor(WAIT)
        await answerShown(phone)
      }
      await phone.reload()
      await phone.locator('[data-test=paper-position]', { hasText: '第 4 题 / 共 5 题' }).waitFor(WAIT)
      for (const no of [1, 2, 3]) assert.match(await phone.locator(`[data-test=paper-dot-${no}]`).getAttribute('class'), /done/)
      await answerShown(phone)
      await next(phone)
      await phone.locator('[data-test=paper-position]', { hasText: '第 5 题' }).waitFor(WAIT)
      await answerShown(phone)

      // the attempt as the server holds it: five answers, the lost-and-resent one counted once
      const stored = await phone.evaluate((cid) => JSON.parse(localStorage.getItem(`kepu_contest_attempt_${cid}`)), contest.id)
      const resumed = await phone.evaluate(async ([cid, a]) => (await fetch(`/api/v1/public/contests/${cid}/attempts/${a.aid}`,
        { headers: { 'X-Attempt-Token': a.token } })).json(), [contest.id, stored])
      assert.equal(resumed.answers.length, 5)
      assert.deepEqual(resumed.answers.map((x) => x.no).sort(), [1, 2, 3, 4, 5])

      await phone.click('[data-test=paper-submit]')
      await phone.click('.el-message-box__btns .el-button--primary')
      await phone.locator('[data-test=contest-result]').waitFor(WAIT)
      const score = await phone.locator('[data-test=contest-score]').innerText()
      const m = score.match(/(\d+) 分 \/ 满分 (\d+)/)
      assert.ok(m, score)
      assert.equal(Number(m[2]), 25)
      assert.ok(Number(m[1]) >= 0 && Number(m[1]) <= 25 && Number(m[1]) % 5 === 0, score)
      await phone.locator('[data-test=contest-rank]').waitFor(WAIT)

      // the public ranking lists the player
      await phone.click('[data-test=contest-see-ranking]')
      await phone.locator('[data-test=ranking-persons] tbody tr', { hasText: district.district }).first().waitFor(WAIT)

      // the admin's tab left open moves by itself (it refreshes every 10 s)
      await admin.waitForFunction(([sel, n]) => Number(document.querySelector(sel)?.textContent) === n,
        [`[data-test=rank-district-participants-${district.org_id}]`, before + 1], { timeout: 25000 })
      const after = (await api(admin, 'GET', `/contests/${contest.id}/ranking/districts`)).json.items
        .find((d) => d.org_id === district.org_id)
      assert.equal(after.participants, before + 1)
      await admin.click('#tab-persons')
      await admin.locator('[data-test=rank-persons] .el-table__row').first().waitFor(WAIT)

      // closed, the contest's top 3 get certificates; the player (the only one) downloads the PDF
      await admin.click('[data-test=contest-detail-close]')
      await admin.click('.el-message-box__btns .el-button--primary')
      await admin.locator('[data-test=contest-detail-status]', { hasText: '已结束' }).waitFor(WAIT)
      await admin.click('#tab-certificates')
      await admin.click('[data-test=contest-certificates-issue]')
      await admin.locator('[data-test=contest-certificates-done]', { hasText: '本次新发 1 张' }).waitFor(WAIT)
      await phone.goto(`${URL_BASE}/contest/${contest.id}`)
      await phone.locator('[data-test=contest-my-cert]').waitFor(WAIT)
      const [download] = await Promise.all([phone.waitForEvent('download'), phone.click('[data-test=contest-cert-pdf]')])
      const pdf = readFileSync(await download.path())
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')
      const code = (await phone.locator('[data-test=contest-my-cert]').innerText()).match(/编号 ([^）)\s]+)/)[1]
      await phone.goto(`${URL_BASE}/contest-cert/${code}`)
      const facts = await phone.locator('[data-test=contest-cert-facts]').innerText()
      assert.match(facts, new RegExp(TITLE))
      assert.match(facts, /周\*/)
    })
  })
})

// A staff member takes a self-assessment from its detail page (我来答题: the session's own attempt,
// answered on the phone's paper page; a double tap on 下一题 moves one question) and reads the
// literacy result in plain words.
test('a staff member takes a self-assessment and reads the literacy result', TEST, async () => {
  await withPage('contest-self', PHONE, async (page) => {
    await login(page, 'city_staff', PASSWORD)
    const created = await api(page, 'POST', '/contests', {
      title: `${TITLE} 自测`, kind: 'self_assessment', opens_at: shanghai(-60), closes_at: shanghai(86400),
      audience: ['staff'], time_limit_s: 900, attempts_per_day: 0, attempts_total: 0,
      rules: ['lit_knowledge', 'lit_method', 'lit_society'].map((category) => ({ category, difficulty: 0, count: 2, points: 5 })),
    })
    assert.equal(created.status, 201, JSON.stringify(created.json))
    assert.equal((await api(page, 'POST', `/contests/${created.json.id}/publish`)).status, 200)
    await page.goto(`${URL_BASE}/contests/${created.json.id}`)
    await page.click('[data-test=contest-take-part]')
    await page.locator('[data-test=paper-position]', { hasText: '共 6 题' }).waitFor(WAIT)
    for (let i = 1; i <= 6; i++) {
      await answerShown(page)
      if (i === 1) {
        // a shaky double tap on 下一题 moves one question
        await page.dblclick('[data-test=paper-next]')
        await page.locator('[data-test=paper-position]', { hasText: '第 2 题' }).waitFor(WAIT)
        await page.waitForTimeout(500)
        assert.match(await page.locator('[data-test=paper-position]').innerText(), /第 2 题/)
      } else if (i < 6) await next(page)
    }
    await page.click('[data-test=paper-submit]')
    await page.click('.el-message-box__btns .el-button--primary')
    const lit = await page.locator('[data-test=contest-literacy]').innerText()
    assert.match(lit, /您已具备基本科学素质|您暂未达到基本科学素质的标准/)
    assert.match(lit, /科学知识[\s\S]*\d+%[\s\S]*科学方法[\s\S]*\d+%[\s\S]*科学与社会[\s\S]*\d+%/)
    assert.match(await page.locator('[data-test=contest-literacy-score]').innerText(), /综合得分 \d+ 分/)
    // no ranking for a self-assessment
    assert.equal(await page.locator('[data-test=contest-see-ranking]').count(), 0)
  })
})
