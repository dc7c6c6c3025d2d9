/* fuzz_xlsx.c - libFuzzer harness for the .xlsx reader (docs/xlsx_read.h): any bytes as an
 * uploaded file. The reader takes a path, so each input is written to one temporary file.
 * Promises checked: an error has a reason; a sheet stays within its declared size and every
 * cell is valid UTF-8; xlsx_cell answers "" outside the sheet. */
#include "fuzz.h"
#include "core/validate.h"
#include "docs/xlsx_read.h"
#include <unistd.h>

static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    snprintf(path, sizeof path, "/tmp/kepu-fuzz-xlsx-%ld.xlsx", (long)getpid());
    return 0;
}

static void check_sheet(const xlsx_sheet *s)
{
    FUZZ_CHECK(s->nrows >= 0 && s->ncols >= 0 && s->ncols <= XLSX_MAX_COLS && s->nrows <= 1000);
    for (int r = 0; r < s->nrows; r++)
        for (int c = 0; c < s->ncols; c++) {
            const char *v = xlsx_cell(s, r, c);
            FUZZ_CHECK(v && utf8_valid(v, strlen(v)));
        }
    FUZZ_CHECK(*xlsx_cell(s, s->nrows, 0) == 0 && *xlsx_cell(s, 0, s->ncols) == 0);
    FUZZ_CHECK(*xlsx_cell(s, -1, 0) == 0 && *xlsx_cell(s, 0, -1) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    fclose(f);
    arena a;
    arena_init(&a);
    xlsx_sheet s;
    const char *error = NULL;
    if (xlsx_read_file(path, &a, 1000, &s, &error) == 0)
        check_sheet(&s);
    else
        FUZZ_CHECK(error && *error);
    arena_free(&a);
    unlink(path);
    return 0;
}
