/* demo_notices.c - the demo city's notices (issue 16 A): the city's 全国科普日 notice to every
 * district asking for two liaison officers by the end of the year, read and answered by the
 * first two districts (their admins), and a public announcement. Through the module's own writers
 * (notices.h), so the rows, receipts and audit are those a user's clicks would leave. */
#include "demo/demo.h"
#include "notices/notices.h"
#include "core/arena.h"
#include <stdio.h>
#include <string.h>

/* The demo principal acting as the admin user of unit org (read and reply are a unit's own). */
static principal as_unit(db *c, int64_t org)
{
    principal p = demo_principal_unscoped();
    int64_t user = 0;
    demo_ids(c, "SELECT id FROM users WHERE org_id = ? AND role = 'org_admin' ORDER BY id", org, &user, 1);
    p.org_id = org, p.user_id = user;
    return p;
}

static int send(db *c, arena *a, principal *p, notice *in, notice *out)
{
    int rc = notices_create(c, p, a, in, out);
    return rc == DB_OK ? notices_publish(c, p, a, out->id, NULL, out) : rc;
}

int demo_step_notices(db *c, const demo_context *x)
{
    arena a;
    arena_init(&a);
    principal p = demo_principal_unscoped();
    p.org_id = x->city_id;
    char deadline[40];
    snprintf(deadline, sizeof deadline, "%04d-12-31T17:00:00+08:00", x->year);
    notice in = {.title = arena_printf(&a, "关于报送%d年全国科普日活动联络员的通知", x->year),
                 .doc_no = arena_printf(&a, "科协发〔%d〕16号", x->year), .category = "通知",
                 .body = "<p>各区县科协：</p><p>为做好全国科普日活动的组织协调，请各区县科协确定两名联络员，"
                         "于截止时间前填报回执。</p><p>附件：联络员回执表</p>",
                 .contact_name = "王老师", .contact_phone = "023-63001234", .reply_required = true,
                 .reply_deadline = deadline, .reply_names = true, .target = "{\"org_types\":[\"district\"]}"};
    notice out;
    int rc = send(c, &a, &p, &in, &out);
    int64_t districts[2];
    int n = rc == DB_OK ? demo_ids(c, "SELECT org_id FROM notice_recipients WHERE notice_id = ? ORDER BY org_id", out.id, districts, 2) : 0;
    for (int i = 0; rc == DB_OK && i < n; i++) {
        principal d = as_unit(c, districts[i]);
        notice seen = out;
        if ((rc = notices_mark_read(c, &d, &seen)) != DB_OK) break;
        notice_name names[2] = {{"张明", "区科协 科普部部长", "13800138001"}, {"李娜", "区科协 科员", "13900139002"}};
        rc = notices_reply(c, &d, &a, out.id, "已确定两名联络员，请审阅。", names, 2);
    }
    notice pub = {.title = arena_printf(&a, "%d年科普讲解大赛公告", x->year), .category = "公告", .is_public = true,
                  .body = "<p>全市科普讲解大赛报名现已开始，欢迎各界科普工作者参加。</p>",
                  .contact_name = "赵老师", .contact_phone = "023-63005678", .target = "{\"org_types\":[\"district\"]}"};
    if (rc == DB_OK) rc = send(c, &a, &p, &pub, &out);
    arena_free(&a);
    if (rc != DB_OK) fprintf(stderr, "kepu demo: notices failed (%d)\n", rc);
    return rc == DB_OK ? 0 : 1;
}
