/*
 * territoria._kernels: byte-level loops over Arrow string buffers.
 *
 * Why C: the validator's fast paths recognise the common forms of a cell
 * (plain decimals, ISO dates, fixed-width patterns...) straight from the
 * Arrow buffers. In numpy each test is one pass over the batch, and a date
 * takes some forty passes; here each cell is read once, in one loop that
 * releases the GIL so that the column threads run side by side.
 *
 * Every function mirrors a numpy function of the package, which stays the
 * reference and the fallback when this module is not built (see
 * territoria/kernels.py); tests compare the two on random cells.
 *
 * Common arguments: ``offsets`` is the int32 offsets buffer of a StringArray,
 * already sliced to its n + 1 entries; ``data`` is its value buffer. Outputs
 * are numpy arrays of n entries, allocated by the caller. Null slots are
 * processed like any other (callers mask them).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

/* ------------------------------------------------------------- helpers */

/* Release the first ``count`` buffers given (every function parses its
   arguments into Py_buffers, and releases them all on every way out). */
static void
release(int count, ...)
{
    va_list buffers;
    va_start(buffers, count);
    for (int k = 0; k < count; k++)
        PyBuffer_Release(va_arg(buffers, Py_buffer *));
    va_end(buffers);
}

static int
get_layout(Py_buffer *offsets, Py_buffer *data, Py_ssize_t *n)
{
    if (offsets->len % 4 != 0 || offsets->len < 4) {
        PyErr_SetString(PyExc_ValueError, "offsets: expected n + 1 int32 values");
        return -1;
    }
    *n = offsets->len / 4 - 1;
    const int32_t *off = (const int32_t *)offsets->buf;
    if (*n > 0 && (off[0] < 0 || off[*n] > data->len || off[*n] < off[0])) {
        PyErr_SetString(PyExc_ValueError, "offsets point outside the data buffer");
        return -1;
    }
    for (Py_ssize_t i = 0; i < *n; i++) {
        if (off[i + 1] < off[i]) {
            PyErr_SetString(PyExc_ValueError, "offsets are not increasing");
            return -1;
        }
    }
    return 0;
}

static int
check_out(Py_buffer *out, Py_ssize_t n, Py_ssize_t itemsize, const char *name)
{
    if (out->len != n * itemsize) {
        PyErr_Format(PyExc_ValueError, "%s: expected %zd bytes, got %zd", name, n * itemsize, out->len);
        return -1;
    }
    return 0;
}

static inline int
is_digit(uint8_t c)
{
    return (uint8_t)(c - '0') <= 9;
}

static inline int
two(const uint8_t *p)
{
    return (p[0] - '0') * 10 + (p[1] - '0');
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static inline int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (m + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Python's date(y, m, d) would succeed. */
static inline int
valid_ymd(int64_t y, int64_t m, int64_t d)
{
    static const int month_days[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= month_days[m] + (m == 2 && leap);
}

/* ------------------------------------------------------------- match_fixed */

PyDoc_STRVAR(match_fixed_doc,
"match_fixed(offsets, data, widths, tables, out)\n\n"
"out[i] = 1 when cell i has the length of some alternative k (widths, int32)\n"
"and every byte b at position j is allowed by that alternative's table\n"
"(tables: the alternatives' widths[k] x 256 bytes, concatenated).");

static PyObject *
match_fixed(PyObject *self, PyObject *args)
{
    Py_buffer offsets, data, widths, tables, out;
    if (!PyArg_ParseTuple(args, "y*y*y*y*w*", &offsets, &data, &widths, &tables, &out))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t n;
    if (get_layout(&offsets, &data, &n) < 0 || check_out(&out, n, 1, "out") < 0)
        goto done;
    Py_ssize_t k = widths.len / 4;
    const int32_t *w = (const int32_t *)widths.buf;
    Py_ssize_t total = 0;
    for (Py_ssize_t a = 0; a < k; a++) {
        if (w[a] < 0) {
            PyErr_SetString(PyExc_ValueError, "negative width");
            goto done;
        }
        total += w[a];
    }
    if (tables.len != total * 256) {
        PyErr_SetString(PyExc_ValueError, "tables: expected sum(widths) x 256 bytes");
        goto done;
    }
    {
        const int32_t *off = (const int32_t *)offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        const uint8_t *table = (const uint8_t *)tables.buf;
        uint8_t *res = (uint8_t *)out.buf;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < n; i++) {
            const uint8_t *cell = bytes + off[i];
            int32_t len = off[i + 1] - off[i];
            uint8_t matched = 0;
            const uint8_t *t = table;
            for (Py_ssize_t a = 0; a < k && !matched; a++) {
                if (len == w[a]) {
                    int ok = 1;
                    for (int32_t j = 0; j < len && ok; j++)
                        ok = t[j * 256 + cell[j]];
                    matched = (uint8_t)(ok != 0);
                }
                t += (Py_ssize_t)w[a] * 256;
            }
            res[i] = matched;
        }
        Py_END_ALLOW_THREADS
    }
    Py_INCREF(Py_None);
    result = Py_None;
done:
    release(5, &offsets, &data, &widths, &tables, &out);
    return result;
}

/* ------------------------------------------------------------- decimal */

static const double POW10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

PyDoc_STRVAR(decimal_doc,
"decimal(offsets, data, fraction, out_ok, out_value)\n\n"
"Cells of the form -?[0-9]+ (-?[0-9]+(\\.[0-9]+)? with fraction), at most 63\n"
"bytes, whose value is exactly a double divided by a power of ten (at most\n"
"2**53 and 22 decimals: the quotient is then correctly rounded, as float()\n"
"and pyarrow's cast are): out_ok = 1 and out_value = that double + 0.0\n"
"(so -0 becomes 0). Any other cell: out_ok = 0 (callers take the slow path).");

static PyObject *
decimal(PyObject *self, PyObject *args)
{
    Py_buffer offsets, data, out_ok, out_value;
    int fraction;
    if (!PyArg_ParseTuple(args, "y*y*pw*w*", &offsets, &data, &fraction, &out_ok, &out_value))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t n;
    if (get_layout(&offsets, &data, &n) < 0 || check_out(&out_ok, n, 1, "out_ok") < 0
        || check_out(&out_value, n, 8, "out_value") < 0)
        goto done;
    {
        const int32_t *off = (const int32_t *)offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        uint8_t *ok = (uint8_t *)out_ok.buf;
        double *value = (double *)out_value.buf;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < n; i++) {
            const uint8_t *p = bytes + off[i];
            const uint8_t *end = bytes + off[i + 1];
            int32_t len = off[i + 1] - off[i];
            ok[i] = 0;
            value[i] = 0.0;
            if (len < 1 || len > 63)
                continue;
            int negative = *p == '-';
            p += negative;
            /* digits before and after the point, accumulated as one integer */
            uint64_t mantissa = 0;
            const uint8_t *q = p;
            while (q < end && is_digit(*q))
                mantissa = mantissa * 10 + (uint64_t)(*q++ - '0');
            int integer_digits = (int)(q - p), decimals = 0;
            if (q < end && fraction && *q == '.') {
                const uint8_t *f = ++q;
                while (q < end && is_digit(*q))
                    mantissa = mantissa * 10 + (uint64_t)(*q++ - '0');
                decimals = (int)(q - f);
                if (decimals == 0)
                    continue;
            }
            /* at most 19 digits cannot overflow; longer texts (leading zeros
               included) are rare and left to the slow path */
            if (q != end || integer_digits == 0 || integer_digits + decimals > 19
                || mantissa > ((uint64_t)1 << 53) || decimals > 22)
                continue;
            double v = (double)mantissa;
            if (decimals)
                v = v / POW10[decimals];
            if (negative)
                v = -v;
            value[i] = v + 0.0;
            ok[i] = 1;
        }
        Py_END_ALLOW_THREADS
    }
    Py_INCREF(Py_None);
    result = Py_None;
done:
    release(4, &offsets, &data, &out_ok, &out_value);
    return result;
}

/* ------------------------------------------------------------- integer */

PyDoc_STRVAR(integer_doc,
"integer(offsets, data, out_ok, out_value)\n\n"
"Cells of the form -?[0-9]{1,18}: out_ok = 1 and out_value = int(cell).");

static PyObject *
integer(PyObject *self, PyObject *args)
{
    Py_buffer offsets, data, out_ok, out_value;
    if (!PyArg_ParseTuple(args, "y*y*w*w*", &offsets, &data, &out_ok, &out_value))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t n;
    if (get_layout(&offsets, &data, &n) < 0 || check_out(&out_ok, n, 1, "out_ok") < 0
        || check_out(&out_value, n, 8, "out_value") < 0)
        goto done;
    {
        const int32_t *off = (const int32_t *)offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        uint8_t *ok = (uint8_t *)out_ok.buf;
        int64_t *value = (int64_t *)out_value.buf;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < n; i++) {
            const uint8_t *p = bytes + off[i];
            const uint8_t *end = bytes + off[i + 1];
            int negative = p < end && *p == '-';
            p += negative;
            int64_t v = 0;
            int count = 0, good = 1;
            for (; p < end; p++, count++) {
                if (!is_digit(*p) || count >= 18) { good = 0; break; }
                v = v * 10 + (*p - '0');
            }
            good = good && count >= 1;
            ok[i] = (uint8_t)good;
            value[i] = good ? (negative ? -v : v) : 0;
        }
        Py_END_ALLOW_THREADS
    }
    Py_INCREF(Py_None);
    result = Py_None;
done:
    release(4, &offsets, &data, &out_ok, &out_value);
    return result;
}

/* ------------------------------------------------------------- temporal layouts */

PyDoc_STRVAR(layout_doc,
"layout(offsets, data, width, positions, literals, defaults, out_handled, out_valid,\n"
"       out_days, out_seconds)\n\n"
"A fixed-width strptime layout. positions: int32 start of Y (4 digits), m, d,\n"
"H, M, S (2 digits each), -1 when absent; literals: int32 (position, byte)\n"
"pairs; defaults: int32 year, month, day when absent. handled: length is\n"
"width, literals and digits in place, m 1-12, d 1-31, H 0-23, M and S 0-59;\n"
"valid: handled and a real calendar date; days since 1970-01-01 (int32) and\n"
"seconds of the day (int32) where handled.");

static PyObject *
layout(PyObject *self, PyObject *args)
{
    Py_buffer offsets, data, positions, literals, defaults, out_handled, out_valid, out_days, out_seconds;
    int width;
    if (!PyArg_ParseTuple(args, "y*y*iy*y*y*w*w*w*w*", &offsets, &data, &width, &positions, &literals,
                          &defaults, &out_handled, &out_valid, &out_days, &out_seconds))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t n;
    if (get_layout(&offsets, &data, &n) < 0 || check_out(&out_handled, n, 1, "out_handled") < 0
        || check_out(&out_valid, n, 1, "out_valid") < 0 || check_out(&out_days, n, 4, "out_days") < 0
        || check_out(&out_seconds, n, 4, "out_seconds") < 0)
        goto done;
    if (positions.len != 6 * 4 || defaults.len != 3 * 4 || literals.len % 8 != 0) {
        PyErr_SetString(PyExc_ValueError, "positions: 6 int32, defaults: 3 int32, literals: int32 pairs");
        goto done;
    }
    {
        const int32_t *pos = (const int32_t *)positions.buf;
        const int32_t *lit = (const int32_t *)literals.buf;
        Py_ssize_t nlit = literals.len / 8;
        const int32_t *def = (const int32_t *)defaults.buf;
        for (int j = 0; j < 6; j++) {
            int size = j == 0 ? 4 : 2;
            if (pos[j] >= 0 && pos[j] + size > width) {
                PyErr_SetString(PyExc_ValueError, "a directive lies beyond the width");
                goto done;
            }
        }
        for (Py_ssize_t j = 0; j < nlit; j++) {
            if (lit[2 * j] < 0 || lit[2 * j] >= width) {
                PyErr_SetString(PyExc_ValueError, "a literal lies beyond the width");
                goto done;
            }
        }
        const int32_t *off = (const int32_t *)offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        uint8_t *handled = (uint8_t *)out_handled.buf, *valid = (uint8_t *)out_valid.buf;
        int32_t *days = (int32_t *)out_days.buf, *seconds = (int32_t *)out_seconds.buf;
        /* local copies: the outputs are byte arrays, which C lets alias anything,
           so without them every read of the plan would be repeated per cell */
        int32_t where[6], literal_at[16], literal_byte[16];
        Py_ssize_t count = nlit < 16 ? nlit : 16;
        for (int j = 0; j < 6; j++)
            where[j] = pos[j];
        for (Py_ssize_t j = 0; j < count; j++) {
            literal_at[j] = lit[2 * j];
            literal_byte[j] = lit[2 * j + 1];
        }
        int32_t year0 = def[0], month0 = def[1], day0 = def[2];
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < n; i++) {
            const uint8_t *p = bytes + off[i];
            handled[i] = valid[i] = 0;
            days[i] = seconds[i] = 0;
            if (off[i + 1] - off[i] != width)
                continue;
            unsigned bad = 0;
            for (Py_ssize_t j = 0; j < count; j++)
                bad |= (unsigned)(p[literal_at[j]] ^ (uint8_t)literal_byte[j]);
            for (Py_ssize_t j = count; j < nlit; j++)  /* more than 16 literals: rare */
                bad |= (unsigned)(p[lit[2 * j]] ^ (uint8_t)lit[2 * j + 1]);
            /* digits are checked all at once: d > 9 for any non-digit byte */
            int v[6] = {year0, month0, day0, 0, 0, 0};
            for (int j = 0; j < 6; j++) {
                if (where[j] < 0)
                    continue;
                const uint8_t *q = p + where[j];
                unsigned d0 = (unsigned)q[0] - '0', d1 = (unsigned)q[1] - '0';
                bad |= (d0 > 9) | (d1 > 9);
                int x = (int)(d0 * 10 + d1);
                if (j == 0) {
                    unsigned d2 = (unsigned)q[2] - '0', d3 = (unsigned)q[3] - '0';
                    bad |= (d2 > 9) | (d3 > 9);
                    x = x * 100 + (int)(d2 * 10 + d3);
                }
                v[j] = x;
            }
            /* absent directives hold in-range defaults, so every range is tested */
            bad |= (v[1] < 1) | (v[1] > 12) | (v[2] < 1) | (v[2] > 31) | (v[3] > 23) | (v[4] > 59) | (v[5] > 59);
            if (bad)
                continue;
            handled[i] = 1;
            valid[i] = (uint8_t)valid_ymd(v[0], v[1], v[2]);
            days[i] = (int32_t)days_from_civil(v[0], v[1], v[2]);
            seconds[i] = v[3] * 3600 + v[4] * 60 + v[5];
        }
        Py_END_ALLOW_THREADS
    }
    Py_INCREF(Py_None);
    result = Py_None;
done:
    release(9, &offsets, &data, &positions, &literals, &defaults, &out_handled, &out_valid, &out_days, &out_seconds);
    return result;
}

PyDoc_STRVAR(iso_doc,
"iso(offsets, data, time_start, out_handled, out_valid, out_micros, out_aware)\n\n"
"\"YYYY-MM-DD[T ]hh:mm:ss\" (time_start 11) or \"hh:mm:ss\" (time_start 0),\n"
"then nothing, \"Z\" or \"+hh:mm\"/\"-hh:mm\" (hours 0-23, minutes 0-59); no\n"
"fraction. handled: that form with hh 0-23, mm and ss 0-59; valid: handled\n"
"and a real date; micros (int64): the key of the cell, microseconds since\n"
"1970-01-01 in UTC for a date-time (its wall time when naive), microseconds\n"
"of the day minus the UTC offset for a time; aware (uint8): it had a zone.");

static PyObject *
iso(PyObject *self, PyObject *args)
{
    Py_buffer offsets, data, out_handled, out_valid, out_micros, out_aware;
    int t;
    if (!PyArg_ParseTuple(args, "y*y*iw*w*w*w*", &offsets, &data, &t, &out_handled, &out_valid,
                          &out_micros, &out_aware))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t n;
    if (get_layout(&offsets, &data, &n) < 0 || check_out(&out_handled, n, 1, "out_handled") < 0
        || check_out(&out_valid, n, 1, "out_valid") < 0 || check_out(&out_micros, n, 8, "out_micros") < 0
        || check_out(&out_aware, n, 1, "out_aware") < 0)
        goto done;
    if (t != 0 && t != 11) {
        PyErr_SetString(PyExc_ValueError, "time_start must be 0 or 11");
        goto done;
    }
    {
        const int32_t *off = (const int32_t *)offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        uint8_t *handled = (uint8_t *)out_handled.buf, *valid = (uint8_t *)out_valid.buf;
        uint8_t *aware = (uint8_t *)out_aware.buf;
        int64_t *micros = (int64_t *)out_micros.buf;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < n; i++) {
            const uint8_t *p = bytes + off[i];
            int32_t len = off[i + 1] - off[i];
            handled[i] = valid[i] = aware[i] = 0;
            micros[i] = 0;
            if (len != t + 8 && len != t + 9 && len != t + 14)
                continue;
            /* every test at once: a byte minus '0' is above 9 unless a digit */
            unsigned bad = 0;
            int y = 1900, mo = 1, d = 1;
            if (t) {
                unsigned y0 = (unsigned)p[0] - '0', y1 = (unsigned)p[1] - '0', y2 = (unsigned)p[2] - '0',
                         y3 = (unsigned)p[3] - '0', m0 = (unsigned)p[5] - '0', m1 = (unsigned)p[6] - '0',
                         d0 = (unsigned)p[8] - '0', d1 = (unsigned)p[9] - '0';
                bad |= (y0 > 9) | (y1 > 9) | (y2 > 9) | (y3 > 9) | (m0 > 9) | (m1 > 9) | (d0 > 9) | (d1 > 9);
                bad |= (p[4] != '-') | (p[7] != '-') | ((p[10] != 'T') & (p[10] != ' '));
                y = (int)(((y0 * 10 + y1) * 10 + y2) * 10 + y3);
                mo = (int)(m0 * 10 + m1);
                d = (int)(d0 * 10 + d1);
            }
            const uint8_t *q = p + t;
            unsigned h0 = (unsigned)q[0] - '0', h1 = (unsigned)q[1] - '0', n0 = (unsigned)q[3] - '0',
                     n1 = (unsigned)q[4] - '0', s0 = (unsigned)q[6] - '0', s1 = (unsigned)q[7] - '0';
            bad |= (h0 > 9) | (h1 > 9) | (n0 > 9) | (n1 > 9) | (s0 > 9) | (s1 > 9) | (q[2] != ':') | (q[5] != ':');
            int hh = (int)(h0 * 10 + h1), mi = (int)(n0 * 10 + n1), ss = (int)(s0 * 10 + s1);
            bad |= (hh > 23) | (mi > 59) | (ss > 59);
            int zone = 0, is_aware = 0;
            if (len == t + 9) {
                bad |= p[t + 8] != 'Z';
                is_aware = 1;
            } else if (len == t + 14) {
                const uint8_t *z = p + t + 8;
                unsigned a0 = (unsigned)z[1] - '0', a1 = (unsigned)z[2] - '0', b0 = (unsigned)z[4] - '0',
                         b1 = (unsigned)z[5] - '0';
                bad |= ((z[0] != '+') & (z[0] != '-')) | (a0 > 9) | (a1 > 9) | (z[3] != ':') | (b0 > 9) | (b1 > 9);
                int zh = (int)(a0 * 10 + a1), zm = (int)(b0 * 10 + b1);
                bad |= (zh > 23) | (zm > 59);
                zone = (z[0] == '-' ? -1 : 1) * (zh * 3600 + zm * 60);
                is_aware = 1;
            }
            if (bad)
                continue;
            handled[i] = 1;
            valid[i] = (uint8_t)valid_ymd(y, mo, d);
            int64_t day_micros = t ? days_from_civil(y, mo, d) * (int64_t)86400000000 : 0;
            micros[i] = day_micros + (int64_t)(hh * 3600 + mi * 60 + ss - zone) * 1000000;
            aware[i] = (uint8_t)is_aware;
        }
        Py_END_ALLOW_THREADS
    }
    Py_INCREF(Py_None);
    result = Py_None;
done:
    release(6, &offsets, &data, &out_handled, &out_valid, &out_micros, &out_aware);
    return result;
}

/* ------------------------------------------------------------- string hash */

static inline uint64_t
mix(uint64_t z)
{
    z ^= z >> 30;
    z *= 0xBF58476D1CE4E5B9ULL;
    z ^= z >> 27;
    z *= 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return z;
}

PyDoc_STRVAR(string_hash_doc,
"string_hash(offsets, data, long_limit, out_hash)\n\n"
"The hash of territoria.keys for strings of at most long_limit bytes:\n"
"h = mix(len * FNV prime ^ word 0), then h = mix(h ^ word k) for each further\n"
"8-byte word (native byte order) holding some of the string's bytes (zero-padded).\n"
"Longer strings get 0 (the caller hashes them another way).");

static PyObject *
string_hash(PyObject *self, PyObject *args)
{
    Py_buffer offsets, data, out_hash;
    Py_ssize_t long_limit;
    if (!PyArg_ParseTuple(args, "y*y*nw*", &offsets, &data, &long_limit, &out_hash))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t n;
    if (get_layout(&offsets, &data, &n) < 0 || check_out(&out_hash, n, 8, "out_hash") < 0)
        goto done;
    {
        const int32_t *off = (const int32_t *)offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        uint64_t *hash = (uint64_t *)out_hash.buf;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < n; i++) {
            const uint8_t *p = bytes + off[i];
            int32_t len = off[i + 1] - off[i];
            if (len > long_limit) {
                hash[i] = 0;
                continue;
            }
            uint64_t h = (uint64_t)len * 0x100000001B3ULL;
            int32_t done_bytes = 0;
            do {
                uint64_t word = 0;
                int32_t take = len - done_bytes < 8 ? len - done_bytes : 8;
                memcpy(&word, p + done_bytes, (size_t)take); /* native byte order, like numpy's .view(uint64) */
                h = mix(h ^ word);
                done_bytes += 8;
            } while (done_bytes < len);
            hash[i] = h;
        }
        Py_END_ALLOW_THREADS
    }
    Py_INCREF(Py_None);
    result = Py_None;
done:
    release(3, &offsets, &data, &out_hash);
    return result;
}

/* ------------------------------------------------------------- small sets */

PyDoc_STRVAR(index_in_doc,
"index_in(offsets, data, set_offsets, set_data, out_index)\n\n"
"out_index[i] = position of cell i's text in a small set of texts (given as\n"
"the offsets and data of a StringArray), -1 when it is not there. For the\n"
"few values of a boolean field or an enum: a length test, then memcmp.");

static PyObject *
index_in(PyObject *self, PyObject *args)
{
    Py_buffer offsets, data, set_offsets, set_data, out_index;
    if (!PyArg_ParseTuple(args, "y*y*y*y*w*", &offsets, &data, &set_offsets, &set_data, &out_index))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t n, k;
    if (get_layout(&offsets, &data, &n) < 0 || get_layout(&set_offsets, &set_data, &k) < 0
        || check_out(&out_index, n, 4, "out_index") < 0)
        goto done;
    {
        const int32_t *off = (const int32_t *)offsets.buf, *set_off = (const int32_t *)set_offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf, *set_bytes = (const uint8_t *)set_data.buf;
        int32_t *index = (int32_t *)out_index.buf;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < n; i++) {
            int32_t len = off[i + 1] - off[i];
            int32_t found = -1;
            for (Py_ssize_t j = 0; j < k; j++) {
                if (set_off[j + 1] - set_off[j] == len
                    && memcmp(bytes + off[i], set_bytes + set_off[j], (size_t)len) == 0) {
                    found = (int32_t)j;
                    break;
                }
            }
            index[i] = found;
        }
        Py_END_ALLOW_THREADS
    }
    Py_INCREF(Py_None);
    result = Py_None;
done:
    release(5, &offsets, &data, &set_offsets, &set_data, &out_index);
    return result;
}

/* ------------------------------------------------------------- hash table */

/* Keys are probed in file order, and their slots are random: the table of a
   big file does not fit in the caches, so each key's home slot is fetched
   PREFETCH_AHEAD keys before it is needed (several memory reads in flight
   instead of one at a time). */
#define PREFETCH_AHEAD 16
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(address) __builtin_prefetch((address), 1, 0)
#else
#define PREFETCH(address) ((void)0)
#endif

/* Fetch the key and value of ``slot`` (values int64 when ``wide``, else int32). */
static inline void
prefetch_slot(const uint64_t *slots, const void *values, int wide, uint64_t slot)
{
    PREFETCH(slots + slot);
    if (wide)
        PREFETCH((const int64_t *)values + slot);
    else
        PREFETCH((const int32_t *)values + slot);
}

static int
table_args(Py_buffer *table_keys, Py_buffer *table_values, Py_buffer *keys, Py_ssize_t *capacity)
{
    *capacity = table_keys->len / 8;
    if (table_keys->len % 8 || (table_values->len != table_keys->len && table_values->len * 2 != table_keys->len)
        || keys->len % 8 || *capacity == 0 || (*capacity & (*capacity - 1))) {
        PyErr_SetString(PyExc_ValueError, "table: power-of-two uint64 keys and int32/int64 values expected");
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(table_swap_doc,
"table_swap(table_keys, table_values, size, keys, values, out_replaced) -> added\n\n"
"Linear-probing insert into territoria.hash_table's arrays (slot = key's low\n"
"bits, key 0 = empty; values int32 or int64, int64 in and out, the caller\n"
"checks the range; the caller keeps the load below 70 %): each key takes\n"
"its value, out_replaced gets the value it had (-1 for a new key). size is\n"
"the number of keys the table holds. Returns the number of keys added.");

static PyObject *
table_swap(PyObject *self, PyObject *args)
{
    Py_buffer table_keys, table_values, keys, values, out_replaced;
    Py_ssize_t size;
    if (!PyArg_ParseTuple(args, "w*w*ny*y*w*", &table_keys, &table_values, &size, &keys, &values, &out_replaced))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t capacity, n = keys.len / 8, added = 0;
    int full = 0;
    if (table_args(&table_keys, &table_values, &keys, &capacity) < 0
        || check_out(&values, n, 8, "values") < 0 || check_out(&out_replaced, n, 8, "out_replaced") < 0)
        goto done;
    {
        uint64_t *slots = (uint64_t *)table_keys.buf;
        int wide = table_values.len == table_keys.len;
        int64_t *values64 = (int64_t *)table_values.buf;
        int32_t *values32 = (int32_t *)table_values.buf;
        const uint64_t *k = (const uint64_t *)keys.buf;
        const int64_t *v = (const int64_t *)values.buf;
        int64_t *replaced = (int64_t *)out_replaced.buf;
        uint64_t mask = (uint64_t)capacity - 1;
        if (size < 0 || size + n > capacity - 1) {
            PyErr_SetString(PyExc_ValueError, "table: not enough room");
            goto done;
        }
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < n; i++) {
            if (i + PREFETCH_AHEAD < n)
                prefetch_slot(slots, table_values.buf, wide, k[i + PREFETCH_AHEAD] & mask);
            uint64_t slot = k[i] & mask;
            Py_ssize_t probes = 0;
            while (slots[slot] != 0 && slots[slot] != k[i] && ++probes < capacity)
                slot = (slot + 1) & mask;
            if (probes >= capacity) {
                full = 1; /* the caller's size was wrong: stop rather than loop */
                break;
            }
            if (slots[slot] == 0) {
                slots[slot] = k[i];
                replaced[i] = -1;
                added++;
            } else {
                replaced[i] = wide ? values64[slot] : values32[slot];
            }
            if (wide)
                values64[slot] = v[i];
            else
                values32[slot] = (int32_t)v[i];
        }
        Py_END_ALLOW_THREADS
    }
    if (full)
        PyErr_SetString(PyExc_RuntimeError, "table: no empty slot left");
    else
        result = PyLong_FromSsize_t(added);
done:
    release(5, &table_keys, &table_values, &keys, &values, &out_replaced);
    return result;
}

PyDoc_STRVAR(table_get_doc,
"table_get(table_keys, table_values, keys, out_found)\n\n"
"The value of each key in territoria.hash_table's arrays, -1 when absent.");

static PyObject *
table_get(PyObject *self, PyObject *args)
{
    Py_buffer table_keys, table_values, keys, out_found;
    if (!PyArg_ParseTuple(args, "y*y*y*w*", &table_keys, &table_values, &keys, &out_found))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t capacity, n = keys.len / 8;
    if (table_args(&table_keys, &table_values, &keys, &capacity) < 0
        || check_out(&out_found, n, 8, "out_found") < 0)
        goto done;
    {
        const uint64_t *slots = (const uint64_t *)table_keys.buf;
        int wide = table_values.len == table_keys.len;
        const int64_t *values64 = (const int64_t *)table_values.buf;
        const int32_t *values32 = (const int32_t *)table_values.buf;
        const uint64_t *k = (const uint64_t *)keys.buf;
        int64_t *found = (int64_t *)out_found.buf;
        uint64_t mask = (uint64_t)capacity - 1;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < n; i++) {
            if (i + PREFETCH_AHEAD < n)
                prefetch_slot(slots, table_values.buf, wide, k[i + PREFETCH_AHEAD] & mask);
            uint64_t slot = k[i] & mask;
            Py_ssize_t probes = 0;
            while (slots[slot] != 0 && slots[slot] != k[i] && ++probes < capacity)
                slot = (slot + 1) & mask;
            found[i] = slots[slot] != k[i] ? -1 : wide ? values64[slot] : values32[slot];
        }
        Py_END_ALLOW_THREADS
    }
    Py_INCREF(Py_None);
    result = Py_None;
done:
    release(4, &table_keys, &table_values, &keys, &out_found);
    return result;
}

/* ------------------------------------------------------------- JSON tokens */

/* The first position of needle in [from, to), or -1. memchr looks for the
   needle's last byte (a key's ':', which a line holds once a key: its first
   byte, '"', is on every cell), then the rest is compared. */
static Py_ssize_t
find_bytes(const uint8_t *data, Py_ssize_t from, Py_ssize_t to, const uint8_t *needle, Py_ssize_t length)
{
    if (length < 1)
        return -1;
    uint8_t last = needle[length - 1];
    Py_ssize_t p = from + length - 1; /* where the last byte of a match can be */
    while (p < to) {
        const uint8_t *hit = memchr(data + p, last, (size_t)(to - p));
        if (hit == NULL)
            return -1;
        Py_ssize_t at = hit - data - (length - 1);
        if (memcmp(data + at, needle, (size_t)(length - 1)) == 0)
            return at;
        p = hit - data + 1;
    }
    return -1;
}

/* The end of the run of digits from k (at most q), and its length in *count. */
static Py_ssize_t
digits_from(const uint8_t *d, Py_ssize_t k, Py_ssize_t q, Py_ssize_t *count)
{
    Py_ssize_t start = k;
    while (k < q && is_digit(d[k]))
        k++;
    *count = k - start;
    return k;
}

/* The kind of the JSON value token [p, q): see json_tokens. */
static int8_t
token_kind(const uint8_t *d, Py_ssize_t p, Py_ssize_t q)
{
    Py_ssize_t length = q - p, digits, more;
    if (length == 4 && memcmp(d + p, "true", 4) == 0)
        return 2;
    if (length == 5 && memcmp(d + p, "false", 5) == 0)
        return 2;
    if (length == 4 && memcmp(d + p, "null", 4) == 0)
        return 3;
    Py_ssize_t k = (p < q && d[p] == '-') ? p + 1 : p;
    k = digits_from(d, k, q, &digits);
    if (digits == 0)
        return 7;
    int negative_zero = d[p] == '-' && digits == 1 && d[p + 1] == '0';
    if (k == q)
        return (digits <= 18 && !negative_zero) ? 4 : 7;
    int fraction = 0;
    if (d[k] == '.') {
        k = digits_from(d, k + 1, q, &more);
        if (more == 0)
            return 7;
        fraction = 1;
    }
    if (k < q && (d[k] == 'e' || d[k] == 'E')) {
        k++;
        if (k < q && (d[k] == '+' || d[k] == '-'))
            k++;
        k = digits_from(d, k, q, &more);
        if (more == 0)
            return 7;
        fraction = 1;
    }
    return (k == q && fraction) ? 5 : 7;
}

PyDoc_STRVAR(json_tokens_doc,
"json_tokens(offsets, data, needle, out_begin, out_end, out_kind)\n\n"
"Where the value of a key lies in each line (a flat JSON object; needle is the\n"
"key as JSON text followed by ':'), and what it is. out_begin/out_end (int64):\n"
"the value's bytes (a string's without its quotes, spaces around left out);\n"
"out_kind (int8): 0 the key is absent, 1 a string without backslash, 2 true or\n"
"false, 3 null, 4 an integer of at most 18 digits (not -0), 5 a number with a\n"
"fraction or an exponent, 6 a string holding a backslash, 7 anything else (NaN,\n"
"Infinity, a longer integer...), 8 the key twice on the line.");

static PyObject *
json_tokens(PyObject *self, PyObject *args)
{
    Py_buffer offsets, data, needle, out_begin, out_end, out_flag;
    if (!PyArg_ParseTuple(args, "y*y*y*w*w*w*", &offsets, &data, &needle, &out_begin, &out_end, &out_flag))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t n;
    if (get_layout(&offsets, &data, &n) < 0 || check_out(&out_begin, n, 8, "out_begin") < 0
        || check_out(&out_end, n, 8, "out_end") < 0 || check_out(&out_flag, n, 1, "out_kind") < 0)
        goto done;
    {
        const int32_t *off = (const int32_t *)offsets.buf;
        const uint8_t *d = (const uint8_t *)data.buf;
        const uint8_t *key = (const uint8_t *)needle.buf;
        Py_ssize_t length = needle.len;
        int64_t *begin = (int64_t *)out_begin.buf, *end = (int64_t *)out_end.buf;
        int8_t *flag = (int8_t *)out_flag.buf;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_ssize_t start = off[i], stop = off[i + 1];
            Py_ssize_t at = find_bytes(d, start, stop, key, length);
            begin[i] = end[i] = start;
            if (at < 0) {
                flag[i] = 0;
                continue;
            }
            if (find_bytes(d, at + length, stop, key, length) >= 0) {
                flag[i] = 8;
                continue;
            }
            Py_ssize_t p = at + length;
            while (p < stop && (d[p] == ' ' || d[p] == '\t' || d[p] == '\r' || d[p] == '\n'))
                p++;
            if (p < stop && d[p] == '"') {
                Py_ssize_t q = p + 1;
                while (q < stop && d[q] != '"' && d[q] != '\\')
                    q++;
                flag[i] = (q < stop && d[q] == '"') ? 1 : 6;
                begin[i] = p + 1;
                end[i] = q;
            } else {
                Py_ssize_t q = p;
                while (q < stop && d[q] != ',' && d[q] != '}')
                    q++;
                while (q > p && (d[q - 1] == ' ' || d[q - 1] == '\t' || d[q - 1] == '\r' || d[q - 1] == '\n'))
                    q--;
                flag[i] = token_kind(d, p, q);
                begin[i] = p;
                end[i] = q;
            }
        }
        Py_END_ALLOW_THREADS
    }
    Py_INCREF(Py_None);
    result = Py_None;
done:
    release(6, &offsets, &data, &needle, &out_begin, &out_end, &out_flag);
    return result;
}

/* ------------------------------------------------------------- module */

static PyMethodDef methods[] = {
    {"match_fixed", match_fixed, METH_VARARGS, match_fixed_doc},
    {"decimal", decimal, METH_VARARGS, decimal_doc},
    {"integer", integer, METH_VARARGS, integer_doc},
    {"layout", layout, METH_VARARGS, layout_doc},
    {"iso", iso, METH_VARARGS, iso_doc},
    {"string_hash", string_hash, METH_VARARGS, string_hash_doc},
    {"index_in", index_in, METH_VARARGS, index_in_doc},
    {"table_swap", table_swap, METH_VARARGS, table_swap_doc},
    {"table_get", table_get, METH_VARARGS, table_get_doc},
    {"json_tokens", json_tokens, METH_VARARGS, json_tokens_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_kernels",
    "Byte-level loops over Arrow string buffers (optional; numpy fallbacks in territoria).",
    -1, methods,
};

PyMODINIT_FUNC
PyInit__kernels(void)
{
    return PyModule_Create(&module);
}
