/* check_livemap.c — the analyzer's live-block map (livemap.h): put, take,
 * replace and count; growth keeping every entry; backward-shift deletion
 * keeping every probe chain intact, on clusters built on purpose (including
 * ones that wrap around the end of the table) and under a seeded random
 * workload of 200 000 operations checked against a plain reference array.
 */
#include "unit.h"

#include "livemap.h"

static void assert_take(struct hs_livemap *m, uint64_t addr, uint64_t size, uint32_t stack)
{
	struct hs_live l = {0, 0, 0};
	ck_assert_int_eq(hs_livemap_take(m, addr, &l), 1);
	ck_assert_uint_eq(l.addr, addr);
	ck_assert_uint_eq(l.size, size);
	ck_assert_uint_eq(l.stack, stack);
}

static void assert_absent(struct hs_livemap *m, uint64_t addr)
{
	struct hs_live l = {7, 7, 7};
	ck_assert_int_eq(hs_livemap_take(m, addr, &l), 0);
	/* untouched */
	ck_assert_uint_eq(l.addr, 7);
	ck_assert_uint_eq(l.size, 7);
	ck_assert_uint_eq(l.stack, 7);
}

START_TEST(test_empty)
{
	struct hs_livemap m;
	hs_livemap_init(&m);
	ck_assert_uint_eq(m.count, 0);
	assert_absent(&m, 0x1000);
	assert_absent(&m, 0);
	hs_livemap_free(&m);
	ck_assert_ptr_null(m.slot);
	ck_assert_uint_eq(m.count, 0);
	ck_assert_uint_eq(m.cap, 0);
	hs_livemap_free(&m); /* twice is fine */
}
END_TEST

START_TEST(test_put_take_replace)
{
	struct hs_livemap m;
	hs_livemap_init(&m);
	ck_assert_int_eq(hs_livemap_put(&m, 0x1000, 10, 1), 0);
	ck_assert_int_eq(hs_livemap_put(&m, 0x2000, 20, 2), 0);
	ck_assert_int_eq(hs_livemap_put(&m, 0x7fffffffff0, UINT64_MAX, UINT32_MAX), 0);
	ck_assert_uint_eq(m.count, 3);
	/* replace: same address, new size and stack, count unchanged */
	ck_assert_int_eq(hs_livemap_put(&m, 0x1000, 11, 5), 0);
	ck_assert_uint_eq(m.count, 3);
	assert_absent(&m, 0x1010);
	assert_absent(&m, 0);
	ck_assert_uint_eq(m.count, 3);
	assert_take(&m, 0x1000, 11, 5);
	ck_assert_uint_eq(m.count, 2);
	assert_absent(&m, 0x1000); /* taken once only */
	ck_assert_uint_eq(m.count, 2);
	assert_take(&m, 0x7fffffffff0, UINT64_MAX, UINT32_MAX);
	assert_take(&m, 0x2000, 20, 2);
	ck_assert_uint_eq(m.count, 0);
	/* and again after emptying */
	ck_assert_int_eq(hs_livemap_put(&m, 0x2000, 21, 3), 0);
	ck_assert_uint_eq(m.count, 1);
	assert_take(&m, 0x2000, 21, 3);
	ck_assert_uint_eq(m.count, 0);
	hs_livemap_free(&m);
}
END_TEST

START_TEST(test_growth)
{
	enum { N = 100000 };
	struct hs_livemap m;
	hs_livemap_init(&m);
	for (uint64_t k = 1; k <= N; k++) {
		UNIT_EQ(hs_livemap_put(&m, k * 16, k, (uint32_t)(k * 7)), 0, "put %ju", (uintmax_t)k);
		UNIT_EQ(m.count, k, "count after %ju", (uintmax_t)k);
		if (m.count * 2 > m.cap)
			ck_abort_msg("load above 1/2: %zu in %zu", m.count, m.cap);
	}
	ck_assert_uint_eq(m.cap & (m.cap - 1), 0); /* a power of two */
	for (uint64_t k = N; k >= 1; k--) {
		struct hs_live l;
		UNIT_EQ(hs_livemap_take(&m, k * 16, &l), 1, "take %ju", (uintmax_t)k);
		UNIT_EQ(l.size, k, "size of %ju", (uintmax_t)k);
		UNIT_EQ(l.stack, k * 7, "stack of %ju", (uintmax_t)k);
		UNIT_EQ(m.count, k - 1, "count after taking %ju", (uintmax_t)k);
	}
	for (size_t i = 0; i < m.cap; i++)
		UNIT_EQ(m.slot[i].addr, 0, "slot %zu", i);
	hs_livemap_free(&m);
}
END_TEST

/* The slot an address lands in when it is alone in a table of `cap` slots:
 * its home. Learnt through the public structure, not by copying the hash. */
static size_t home_of(uint64_t addr, size_t cap)
{
	struct hs_livemap m;
	hs_livemap_init(&m);
	ck_assert_int_eq(hs_livemap_put(&m, addr, 1, 1), 0);
	ck_assert_uint_eq(m.cap, cap);
	size_t at = SIZE_MAX;
	for (size_t i = 0; i < m.cap; i++)
		if (m.slot[i].addr == addr)
			at = i;
	hs_livemap_free(&m);
	ck_assert_uint_ne(at, SIZE_MAX);
	return at;
}

/* Every entry reachable from its home without crossing an empty slot. */
static void assert_chains(const struct hs_livemap *m)
{
	size_t used = 0;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->slot[i].addr)
			continue;
		used++;
		size_t h = home_of(m->slot[i].addr, m->cap);
		for (size_t j = h; j != i; j = (j + 1) & (m->cap - 1))
			if (!m->slot[j].addr)
				ck_abort_msg("0x%jx at %zu: hole at %zu after its home %zu",
					     (uintmax_t)m->slot[i].addr, i, j, h);
	}
	ck_assert_uint_eq(used, m->count);
}

static void shuffle(uint64_t *v, unsigned n, uint64_t *seed)
{
	for (unsigned i = n - 1; i > 0; i--) {
		unsigned j = unit_rand(seed) % (i + 1);
		uint64_t t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

static uint32_t index_of(const uint64_t *v, unsigned n, uint64_t x)
{
	for (unsigned i = 0; i < n; i++)
		if (v[i] == x)
			return i;
	ck_abort_msg("0x%jx not in the set", (uintmax_t)x);
	return 0;
}

/* An independent copy of a map, to take from without changing it. */
static struct hs_livemap copy_of(const struct hs_livemap *m)
{
	struct hs_livemap c = *m;
	c.slot = malloc(m->cap * sizeof *c.slot);
	ck_assert_ptr_nonnull(c.slot);
	memcpy(c.slot, m->slot, m->cap * sizeof *c.slot);
	return c;
}

/* Clusters built on purpose: keys sharing a home, and keys whose chain
 * wraps from the last slot to the first, in 300 random insertion and
 * deletion orders. */
START_TEST(test_clusters)
{
	enum { CAP = 1024, PER = 2 };
	/* find keys whose home is CAP-2, CAP-1, 0 and 1 */
	static const size_t homes[] = {CAP - 2, CAP - 1, 0, 1};
	uint64_t key[4][PER];
	unsigned found[4] = {0};
	for (uint64_t a = 16; found[0] + found[1] + found[2] + found[3] < 4 * PER; a += 16) {
		size_t h = home_of(a, CAP);
		for (unsigned k = 0; k < 4; k++)
			if (h == homes[k] && found[k] < PER)
				key[k][found[k]++] = a;
		if (a > ((uint64_t)1 << 32))
			ck_abort_msg("no keys for every home");
	}
	/* the chain: CAP-2 ×2, CAP-1 ×2, 0 ×2, 1 ×2, all in one run that
	 * wraps; then delete in many orders and check the rest each time */
	uint64_t set[8] = {key[0][0], key[0][1], key[1][0], key[1][1],
			   key[2][0], key[2][1], key[3][0], key[3][1]};
	uint64_t seed = 42;
	for (unsigned round = 0; round < 300; round++) {
		struct hs_livemap m;
		hs_livemap_init(&m);
		/* insertion order varies too */
		uint64_t order[8];
		memcpy(order, set, sizeof order);
		shuffle(order, 8, &seed);
		for (unsigned i = 0; i < 8; i++)
			ck_assert_int_eq(hs_livemap_put(&m, order[i], order[i] / 16, index_of(set, 8, order[i])), 0);
		ck_assert_uint_eq(m.cap, CAP);
		/* one run of 8 slots covering CAP-2 .. 5 */
		for (size_t s = CAP - 2; s != 6; s = (s + 1) % CAP)
			UNIT_EQ(m.slot[s].addr != 0, 1, "slot %zu", s);
		assert_chains(&m);
		shuffle(order, 8, &seed);
		for (unsigned i = 0; i < 8; i++) {
			assert_take(&m, order[i], order[i] / 16, index_of(set, 8, order[i]));
			ck_assert_uint_eq(m.count, 7 - i);
			assert_chains(&m);
			/* everything left is still found (in a copy: take removes) */
			for (unsigned k = i + 1; k < 8; k++) {
				struct hs_livemap c = copy_of(&m);
				assert_take(&c, order[k], order[k] / 16, index_of(set, 8, order[k]));
				hs_livemap_free(&c);
			}
			for (unsigned k = 0; k <= i; k++)
				assert_absent(&m, order[k]);
		}
		for (size_t k = 0; k < m.cap; k++)
			UNIT_EQ(m.slot[k].addr, 0, "slot %zu", k);
		hs_livemap_free(&m);
	}
}
END_TEST

/* A seeded random workload against a reference: a pool of addresses, each
 * live or not with its size and stack. Several pool sizes, so that the map
 * runs both sparse and close to its 1/2 load limit. */
START_TEST(test_random_workload)
{
	enum { OPS = 200000, MAXPOOL = 6000 };
	static const unsigned pools[] = {700, 3000, 6000};
	unsigned pool_n = pools[_i];
	static uint64_t addr[MAXPOOL], size[MAXPOOL];
	static uint32_t stack[MAXPOOL];
	static uint8_t live[MAXPOOL];
	uint64_t seed = 0x5eed0000u + (uint64_t)_i;
	/* distinct 16-aligned addresses spread over 16 TiB, some adjacent */
	for (unsigned k = 0; k < pool_n; k++) {
		uint64_t a;
		int dup = 0;
		do {
			a = k % 4 == 3 && !dup
				    ? addr[k - 1] + 16
				    : (((uint64_t)unit_rand(&seed) << 24 | unit_rand(&seed)) & 0xffffffffff0) + 16;
			dup = 0;
			for (unsigned q = 0; q < k && !dup; q++)
				dup = addr[q] == a;
		} while (dup);
		addr[k] = a;
		live[k] = 0;
	}
	struct hs_livemap m;
	hs_livemap_init(&m);
	size_t nlive = 0;
	uint64_t puts = 0, replaces = 0, takes = 0, misses = 0;
	for (unsigned op = 0; op < OPS; op++) {
		unsigned k = unit_rand(&seed) % pool_n;
		unsigned what = unit_rand(&seed) % 100;
		if (what < 50) {
			uint64_t sz = unit_rand(&seed);
			uint32_t st = unit_rand(&seed);
			UNIT_EQ(hs_livemap_put(&m, addr[k], sz, st), 0, "op %u", op);
			if (live[k])
				replaces++;
			else
				nlive++, puts++;
			live[k] = 1;
			size[k] = sz;
			stack[k] = st;
		} else {
			struct hs_live l = {0, 0, 0};
			int got = hs_livemap_take(&m, addr[k], &l);
			UNIT_EQ(got, live[k], "op %u: take of pool %u", op, k);
			if (got) {
				UNIT_EQ(l.addr, addr[k], "op %u", op);
				UNIT_EQ(l.size, size[k], "op %u", op);
				UNIT_EQ(l.stack, stack[k], "op %u", op);
				live[k] = 0;
				nlive--;
				takes++;
			} else {
				misses++;
			}
		}
		UNIT_EQ(m.count, nlive, "op %u", op);
		/* now and then, a full audit of every pool address */
		if (op % 40000 == 39999) {
			struct hs_livemap c = copy_of(&m);
			for (unsigned q = 0; q < pool_n; q++) {
				struct hs_live l;
				int got = hs_livemap_take(&c, addr[q], &l);
				UNIT_EQ(got, live[q], "audit at op %u, pool %u", op, q);
				if (got)
					UNIT_EQ(l.size, size[q], "audit at op %u, pool %u", op, q);
			}
			UNIT_EQ(c.count, 0, "audit at op %u", op);
			hs_livemap_free(&c);
		}
	}
	/* every kind of operation happened plenty of times */
	ck_assert_uint_gt(puts, OPS / 10);
	ck_assert_uint_gt(replaces, OPS / 100);
	ck_assert_uint_gt(takes, OPS / 10);
	ck_assert_uint_gt(misses, OPS / 100);
	/* drain */
	for (unsigned q = 0; q < pool_n; q++) {
		struct hs_live l;
		UNIT_EQ(hs_livemap_take(&m, addr[q], &l), live[q], "drain %u", q);
	}
	ck_assert_uint_eq(m.count, 0);
	for (size_t k = 0; k < m.cap; k++)
		UNIT_EQ(m.slot[k].addr, 0, "slot %zu", k);
	hs_livemap_free(&m);
}
END_TEST

static Suite *livemap_suite(void)
{
	Suite *s = suite_create("livemap");
	TCase *tc = unit_tcase("livemap", 0);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_put_take_replace);
	tcase_add_test(tc, test_growth);
	tcase_add_test(tc, test_clusters);
	tcase_add_loop_test(tc, test_random_workload, 0, 3);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	(void)argc;
	return unit_run(livemap_suite(), argv);
}
