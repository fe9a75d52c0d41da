/* modules.c — traces the module map. dl_iterate_phdr reports, with every
 * object, the loader's running counts of loads and unloads (dlpi_adds,
 * dlpi_subs): when they differ from the last emitted map, a new MODULES
 * record (the complete map) is traced. Called before each new stack is
 * defined, so a stack's addresses are always covered by a map traced before
 * it — including constructors of a library still inside dlopen, and objects
 * the C library loads itself (NSS, iconv) that no dlopen wrapper would see.
 *
 * An unload starts a new stack-depot epoch: afterwards the same addresses
 * may belong to a different library and must not share old stack ids.
 *
 * Guarded by `lock`; never allocates (the record is built in a buffer from
 * the internal arena, grown as needed).
 */
#define _GNU_SOURCE
#include "modules.h"

#include <elf.h>
#include <limits.h>
#include <stdlib.h>
#include <link.h>
#include <string.h>
#include <unistd.h>

#include <heapscope/trace_format.h>

#include "arena.h"
#include "fastunwind.h"
#include "lock.h"
#include "procmaps.h"
#include "stackdepot.h"
#include "trace_writer.h"

static struct {
	hs_lock_t lock;
	unsigned long long adds, subs;
	uint64_t generation;
	uint8_t *buf;
	size_t cap, len;
	uint64_t count;
	int overflow;
} mod;

static int read_counts(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	unsigned long long *c = data;
	c[0] = info->dlpi_adds;
	c[1] = info->dlpi_subs;
	return 1;
}

static void put(const void *p, size_t n)
{
	if (mod.len + n > mod.cap) {
		mod.overflow = 1;
		return;
	}
	memcpy(mod.buf + mod.len, p, n);
	mod.len += n;
}

static void put_v(uint64_t v)
{
	uint8_t tmp[HS_VARINT_MAX];
	put(tmp, hs_put_varint(tmp, v));
}

static void put_s(const void *s, size_t n)
{
	put_v(n);
	put(s, n);
}

/* The GNU build-id note of an object, from its PT_NOTE segments in memory. */
static void put_build_id(struct dl_phdr_info *info)
{
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_NOTE)
			continue;
		const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr);
		const uint8_t *end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)p;
			const uint8_t *name = p + sizeof *nh;
			const uint8_t *desc = name + ((nh->n_namesz + 3) & ~3u);
			if (desc + nh->n_descsz > end)
				break;
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && !memcmp(name, "GNU", 4)) {
				put_s(desc, nh->n_descsz);
				return;
			}
			p = desc + ((nh->n_descsz + 3) & ~3u);
		}
	}
	put_v(0);
}

static int add_module(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	const char *name = info->dlpi_name;
	size_t nl = name ? strlen(name) : 0;
	if (nl == 0) {
		/* The main program has no name here; the vdso has no file. */
		if (mod.count != 0)
			return 0;
		name = hs_self_exe(&nl);
	} else if (!strncmp(name, "linux-vdso", 10)) {
		return 0;
	} else if (name[0] != '/') {
		/* dlopen("./libx.so") or a relative LD_LIBRARY_PATH: the loader
		 * keeps the name as given, which means nothing to a report made
		 * elsewhere; resolved now, while the process is (most likely)
		 * still where it loaded it. Into a buffer: no allocation. */
		static char abs_path[PATH_MAX];
		if (realpath(name, abs_path)) {
			name = abs_path;
			nl = strlen(abs_path);
		}
	}
	mod.count++;
	put_s(name, nl);
	put_v(info->dlpi_addr);
	put_build_id(info);
	unsigned nseg = 0;
	for (int i = 0; i < info->dlpi_phnum; i++)
		nseg += info->dlpi_phdr[i].p_type == PT_LOAD;
	put_v(nseg);
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD)
			continue;
		put_v(ph->p_vaddr);
		put_v(ph->p_memsz);
		put_v(ph->p_flags);
	}
	return 0;
}

void hs_modules_sync(int force)
{
	if (!hs_trace_on)
		return;
	unsigned long long c[2] = {0, 0};
	dl_iterate_phdr(read_counts, c);
	hs_lock(&mod.lock);
	if (c[0] == mod.adds && c[1] == mod.subs && (!force || (mod.len && !mod.overflow))) {
		/* unchanged; forced (a fork child's new trace): the record
		 * built last describes it still, so no walk of every object */
		if (force)
			hs_trace_record(HS_REC_MODULES, mod.buf, mod.len);
		hs_unlock(&mod.lock);
		return;
	}
	if (c[1] != mod.subs) {
		hs_stack_new_epoch();
		/* unloaded without our dlclose (glibc's own, of gconv
		 * modules): rules, remembered walks and the ids kept with
		 * them may describe what was there */
		hs_fast_unwind_forget();
	}
	mod.adds = c[0];
	mod.subs = c[1];
	for (;;) {
		if (!mod.buf) {
			mod.cap = 64 << 10;
			mod.buf = hs_arena_alloc(mod.cap);
			if (!mod.buf)
				break;
		}
		mod.len = 0;
		mod.count = 0;
		mod.overflow = 0;
		/* generation, then a count patched below: reserve a fixed-width
		 * varint for it */
		put_v(++mod.generation);
		size_t count_at = mod.len;
		uint8_t pad[5] = {0x80, 0x80, 0x80, 0x80, 0};
		put(pad, sizeof pad);
		dl_iterate_phdr(add_module, NULL);
		if (!mod.overflow) {
			uint64_t v = mod.count;
			for (int i = 0; i < 5; i++, v >>= 7)
				mod.buf[count_at + (size_t)i] = (uint8_t)((v & 0x7f) | (i < 4 ? 0x80 : 0));
			hs_trace_record(HS_REC_MODULES, mod.buf, mod.len);
			break;
		}
		hs_arena_free(mod.buf, mod.cap);
		mod.cap *= 2;
		mod.buf = hs_arena_alloc(mod.cap);
		if (!mod.buf)
			break;
	}
	hs_unlock(&mod.lock);
}

void hs_modules_lock(void)
{
	hs_lock(&mod.lock);
}

void hs_modules_unlock(void)
{
	hs_unlock(&mod.lock);
}

void hs_modules_reset_lock(void)
{
	hs_lock_reset(&mod.lock);
}
