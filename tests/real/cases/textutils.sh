#!/usr/bin/env bash
# textutils.sh — awk generates a file (~6 MB), then sort (small buffer, so it
# merges through temporary files, and in parallel), sed and awk transform and
# aggregate it. Prints checksums and small summaries.
set -eu
awk 'BEGIN {
	srand(7)
	split("amber basil cedar dune ember fjord grove heath inlet juniper", w, " ")
	for (i = 1; i <= 120000; i++)
		printf "%06d %s %s %d %.3f\n", int(rand() * 1000000), w[1 + int(rand() * 10)],
			w[1 + int(rand() * 10)] "-" i % 97, int(rand() * 5000), rand() * 100
}' >data.txt
wc -l <data.txt
md5sum data.txt

sort -S 512K --parallel=2 -k2,2 -k1,1n data.txt >by_word.txt
md5sum by_word.txt
sort -S 512K -t' ' -k4,4nr -k1,1 data.txt | head -3
sort -u -k3,3 data.txt | wc -l
cut -d' ' -f2 data.txt | sort | uniq -c | sort -k1,1nr -k2
sed -E -e 's/([a-z]+)-([0-9]+)/\2:\1/' -e '/^0/d' -e 's/ +/\t/g' data.txt >edited.txt
md5sum edited.txt
sed -n '1000,1003p;$p' edited.txt
awk '{ n[$2]++; s[$2] += $5; if ($4 > m[$2]) m[$2] = $4 }
     END { for (k in n) printf "%s %d %.3f %d\n", k, n[k], s[k] / n[k], m[k] }' data.txt | sort
awk -F'\t' '{ key = substr($3, 1, index($3, ":") - 1); c[key % 10]++; line[NR] = $0 }
     END { for (i = 0; i < 10; i++) printf "%d:%d ", i, c[i]; print ""; print line[int(NR / 2)] }' edited.txt
gawk '{ a[NR] = $1 } END { n = asort(a); print n, a[1], a[int(n / 2)], a[n] }' data.txt
