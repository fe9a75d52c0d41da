/* check_symbolize.c — the symbolizer (symbolize.h) on this very test
 * program, built with -g -O0: a process is put together by hand with the
 * test executable as its module (path, load bias, PT_LOAD segments and
 * build-id as the preload would record them), and stacks made of return
 * addresses captured inside known functions. Checked exactly: function and
 * mangled symbol, file, line (taken from __LINE__ at the call), module,
 * offset; an always_inline function expanded into its own frame plus its
 * caller's at the call line; a C++ name demangled; an address in no module;
 * a module whose file does not exist, or whose build-id does not match;
 * unknown stack ids; and the stack fingerprint, which ignores addresses.
 */
#include "unit.h"

#include <elf.h>
#include <link.h>

#include "process.h"
#include "symbolize.h"

/* ---- the code whose addresses are symbolized ------------------------------ */

enum { CAP_LEAF, CAP_INLINED, CAP_CXX, CAP_TWICE_A, CAP_TWICE_B, CAP_N };

static uint64_t ra[CAP_N];	 /* return addresses captured */
static unsigned line_of[CAP_N]; /* the line of the call that returns there */
static unsigned inl_call_line;	 /* where hs_symtest_inlined_body is called */

void hs_symtest_capture(int slot, int line);
void hs_symtest_cxx(int slot);
uintptr_t hs_symtest_cxx_function(void);

__attribute__((noinline)) void hs_symtest_capture(int slot, int line)
{
	ra[slot] = (uint64_t)(uintptr_t)__builtin_return_address(0);
	line_of[slot] = (unsigned)line;
}

__attribute__((noinline)) static void hs_symtest_leaf(void)
{
	hs_symtest_capture(CAP_LEAF, __LINE__);
}

static inline __attribute__((always_inline)) void hs_symtest_inlined_body(int call_line)
{
	inl_call_line = (unsigned)call_line;
	hs_symtest_capture(CAP_INLINED, __LINE__);
}

__attribute__((noinline)) static void hs_symtest_outer(void)
{
	hs_symtest_inlined_body(__LINE__);
}

__attribute__((noinline)) static void hs_symtest_twice(void)
{
	hs_symtest_capture(CAP_TWICE_A, __LINE__);
	hs_symtest_capture(CAP_TWICE_B, __LINE__);
}

static void capture_all(void)
{
	hs_symtest_leaf();
	hs_symtest_outer();
	hs_symtest_cxx(CAP_CXX);
	hs_symtest_twice();
	for (unsigned k = 0; k < CAP_N; k++) {
		ck_assert_uint_ne(ra[k], 0);
		ck_assert_uint_ne(line_of[k], 0);
	}
	ck_assert_uint_ne(inl_call_line, 0);
}

/* ---- the process, by hand ----------------------------------------------------- */

#define GHOST_BASE ((uint64_t)1 << 44)
#define GHOST_PATH "/nonexistent/heapscope-test/libghost.so"

/* the segment type of struct hs_module, whatever its name */
typedef __typeof__(*((struct hs_module *)0)->seg) seg_t;

static struct hs_process proc;
static char exe[4096];
static const char *exe_base;
static uint64_t exe_bias;

struct main_object {
	uint64_t bias;
	const ElfW(Phdr) * phdr;
	size_t n;
};

static int first_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	struct main_object *m = arg;
	m->bias = info->dlpi_addr;
	m->phdr = info->dlpi_phdr;
	m->n = info->dlpi_phnum;
	return 1; /* the first one is the program itself */
}

/* The GNU build-id note of the loaded program. */
static size_t build_id(const struct main_object *m, uint8_t *out, size_t cap)
{
	for (size_t i = 0; i < m->n; i++) {
		if (m->phdr[i].p_type != PT_NOTE)
			continue;
		const uint8_t *p = (const uint8_t *)(uintptr_t)(m->bias + m->phdr[i].p_vaddr);
		const uint8_t *end = p + m->phdr[i].p_filesz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *nh = (const void *)p;
			const uint8_t *name = p + sizeof *nh;
			const uint8_t *desc = name + ((nh->n_namesz + 3) & ~3u);
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && !memcmp(name, "GNU", 4) &&
			    nh->n_descsz <= cap) {
				memcpy(out, desc, nh->n_descsz);
				return nh->n_descsz;
			}
			p = desc + ((nh->n_descsz + 3) & ~3u);
		}
	}
	return 0;
}

static void set_module(struct hs_module *mod, const char *path, uint64_t base, const uint8_t *bid,
		       size_t bl, const seg_t *seg, unsigned nseg)
{
	memset(mod, 0, sizeof *mod);
	mod->path = strdup(path);
	mod->base = base;
	mod->build_id = malloc(bl ? bl : 1);
	memcpy(mod->build_id, bid, bl);
	mod->build_id_len = bl;
	mod->seg = calloc(nseg, sizeof *seg);
	memcpy(mod->seg, seg, nseg * sizeof *seg);
	mod->nseg = nseg;
	mod->lo = UINT64_MAX;
	mod->hi = 0;
	for (unsigned k = 0; k < nseg; k++) {
		uint64_t a = base + seg[k].vaddr;
		if (a < mod->lo)
			mod->lo = a;
		if (a + seg[k].memsz > mod->hi)
			mod->hi = a + seg[k].memsz;
	}
}

static void set_stack(uint32_t id, uint32_t map, const uint64_t *f, uint32_t n)
{
	ck_assert_uint_lt(id, proc.stackcap);
	proc.stacks[id].frames = malloc(n * sizeof *f);
	memcpy(proc.stacks[id].frames, f, n * sizeof *f);
	proc.stacks[id].n = n;
	proc.stacks[id].map = map;
	if (id >= proc.nstacks)
		proc.nstacks = id + 1;
}

enum { ST_MAIN = 1, ST_TWICE_A, ST_TWICE_B, ST_WRONG_BUILD_ID, ST_NO_MAP, ST_LEAF, ST_COUNT };

/* Modules: [0] this program, [1] a library whose file is gone, [2] this
 * program's file under a build-id it does not have. Map 0 holds [0] and
 * [1]; map 1 holds [2]. */
static void proc_setup(void)
{
	capture_all();
	ssize_t el = readlink("/proc/self/exe", exe, sizeof exe - 1);
	ck_assert_int_gt(el, 0);
	exe[el] = 0;
	exe_base = strrchr(exe, '/') + 1;
	struct main_object m = {0, NULL, 0};
	dl_iterate_phdr(first_object, &m);
	ck_assert_ptr_nonnull(m.phdr);
	exe_bias = m.bias;
	seg_t seg[16];
	unsigned nseg = 0;
	for (size_t i = 0; i < m.n && nseg < 16; i++)
		if (m.phdr[i].p_type == PT_LOAD)
			seg[nseg++] = (seg_t){m.phdr[i].p_vaddr, m.phdr[i].p_memsz, m.phdr[i].p_flags};
	ck_assert_uint_ge(nseg, 1);
	uint8_t bid[64];
	size_t bl = build_id(&m, bid, sizeof bid);
	ck_assert_uint_ge(bl, 8); /* the toolchain adds one: the check below relies on it */

	memset(&proc, 0, sizeof proc);
	proc.path = "(by hand)";
	proc.has_info = 1;
	proc.modules = calloc(3, sizeof *proc.modules);
	proc.nmodules = proc.modcap = 3;
	set_module(&proc.modules[0], exe, m.bias, bid, bl, seg, nseg);
	seg_t gseg[2] = {{0, 0x10000, PF_R | PF_X}, {0x20000, 0x1000, PF_R | PF_W}};
	static const uint8_t gbid[4] = {1, 2, 3, 4};
	set_module(&proc.modules[1], GHOST_PATH, GHOST_BASE, gbid, sizeof gbid, gseg, 2);
	uint8_t wrong[64];
	memcpy(wrong, bid, bl);
	wrong[0] ^= 0xff;
	set_module(&proc.modules[2], exe, m.bias, wrong, bl, seg, nseg);
	proc.maps = calloc(2, sizeof *proc.maps);
	proc.nmaps = proc.mapcap = 2;
	proc.maps[0].mods = calloc(2, sizeof(uint32_t));
	proc.maps[0].mods[0] = 0;
	proc.maps[0].mods[1] = 1;
	proc.maps[0].n = 2;
	proc.maps[1].mods = calloc(1, sizeof(uint32_t));
	proc.maps[1].mods[0] = 2;
	proc.maps[1].n = 1;
	proc.stackcap = ST_COUNT;
	proc.stacks = calloc(ST_COUNT, sizeof *proc.stacks);
	proc.sites = calloc(ST_COUNT, sizeof *proc.sites);
	for (unsigned k = 0; k < ST_COUNT; k++)
		proc.stacks[k].map = UINT32_MAX;
	proc.nstacks = 1;
	const uint64_t main_stack[] = {ra[CAP_LEAF], ra[CAP_INLINED], 0x10, GHOST_BASE + 0x1234, ra[CAP_CXX]};
	set_stack(ST_MAIN, 0, main_stack, 5);
	set_stack(ST_TWICE_A, 0, &ra[CAP_TWICE_A], 1);
	set_stack(ST_TWICE_B, 0, &ra[CAP_TWICE_B], 1);
	set_stack(ST_WRONG_BUILD_ID, 1, &ra[CAP_LEAF], 1);
	set_stack(ST_NO_MAP, UINT32_MAX, &ra[CAP_LEAF], 1);
	set_stack(ST_LEAF, 0, &ra[CAP_LEAF], 1);
	hs_livemap_init(&proc.live);
}

static void proc_teardown(void)
{
	hs_process_free(&proc);
}

/* ---- checks -------------------------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;
	return s ? s + 1 : path;
}

static void assert_in_exe(const struct hs_frame *f, uint64_t address)
{
	ck_assert_uint_eq(f->address, address);
	ck_assert_pstr_eq(f->module, exe_base);
	ck_assert_pstr_eq(f->module_path, exe);
}

static void assert_nothing_known(const struct hs_frame *f)
{
	ck_assert_ptr_null(f->function);
	ck_assert_ptr_null(f->symbol);
	ck_assert_ptr_null(f->file);
	ck_assert_uint_eq(f->line, 0);
	ck_assert_int_eq(f->inlined, 0);
}

START_TEST(test_main_stack)
{
	struct hs_symbolizer *s = hs_symbolizer_new(&proc);
	ck_assert_ptr_nonnull(s);
	const struct hs_frame *f = NULL;
	size_t n = hs_symbolize_stack(s, ST_MAIN, &f);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(n, 6);

	/* a plain function */
	assert_in_exe(&f[0], ra[CAP_LEAF]);
	ck_assert_pstr_eq(f[0].function, "hs_symtest_leaf");
	ck_assert_pstr_eq(f[0].symbol, "hs_symtest_leaf");
	ck_assert_pstr_eq(base_name(f[0].file), "check_symbolize.c");
	ck_assert_uint_eq(f[0].line, line_of[CAP_LEAF]);
	ck_assert_int_eq(f[0].inlined, 0);
	ck_assert_uint_eq(f[0].offset, ra[CAP_LEAF] - (uint64_t)(uintptr_t)&hs_symtest_leaf);

	/* an inlined body, then the function it was inlined into */
	assert_in_exe(&f[1], ra[CAP_INLINED]);
	ck_assert_pstr_eq(f[1].function, "hs_symtest_inlined_body");
	ck_assert_pstr_eq(base_name(f[1].file), "check_symbolize.c");
	ck_assert_uint_eq(f[1].line, line_of[CAP_INLINED]);
	ck_assert_int_eq(f[1].inlined, 1);
	assert_in_exe(&f[2], ra[CAP_INLINED]);
	ck_assert_pstr_eq(f[2].function, "hs_symtest_outer");
	ck_assert_pstr_eq(f[2].symbol, "hs_symtest_outer");
	ck_assert_pstr_eq(base_name(f[2].file), "check_symbolize.c");
	ck_assert_uint_eq(f[2].line, inl_call_line);
	ck_assert_int_eq(f[2].inlined, 0);
	ck_assert_uint_eq(f[2].offset, ra[CAP_INLINED] - (uint64_t)(uintptr_t)&hs_symtest_outer);

	/* in no module at all */
	ck_assert_uint_eq(f[3].address, 0x10);
	assert_nothing_known(&f[3]);
	ck_assert_ptr_null(f[3].module);
	ck_assert_ptr_null(f[3].module_path);
	ck_assert_uint_eq(f[3].offset, 0);

	/* in a module whose file does not exist: module + offset */
	ck_assert_uint_eq(f[4].address, GHOST_BASE + 0x1234);
	assert_nothing_known(&f[4]);
	ck_assert_pstr_eq(f[4].module, "libghost.so");
	ck_assert_pstr_eq(f[4].module_path, GHOST_PATH);
	ck_assert_uint_eq(f[4].offset, 0x1234);

	/* C++: demangled, the mangled symbol kept for suppressions */
	assert_in_exe(&f[5], ra[CAP_CXX]);
	ck_assert_pstr_eq(f[5].function, "hs_symtest::Widget::poke(int)");
	ck_assert_pstr_eq(f[5].symbol, "_ZN10hs_symtest6Widget4pokeEi");
	ck_assert_pstr_eq(base_name(f[5].file), "check_symbolize_cxx.cc");
	ck_assert_uint_eq(f[5].line, line_of[CAP_CXX]);
	ck_assert_int_eq(f[5].inlined, 0);
	ck_assert_uint_eq(f[5].offset, ra[CAP_CXX] - (uint64_t)hs_symtest_cxx_function());

	/* file names are the full paths the compiler saw */
	ck_assert_str_eq(f[0].file, __FILE__);
	hs_symbolizer_free(s);
}
END_TEST

START_TEST(test_cache_and_maps)
{
	struct hs_symbolizer *s = hs_symbolizer_new(&proc);
	const struct hs_frame *f;
	/* the same address under a map whose module fails its build-id check */
	ck_assert_uint_eq(hs_symbolize_stack(s, ST_WRONG_BUILD_ID, &f), 1);
	assert_in_exe(&f[0], ra[CAP_LEAF]);
	assert_nothing_known(&f[0]);
	ck_assert_uint_eq(f[0].offset, ra[CAP_LEAF] - exe_bias);
	/* and under no map */
	ck_assert_uint_eq(hs_symbolize_stack(s, ST_NO_MAP, &f), 1);
	ck_assert_uint_eq(f[0].address, ra[CAP_LEAF]);
	assert_nothing_known(&f[0]);
	ck_assert_ptr_null(f[0].module);
	/* the good map still resolves it: cached per (map, address) */
	ck_assert_uint_eq(hs_symbolize_stack(s, ST_LEAF, &f), 1);
	ck_assert_pstr_eq(f[0].function, "hs_symtest_leaf");
	ck_assert_uint_eq(f[0].line, line_of[CAP_LEAF]);
	const char *fn = f[0].function, *file = f[0].file;
	/* asked again: the same answer, from the cache */
	ck_assert_uint_eq(hs_symbolize_stack(s, ST_MAIN, &f), 6);
	ck_assert_ptr_eq(f[0].function, fn);
	ck_assert_ptr_eq(f[0].file, file);
	ck_assert_uint_eq(hs_symbolize_stack(s, ST_WRONG_BUILD_ID, &f), 1);
	ck_assert_ptr_null(f[0].function);
	ck_assert_uint_eq(hs_symbolize_stack(s, ST_LEAF, &f), 1);
	ck_assert_ptr_eq(f[0].function, fn);
	hs_symbolizer_free(s);
}
END_TEST

START_TEST(test_unknown_ids)
{
	struct hs_symbolizer *s = hs_symbolizer_new(&proc);
	const struct hs_frame *f = (const void *)1;
	ck_assert_uint_eq(hs_symbolize_stack(s, 0, &f), 0);
	ck_assert_ptr_null(f);
	f = (const void *)1;
	ck_assert_uint_eq(hs_symbolize_stack(s, ST_COUNT, &f), 0);
	ck_assert_ptr_null(f);
	f = (const void *)1;
	ck_assert_uint_eq(hs_symbolize_stack(s, UINT32_MAX, &f), 0);
	ck_assert_ptr_null(f);
	hs_symbolizer_free(s);
}
END_TEST

START_TEST(test_fingerprint_symbolized)
{
	struct hs_symbolizer *s = hs_symbolizer_new(&proc);
	const struct hs_frame *f;
	char a[9], b[9], c[9], again[9];
	/* two addresses in one function (different lines): one identity */
	ck_assert_uint_eq(hs_symbolize_stack(s, ST_TWICE_A, &f), 1);
	ck_assert_pstr_eq(f[0].function, "hs_symtest_twice");
	ck_assert_uint_eq(f[0].line, line_of[CAP_TWICE_A]);
	hs_stack_fingerprint(f, 1, a);
	ck_assert_uint_eq(hs_symbolize_stack(s, ST_TWICE_B, &f), 1);
	ck_assert_pstr_eq(f[0].function, "hs_symtest_twice");
	ck_assert_uint_eq(f[0].line, line_of[CAP_TWICE_B]);
	ck_assert_uint_ne(ra[CAP_TWICE_A], ra[CAP_TWICE_B]);
	ck_assert_uint_ne(line_of[CAP_TWICE_A], line_of[CAP_TWICE_B]);
	hs_stack_fingerprint(f, 1, b);
	ck_assert_str_eq(a, b);
	ck_assert_uint_eq(strlen(a), 8);
	ck_assert_uint_eq(strspn(a, "0123456789abcdef"), 8);
	/* another function: another identity */
	ck_assert_uint_eq(hs_symbolize_stack(s, ST_LEAF, &f), 1);
	hs_stack_fingerprint(f, 1, c);
	ck_assert_str_ne(a, c);
	/* stable */
	ck_assert_uint_eq(hs_symbolize_stack(s, ST_TWICE_A, &f), 1);
	hs_stack_fingerprint(f, 1, again);
	ck_assert_str_eq(again, a);
	hs_symbolizer_free(s);
}
END_TEST

static struct hs_frame frame(const char *module, const char *function, uint64_t address)
{
	struct hs_frame f;
	memset(&f, 0, sizeof f);
	f.module = module;
	f.function = function;
	f.address = address;
	return f;
}

START_TEST(test_fingerprint_by_hand)
{
	char x[9], y[9], z[9];
	struct hs_frame one[2] = {frame("prog", "leak_here", 0x401136), frame("prog", "main", 0x401200)};
	struct hs_frame two[2] = {frame("prog", "leak_here", 0x55555555a136), frame("prog", "main", 0x7)};
	/* nothing but module base names and function names count */
	two[0].file = "/elsewhere/leak.c";
	two[0].line = 99;
	two[0].symbol = "other";
	two[0].module_path = "/another/path/prog";
	two[0].offset = 1234;
	two[1].inlined = 1;
	hs_stack_fingerprint(one, 2, x);
	hs_stack_fingerprint(two, 2, y);
	ck_assert_str_eq(x, y);
	/* ids in users' baselines depend on these exact values */
	ck_assert_str_eq(x, "f4a2187c");
	hs_stack_fingerprint(one, 0, x);
	ck_assert_str_eq(x, "811c9dc5");
	/* frames without a function name: by their offset in the module,
	 * not their address (ASLR) */
	struct hs_frame u1 = frame("cc1", NULL, 0x55555555a136), u2 = frame("cc1", NULL, 0x7f0000001136),
			u3 = frame("cc1", NULL, 0x55555555a136);
	u1.offset = u2.offset = 0x1136;
	u3.offset = 0x2136;
	hs_stack_fingerprint(&u1, 1, x);
	hs_stack_fingerprint(&u2, 1, y);
	hs_stack_fingerprint(&u3, 1, z);
	ck_assert_str_eq(x, y);
	ck_assert_str_ne(x, z);
	/* no module either: nothing stable to tell them apart */
	u1.module = u3.module = NULL;
	hs_stack_fingerprint(&u1, 1, x);
	hs_stack_fingerprint(&u3, 1, z);
	ck_assert_str_eq(x, z);
	/* order, module and the module/function boundary all count */
	struct hs_frame swapped[2] = {one[1], one[0]};
	hs_stack_fingerprint(one, 2, x);
	hs_stack_fingerprint(swapped, 2, y);
	ck_assert_str_ne(x, y);
	struct hs_frame m1 = frame("ab", "c", 0), m2 = frame("a", "bc", 0), m3 = frame("other", "c", 0);
	hs_stack_fingerprint(&m1, 1, x);
	hs_stack_fingerprint(&m2, 1, y);
	hs_stack_fingerprint(&m3, 1, z);
	ck_assert_str_ne(x, y);
	ck_assert_str_ne(x, z);
	/* a prefix is another stack */
	hs_stack_fingerprint(one, 1, x);
	hs_stack_fingerprint(one, 2, y);
	ck_assert_str_ne(x, y);
	/* unknown names do not crash and stay distinct from known ones */
	struct hs_frame unk = frame(NULL, NULL, 0x10);
	hs_stack_fingerprint(&unk, 1, x);
	hs_stack_fingerprint(&one[0], 1, y);
	ck_assert_str_ne(x, y);
	ck_assert_uint_eq(strlen(x), 8);
}
END_TEST

static Suite *symbolize_suite(void)
{
	Suite *s = suite_create("symbolize");
	TCase *tc = unit_tcase("symbolize", 0);
	tcase_add_checked_fixture(tc, proc_setup, proc_teardown);
	tcase_add_test(tc, test_main_stack);
	tcase_add_test(tc, test_cache_and_maps);
	tcase_add_test(tc, test_unknown_ids);
	tcase_add_test(tc, test_fingerprint_symbolized);
	suite_add_tcase(s, tc);
	tc = unit_tcase("fingerprint", 0);
	tcase_add_test(tc, test_fingerprint_by_hand);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	(void)argc;
	return unit_run(symbolize_suite(), argv);
}
