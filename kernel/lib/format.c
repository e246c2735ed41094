/*
 * format.c - the printf engine behind kprintf and snprintf.
 *
 * A conversion is read in two steps: parse_spec() reads the flags, width,
 * precision and length into a struct spec, then format_one() prints one
 * argument according to it. Numbers are converted into a small buffer,
 * least significant digit first, and padded on the way out.
 */
#include "lib/format.h"

#include "lib/string.h"

struct spec {
	bool left;	 /* '-': pad on the right */
	bool zero;	 /* '0': pad numbers with zeros */
	int width;	 /* minimum field width */
	int precision;	 /* maximum bytes of a %s, or -1 */
	int length;	 /* 0 = int, 1 = long, 2 = long long, 3 = size_t */
	char conversion; /* d i u x X p s c % */
};

struct out {
	format_sink_fn sink;
	void *arg;
	int count;
};

static void emit(struct out *o, char c)
{
	o->sink(c, o->arg);
	o->count++;
}

static void emit_padding(struct out *o, char pad, int n)
{
	while (n-- > 0)
		emit(o, pad);
}

/* Emits text of length len in a field of the spec's width. */
static void emit_field(struct out *o, const struct spec *s, const char *text,
		       int len)
{
	if (!s->left)
		emit_padding(o, ' ', s->width - len);
	for (int i = 0; i < len; i++)
		emit(o, text[i]);
	if (s->left)
		emit_padding(o, ' ', s->width - len);
}

/*
 * Emits a number already converted to digits (most significant first),
 * with an optional sign or prefix ("-" or "0x") that goes before any zero
 * padding: "-0042", not "00-42".
 */
static void emit_number(struct out *o, const struct spec *s, const char *prefix,
			const char *digits, int ndigits)
{
	int plen = (int)strlen(prefix);
	int pad = s->width - plen - ndigits;

	if (!s->left && !s->zero)
		emit_padding(o, ' ', pad);
	for (int i = 0; i < plen; i++)
		emit(o, prefix[i]);
	if (!s->left && s->zero)
		emit_padding(o, '0', pad);
	for (int i = 0; i < ndigits; i++)
		emit(o, digits[i]);
	if (s->left)
		emit_padding(o, ' ', pad);
}

/* Writes v in the given base into buf (at least 64 bytes); returns length. */
static int to_digits(uint64_t v, unsigned base, bool upper, char *buf)
{
	const char *alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char reversed[64];
	int n = 0;

	do {
		reversed[n++] = alphabet[v % base];
		v /= base;
	} while (v != 0);
	for (int i = 0; i < n; i++)
		buf[i] = reversed[n - 1 - i];
	return n;
}

static uint64_t take_unsigned(const struct spec *s, va_list *ap)
{
	switch (s->length) {
	case 0:
		return va_arg(*ap, unsigned int);
	case 1:
		return va_arg(*ap, unsigned long);
	case 2:
		return va_arg(*ap, unsigned long long);
	default:
		return va_arg(*ap, size_t);
	}
}

static int64_t take_signed(const struct spec *s, va_list *ap)
{
	switch (s->length) {
	case 0:
		return va_arg(*ap, int);
	case 1:
		return va_arg(*ap, long);
	case 2:
		return va_arg(*ap, long long);
	default:
		return (int64_t)va_arg(*ap, size_t);
	}
}

static void format_signed(struct out *o, const struct spec *s, va_list *ap)
{
	int64_t v = take_signed(s, ap);
	/* Negate in unsigned arithmetic: -INT64_MIN does not fit in int64_t. */
	uint64_t magnitude = v < 0 ? -(uint64_t)v : (uint64_t)v;
	char digits[64];
	int n = to_digits(magnitude, 10, false, digits);

	emit_number(o, s, v < 0 ? "-" : "", digits, n);
}

static void format_unsigned(struct out *o, const struct spec *s, va_list *ap)
{
	uint64_t v = take_unsigned(s, ap);
	bool hex = s->conversion == 'x' || s->conversion == 'X';
	char digits[64];
	int n = to_digits(v, hex ? 16 : 10, s->conversion == 'X', digits);

	emit_number(o, s, "", digits, n);
}

static void format_pointer(struct out *o, const struct spec *s, va_list *ap)
{
	uint64_t v = (uintptr_t)va_arg(*ap, void *);
	struct spec field = *s;
	char digits[16];

	/* Always 16 digits, so addresses line up in dumps; a width pads
	 * the whole "0x..." with spaces. */
	for (int i = 15; i >= 0; i--, v >>= 4)
		digits[i] = "0123456789abcdef"[v & 0xf];
	field.zero = false;
	emit_number(o, &field, "0x", digits, 16);
}

static void format_string(struct out *o, const struct spec *s, va_list *ap)
{
	const char *str = va_arg(*ap, const char *);
	int len;

	if (str == NULL)
		str = "(null)";
	len = s->precision >= 0 ? (int)strnlen(str, (size_t)s->precision)
				: (int)strlen(str);
	emit_field(o, s, str, len);
}

static void format_one(struct out *o, const struct spec *s, va_list *ap)
{
	char c;

	switch (s->conversion) {
	case 'd':
	case 'i':
		format_signed(o, s, ap);
		break;
	case 'u':
	case 'x':
	case 'X':
		format_unsigned(o, s, ap);
		break;
	case 'p':
		format_pointer(o, s, ap);
		break;
	case 's':
		format_string(o, s, ap);
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		emit_field(o, s, &c, 1);
		break;
	case '%':
		emit(o, '%');
		break;
	default:
		/* Unknown: show it as written, so the mistake is visible. */
		emit(o, '%');
		if (s->conversion)
			emit(o, s->conversion);
	}
}

static int parse_number(const char **p)
{
	int n = 0;

	while (**p >= '0' && **p <= '9')
		n = n * 10 + (*(*p)++ - '0');
	return n;
}

/* Reads one conversion spec after the '%'; leaves *p past it. */
static void parse_spec(const char **p, struct spec *s, va_list *ap)
{
	*s = (struct spec){.precision = -1};
	for (;; (*p)++) {
		if (**p == '-')
			s->left = true;
		else if (**p == '0')
			s->zero = true;
		else
			break;
	}
	if (**p == '*') {
		s->width = va_arg(*ap, int);
		(*p)++;
		if (s->width < 0) {
			s->left = true;
			s->width = -s->width;
		}
	} else {
		s->width = parse_number(p);
	}
	if (**p == '.') {
		(*p)++;
		if (**p == '*') {
			s->precision = va_arg(*ap, int);
			(*p)++;
		} else {
			s->precision = parse_number(p);
		}
	}
	for (; **p == 'l' && s->length < 2; (*p)++)
		s->length++;
	if (**p == 'z') {
		s->length = 3;
		(*p)++;
	}
	s->conversion = **p;
	if (**p)
		(*p)++;
}

int vformat(format_sink_fn sink, void *arg, const char *fmt, va_list ap)
{
	struct out o = {.sink = sink, .arg = arg};
	struct spec s;
	va_list args;

	/* Work on a copy, so helpers can take &args (va_list may be an array). */
	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			emit(&o, *fmt++);
			continue;
		}
		fmt++;
		parse_spec(&fmt, &s, &args);
		format_one(&o, &s, &args);
	}
	va_end(args);
	return o.count;
}

struct buffer {
	char *buf;
	size_t size;
	size_t used;
};

static void buffer_sink(char c, void *arg)
{
	struct buffer *b = arg;

	if (b->used + 1 < b->size)
		b->buf[b->used] = c;
	b->used++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buffer b = {.buf = buf, .size = size};
	int n = vformat(buffer_sink, &b, fmt, ap);

	if (size > 0)
		buf[b.used < size ? b.used : size - 1] = '\0';
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
