/* symbolize.c — offline symbolization with libdw (elfutils).
 *
 * Each module of the trace gets its own Dwfl, reporting the file at the
 * recorded load address (so the map of every point in the trace, including
 * libraries unloaded since, can be resolved). The file's build-id is checked
 * against the recorded one: a rebuilt or replaced file is not trusted, and
 * its frames fall back to module+offset. Per address: the ELF symbol
 * (demangled), the line table, and the chain of DW_TAG_inlined_subroutine
 * scopes around it — innermost first, each outer frame's line being the
 * call site recorded in the inlined DIE below it.
 *
 * Return addresses point after the call: lookups use address - 1.
 */
#define _GNU_SOURCE
#include "symbolize.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *__cxa_demangle(const char *mangled, char *out, size_t *len, int *status);

/* A compile unit's address range (relative to the module's bias). */
struct cu_range {
	Dwarf_Addr lo, hi;
	Dwarf_Die cu;
};

struct modsym {
	Dwfl *dwfl;
	Dwfl_Module *dm;
	int tried;
	int usable;
	const char *base; /* base name of the path */
	/* for a module without .debug_aranges: its units' ranges by address,
	 * made at its first address libdw's lookup missed */
	struct cu_range *cur;
	size_t ncur;
	int cur_made;
	Dwarf_Addr cur_bias;
};

/* Cached result for one address: frames[0..n). */
struct addr_entry {
	uint64_t addr;
	uint32_t map;
	uint32_t n;
	struct hs_frame *frames;
};

struct hs_symbolizer {
	struct hs_process *p;
	struct modsym *mods;
	struct addr_entry *table;
	size_t cap, count;
	struct hs_frame *out;
	size_t outcap;
	char **strings; /* every string we own */
	size_t nstrings, strcap;
};

static char *debuginfo_path;
static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &debuginfo_path,
};

static const char *keep(struct hs_symbolizer *s, char *str)
{
	if (!str)
		return NULL;
	if (s->nstrings == s->strcap) {
		size_t nc = s->strcap ? s->strcap * 2 : 256;
		char **ns = realloc(s->strings, nc * sizeof *ns);
		if (!ns) {
			free(str);
			return NULL;
		}
		s->strings = ns;
		s->strcap = nc;
	}
	s->strings[s->nstrings++] = str;
	return str;
}

static const char *keep_dup(struct hs_symbolizer *s, const char *str)
{
	return str ? keep(s, strdup(str)) : NULL;
}

static const char *demangled(struct hs_symbolizer *s, const char *name)
{
	if (!name)
		return NULL;
	if (name[0] == '_' && name[1] == 'Z') {
		int status = -1;
		char *d = __cxa_demangle(name, NULL, NULL, &status);
		if (status == 0 && d)
			return keep(s, d);
		free(d);
	}
	return keep_dup(s, name);
}

struct hs_symbolizer *hs_symbolizer_new(struct hs_process *p)
{
	struct hs_symbolizer *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->p = p;
	s->mods = calloc(p->nmodules ? p->nmodules : 1, sizeof *s->mods);
	if (!s->mods) {
		free(s);
		return NULL;
	}
	/* debuginfod is a network fetch: only when the user asks for it. */
	if (!getenv("HEAPSCOPE_DEBUGINFOD"))
		unsetenv("DEBUGINFOD_URLS");
	return s;
}

void hs_symbolizer_free(struct hs_symbolizer *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->p->nmodules; i++) {
		if (s->mods[i].dwfl)
			dwfl_end(s->mods[i].dwfl);
		free(s->mods[i].cur);
	}
	for (size_t i = 0; i < s->cap; i++)
		free(s->table[i].frames);
	for (size_t i = 0; i < s->nstrings; i++)
		free(s->strings[i]);
	free(s->strings);
	free(s->table);
	free(s->mods);
	free(s->out);
	free(s);
}

/* Are the file's loadable segments (address, size) the ones the trace
 * recorded for it? */
static int same_segments(Dwfl_Module *dm, const struct hs_module *m)
{
	GElf_Addr bias;
	Elf *elf = dwfl_module_getelf(dm, &bias);
	size_t phnum;
	if (!elf || elf_getphdrnum(elf, &phnum) != 0)
		return 1; /* nothing to compare: trusted as before */
	unsigned k = 0;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (k >= m->nseg || m->seg[k].vaddr != ph.p_vaddr || m->seg[k].memsz != ph.p_memsz)
			return 0;
		k++;
	}
	return k == m->nseg;
}

static struct modsym *module_sym(struct hs_symbolizer *s, struct hs_module *m)
{
	struct modsym *ms = &s->mods[m - s->p->modules];
	if (ms->tried)
		return ms;
	ms->tried = 1;
	const char *slash = strrchr(m->path, '/');
	ms->base = slash ? slash + 1 : m->path;
	ms->dwfl = dwfl_begin(&callbacks);
	if (!ms->dwfl)
		return ms;
	dwfl_report_begin(ms->dwfl);
	/* m->base is the load bias (dlpi_addr): libdwfl adds the first
	 * segment's p_vaddr itself when told to (a library linked to load at
	 * 0x10000000 was looked up 0x10000000 off) */
	ms->dm = dwfl_report_elf(ms->dwfl, ms->base, m->path, -1, m->base, true);
	dwfl_report_end(ms->dwfl, NULL, NULL);
	if (!ms->dm)
		return ms;
	const char *changed = NULL;
	if (m->build_id_len) {
		const unsigned char *bits;
		GElf_Addr vaddr;
		int len = dwfl_module_build_id(ms->dm, &bits, &vaddr);
		if (len != (int)m->build_id_len || memcmp(bits, m->build_id, m->build_id_len) != 0)
			changed = "its build-id differs";
	} else if (!same_segments(ms->dm, m)) {
		/* no build-id to tell: the loadable segments recorded must be the
		 * file's (a program rebuilt since gave other functions' names) */
		changed = "its segments differ";
	}
	if (changed) {
		fprintf(stderr, "heapscope: %s is not the file the trace was recorded with (%s): its frames are "
				"shown by address\n", m->path, changed);
		return ms;
	}
	ms->usable = 1;
	return ms;
}

/* The DIE's demangled name; *raw gets the linkage (mangled) name. */
static const char *die_name(struct hs_symbolizer *s, Dwarf_Die *die, const char **raw)
{
	Dwarf_Attribute a;
	const char *link = NULL;
	if (dwarf_attr_integrate(die, DW_AT_linkage_name, &a) ||
	    dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &a))
		link = dwarf_formstring(&a);
	if (link) {
		*raw = keep_dup(s, link);
		return demangled(s, link);
	}
	*raw = keep_dup(s, dwarf_diename(die));
	return *raw;
}

static const char *call_file(struct hs_symbolizer *s, Dwarf_Die *cu, Dwarf_Die *inl, unsigned *line)
{
	Dwarf_Attribute a;
	Dwarf_Word fileidx = 0, ln = 0;
	*line = 0;
	if (dwarf_formudata(dwarf_attr(inl, DW_AT_call_line, &a), &ln) == 0)
		*line = (unsigned)ln;
	if (dwarf_formudata(dwarf_attr(inl, DW_AT_call_file, &a), &fileidx) != 0)
		return NULL;
	Dwarf_Files *files;
	size_t nfiles;
	if (dwarf_getsrcfiles(cu, &files, &nfiles) != 0 || fileidx >= nfiles)
		return NULL;
	return keep_dup(s, dwarf_filesrc(files, fileidx, NULL, NULL));
}

static void push(struct hs_frame **v, size_t *n, size_t *cap, const struct hs_frame *f)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		struct hs_frame *nv = realloc(*v, nc * sizeof *nv);
		if (!nv)
			return;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = *f;
}

static int range_order(const void *a, const void *b)
{
	const struct cu_range *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Every unit's ranges, sorted: walked once per module, not once per
 * address (a clang-built program's thousands of units, for each address
 * of code without debug information). */
static void make_cu_ranges(struct modsym *ms)
{
	size_t cap = 0;
	ms->cur_made = 1;
	Dwarf_Die *cu = NULL;
	while ((cu = dwfl_module_nextcu(ms->dm, cu, &ms->cur_bias)) != NULL) {
		Dwarf_Addr base, lo, hi;
		for (ptrdiff_t off = 0; (off = dwarf_ranges(cu, off, &base, &lo, &hi)) > 0;) {
			if (ms->ncur == cap) {
				size_t nc = cap ? cap * 2 : 64;
				struct cu_range *v = realloc(ms->cur, nc * sizeof *v);
				if (!v)
					break;
				ms->cur = v;
				cap = nc;
			}
			ms->cur[ms->ncur++] = (struct cu_range){lo, hi, *cu};
		}
	}
	if (ms->ncur)
		qsort(ms->cur, ms->ncur, sizeof *ms->cur, range_order);
}

/* The compile unit whose ranges hold pc (relative to the module's bias):
 * for objects without .debug_aranges (clang emits none by default), where
 * libdw's lookup by address finds nothing. Units do not overlap: the one
 * starting last at or below pc is the only candidate. */
static Dwarf_Die *cu_by_range(struct modsym *ms, Dwarf_Addr pc, Dwarf_Addr *bias)
{
	if (!ms->cur_made)
		make_cu_ranges(ms);
	*bias = ms->cur_bias;
	Dwarf_Addr a = pc - ms->cur_bias;
	size_t lo = 0, hi = ms->ncur; /* the first range starting above a */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ms->cur[mid].lo <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && a < ms->cur[lo - 1].hi ? &ms->cur[lo - 1].cu : NULL;
}

/* A symbol's name as the function's: without its version
 * ("__libc_start_main@@GLIBC_2.34": the binding's, not the name) and
 * without the suffix of a compiler-made clone or alias (f.cold,
 * f.constprop.0, f.part.0, f.isra.0, f.localalias: the source's f, as
 * addr2line and gdb name it). */
static const char *plain_symbol(struct hs_symbolizer *s, const char *name)
{
	if (!name || !name[0])
		return name;
	size_t n = strcspn(name + 1, "@.") + 1;
	if (!name[n])
		return name;
	char *cut = strndup(name, n);
	return cut ? keep(s, cut) : name;
}

/* Resolve one address into 1+ frames. */
static struct hs_frame *resolve(struct hs_symbolizer *s, uint32_t map, uint64_t ip, uint32_t *count)
{
	struct hs_frame *v = NULL;
	size_t n = 0, cap = 0;
	struct hs_frame f = {.address = ip};
	struct hs_module *m = hs_process_module_at(s->p, map, ip);
	struct modsym *ms = m ? module_sym(s, m) : NULL;
	if (!ms || !ms->usable) {
		if (m) {
			f.module = ms->base;
			f.module_path = m->path;
			f.offset = ip - m->base;
		}
		push(&v, &n, &cap, &f);
		*count = (uint32_t)n;
		return v;
	}
	Dwarf_Addr pc = ip - 1;
	f.module = ms->base;
	f.module_path = m->path;
	GElf_Off off = 0;
	GElf_Sym sym;
	const char *symname = plain_symbol(s, dwfl_module_addrinfo(ms->dm, pc, &off, &sym, NULL, NULL, NULL));
	const char *outer_name = demangled(s, symname);
	const char *outer_raw = keep_dup(s, symname);
	uint64_t outer_off = symname ? off + 1 : ip - m->base;
	Dwfl_Line *line = dwfl_module_getsrc(ms->dm, pc);
	const char *file = NULL;
	int lineno = 0;
	if (line)
		file = keep_dup(s, dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL));

	Dwarf_Addr bias = 0;
	Dwarf_Die *cu = dwfl_module_addrdie(ms->dm, pc, &bias);
	if (!cu && (cu = cu_by_range(ms, pc, &bias)) != NULL && !file) {
		/* and no line table lookup either: the unit's own */
		Dwarf_Line *l = dwarf_getsrc_die(cu, pc - bias);
		if (l) {
			file = keep_dup(s, dwarf_linesrc(l, NULL, NULL));
			dwarf_lineno(l, &lineno);
		}
	}
	Dwarf_Die *scopes = NULL;
	int ns = cu ? dwarf_getscopes(cu, pc - bias, &scopes) : 0;
	if (cu && ns <= 0) {
		/* pc is in no scope of the unit libdw picked (code without debug
		 * information next to it, as crt1's _start after main): its line
		 * table's last row is not this code's line */
		file = NULL;
		lineno = 0;
	}
	int inl = -1;
	for (int i = 0; i < ns; i++)
		if (dwarf_tag(&scopes[i]) == DW_TAG_inlined_subroutine) {
			inl = i;
			break;
		}
	if (inl >= 0) {
		/* innermost inlined body: its own name, the line table's line */
		Dwarf_Die *chain = NULL;
		int nc = dwarf_getscopes_die(&scopes[inl], &chain);
		const char *cur_file = file;
		unsigned cur_line = (unsigned)lineno;
		for (int i = 0; i < nc; i++) {
			int tag = dwarf_tag(&chain[i]);
			if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
				continue;
			struct hs_frame g = f;
			g.file = cur_file;
			g.line = cur_line;
			if (tag == DW_TAG_inlined_subroutine) {
				g.function = die_name(s, &chain[i], &g.symbol);
				g.inlined = 1;
				g.offset = 0;
				push(&v, &n, &cap, &g);
				cur_file = call_file(s, cu, &chain[i], &cur_line);
			} else {
				g.symbol = outer_raw;
				g.function = outer_name ? outer_name : die_name(s, &chain[i], &g.symbol);
				g.offset = outer_off;
				push(&v, &n, &cap, &g);
				break;
			}
		}
		free(chain);
	}
	/* not inlined, and no symbol (a static function's is gone with
	 * -Wl,-x): the function the debug information says */
	const char *dw_name = NULL, *dw_raw = NULL;
	for (int i = 0; n == 0 && !symname && i < ns && !dw_name; i++)
		if (dwarf_tag(&scopes[i]) == DW_TAG_subprogram)
			dw_name = die_name(s, &scopes[i], &dw_raw);
	free(scopes);
	if (n == 0) {
		f.function = dw_name ? dw_name : outer_name;
		f.symbol = dw_name ? dw_raw : outer_raw;
		f.offset = outer_off;
		f.file = file;
		f.line = (unsigned)lineno;
		push(&v, &n, &cap, &f);
	}
	*count = (uint32_t)n;
	return v;
}

static size_t slot_of(uint64_t ip, uint32_t map, size_t cap)
{
	uint64_t h = (ip ^ ((uint64_t)map << 48)) * 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 24) & (cap - 1);
}

static struct addr_entry *lookup(struct hs_symbolizer *s, uint32_t map, uint64_t ip)
{
	if ((s->count + 1) * 2 > s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 1024;
		struct addr_entry *nt = calloc(nc, sizeof *nt);
		if (!nt)
			return NULL;
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->table[i].frames)
				continue;
			size_t j = slot_of(s->table[i].addr, s->table[i].map, nc);
			while (nt[j].frames)
				j = (j + 1) & (nc - 1);
			nt[j] = s->table[i];
		}
		free(s->table);
		s->table = nt;
		s->cap = nc;
	}
	size_t i = slot_of(ip, map, s->cap);
	while (s->table[i].frames) {
		if (s->table[i].addr == ip && s->table[i].map == map)
			return &s->table[i];
		i = (i + 1) & (s->cap - 1);
	}
	struct addr_entry *e = &s->table[i];
	e->frames = resolve(s, map, ip, &e->n);
	if (!e->frames)
		return NULL;
	e->addr = ip;
	e->map = map;
	s->count++;
	return e;
}

size_t hs_symbolize_stack(struct hs_symbolizer *s, uint32_t id, const struct hs_frame **out)
{
	*out = NULL;
	if (id == 0 || id >= s->p->nstacks || !s->p->stacks[id].frames)
		return 0;
	const struct hs_stack *st = &s->p->stacks[id];
	return hs_symbolize_frames(s, st->map, st->frames, st->n, out);
}

size_t hs_symbolize_frames(struct hs_symbolizer *s, uint32_t map, const uint64_t *frames, uint32_t count,
			   const struct hs_frame **out)
{
	size_t n = 0;
	for (uint32_t i = 0; i < count; i++) {
		struct addr_entry *e = lookup(s, map, frames[i]);
		if (!e)
			continue;
		for (uint32_t k = 0; k < e->n; k++)
			push(&s->out, &n, &s->outcap, &e->frames[k]);
	}
	*out = s->out;
	return n;
}

void hs_stack_fingerprint(const struct hs_frame *f, size_t n, char out[9])
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		/* A frame without a function name (a stripped binary's static
		 * function) is known by its offset in the module instead: as
		 * stable across runs, and two such sites stay two ids. */
		char unnamed[24] = "?";
		if (!f[i].function && f[i].module)
			snprintf(unnamed, sizeof unnamed, "?+%llx", (unsigned long long)f[i].offset);
		const char *parts[2] = {f[i].module ? f[i].module : "?", f[i].function ? f[i].function : unnamed};
		for (int k = 0; k < 2; k++) {
			for (const char *c = parts[k]; *c; c++) {
				h ^= (uint8_t)*c;
				h *= 16777619u;
			}
			h ^= (uint8_t)(k ? '\n' : '!');
			h *= 16777619u;
		}
	}
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 8; i++)
		out[i] = hex[(h >> (28 - 4 * i)) & 0xf];
	out[8] = 0;
}
