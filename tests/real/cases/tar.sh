#!/usr/bin/env bash
# tar.sh — build a directory tree, tar czf it, list it with tar tzf, extract
# it elsewhere and compare. Archive members get fixed owners and mtimes and
# gzip no name/time, so the archive itself is byte for byte reproducible.
set -eu
mkdir -p tree/a/b/c tree/d tree/e
for i in $(seq 1 60); do
	seq 1 $((i * 37)) | sed "s/^/row $i: /" >tree/a/file$i.txt
done
for i in $(seq 1 20); do
	head -c $((i * 1000)) /dev/zero | tr '\0' "$(printf \\$((101 + i % 7)))" >tree/a/b/c/blob$i
done
printf 'link target\n' >tree/d/target
ln -s ../d/target tree/e/link
touch -d 2024-01-01T00:00:00Z tree/e/empty
opts=(--sort=name --owner=0 --group=0 --numeric-owner --mtime=2024-02-03T04:05:06Z --format=gnu)
GZIP=-n tar "${opts[@]}" -czf tree.tar.gz tree 2>&1
tar tzf tree.tar.gz
tar tvzf tree.tar.gz | tail -4
md5sum tree.tar.gz
mkdir out
tar -C out -xzf tree.tar.gz
diff -r tree out/tree && echo "extracted tree identical"
tar "${opts[@]}" -cf - tree | gzip -n -9 | md5sum
