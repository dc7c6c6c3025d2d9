/* quiz.c - the question bank's shared ground: the categories, a version read for scoring and the
 * seeded draw of a paper's questions (quiz.h). The HTTP side is in questions_api.c. */
#include "quiz/quiz.h"
#include "db/query.h"
#include <string.h>

const quiz_category quiz_categories[] = {
    {"clothing", "衣", "Clothing", false},
    {"food", "食", "Food", false},
    {"housing", "住", "Housing", false},
    {"travel", "行", "Travel", false},
    {"daily_use", "用", "Daily use", false},
    {"birth", "生", "Birth", false},
    {"growth", "长", "Growth", false},
    {"ageing", "老", "Ageing", false},
    {"illness", "病", "Illness", false},
    {"death", "死", "Death", false},
    {"emergency", "应急", "Emergencies", false},
    {"health", "健康", "Health", false},
    {"anti_fraud", "防诈骗", "Anti-fraud", false},
    {"environment", "环境", "Environment", false},
    {"digital", "数字技能", "Digital skills", false},
    {"other", "其他", "Other", false},
    {"lit_knowledge", "基本科学知识", "Basic scientific knowledge", true},
    {"lit_method", "科学方法", "Scientific method", true},
    {"lit_society", "科学与社会", "Science and society", true},
    {NULL, NULL, NULL, false},
};

const quiz_category *quiz_category_find(const char *code)
{
    if (!code) return NULL;
    for (const quiz_category *k = quiz_categories; k->code; k++)
        if (strcmp(k->code, code) == 0) return k;
    return NULL;
}

bool quiz_type_valid(const char *type)
{
    static const char *const types[] = {"single", "multiple", "true_false", "fill_in", NULL};
    for (int i = 0; type && types[i]; i++)
        if (strcmp(type, types[i]) == 0) return true;
    return false;
}

static void read_version(db_stmt *s, arena *a, void *out)
{
    quiz_version *v = out;
    v->question_id = db_col_int(s, 0);
    v->version = (int)db_col_int(s, 1);
    v->type = arena_strdup(a, db_col_text(s, 2));
    v->category = arena_strdup(a, db_col_text(s, 3));
    v->difficulty = (int)db_col_int(s, 4);
    v->stem = arena_strdup(a, db_col_text(s, 5));
    v->options_json = arena_strdup(a, db_col_text(s, 6));
    v->answer_json = arena_strdup(a, db_col_text(s, 7));
    v->explanation = arena_strdup(a, db_col_text(s, 8));
}

int quiz_version_get_unscoped(db *c, arena *a, int64_t question_id, int version, quiz_version *out)
{
    memset(out, 0, sizeof *out);
    qb q;
    qb_init(&q, "SELECT v.question_id, v.version, x.type, x.category, x.difficulty, v.stem, "
                "v.options, v.answer, v.explanation FROM question_versions v "
                "JOIN questions x ON x.id = v.question_id WHERE v.question_id = ?");
    qb_int(&q, question_id);
    qb_sql(&q, " AND v.version = ?");
    qb_int(&q, version);
    return qb_get_one(c, &q, a, read_version, out, DB_DONE);
}

/* splitmix64: a small, well-mixed generator whose whole state is the seed, so a draw can be
 * replayed from the seed an attempt stores. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Appends " IN (?, ?, ...)" with the path and each ancestor path ("/1/7/12/" -> "/1/",
 * "/1/7/", "/1/7/12/"): the banks a node may draw from. */
static void ancestors_in(qb *q, arena *a, const char *path)
{
    qb_sql(q, " IN (");
    bool first = true;
    for (size_t i = 1; path[i]; i++) {
        if (path[i] != '/') continue;
        qb_sql(q, first ? "?" : ", ?");
        qb_text(q, arena_strndup(a, path, i + 1));
        first = false;
    }
    if (first) {                             /* a path without inner slashes: itself */
        qb_sql(q, "?");
        qb_text(q, path);
    }
    qb_sql(q, ")");
}

/* Loads the candidate (id, version) pairs, in id order so the same bank gives the same array. */
static int load_candidates(db *c, arena *a, const char *org_path, const char *category,
                           int difficulty, quiz_pick **out, int *count)
{
    qb q;
    qb_init(&q, "SELECT id, version FROM questions WHERE status = 'reviewed' AND category = ?");
    qb_text(&q, category);
    if (difficulty > 0) {
        qb_sql(&q, " AND difficulty = ?");
        qb_int(&q, difficulty);
    }
    qb_sql(&q, " AND org_path");
    ancestors_in(&q, a, org_path);
    qb_sql(&q, " ORDER BY id");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int cap = 64, n = 0, rc = DB_ERR;
    quiz_pick *v = arena_alloc(a, sizeof *v * (size_t)cap);
    while (v && (rc = db_step(s)) == DB_ROW) {
        if (n == cap) {
            quiz_pick *w = arena_alloc(a, sizeof *v * (size_t)cap * 2);
            if (w) memcpy(w, v, sizeof *v * (size_t)n);
            v = w, cap *= 2;
            if (!v) break;
        }
        v[n].question_id = db_col_int(s, 0);
        v[n].version = (int)db_col_int(s, 1);
        n++;
    }
    db_finish(s);
    if (!v) return DB_ERR;
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    *out = v, *count = n;
    return DB_OK;
}

int quiz_draw_unscoped(db *c, arena *a, const char *org_path, const char *category, int difficulty,
                       int n, uint64_t seed, quiz_drawn *out)
{
    out->n = 0, out->items = NULL;
    if (!org_path || org_path[0] != '/' || !category || n <= 0) return 0;
    quiz_pick *v = NULL;
    int count = 0;
    int rc = load_candidates(c, a, org_path, category, difficulty, &v, &count);
    if (rc != DB_OK) return rc;
    if (n > count) n = count;
    /* A partial Fisher-Yates shuffle: the first n places get distinct random candidates. */
    uint64_t state = seed;
    for (int i = 0; i < n; i++) {
        int j = i + (int)(next_random(&state) % (uint64_t)(count - i));
        quiz_pick t = v[i];
        v[i] = v[j], v[j] = t;
    }
    out->n = n, out->items = v;
    return n;
}
