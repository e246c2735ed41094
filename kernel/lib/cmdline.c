/*
 * cmdline.c - splitting a command line into key=value words.
 */
#include "lib/cmdline.h"

#include "lib/errno.h"
#include "lib/string.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Splits one NUL-terminated word "key=value" and records it. */
static int add_word(struct cmdline *cl, char *word)
{
	char *eq = strchr(word, '=');

	if (eq == NULL) {
		cl->error = "a word without '=' (expected key=value)";
		return -EINVAL;
	}
	if (eq == word) {
		cl->error = "a word with an empty key";
		return -EINVAL;
	}
	if (cl->count == CMDLINE_MAX_ARGS) {
		cl->error = "too many words";
		return -E2BIG;
	}
	*eq = '\0';
	if (cmdline_get(cl, word) != NULL) {
		cl->error = "a key given twice";
		return -EINVAL;
	}
	cl->args[cl->count++] = (struct cmdline_arg){word, eq + 1};
	return 0;
}

int cmdline_parse(struct cmdline *cl, const char *line)
{
	char *p = cl->text;

	cl->count = 0;
	cl->error = NULL;
	if (strlcpy(cl->text, line, sizeof(cl->text)) >= sizeof(cl->text)) {
		cl->error = "the command line is too long";
		return -E2BIG;
	}
	for (;;) {
		char *word;
		int err;

		while (is_space(*p))
			p++;
		if (*p == '\0')
			return 0;
		word = p;
		while (*p && !is_space(*p))
			p++;
		if (*p)
			*p++ = '\0';
		err = add_word(cl, word);
		if (err < 0)
			return err;
	}
}

const char *cmdline_get(const struct cmdline *cl, const char *key)
{
	for (int i = 0; i < cl->count; i++)
		if (strcmp(cl->args[i].key, key) == 0)
			return cl->args[i].value;
	return NULL;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

int parse_u64(const char *s, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return -EINVAL;
	for (; *s; s++) {
		unsigned d = (unsigned)digit_value(*s);

		if (d >= base || v > (UINT64_MAX - d) / base)
			return -EINVAL;
		v = v * base + d;
	}
	*out = v;
	return 0;
}
